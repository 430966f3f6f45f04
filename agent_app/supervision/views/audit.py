"""The monitoring audit dialog (layout only; the manager's): a date range and a user filter on
top, one row per audited item below (who monitored, whom, the call, start, end, the modes with
their times, the duration, and for a refusal its reason), and a status line."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_app.common.local_time import day_bounds

CALL_COLUMN = 3


@dataclass(frozen=True)
class AuditRow:
    """One row as shown: every cell already worded in the user's language."""

    kind: str
    who: str
    whom: str
    call: str
    start: str
    end: str
    modes: str
    duration: str
    reason: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.kind,
            self.who,
            self.whom,
            self.call,
            self.start,
            self.end,
            self.modes,
            self.duration,
            self.reason,
        )


class AuditDialog(QDialog):
    search_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monitorAuditDialog")
        self.setWindowTitle(self.tr("Monitoring audit"))
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-7))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.date_from.setObjectName("auditFrom")
        self.date_to.setObjectName("auditTo")
        self.user = QLineEdit()
        self.user.setObjectName("auditUser")
        self.user.setPlaceholderText(self.tr("User name (who monitored or whom)"))
        self.user.setClearButtonEnabled(True)
        self.search = QPushButton(self.tr("Search"))
        self.search.setObjectName("auditSearch")
        self.search.setDefault(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("From:")))
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel(self.tr("To:")))
        filters.addWidget(self.date_to)
        filters.addWidget(QLabel(self.tr("User:")))
        filters.addWidget(self.user, 1)
        filters.addWidget(self.search)

        headers = (
            self.tr("What"),
            self.tr("Who"),
            self.tr("Whom"),
            self.tr("Call"),
            self.tr("Start"),
            self.tr("End"),
            self.tr("Modes"),
            self.tr("Duration"),
            self.tr("Reason"),
        )
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Each mode of a session on its own line; long reasons wrap rather than elide.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The reason is the long text: it takes what is left.
        header.setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        # Fits a 1024x768 screen with the window frame around it.
        self.resize(980, 560)

        self.search.clicked.connect(self.search_requested.emit)
        self.user.returnPressed.connect(self.search_requested.emit)

    def bounds(self) -> tuple[str, str]:
        """(since, until) UTC stamps covering the chosen local days."""
        return day_bounds(self.date_from.date().toPython(), self.date_to.date().toPython())  # type: ignore[arg-type]

    def user_filter(self) -> str:
        return self.user.text().strip()

    def set_busy(self, busy: bool) -> None:
        self.search.setEnabled(not busy)

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row.cells()):
                # A call's uuid is for looking it up, not for reading: its first digits tell
                # calls apart in the table; the whole uuid is in the tooltip.
                shown = text[:8] + "…" if c == CALL_COLUMN and len(text) > 8 else text
                item = QTableWidgetItem(shown)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()

    def set_status(self, text: str) -> None:
        self.status.setText(text)
