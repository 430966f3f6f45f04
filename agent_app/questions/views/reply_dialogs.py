"""Answering and rejecting a question. The dialog stays open until the server has taken the
reply; on an error or a conflict it says why and keeps the text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.shell.dialog_feedback import DialogFeedback
from kb.models import Article


class _ReplyDialog(QDialog):
    submitted = Signal(str, str)  # text, linked article uuid ('' for none)

    def __init__(self, question: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setMinimumWidth(520)
        asked = QLabel()
        asked.setObjectName("replyQuestion")
        asked.setWordWrap(True)
        asked.setText(self._asked_text(question))
        asked.setStyleSheet("background: #f3f4f6; padding: 6px;")
        self.text_edit = QPlainTextEdit()
        self.text_edit.setMinimumHeight(140)
        self.feedback = DialogFeedback(self.text_edit.toPlainText)
        self.buttons = QDialogButtonBox()
        self.submit_button: QPushButton = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setObjectName("replySubmit")
        self.close_button: QPushButton = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.body_layout = QVBoxLayout(self)
        self.body_layout.addWidget(asked)
        self.body_layout.addWidget(self.text_edit, 1)

    def _finish_layout(self) -> None:
        self.body_layout.addWidget(self.feedback)
        self.body_layout.addWidget(self.buttons)

    def _asked_text(self, question: dict[str, Any]) -> str:
        text = self.tr("%1 asked: %2").replace("%1", question.get("agent") or "?")
        text = text.replace("%2", question.get("query", ""))
        if question.get("note"):
            text += "\n" + self.tr("Note: %1").replace("%1", question["note"])
        return text

    @property
    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def linked_article(self) -> str:
        return ""

    def _submit(self) -> None:
        if not self.text:
            self.text_edit.setFocus()
            return
        self.feedback.clear()
        self.submitted.emit(self.text, self.linked_article())

    # -- what the controller tells it ---------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)
        self.text_edit.setReadOnly(busy)
        if busy:
            self.feedback.show_info(self.tr("Sending…"))

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.feedback.show_error(message)

    def show_conflict(self, message: str) -> None:
        """Someone else dealt with the question first: it cannot be sent; the text stays."""
        self.set_busy(False)
        self.submit_button.setEnabled(False)
        self.close_button.setText(self.tr("Close"))
        self.feedback.show_conflict(message)


class AnswerDialog(_ReplyDialog):
    def __init__(
        self,
        question: dict[str, Any],
        open_article: Callable[[], Article | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(question, parent)
        self.setObjectName("answerDialog")
        self.setWindowTitle(self.tr("Answer the question"))
        self.text_edit.setObjectName("answerText")
        self.text_edit.setPlaceholderText(self.tr("The answer the agent will read to customers"))
        self.submit_button.setText(self.tr("Send answer"))
        self._open_article = open_article
        self._linked: Article | None = None
        self.link_label = QLabel()
        self.link_label.setObjectName("answerLinkLabel")
        self.link_label.setWordWrap(True)
        self.link_button = QPushButton(self.tr("Link the article open in the KB pane"))
        self.link_button.setObjectName("answerLinkArticle")
        self.link_button.clicked.connect(self._link_open_article)
        self.unlink_button = QPushButton(self.tr("Remove link"))
        self.unlink_button.clicked.connect(lambda: self._set_link(None))
        row = QHBoxLayout()
        row.addWidget(self.link_label, 1)
        row.addWidget(self.link_button)
        row.addWidget(self.unlink_button)
        self.body_layout.addLayout(row)
        self._finish_layout()
        self._set_link(None)
        self.text_edit.setFocus()

    def _link_open_article(self) -> None:
        article = self._open_article()
        if article is None:
            self.feedback.show_info(
                self.tr("Open the article in the KB pane first (this window can stay open).")
            )
            return
        self.feedback.clear()
        self._set_link(article)

    def _set_link(self, article: Article | None) -> None:
        self._linked = article
        if article is None:
            self.link_label.setText(self.tr("No article linked (optional)."))
        else:
            self.link_label.setText(self.tr("Linked article: %1").replace("%1", article.title))
        self.unlink_button.setVisible(article is not None)

    def linked_article(self) -> str:
        return self._linked.uuid if self._linked is not None else ""


class RejectDialog(_ReplyDialog):
    def __init__(self, question: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.setObjectName("rejectDialog")
        self.setWindowTitle(self.tr("Reject the question"))
        self.text_edit.setObjectName("rejectReason")
        self.text_edit.setPlaceholderText(
            self.tr("Why: e.g. already answered by an article, not our business line")
        )
        self.text_edit.setMinimumHeight(80)
        self.submit_button.setText(self.tr("Reject"))
        self._finish_layout()
        self.text_edit.setFocus()
