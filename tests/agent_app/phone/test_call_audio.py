"""Calls through Kamailio with real audio: tones in, recordings out, Goertzel on the frames.

The agent is our engine with its microphone replaced by a 1000 Hz tone (no sound card here);
customers and transfer targets are pjsua2 peers playing 700 Hz and 1300 Hz.
"""

from __future__ import annotations

from pathlib import Path

from agent_app.phone import events as ev
from tests.agent_app.phone.conftest import AGENT_TONE, CUSTOMER_TONE, TARGET_TONE, AgentPhone
from tests.rig.audio_check import describe, has_tone, is_silent
from tests.rig.fixtures import register_peer
from tests.rig.kamailio import Kamailio
from tests.rig.peer_client import Peer


def connect_customer(agent: AgentPhone, customer: Peer, kamailio: Kamailio) -> str:
    """The customer calls the agent, the agent answers; returns our call id."""
    customer.play_tone(CUSTOMER_TONE)
    customer.call(kamailio.uri("agent1001"))
    call_id = agent.wait_incoming()
    agent.engine.answer(call_id)
    agent.wait_state(call_id, ev.ACTIVE)
    agent.peer_event(customer, "media_state", status="ACTIVE")
    agent.settle(0.3)
    return call_id


def answering_target(make_peer, kamailio: Kamailio) -> Peer:
    """A colleague's phone (agent1002) that answers at once and plays its own tone."""
    target = register_peer(make_peer, kamailio, "agent1002")
    target.auto_answer(True)
    target.play_tone(TARGET_TONE)
    return target


