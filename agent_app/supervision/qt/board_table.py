"""The board's table model and its filter/sort proxy: rows of `BoardModel` (supervision/board.py)
with colours by state, flagged thresholds, and durations that tick once a second on the GUI
thread from the times each row arrived (only the duration columns are repainted)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from agent_app.supervision.board import (
    LOST,
    NEVER,
    ON_CALL,
    BoardFilter,
    BoardModel,
    LiveRow,
    duration_text,
    shown_state,
    state_name,
)
from common.supervision import BoardRow

Index = QModelIndex | QPersistentModelIndex
TEAM, AGENT, STATE, STATE_TIME, CALL, CALL_TIME, CALLS_TODAY, AHT, ACW = range(9)
TICKING = (STATE_TIME, CALL_TIME)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the BoardRow
# Light backgrounds that keep black text readable; the state is also written out.
STATE_COLOURS = {
    ON_CALL: "#d6e9ff",
    "ready": "#dcf5dc",
    "not_ready": "#ffe8c7",
    "after_call_work": "#ece0ff",
    "break": "#fff6c2",
    "offline": "#eeeeee",
    LOST: "#d9d9d9",
    NEVER: "#f7f7f7",
}
FLAG_COLOUR = "#ffb3b3"  # a long call or a long 未就绪
LOST_TEXT = "#7a0000"


class BoardTableModel(QAbstractTableModel):
    def __init__(self, board: BoardModel, english: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self.english = english
        self.reason_names: dict[str, str] = {}  # not-ready reason code -> name
        self._order: list[int] = []  # agent ids, row by row
        self._headers = [
            self.tr("Team"),
            self.tr("Agent"),
            self.tr("State"),
            self.tr("Time in state"),
            self.tr("Current call"),
            self.tr("Call time"),
            self.tr("Calls today"),
            self.tr("Avg handling"),
            self.tr("Wrap-up today"),
        ]

    # -- changes --------------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self._order = [r.row.agent_id for r in self.board.ordered()]
        self.endResetModel()

    def row_changed(self, agent_id: int) -> None:
        if agent_id not in self._order:
            position = len(self._order)
            self.beginInsertRows(QModelIndex(), position, position)
            self._order.append(agent_id)
            self.endInsertRows()
            return
        row = self._order.index(agent_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._headers) - 1))

    def tick(self) -> None:
        """A second passed: the durations (and the flags they raise) change."""
        if self._order:
            last = len(self._order) - 1
            self.dataChanged.emit(self.index(0, STATE_TIME), self.index(last, CALL_TIME))

    # -- Qt's model -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def live(self, row: int) -> LiveRow | None:
        if not 0 <= row < len(self._order):
            return None
        return self.board.rows.get(self._order[row])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        live = self.live(index.row())
        if live is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(live, column)
        if role == SORT_ROLE:
            return self._sort_key(live, column)
        if role == ROW_ROLE:
            return live.row
        if role == Qt.ItemDataRole.BackgroundRole:
            flags = self.board.flags(live)
            if (column == CALL_TIME and "long_call" in flags) or (
                column == STATE_TIME and "long_not_ready" in flags
            ):
                return QBrush(QColor(FLAG_COLOUR))
            return QBrush(QColor(STATE_COLOURS.get(shown_state(live.row), "#ffffff")))
        if role == Qt.ItemDataRole.ForegroundRole:
            if shown_state(live.row) == LOST:
                return QBrush(QColor(LOST_TEXT))
            return QBrush(QColor("#000000"))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            state = shown_state(live.row)
            if state == LOST:
                font.setItalic(True)
            flags = self.board.flags(live)
            if (column == CALL_TIME and "long_call" in flags) or (
                column == STATE_TIME and "long_not_ready" in flags
            ):
                font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == CALL and live.row.call is not None:
            call = live.row.call
            return " · ".join(p for p in (call.number, call.queue, call.campaign) if p)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            STATE_TIME,
            CALL_TIME,
            CALLS_TODAY,
            AHT,
            ACW,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, live: LiveRow, column: int) -> str:
        row = live.row
        now = self.board.clock()
        if column == TEAM:
            return row.team or self.tr("(no team)")
        if column == AGENT:
            return row.display_name or row.agent
        if column == STATE:
            state = shown_state(row)
            text = state_name(state, self.english)
            if row.state == "not_ready" and row.reason:
                text += f" · {self.reason_names.get(row.reason, row.reason)}"
            return text
        if column == STATE_TIME:
            return duration_text(live.state_seconds(now))
        if column == CALL:
            call = row.call
            if call is None:
                return ""
            arrow = "↓" if call.direction == "inbound" else "↑"
            where = call.queue or call.campaign
            return " ".join(p for p in (arrow, call.number, where) if p)
        if column == CALL_TIME:
            return duration_text(live.call_seconds(now))
        if column == CALLS_TODAY:
            return str(row.calls_today)
        if column == AHT:
            return duration_text(row.aht_today_s) if row.calls_today else ""
        if column == ACW:
            return duration_text(row.acw_today_s)
        return ""

    def _sort_key(self, live: LiveRow, column: int) -> Any:
        row, now = live.row, self.board.clock()
        if column == TEAM:
            return f"{row.team_id is None:d}{row.team}\x00{row.display_name or row.agent}"
        if column == STATE:
            return shown_state(row)
        if column == STATE_TIME:
            return live.state_seconds(now) or 0.0
        if column == CALL_TIME:
            return live.call_seconds(now) or -1.0
        if column == CALLS_TODAY:
            return row.calls_today
        if column == AHT:
            return row.aht_today_s
        if column == ACW:
            return row.acw_today_s
        return self._text(live, column)


class BoardProxy(QSortFilterProxyModel):
    """The team / state / text filters of the board, and sorting by each column's own key."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.filter = BoardFilter()
        self.setSortRole(SORT_ROLE)
        # A sorted column re-sorts as rows change; a ticking column is re-sorted by the tick.
        self.setDynamicSortFilter(True)

    def set_filter(self, board_filter: BoardFilter) -> None:
        self.beginFilterChange()
        self.filter = board_filter
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, BoardTableModel):
            return True
        live = model.live(source_row)
        return live is not None and self.filter.matches(live.row)

    def row_at(self, index: QModelIndex) -> BoardRow | None:
        row = index.data(ROW_ROLE)
        return row if isinstance(row, BoardRow) else None
