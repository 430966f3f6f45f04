"""The agent state machine: transitions, wrap-up timer and records, on a fake clock (no Qt)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_app.seat.agent_state import (
    AgentState,
    AgentStateMachine,
    StateChange,
    StateConfig,
    TransitionError,
)
from tests.helpers.clock import START, FakeClock

READY, NOT_READY, ACW, BREAK, OFFLINE = (
    AgentState.READY,
    AgentState.NOT_READY,
    AgentState.AFTER_CALL_WORK,
    AgentState.BREAK,
    AgentState.OFFLINE,
)


def machine(clock: FakeClock, **config: object) -> AgentStateMachine:
    return AgentStateMachine("agent1", StateConfig(**config), clock)  # type: ignore[arg-type]


def ready(m: AgentStateMachine) -> None:
    m.set_registered(True)
    m.set_ready()


def test_offline_until_registered_then_not_ready() -> None:
    clock = FakeClock()
    m = machine(clock)
    assert (m.state, m.registered, m.on_call) == (OFFLINE, False, False)
    for choose in (m.set_ready, m.take_break, lambda: m.set_not_ready("meeting")):
        with pytest.raises(TransitionError) as refused:
            choose()
        assert refused.value.code == "not_registered"
    assert not m.may_answer and not m.accepts_routed_calls

    clock.advance(12)
    change = m.set_registered(True)
    assert change is not None
    assert (change.state, change.reason) == (NOT_READY, "login")
    assert (change.previous_state, change.previous_seconds) == (OFFLINE, 12.0)
    assert change.previous_started_at == START and change.started_at == START + timedelta(0, 12)
    assert change.user == "agent1" and len(change.uuid) == 36
    assert m.set_registered(True) is None  # a re-registration changes nothing
    assert m.may_answer and not m.accepts_routed_calls


def test_ready_on_register_when_configured() -> None:
    m = machine(FakeClock(), ready_on_register=True)
    change = m.set_registered(True)
    assert change is not None and change.state is READY
    assert m.accepts_routed_calls


def test_choices_and_reasons() -> None:
    clock = FakeClock()
    m = machine(clock)
    ready(m)
    clock.advance(60)
    change = m.set_not_ready("training")
    assert change is not None
    assert (change.state, change.reason, change.previous_state) == (NOT_READY, "training", READY)
    assert change.previous_seconds == 60.0
    assert m.set_not_ready("training") is None  # same state and reason: no record
    clock.advance(5)
    again = m.set_not_ready("meeting")  # another reason is another segment
    assert again is not None and again.previous_reason == "training"
    with pytest.raises(TransitionError) as refused:
        m.set_not_ready("napping")
    assert refused.value.code == "unknown_reason"
    with pytest.raises(TransitionError):
        m.set_not_ready("login")  # the system's reason, not the agent's
    brk = m.take_break()
    assert brk is not None and brk.state is BREAK
    assert m.set_ready() is not None and m.accepts_routed_calls


def test_custom_reason_list() -> None:
    from agent_app.seat.agent_state import ReasonCode

    m = machine(FakeClock(), not_ready_reasons=(ReasonCode("coaching", "辅导", "Coaching"),))
    m.set_registered(True)
    assert m.set_not_ready("coaching") is not None
    with pytest.raises(TransitionError):
        m.set_not_ready("training")


def test_a_call_sets_the_flag_and_ends_in_wrap_up_that_times_out() -> None:
    clock = FakeClock()
    m = machine(clock)
    ready(m)
    clock.advance(10)
    start = m.call_started("call-1")
    assert start is not None
    assert (start.state, start.on_call, start.previous_on_call) == (READY, True, False)
    assert start.call_uuid == "call-1"
    assert not m.accepts_routed_calls and m.may_answer
    assert m.call_started("call-1") is None

    clock.advance(95)
    end = m.call_ended("call-1")
    assert end is not None
    assert (end.state, end.on_call, end.call_uuid) == (ACW, False, "call-1")
    assert (end.previous_state, end.previous_on_call, end.previous_seconds) == (READY, True, 95.0)
    assert m.deadline == clock.now + timedelta(seconds=30)
    assert not m.accepts_routed_calls

    clock.advance(29.9)
    assert m.tick() is None
    assert m.state is ACW
    clock.advance(5)  # the timer fires late: wrap-up still counts exactly the limit
    back = m.tick(clock.now)
    assert back is not None
    assert (back.state, back.previous_state, back.previous_seconds) == (READY, ACW, 30.0)
    assert back.started_at == end.started_at + timedelta(seconds=30)
    assert back.ended_wrap_up == ("call-1", 30.0)
    assert m.deadline is None and m.tick() is None
    assert m.accepts_routed_calls


def test_wrap_up_returns_to_the_state_held_during_the_call() -> None:
    clock = FakeClock()
    m = machine(clock)
    ready(m)
    m.call_started("c")
    chose = m.set_not_ready("paperwork")  # during the call: no more calls after this one
    assert chose is not None and (chose.state, chose.on_call) == (NOT_READY, True)
    m.call_ended("c")
    assert m.state is ACW
    clock.advance(31)
    back = m.tick()
    assert back is not None and (back.state, back.reason) == (NOT_READY, "paperwork")


def test_extend_and_finish_early() -> None:
    clock = FakeClock()
    m = machine(clock, wrap_up_limit_s=30, wrap_up_extension_s=60, wrap_up_max_s=120)
    ready(m)
    m.call_started("c")
    m.call_ended("c")
    entered = clock.now
    assert m.extend_wrap_up() == entered + timedelta(seconds=90)
    assert m.extend_wrap_up() == entered + timedelta(seconds=120)  # capped
    assert m.extend_wrap_up(1000) == entered + timedelta(seconds=120)
    clock.advance(100)
    assert m.tick() is None
    clock.advance(5)
    done = m.finish_wrap_up()
    assert done is not None and done.state is READY
    assert done.ended_wrap_up == ("c", 105.0)
    assert m.finish_wrap_up() is None  # already done (e.g. the timer fired first)
    with pytest.raises(TransitionError):
        m.extend_wrap_up()


def test_choosing_a_state_ends_wrap_up() -> None:
    clock = FakeClock()
    m = machine(clock)
    ready(m)
    m.call_started("c")
    m.call_ended("c")
    clock.advance(7)
    brk = m.take_break()
    assert brk is not None and brk.ended_wrap_up == ("c", 7.0)
    assert m.deadline is None
    clock.advance(60)
    assert m.tick() is None and m.state is BREAK


def test_answering_or_dialing_during_wrap_up_ends_it() -> None:
    clock = FakeClock()
    m = machine(clock)
    ready(m)
    m.call_started("first")
    m.call_ended("first")
    clock.advance(12)
    change = m.call_started("second")
    assert change is not None
    assert (change.state, change.on_call, change.previous_state) == (READY, True, ACW)
    assert change.ended_wrap_up == ("first", 12.0)
    assert m.deadline is None
    end = m.call_ended("second")
    assert end is not None and end.state is ACW and end.call_uuid == "second"


def test_manual_answer_while_not_ready_or_on_break() -> None:
    clock = FakeClock()
    m = machine(clock)
    m.set_registered(True)
    m.take_break()
    assert m.may_answer and not m.accepts_routed_calls
    change = m.call_started("direct")
    assert change is not None and (change.state, change.on_call) == (BREAK, True)
    m.call_ended("direct")
    clock.advance(30)
    back = m.tick()
    assert back is not None and back.state is BREAK


def test_calls_that_never_connected_get_no_wrap_up() -> None:
    m = machine(FakeClock())
    ready(m)
    m.call_started("dialed")
    end = m.call_ended("dialed", wrap_up=False)
    assert end is not None and (end.state, end.on_call) == (READY, False)
    assert m.call_ended("dialed") is None  # unknown by now


def test_wrap_up_disabled_or_without_limit() -> None:
    clock = FakeClock()
    off = machine(clock, wrap_up_enabled=False)
    ready(off)
    off.call_started("c")
    end = off.call_ended("c")
    assert end is not None and end.state is READY

    endless = machine(clock, wrap_up_limit_s=None)
    ready(endless)
    endless.call_started("c")
    endless.call_ended("c")
    assert endless.state is ACW and endless.deadline is None
    clock.advance(3600)
    assert endless.tick() is None and endless.state is ACW
    assert endless.extend_wrap_up() is None
    assert endless.finish_wrap_up() is not None


def test_two_calls_wrap_up_once_the_last_ends() -> None:
    m = machine(FakeClock())
    ready(m)
    m.call_started("a")
    assert m.call_started("b") is None  # already on a call: no new segment
    assert m.call_ended("a") is None
    assert m.on_call
    end = m.call_ended("b")
    assert end is not None and end.state is ACW and end.call_uuid == "b"


def test_losing_the_registration_goes_offline_even_on_a_call() -> None:
    clock = FakeClock()
    m = machine(clock)
    ready(m)
    m.call_started("c")
    lost = m.set_registered(False)
    assert lost is not None and (lost.state, lost.on_call) == (OFFLINE, True)
    with pytest.raises(TransitionError):
        m.set_ready()
    end = m.call_ended("c")  # no wrap-up while offline
    assert end is not None and (end.state, end.on_call) == (OFFLINE, False)
    back = m.set_registered(True)
    assert back is not None and back.state is NOT_READY


def test_unregistering_during_wrap_up_names_the_call() -> None:
    clock = FakeClock()
    m = machine(clock)
    ready(m)
    m.call_started("c")
    m.call_ended("c")
    clock.advance(4)
    lost = m.set_registered(False)
    assert lost is not None and lost.ended_wrap_up == ("c", 4.0)
    assert m.deadline is None


def test_logging_out() -> None:
    m = machine(FakeClock())
    ready(m)
    m.call_started("c")
    with pytest.raises(TransitionError) as refused:
        m.go_offline()
    assert refused.value.code == "on_call"
    m.call_ended("c", wrap_up=False)
    out = m.go_offline()
    assert out is not None and out.state is OFFLINE
    assert m.go_offline() is None
    assert m.set_ready() is not None  # still registered: back in without re-registering


def test_a_clock_set_back_never_gives_negative_durations() -> None:
    clock = FakeClock()
    m = machine(clock)
    m.set_registered(True)
    clock.advance(-300)
    change = m.set_ready()
    assert change is not None
    assert change.previous_seconds == 0.0
    assert change.started_at >= change.previous_started_at


def test_payload_has_no_user_and_iso_times() -> None:
    m = machine(FakeClock())
    change = m.set_registered(True)
    assert isinstance(change, StateChange)
    payload = change.to_payload()
    assert "user" not in payload
    assert payload["state"] == "not_ready" and payload["previous_state"] == "offline"
    assert payload["started_at"] == "2025-03-03T01:00:00.000+00:00"
    assert set(payload) == {
        "uuid",
        "state",
        "reason",
        "on_call",
        "call_uuid",
        "started_at",
        "previous_state",
        "previous_reason",
        "previous_on_call",
        "previous_started_at",
        "previous_seconds",
    }
