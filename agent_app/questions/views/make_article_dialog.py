"""'生成文章': turn a question and its answer into a knowledge-base article (an FAQ by default).
A manager publishes at once; everyone else (a supervisor) sends it to a manager for review (a
proposal, issue 13)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.questions.actions import ArticleDraft
from agent_app.questions.views.question_labels import fill_line_combo
from agent_app.shell.dialog_feedback import DialogFeedback
from kb.business_lines import BUILT_IN, BusinessLine
from kb.models import TYPE_NAMES


class MakeArticleDialog(QDialog):
    submitted = Signal(object)  # ArticleDraft

    def __init__(
        self,
        question: dict[str, Any],
        can_publish: bool,
        english: bool,
        parent: QWidget | None = None,
        lines: Sequence[BusinessLine] = BUILT_IN,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("makeArticleDialog")
        self.setWindowTitle(self.tr("Make an article from the question"))
        self.setMinimumSize(620, 480)
        self.question = question
        pick = 1 if english else 0
        self.title_edit = QLineEdit(question.get("query", ""))
        self.title_edit.setObjectName("articleTitleEdit")
        self.body_edit = QPlainTextEdit(question.get("answer", ""))
        self.body_edit.setObjectName("articleBodyEdit")
        self.body_edit.setPlaceholderText(
            self.tr("The answer, in Markdown; it is also sent to the agent who asked")
        )
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("articleTypeCombo")
        for code, names in TYPE_NAMES.items():
            self.type_combo.addItem(names[pick], code)
        self.line_combo = QComboBox()
        self.line_combo.setObjectName("articleLineCombo")
        self.line_combo.addItem(self.tr("(none)"), "")
        # The workstation's active lines (synced from the server), built-in first.
        fill_line_combo(self.line_combo, lines, english)
        self.line_combo.setCurrentIndex(
            max(0, self.line_combo.findData(question.get("business_line", "")))
        )
        self.category_edit = QLineEdit(question.get("category", ""))
        self.category_edit.setObjectName("articleCategoryEdit")
        self.category_edit.setPlaceholderText(self.tr("e.g. 电信/宽带"))
        self.publish_check = QCheckBox(self.tr("Publish at once (agents can find it)"))
        self.publish_check.setObjectName("articlePublish")
        self.publish_check.setChecked(can_publish)
        self.publish_check.setEnabled(can_publish)
        if not can_publish:
            self.publish_check.setToolTip(
                self.tr("Sent to a manager for review; agents find it once it is approved.")
            )
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Body"), self.body_edit)
        form.addRow(self.tr("Type"), self.type_combo)
        form.addRow(self.tr("Business line"), self.line_combo)
        form.addRow(self.tr("Category"), self.category_edit)
        form.addRow("", self.publish_check)
        self.feedback = DialogFeedback(self._typed_text)
        self.buttons = QDialogButtonBox()
        self.submit_button: QPushButton = self.buttons.addButton(
            self.tr("Create article"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setObjectName("articleSubmit")
        self.close_button: QPushButton = self.buttons.addButton(
            self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.buttons)

    def _typed_text(self) -> str:
        return f"{self.title_edit.text().strip()}\n\n{self.body_edit.toPlainText().strip()}"

    def draft(self) -> ArticleDraft:
        return ArticleDraft(
            title=self.title_edit.text().strip(),
            body=self.body_edit.toPlainText().strip(),
            type=str(self.type_combo.currentData()),
            business_line=str(self.line_combo.currentData() or ""),
            category=self.category_edit.text().strip(),
            publish=self.publish_check.isChecked(),
        )

    def _submit(self) -> None:
        draft = self.draft()
        if not draft.title:
            self.title_edit.setFocus()
            return
        if not draft.body:
            self.body_edit.setFocus()
            return
        self.feedback.clear()
        self.submitted.emit(draft)

    # -- what the controller tells it ---------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)
        if busy:
            self.feedback.show_info(self.tr("Sending…"))

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.feedback.show_error(message)

    def show_conflict(self, message: str) -> None:
        """The question was dealt with by someone else: the article can still be created
        (without answering); everything typed stays."""
        self.set_busy(False)
        self.submit_button.setText(self.tr("Create article only"))
        self.feedback.show_conflict(message)
