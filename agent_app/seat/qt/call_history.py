"""The call history pane's behaviour: the logged-in user's recent calls from the call log
(read on the serial db executor), numbers masked as policy says, calling back on a double-click,
and nothing of the previous user's calls once another logs in (records are read per user)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from agent_app.seat.call_log import CallRecord
from agent_app.seat.qt.seat import SeatController
from agent_app.seat.views.call_history import CallHistoryView, history_rows
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import Changes, TaskManager, op

HISTORY_LIMIT = 100
ROLE = PaneRole.HISTORY


class CallHistoryController(QObject):
    dial_requested = Signal(str)  # the real number (the view may show it masked)
    loaded = Signal()  # the rows on screen are the latest read

    def __init__(
        self,
        taskman: TaskManager,
        seat: SeatController,
        masked: Callable[[], bool],
        language: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.seat = seat
        self.masked = masked
        self.language = language
        self.view = CallHistoryView()
        self.view.dial_requested.connect(self.dial_requested)
        self.view.refresh_requested.connect(self.refresh)
        self._seq = 0
        taskman.data_changed.connect(self._data_changed)

    def _data_changed(self, changes: Changes) -> None:
        if changes & (Changes.CALLS | Changes.USER):
            self.refresh()

    def refresh(self) -> None:
        call_log = self.seat.call_log
        if call_log is None:
            return
        self._seq += 1
        seq = self._seq
        user = self.seat.machine.user
        masked, categories, language = self.masked(), self.seat.wrap_up_categories(), self.language

        def shown(records: list[CallRecord]) -> None:
            if seq == self._seq:  # a later refresh (another user) wins
                self.view.show_rows(history_rows(records, masked, categories, language))
                self.loaded.emit()

        op(lambda: call_log.recent(HISTORY_LIMIT, user=user)).success(shown).run(self.taskman)

    def clear(self) -> None:
        """Logout: the table empties at once (results still on their way are dropped)."""
        self._seq += 1
        self.view.show_rows([])
