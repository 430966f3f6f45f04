"""The wrap-up pane's behaviour (话后处理): shown when the seat starts after-call work, with the
call's summary and the center's categories; what the agent enters goes to the seat, which
writes it; hidden again when the wrap-up ends. The seat's rules are in agent_app.seat."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from agent_app.phone import events as ev
from agent_app.phone.views.phone_texts import clock_text, pick
from agent_app.seat.qt.seat import SeatController
from agent_app.seat.views.wrap_up_panel import WrapUpPanel
from agent_app.shell.panes import PaneRole

ROLE = PaneRole.CALL


class WrapUpController(QObject):
    def __init__(
        self,
        seat: SeatController,
        language: str,
        ended_call: Callable[[str], ev.CallSnapshot | None],
        shown_number: Callable[[str], str],
        set_visible: Callable[[bool], None],
        parent: QObject | None = None,
    ) -> None:
        """`ended_call(record uuid)`: the phone's last snapshot of the call, for the summary;
        `set_visible`: shows or hides the pane in the window."""
        super().__init__(parent)
        self.seat = seat
        self.language = language
        self.ended_call = ended_call
        self.shown_number = shown_number
        self.set_visible = set_visible
        self.view = WrapUpPanel()
        self.view.hide()  # shown by a wrap-up only (the pane around it shows during calls)
        panel = self.view
        panel.entry_changed.connect(lambda c, n: seat.set_wrap_up_entry(panel.call_uuid, c, n))
        panel.finish_requested.connect(lambda c, n: seat.finish_wrap_up(panel.call_uuid, c, n))
        panel.extend_requested.connect(seat.extend_wrap_up)
        seat.wrap_up_started.connect(self.started)
        seat.wrap_up_ended.connect(self.ended)

    def started(self, call_uuid: str) -> None:
        categories = self.seat.offered_wrap_up_categories()  # the center's active ones
        self.view.set_categories([(c.code, pick(c.zh, c.en, self.language)) for c in categories])
        snap = self.ended_call(call_uuid)
        summary = ""
        if snap is not None:
            summary = self.tr("%1 · talked %2").replace("%1", self.shown_number(snap.remote_number))
            summary = summary.replace("%2", clock_text(snap.talk_seconds))
        self.view.start(call_uuid, summary)
        self.view.show_countdown(self.seat.seconds_left())
        self.set_visible(True)

    def ended(self, call_uuid: str) -> None:
        if self.view.call_uuid == call_uuid:
            self.view.hide()
            self.view.call_uuid = ""
            self.set_visible(False)

    def tick(self) -> None:
        """The countdown, from the phone's refresh timer."""
        if self.view.isVisible():
            self.view.show_countdown(self.seat.seconds_left())
