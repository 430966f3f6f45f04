"""The call board (Qt-free): which call is current and which actions apply."""

from __future__ import annotations

from agent_app.phone import events as ev
from agent_app.phone.call_board import CallBoard, Consultation
from tests.helpers.phone_events import FakeCall


def test_idle_board_only_dials() -> None:
    assert CallBoard().actions() == {"dial"}


def test_ringing_then_talking_then_held() -> None:
    board, call = CallBoard(), FakeCall("13800138000")
    board.apply(call.incoming())
    assert board.current_id == call.snap.id
    assert {"answer", "reject", "hangup", "dial"} <= board.actions()
    board.apply(call.answered())
    actions = board.actions()
    assert {"hangup", "hold", "mute", "transfer", "consult", "record", "dtmf"} <= actions
    assert not {"answer", "dial", "conference"} & actions
    board.apply(call.held())
    assert "dial" in board.actions() and "mute" not in board.actions()
    board.apply(call.ended())
    assert board.current is None and board.actions() == {"dial"}


def test_call_waiting_keeps_the_current_call_until_the_second_is_answered() -> None:
    board, first, second = CallBoard(), FakeCall("13800138000"), FakeCall("13900139000")
    board.apply(first.incoming())
    board.apply(first.answered())
    board.apply(second.incoming(waiting=True))
    assert board.current_id == first.snap.id
    assert [s.id for s in board.ringing()] == [second.snap.id]
    assert "answer" in board.actions()
    board.apply(first.held())  # the engine holds the first when the second is answered
    board.apply(second.answered())
    assert board.current_id == second.snap.id
    assert "conference" in board.actions()
    board.apply(second.ended())
    assert board.current_id == first.snap.id  # back to the customer on hold


def test_consultation_completes_only_once_the_colleague_answered() -> None:
    board = CallBoard()
    customer, colleague = FakeCall("13800138000"), FakeCall("1002", ev.OUTBOUND)
    board.apply(customer.incoming())
    board.apply(customer.answered())
    board.apply(customer.held())
    board.apply(colleague.dialing())
    board.consultation = Consultation(customer.snap.id, colleague.snap.id)
    assert board.current_id == colleague.snap.id
    assert "consult" not in board.actions()
    board.apply(colleague.answered())
    assert "consult" in board.actions()
    board.apply(colleague.ended())
    assert board.consultation is None
