"""The call history tab: recent calls, newest first; double-click or Enter calls back.

Numbers are shown as policy allows (masked for agents); the real number stays in the row's
data, so calling back works either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_app.common.local_time import local_stamp
from agent_app.phone.prefs import shown_number
from agent_app.phone.views.phone_texts import clock_text
from agent_app.seat.call_log import CallRecord, WrapUpCategory
from common.codes import code_name
from common.timestamps import iso

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class HistoryRow:
    """One call as the table shows it (texts already in the agent's language)."""

    when: str
    direction: str
    shown_number: str
    number: str
    duration: str
    result: str
    category: str
    note: str


class CallTable(QTableWidget):
    activated_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.activated_row.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class CallHistoryView(QWidget):
    dial_requested = Signal(str)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callHistory")
        self.heading = QLabel(self.tr("Recent calls — double-click or Enter to call back"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.table = CallTable(0, 7)
        self.table.setObjectName("callHistoryTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Direction"),
                self.tr("Number"),
                self.tr("Duration"),
                self.tr("Result"),
                self.tr("Category"),
                self.tr("Note"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._dial(row))
        self.table.activated_row.connect(self._dial)
        self.empty = QLabel(self.tr("No calls yet."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #64748b; padding: 24px;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.show_rows([])

    def show_rows(self, rows: list[HistoryRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (
                row.when,
                row.direction,
                row.shown_number,
                row.duration,
                row.result,
                row.category,
                row.note,
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(NUMBER_ROLE, row.number)
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if rows and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    def _dial(self, row: int) -> None:
        item = self.table.item(row, 0)
        number = item.data(NUMBER_ROLE) if item is not None else ""
        if number:
            self.dial_requested.emit(str(number))


def result_text(reason: str) -> str:
    texts = {
        "answered": QCoreApplication.translate("CallHistory", "Answered"),
        "missed": QCoreApplication.translate("CallHistory", "Missed"),
        "rejected": QCoreApplication.translate("CallHistory", "Rejected"),
        "busy": QCoreApplication.translate("CallHistory", "Busy"),
        "no_answer": QCoreApplication.translate("CallHistory", "No answer"),
        "cancelled": QCoreApplication.translate("CallHistory", "Cancelled"),
        "failed": QCoreApplication.translate("CallHistory", "Failed"),
        "interrupted": QCoreApplication.translate("CallHistory", "Interrupted"),
        "": QCoreApplication.translate("CallHistory", "In progress"),
    }
    return texts.get(reason, reason)


def category_name(code: str, categories: tuple[WrapUpCategory, ...], language: str) -> str:
    return code_name(code, categories, language)


def history_rows(
    records: list[CallRecord],
    masked: bool,
    categories: tuple[WrapUpCategory, ...],
    language: str,
) -> list[HistoryRow]:
    return [
        HistoryRow(
            when=local_stamp(iso(r.started_at)),
            direction=QCoreApplication.translate("CallHistory", "Inbound")
            if r.direction == "inbound"
            else QCoreApplication.translate("CallHistory", "Outbound"),
            shown_number=shown_number(r.remote_number, masked),
            number=r.remote_number,
            duration=clock_text(r.talk_seconds) if r.answered_at else "",
            result=result_text(r.end_reason),
            category=category_name(r.wrap_up_category, categories, language),
            note=r.wrap_up_note,
        )
        for r in records
    ]


def history_lines(
    records: list[CallRecord],
    categories: tuple[WrapUpCategory, ...],
    language: str,
    limit: int = 3,
) -> list[str]:
    """Past calls in one line each, for the incoming-call banner (newest first)."""
    lines = []
    for r in records[:limit]:
        parts = [local_stamp(iso(r.started_at)), result_text(r.end_reason)]
        if r.wrap_up_category:
            parts.append(category_name(r.wrap_up_category, categories, language))
        if r.wrap_up_note:
            parts.append(r.wrap_up_note[:30])
        lines.append(" ".join(parts))
    return lines
