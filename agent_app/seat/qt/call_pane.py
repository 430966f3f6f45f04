"""The call and customer pane's behaviour: follows the phone's current call (number as policy
shows it, name, queue, state), looks up that customer's earlier calls by this user (on the db
executor), and shows the pane while a call is up or its wrap-up runs, hiding it again after."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from agent_app.phone import events as ev
from agent_app.phone.views.phone_texts import call_state_text
from agent_app.seat.call_log import CallRecord
from agent_app.seat.qt.seat import SeatController, record_id
from agent_app.seat.views.call_history import history_lines
from agent_app.seat.views.call_pane import CallPane
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import TaskManager, op

ROLE = PaneRole.CALL
EARLIER_CALLS = 5


class CallPaneController(QObject):
    history_shown = Signal()  # the earlier calls of the current customer are on screen

    def __init__(
        self,
        taskman: TaskManager,
        seat: SeatController,
        language: str,
        shown_number: Callable[[str], str],
        current: Callable[[], ev.CallSnapshot | None],
        set_visible: Callable[[bool], None],
        parent: QObject | None = None,
    ) -> None:
        """`current`: the phone's current call; `set_visible` shows or hides the pane."""
        super().__init__(parent)
        self.current = current
        self.taskman = taskman
        self.seat = seat
        self.language = language
        self.shown_number = shown_number
        self.set_visible = set_visible
        self.view = CallPane()
        self.call_id = ""
        self.number = ""
        self.wrapping_up = False
        self._seq = 0

    def show(self, snap: ev.CallSnapshot | None) -> None:
        """The phone's current call changed (None: no call)."""
        if snap is None or snap.state == ev.ENDED:
            if not self.wrapping_up:  # the wrap-up keeps the customer on screen
                self._clear()
            return
        details = [call_state_text(snap)]
        queue = snap.headers.get("x-queue", "")
        if queue:
            details.append(queue)
        self.view.show_call(
            self.shown_number(snap.remote_number), snap.remote_display, " · ".join(details)
        )
        if snap.id != self.call_id or snap.remote_number != self.number:
            self.call_id, self.number = snap.id, snap.remote_number
            self._look_up(snap)
        self.set_visible(True)

    def set_wrap_up(self, running: bool) -> None:
        """From the wrap-up controller: the pane stays while the agent wraps up."""
        self.wrapping_up = running
        if running:
            if self.call_id:
                self.view.show_ended()
            self.set_visible(True)
        else:
            self.show(self.current())

    def clear(self) -> None:
        """Logout: nothing of the last customer stays."""
        self.wrapping_up = False
        self._clear()

    def _clear(self) -> None:
        self._seq += 1
        self.call_id = self.number = ""
        self.view.show_call("", "", "")
        self.view.show_history([])
        if not self.wrapping_up:
            self.set_visible(False)

    def _look_up(self, snap: ev.CallSnapshot) -> None:
        call_log = self.seat.call_log
        self._seq += 1
        seq = self._seq
        self.view.show_history(None)
        if call_log is None:
            return
        user, number, rid = self.seat.machine.user, snap.remote_number, record_id(snap.id)
        categories, language = self.seat.wrap_up_categories(), self.language

        def earlier() -> list[CallRecord]:
            # Only this user's: on a shared PC the last agent's notes are not theirs to read.
            return call_log.history_for(number, EARLIER_CALLS, exclude_uuid=rid, user=user)

        def shown(records: list[CallRecord]) -> None:
            if seq == self._seq:
                lines = history_lines(records, categories, language, EARLIER_CALLS)
                self.view.show_history(lines)
                self.history_shown.emit()

        op(earlier).success(shown).run(self.taskman)
