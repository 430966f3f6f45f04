"""The supervisors' board pane (layout only): the filters (team, state, text), the connection
banner, the summary line with the number of seats in each state, and the table of agents."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agent_app.supervision.board import SHOWN_STATES, state_name
from common.supervision import Team


class BoardView(QWidget):
    filters_changed = Signal()
    activated = Signal(QModelIndex)  # a row double-clicked or Enter pressed (proxy index)
    audit_requested = Signal()

    def __init__(self, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.english = english
        self.setObjectName("supervisionBoard")
        self.team_box = QComboBox()
        self.team_box.setObjectName("boardTeam")
        self.team_box.addItem(self.tr("All teams"), None)
        self.state_box = QComboBox()
        self.state_box.setObjectName("boardState")
        self.state_box.addItem(self.tr("All states"), "")
        for state in SHOWN_STATES:
            self.state_box.addItem(state_name(state, english), state)
        self.search = QLineEdit()
        self.search.setObjectName("boardSearch")
        self.search.setPlaceholderText(self.tr("Agent, number, queue…"))
        self.search.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Team:")))
        filters.addWidget(self.team_box)
        filters.addWidget(QLabel(self.tr("State:")))
        filters.addWidget(self.state_box)
        filters.addWidget(self.search, 1)
        # The manager's way to the monitoring audit; hidden until show_audit_button().
        self.audit_button = QPushButton(self.tr("Monitoring audit…"))
        self.audit_button.setObjectName("boardAudit")
        self.audit_button.clicked.connect(self.audit_requested.emit)
        self.audit_button.hide()
        filters.addWidget(self.audit_button)

        self.banner = QLabel()
        self.banner.setObjectName("boardConnection")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fff0f0; color: #8a0000; padding: 3px; border: 1px solid #e0a0a0; }"
        )
        self.banner.hide()
        self.summary = QLabel()
        self.summary.setObjectName("boardSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        self.table = QTableView()
        self.table.setObjectName("boardTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.doubleClicked.connect(self.activated.emit)
        self.table.activated.connect(self.activated.emit)

        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

        self.team_box.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        self.state_box.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        self.search.textChanged.connect(lambda _t: self.filters_changed.emit())

    def set_monitor_bar(self, bar: QWidget) -> None:
        """The monitor bar, on top of the board."""
        self._layout.insertWidget(0, bar)

    def show_audit_button(self) -> None:
        self.audit_button.show()

    def title(self) -> str:
        return self.tr("Live board")

    def set_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # Wide enough for each header and the usual contents (a 未就绪 with its reason),
        # so nine columns fit a 1024 px window in either language; the call takes the rest.
        metrics = self.table.fontMetrics()
        samples = ("", "", state_name("not_ready", self.english) + " · Training", "10:00:00")
        for column, least in enumerate((84, 110, 120, 70, 170, 64, 64, 70, 76)):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            sample = samples[column] if column < len(samples) else ""
            wanted = max(metrics.horizontalAdvance(title), metrics.horizontalAdvance(sample)) + 24
            self.table.setColumnWidth(column, max(least, wanted))
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    def set_teams(self, teams: list[Team]) -> None:
        chosen = self.team_box.currentData()
        self.team_box.blockSignals(True)
        self.team_box.clear()
        self.team_box.addItem(self.tr("All teams"), None)
        for team in teams:
            self.team_box.addItem(team.name, team.id)
        position = self.team_box.findData(chosen)
        self.team_box.setCurrentIndex(max(0, position))
        self.team_box.blockSignals(False)

    def team_filter(self) -> int | None:
        data = self.team_box.currentData()
        return int(data) if isinstance(data, int) else None

    def state_filter(self) -> str:
        return str(self.state_box.currentData() or "")

    def text_filter(self) -> str:
        return self.search.text()

    def set_summary(self, counts: dict[str, int], total: int) -> None:
        parts = [
            f"<b>{state_name(state, self.english)}</b> {counts.get(state, 0)}"
            for state in SHOWN_STATES
        ]
        parts.append(self.tr("Total %1").replace("%1", str(total)))
        self.summary.setText(" &nbsp;·&nbsp; ".join(parts))

    def set_connection(self, text: str) -> None:
        """'' hides the banner."""
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
