"""The agent's call commands: answer, reject, hang up, hold, mute, DTMF, blind and attended
transfer, conference, recording, the Ready toggle, and dialling. Each is checked against the
call board (which call it is for) and run on the engine through QtPhone.run, which turns a
refusal into a message for the agent."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from agent_app.phone import events as ev
from agent_app.phone.call_board import CallBoard, Consultation
from agent_app.phone.qt.qt_phone import QtPhone
from agent_app.phone.views.phone_bar import PhoneBar
from agent_app.seat.agent_state import AgentState
from agent_app.seat.qt.seat import SeatController


class CallCommands(QObject):
    message = Signal(str)

    def __init__(
        self,
        phone: Callable[[], QtPhone | None],
        board: CallBoard,
        seat: SeatController,
        bar: PhoneBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._phone = phone
        self.board = board
        self.seat = seat
        self.bar = bar
        self.recording: set[str] = set()  # calls being recorded (from the engine's events)

    @property
    def phone(self) -> QtPhone | None:
        return self._phone()

    def act(self, name: str) -> None:
        handlers = {
            "answer": self.answer,
            "reject": self.reject,
            "hangup": self.hangup,
            "hold": self.toggle_hold,
            "mute": self.toggle_mute,
            "transfer": self.transfer,
            "consult": self.consult,
            "conference": self.conference,
            "record": self.toggle_recording,
            "ready": self.toggle_ready,
        }
        handler = handlers.get(name)
        if handler is not None:
            handler()

    def _engine_ready(self) -> bool:
        if self.phone is None:
            self.message.emit(self.tr("No phone account: set one up in Settings > Phone settings."))
            return False
        return True

    def dial(self, text: str) -> None:
        if not self._engine_ready() or not text.strip():
            return
        assert self.phone is not None
        if "dial" not in self.board.actions():
            self.message.emit(self.tr("Hold or end the current call before dialling."))
            return
        call_id = self.phone.run(self.phone.engine.dial, text)
        if call_id:
            self.bar.number_edit.clear()

    def digit(self, key: str) -> None:
        current = self.board.current
        if self.phone is not None and current is not None and current.state == ev.ACTIVE:
            self.phone.run(self.phone.engine.send_dtmf, current.id, key)
            self.message.emit(self.tr("Sent %1").replace("%1", key))
            return
        self.bar.number_edit.insert(key)

    def answer(self) -> None:
        ringing = self.board.ringing()
        if not ringing or self.phone is None:
            return
        if not self.seat.machine.may_answer:
            self.message.emit(self.tr("Offline: choose another state to take calls."))
            return
        self.phone.run(self.phone.engine.answer, ringing[0].id)

    def reject(self) -> None:
        ringing = self.board.ringing()
        if ringing and self.phone is not None:
            self.phone.run(self.phone.engine.reject, ringing[0].id, True)

    def hangup(self) -> None:
        current = self.board.current
        if current is not None and self.phone is not None:
            self.phone.run(self.phone.engine.hangup, current.id)

    def toggle_hold(self) -> None:
        current = self.board.current
        if current is None or self.phone is None:
            return
        engine = self.phone.engine
        if current.state == ev.HELD:
            for other in self.board.connected():  # one customer hears the agent at a time
                if other.id != current.id and other.state == ev.ACTIVE and not other.conference:
                    self.phone.run(engine.hold, other.id)
            self.phone.run(engine.resume, current.id)
        elif current.state == ev.ACTIVE:
            self.phone.run(engine.hold, current.id)

    def toggle_mute(self) -> None:
        if self.phone is None:
            return
        self.board.muted = not self.board.muted
        self.phone.run(self.phone.engine.set_mute, self.board.muted)

    def _target(self) -> str:
        number = self.bar.number()
        if not number:
            self.message.emit(self.tr("Type the number to transfer to in the number field first."))
            self.bar.number_edit.setFocus()
        return number

    def transfer(self) -> None:
        current = self.board.current
        if current is None or self.phone is None:
            return
        target = self._target()
        if target:
            self.phone.run(self.phone.engine.blind_transfer, current.id, target)
            self.bar.number_edit.clear()

    def consult(self) -> None:
        """First press: the customer waits on hold while the agent calls the colleague.
        Second press (the colleague answered): the customer is joined to them, we leave."""
        if self.phone is None:
            return
        engine = self.phone.engine
        consulting = self.board.consultation
        if consulting is not None:
            self.phone.run(engine.attended_transfer, consulting.customer, consulting.consult)
            return
        customer = self.board.current
        if customer is None:
            return
        target = self._target()
        if not target:
            return
        if customer.state == ev.ACTIVE:
            self.phone.run(engine.hold, customer.id)
        consult_id = self.phone.run(engine.dial, target)
        if consult_id:
            self.board.consultation = Consultation(customer.id, consult_id)
            self.bar.number_edit.clear()

    def conference(self) -> None:
        if self.phone is not None:
            self.phone.run(self.phone.engine.conference, None)
            self.board.consultation = None

    def toggle_recording(self) -> None:
        current = self.board.current
        if current is None or self.phone is None:
            return
        if current.id in self.recording:
            self.phone.run(self.phone.engine.stop_recording, current.id)
            self.recording.discard(current.id)
        else:
            self.phone.run(self.phone.engine.start_recording, current.id)

    def toggle_ready(self) -> None:
        machine = self.seat.machine
        if machine.state is AgentState.READY:
            codes = machine.config.reason_codes()
            self.seat.choose(AgentState.NOT_READY, "other" if "other" in codes else codes[0])
        else:
            self.seat.choose(AgentState.READY, "")
