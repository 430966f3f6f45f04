"""'我的问题': the questions this agent recorded, their state, and the answers that came back."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_app.common.local_time import local_stamp
from agent_app.questions.views.question_labels import status_color, status_name

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class MyQuestionsView(QWidget):
    open_article = Signal(str)  # article uuid
    # The agent is working in the pane (focus went into it): its answers count as read. Only
    # being on screen is not enough: the pane sits beside the KB all day.
    looked_at = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myQuestions")
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.rows: list[dict[str, Any]] = []
        hint = QLabel(
            self.tr(
                "Questions you recorded with “Not answered”; the supervisor's answers appear here."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7280;")
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Recorded"), self.tr("Question"), self.tr("Status"), self.tr("Answer")]
        )
        self.table = QTableView()
        self.table.setObjectName("myQuestionsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.table.doubleClicked.connect(lambda _i: self._open_current_article())

        self.detail = QTextBrowser()
        self.detail.setObjectName("myQuestionDetail")
        self.open_button = QPushButton(self.tr("Open the article"))
        self.open_button.setObjectName("openAnswerArticle")
        self.open_button.setToolTip(self.tr("Show the article this answer became in the KB pane"))
        self.open_button.clicked.connect(self._open_current_article)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(split, 1)
        self._show_current()

    # -- filling ------------------------------------------------------------------------------
    def set_questions(self, rows: list[dict[str, Any]], fresh: set[str]) -> None:
        """Show `rows` (newest first); those in `fresh` are answers not yet looked at."""
        current = self.current_row()
        keep = current["uuid"] if current else None
        self.rows = rows
        self.model.removeRows(0, self.model.rowCount())
        for row in rows:
            items = [
                QStandardItem(local_stamp(row["created_at"])),
                QStandardItem(row["query"]),
                QStandardItem(status_name(row["status"])),
                QStandardItem(_answer_summary(row)),
            ]
            items[0].setData(row, ROW_ROLE)
            items[1].setToolTip(row["query"])
            items[2].setForeground(QColor(status_color(row["status"])))
            if row["uuid"] in fresh:
                bold = QFont()
                bold.setBold(True)
                for item in items:
                    item.setFont(bold)
            self.model.appendRow(items)
        for r, row in enumerate(rows):
            if row["uuid"] == keep or (keep is None and row["uuid"] in fresh):
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(r, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                break
        self._show_current()

    def select_question(self, uuid: str) -> bool:
        for r, row in enumerate(self.rows):
            if row["uuid"] == uuid:
                self.table.selectRow(r)
                return True
        return False

    def current_row(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.index(index.row(), 0).data(ROW_ROLE)

    def _show_current(self) -> None:
        row = self.current_row()
        self.open_button.setEnabled(bool(row and row.get("answer_article_uuid")))
        if row is None:
            text = self.tr("No question selected.") if self.rows else self.tr("No questions yet.")
            self.detail.setHtml(f"<p style='color:#6b7280'>{html.escape(text)}</p>")
            return
        self.detail.setHtml(self._detail_html(row))

    def _detail_html(self, row: dict[str, Any]) -> str:
        def para(label: str, value: str, style: str = "") -> str:
            body = html.escape(value).replace("\n", "<br>")
            return f"<p style='{style}'><b>{html.escape(label)}</b><br>{body}</p>"

        parts = [
            f"<h3>{html.escape(row['query'])}</h3>",
            "<p><span style='color:{}'>{}</span> · {}</p>".format(
                status_color(row["status"]),
                html.escape(status_name(row["status"])),
                html.escape(local_stamp(row["created_at"])),
            ),
        ]
        if row.get("note"):
            parts.append(para(self.tr("Note"), row["note"]))
        if row.get("answer"):
            by = self.tr("Answer from %1, %2").replace("%1", row.get("answered_by") or "?")
            by = by.replace("%2", local_stamp(row.get("answered_at") or ""))
            parts.append(para(by, row["answer"], "background:#f0fdf4;"))
        if row.get("reject_reason"):
            parts.append(para(self.tr("Reason for rejecting"), row["reject_reason"]))
        if row["status"] == "merged" and not row.get("answer"):
            parts.append(
                "<p>"
                + html.escape(self.tr("Merged with a similar question; its answer comes here."))
                + "</p>"
            )
        if row.get("answer_article_uuid"):
            parts.append(
                "<p style='color:#1d4ed8'>"
                + html.escape(self.tr("This answer is in the knowledge base: “Open the article”."))
                + "</p>"
            )
        return "".join(parts)

    def _open_current_article(self) -> None:
        row = self.current_row()
        if row and row.get("answer_article_uuid"):
            self.open_article.emit(row["answer_article_uuid"])

    def is_looked_at(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and self.isAncestorOf(focus)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isAncestorOf(new):
            self.looked_at.emit()


def _answer_summary(row: dict[str, Any]) -> str:
    text = row.get("answer") or row.get("reject_reason") or ""
    return " ".join(text.split())[:80]
