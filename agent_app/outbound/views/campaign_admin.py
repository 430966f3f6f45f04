"""'外呼活动': the supervisor's pane for outbound campaigns: the campaigns with their status and
progress, the actions on them (new, edit, import a list, pause, close, do-not-call numbers,
holidays) and, beside the list, the selected campaign's progress chart and feedback report.
Layout and selection only; qt/campaign_admin.py talks to the server."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from agent_app.outbound.views.progress_chart import ProgressView
from agent_app.questions.views.question_labels import line_name
from kb.business_lines import BusinessLine

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NUMBER_COLUMNS = (3, 4, 5)


def campaign_status_name(status: str) -> str:
    names = {
        "active": QCoreApplication.translate("CampaignStatus", "Active"),
        "paused": QCoreApplication.translate("CampaignStatus", "Paused"),
        "closed": QCoreApplication.translate("CampaignStatus", "Closed"),
    }
    return names.get(status, status)


STATUS_COLORS = {"active": "#15803d", "paused": "#b45309", "closed": "#6b7280"}


class CampaignAdminView(QWidget):
    refresh_requested = Signal()
    new_requested = Signal()
    edit_requested = Signal()
    import_requested = Signal()
    pause_requested = Signal()  # pause an active campaign, or resume a paused/closed one
    close_requested = Signal()
    dnc_requested = Signal()
    holidays_requested = Signal()
    selection_changed = Signal(object)  # the selected campaign's dict, or None
    shown = Signal()

    def __init__(self, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignAdmin")
        self.english = english
        self.campaigns: list[dict[str, Any]] = []
        self.lines: dict[str, BusinessLine] | None = None

        self.new_button = QPushButton(self.tr("New…"))
        self.new_button.setObjectName("campaignNew")
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("campaignEdit")
        self.import_button = QPushButton(self.tr("Import list…"))
        self.import_button.setObjectName("campaignImport")
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.setObjectName("campaignPause")
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("campaignClose")
        self.close_button.setToolTip(self.tr("End the campaign: agents get no more records"))
        self.dnc_button = QPushButton(self.tr("Do not call…"))
        self.dnc_button.setObjectName("campaignDnc")
        self.holidays_button = QPushButton(self.tr("Holidays…"))
        self.holidays_button.setObjectName("campaignHolidays")
        self.show_closed = QCheckBox(self.tr("Show closed"))
        self.show_closed.setObjectName("campaignShowClosed")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("campaignRefresh")
        for button, signal in (
            (self.new_button, self.new_requested),
            (self.edit_button, self.edit_requested),
            (self.import_button, self.import_requested),
            (self.pause_button, self.pause_requested),
            (self.close_button, self.close_requested),
            (self.dnc_button, self.dnc_requested),
            (self.holidays_button, self.holidays_requested),
            (self.refresh_button, self.refresh_requested),
        ):
            button.clicked.connect(signal.emit)
        self.show_closed.toggled.connect(lambda _on: self._fill())
        # A tool bar, not a row: in a narrow pane (a 1024 px seat with panes left and right)
        # the last buttons move into its » menu instead of widening the whole window.
        actions = QToolBar()
        actions.setObjectName("campaignActions")
        for button in (
            self.new_button,
            self.edit_button,
            self.import_button,
            self.pause_button,
            self.close_button,
        ):
            actions.addWidget(button)
        actions.addSeparator()
        actions.addWidget(self.dnc_button)
        actions.addWidget(self.holidays_button)
        actions.addSeparator()
        actions.addWidget(self.show_closed)
        actions.addWidget(self.refresh_button)
        self.actions_bar = actions

        self.notice = QLabel()
        self.notice.setObjectName("campaignNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("campaignTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Campaign"),
                self.tr("Business line"),
                self.tr("Status"),
                self.tr("Records"),
                self.tr("Left"),
                self.tr("Done"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The line's name may be long ("Property services"): a fixed share, elided, so the
        # campaign's own name keeps the room in a narrow pane.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        # ...but never narrower than its header ("Business line" in English is wider than
        # seven Ms), and the table never so narrow that the stretched campaign column clips
        # its own header: the splitter stops there (the progress side takes the squeeze).
        header.resizeSection(
            1, max(self.fontMetrics().horizontalAdvance("M") * 7, header.sectionSizeHint(1))
        )
        frame = self.table.frameWidth() * 2 + self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(
            sum(header.sectionSizeHint(c) for c in range(self.table.columnCount())) + frame
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_requested.emit())

        self.progress = ProgressView(english)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("campaignSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.progress)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        # At 1024 px: room for a campaign's full name, and the rest for chart and report.
        splitter.setSizes([470, 530])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addWidget(actions)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self._selection_changed()

    def title(self) -> str:
        return self.tr("Outbound campaigns")

    # -- content ------------------------------------------------------------------------------
    def set_business_lines(self, lines: list[BusinessLine]) -> None:
        self.lines = {line.code: line for line in lines}
        self._fill()

    def set_campaigns(self, campaigns: list[dict[str, Any]]) -> None:
        self.campaigns = list(campaigns)
        self._fill()

    def _fill(self) -> None:
        keep = self.current_id()
        shown = [
            c for c in self.campaigns if self.show_closed.isChecked() or c["status"] != "closed"
        ]
        table = self.table
        table.blockSignals(True)
        try:
            table.setRowCount(len(shown))
            for row, campaign in enumerate(shown):
                total = int(campaign.get("records_total", 0))
                left = int(campaign.get("records_left", 0))
                done = f"{(total - left) * 100 // total}%" if total else "–"
                status = campaign.get("status", "")
                values = [
                    campaign.get("name", ""),
                    line_name(campaign.get("business_line", ""), self.english, self.lines)
                    if campaign.get("business_line")
                    else "",
                    campaign_status_name(status),
                    str(total),
                    str(left),
                    done,
                ]
                for column, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    item.setData(ID_ROLE, campaign["id"])
                    item.setToolTip(value)  # a long name elided in a narrow pane
                    if column in NUMBER_COLUMNS:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if column == 2:
                        item.setForeground(QBrush(QColor(STATUS_COLORS.get(status, "#111827"))))
                    table.setItem(row, column, item)
            ids = [c["id"] for c in shown]
            if keep in ids:
                table.selectRow(ids.index(keep))
            elif ids:
                table.selectRow(0)
        finally:
            table.blockSignals(False)
        self._selection_changed()

    def select_campaign(self, campaign_id: int) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(ID_ROLE) == campaign_id:
                self.table.selectRow(row)
                return

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return None if item is None else int(item.data(ID_ROLE))

    def current_campaign(self) -> dict[str, Any] | None:
        current = self.current_id()
        return next((c for c in self.campaigns if c["id"] == current), None)

    def _selection_changed(self) -> None:
        campaign = self.current_campaign()
        selected = campaign is not None
        status = campaign.get("status", "") if campaign else ""
        self.edit_button.setEnabled(selected)
        self.import_button.setEnabled(selected and status != "closed")
        self.pause_button.setEnabled(selected)
        self.pause_button.setText(self.tr("Pause") if status == "active" else self.tr("Resume"))
        if not selected:
            self.pause_button.setText(self.tr("Pause"))
        self.close_button.setEnabled(selected and status != "closed")
        self.selection_changed.emit(campaign)

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(f"color: {'#b91c1c' if error else '#166534'}; padding: 2px;")
        self.notice.setVisible(bool(text))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.shown.emit()