def test_both_directions_are_heard_and_the_recording_holds_both_sides(
    agent: AgentPhone, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    heard = tmp_path / "customer-heard.wav"
    ours = agent.record_phase(call_id, [(customer, heard)])
    assert has_tone(heard, AGENT_TONE), describe(heard, AGENT_TONE)
    assert has_tone(ours, CUSTOMER_TONE, min_ratio=0.2), describe(ours, CUSTOMER_TONE)
    assert has_tone(ours, AGENT_TONE, min_ratio=0.2), describe(ours, AGENT_TONE)
    assert ours.parent.parent.name == "recordings" and ours.suffix == ".wav"
    closed = [e for e in agent.call_events("recording") if e.detail == "closed"]
    assert closed and closed[-1].call.recording_path == str(ours)
    customer.hangup()
    ended = agent.ended(call_id)
    assert ended.end_reason == "answered" and ended.talk_seconds > 0


def test_hold_silences_both_ways_and_resume_restores(
    agent: AgentPhone, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.hold(call_id)
    agent.peer_event(customer, "media_state", dir="recvonly")
    agent.settle(0.4)
    held_customer = tmp_path / "held-customer.wav"
    held_ours = agent.record_phase(call_id, [(customer, held_customer)])
    assert is_silent(held_customer), describe(held_customer, AGENT_TONE)
    assert is_silent(held_ours), describe(held_ours, CUSTOMER_TONE)
    assert agent.engine.snapshot(call_id).state == ev.HELD

    agent.engine.resume(call_id)
    agent.peer_event(customer, "media_state", dir="sendrecv")
    agent.settle(0.4)
    back_customer = tmp_path / "resumed-customer.wav"
    back_ours = agent.record_phase(call_id, [(customer, back_customer)])
    assert has_tone(back_customer, AGENT_TONE), describe(back_customer, AGENT_TONE)
    assert has_tone(back_ours, CUSTOMER_TONE, min_ratio=0.2), describe(back_ours, CUSTOMER_TONE)
    agent.engine.hangup(call_id)
    ended = agent.ended(call_id)
    assert ended.hold_seconds > 0.4


def test_resume_pressed_while_the_hold_is_still_being_negotiated(
    agent: AgentPhone, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.hold(call_id)
    agent.engine.resume(call_id)  # no poll in between: the hold's re-INVITE is still out
    assert agent.engine.snapshot(call_id).state == ev.ACTIVE
    agent.until(
        lambda: (
            [e["dir"] for e in customer.events("media_state")][-1:] == ["sendrecv"]
            and len(customer.events("media_state")) >= 3
        ),
        5,
        "the resume to reach the customer after the hold",
    )
    agent.settle(0.4)
    heard = tmp_path / "after.wav"
    agent.record_phase(call_id, [(customer, heard)])
    assert has_tone(heard, AGENT_TONE), describe(heard, AGENT_TONE)


def test_mute_silences_only_the_agent(
    agent: AgentPhone, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.set_mute(True)
    agent.settle(0.3)
    heard = tmp_path / "muted.wav"
    ours = agent.record_phase(call_id, [(customer, heard)])
    assert is_silent(heard), describe(heard, AGENT_TONE)
    assert has_tone(ours, CUSTOMER_TONE), describe(ours, CUSTOMER_TONE)
    agent.engine.set_mute(False)
    agent.settle(0.3)
    heard_again = tmp_path / "unmuted.wav"
    agent.record_phase(call_id, [(customer, heard_again)])
    assert has_tone(heard_again, AGENT_TONE), describe(heard_again, AGENT_TONE)


def test_dtmf_digits_arrive_both_ways(agent: AgentPhone, make_peer, kamailio: Kamailio) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    assert agent.engine.send_dtmf(call_id, "159#") == "rfc2833"
    agent.until(lambda: len(customer.events("dtmf_received")) >= 4, 5, "digits at the customer")
    assert "".join(e["digit"] for e in customer.events("dtmf_received")) == "159#"
    customer.send_dtmf("73")
    agent.until(lambda: len([e for e in agent.events if isinstance(e, ev.DtmfEvent)]) >= 2)
    digits = "".join(e.digit for e in agent.events if isinstance(e, ev.DtmfEvent))
    assert digits == "73"
    agent.engine.config.dtmf_method = "info"
    assert agent.engine.send_dtmf(call_id, "2") == "info"
    agent.peer_event(customer, "dtmf_received", digit="2", method="info")


def test_blind_transfer_connects_the_customer_to_the_target(
    agent: AgentPhone, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    target = answering_target(make_peer, kamailio)
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.blind_transfer(call_id, "agent1002")
    agent.peer_event(customer, "transfer_request")
    agent.peer_event(target, "call_state", timeout=8, state="CONFIRMED")
    ended = agent.ended(call_id, timeout=8)  # our leg ends once the target answered
    assert ended.end_reason == "answered"
    agent.settle(0.5)
    heard = tmp_path / "customer-after-transfer.wav"
    customer.record_start(heard)
    agent.settle(1.2)
    customer.record_stop()
    assert has_tone(heard, TARGET_TONE), describe(heard, TARGET_TONE)
    assert not has_tone(heard, AGENT_TONE, min_ratio=0.1)


def test_attended_transfer_after_consulting_the_target(
    agent: AgentPhone, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    target = answering_target(make_peer, kamailio)
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.hold(call_id)
    consult = agent.engine.dial("agent1002")
    agent.wait_state(consult, ev.ACTIVE)
    agent.settle(0.3)
    # While consulting, the target hears the agent and the customer hears nothing.
    consult_target = tmp_path / "consult-target.wav"
    consult_customer = tmp_path / "consult-customer.wav"
    agent.record_phase(consult, [(target, consult_target), (customer, consult_customer)])
    assert has_tone(consult_target, AGENT_TONE), describe(consult_target, AGENT_TONE)
    assert is_silent(consult_customer), describe(consult_customer, AGENT_TONE)

    agent.engine.attended_transfer(call_id, consult)
    agent.ended(call_id, timeout=8)
    agent.ended(consult, timeout=8)
    agent.settle(0.6)
    heard = tmp_path / "customer-with-target.wav"
    target_heard = tmp_path / "target-with-customer.wav"
    customer.record_start(heard)
    target.record_start(target_heard)
    agent.settle(1.2)
    customer.record_stop()
    target.record_stop()
    assert has_tone(heard, TARGET_TONE), describe(heard, TARGET_TONE)
    assert has_tone(target_heard, CUSTOMER_TONE), describe(target_heard, CUSTOMER_TONE)


def test_three_way_conference_everyone_hears_the_other_two(
    agent: AgentPhone, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    target = answering_target(make_peer, kamailio)
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.hold(call_id)
    second = agent.engine.dial("agent1002")
    agent.wait_state(second, ev.ACTIVE)
    agent.engine.conference([call_id, second])
    agent.peer_event(customer, "media_state", dir="sendrecv")
    agent.settle(0.6)
    customer_heard = tmp_path / "conf-customer.wav"
    target_heard = tmp_path / "conf-target.wav"
    ours = agent.record_phase(call_id, [(customer, customer_heard), (target, target_heard)])
    for path, tones in (
        (customer_heard, (AGENT_TONE, TARGET_TONE)),
        (target_heard, (AGENT_TONE, CUSTOMER_TONE)),
        (ours, (AGENT_TONE, CUSTOMER_TONE, TARGET_TONE)),
    ):
        for tone in tones:
            assert has_tone(path, tone, min_ratio=0.15), (path.name, describe(path, tone))


def test_a_second_call_waits_and_answering_it_holds_the_first(
    agent: AgentPhone, make_peer, kamailio: Kamailio
) -> None:
    first = register_peer(make_peer, kamailio, "customer2001")
    second = register_peer(make_peer, kamailio, "customer2002")
    call_id = connect_customer(agent, first, kamailio)
    second.call(kamailio.uri("agent1001"))
    waiting = agent.wait_incoming(nth=2)
    assert agent.call_events("incoming")[-1].detail == "waiting"
    agent.engine.answer(waiting)
    agent.wait_state(waiting, ev.ACTIVE)
    assert agent.engine.snapshot(call_id).state == ev.HELD
    agent.peer_event(first, "media_state", dir="recvonly")
