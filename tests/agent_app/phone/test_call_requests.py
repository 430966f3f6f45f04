"""Requests the far end must answer (hold, resume, transfer) when it never does, or when the
word that a transfer went through never arrives: the engine says what is pending, what failed
and why, retries quietly and within bounds, and lets the customer's leg go only when the
transfer went through.

The far end that never answers is SIPp (tests/rig/scenarios/uas_deaf.xml); the final NOTIFY
that never arrives is dropped by the rig's Kamailio (its drop_final_notify fault), as when a
phone sends one pjsip cannot parse.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from agent_app.phone import engine as phone_engine
from agent_app.phone import events as ev
from agent_app.phone.messages import tr
from tests.agent_app.phone.conftest import AgentPhone
from tests.agent_app.phone.test_call_audio import answering_target, connect_customer
from tests.rig.fixtures import register_peer
from tests.rig.kamailio import Kamailio
from tests.rig.sipp import SippProcess

DEAF = "9400"  # the user part we call SIPp's uas_deaf by


def actions(agent: AgentPhone, call_id: str) -> list[str]:
    return [e.detail for e in agent.call_events("action") if e.call.id == call_id]


def wait_action(agent: AgentPhone, call_id: str, detail: str, timeout: float) -> ev.CallSnapshot:
    agent.until(lambda: detail in actions(agent, call_id), timeout, f"{detail} of {call_id[:6]}")
    return next(
        e.call for e in agent.call_events("action") if e.call.id == call_id and e.detail == detail
    )


@pytest.fixture
def deaf(sipp) -> SippProcess:
    """SIPp's uas_deaf, called straight at its address: with Kamailio in between, its
    transaction timer would answer 408 for the far end after 4 s."""
    uas = sipp("uas_deaf", calls=None, timeout=None)
    uas.wait_ready()
    return uas


def dial_deaf(agent: AgentPhone, uas: SippProcess) -> str:
    call_id = agent.engine.dial(f"sip:{DEAF}@{uas.address}")
    agent.wait_state(call_id, ev.ACTIVE)
    return call_id


@pytest.fixture
def final_notify_lost(kamailio: Kamailio) -> Iterator[None]:
    kamailio.set_fault("drop_final_notify", True)
    try:
        yield
    finally:
        kamailio.set_fault("drop_final_notify", False)


def invites_sent(uas: SippProcess) -> int:
    """Distinct INVITE transactions SIPp received (retransmissions counted once)."""
    text = uas.message_path.read_text(encoding="utf-8", errors="replace")
    cseqs = set()
    for block in text.split("INVITE sip:")[1:]:
        for line in block.splitlines():
            if line.lower().startswith("cseq:"):
                cseqs.add(line.split(":", 1)[1].strip())
                break
    return len(cseqs)


def test_hold_and_resume_the_far_end_never_answers(
    make_agent, deaf: SippProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="pjsip")
    agent = make_agent(log_level=1)  # pjsip's errors, into the log this test reads
    agent.until(agent.engine.is_registered, 5, "registered")
    call_id = dial_deaf(agent, deaf)

    agent.engine.hold(call_id)
    pending = wait_action(agent, call_id, "hold_pending", 2)
    assert pending.pending == "hold" and pending.state == ev.HELD  # the audio follows at once
    failed = wait_action(agent, call_id, "hold_failed", phone_engine.OFFER_ANSWER_WAIT_S + 5)
    assert failed.pending == "" and failed.notice == tr("hold_failed", reason=tr("no_response"))
    assert agent.engine.snapshot(call_id).state == ev.HELD  # the call itself is still up

    # Resume while pjsua's re-INVITE is still out: it waits for that one, quietly, instead of
    # being refused again and again.
    agent.engine.resume(call_id)
    assert actions(agent, call_id)[-1:] != ["resume_failed"]
    agent.until(lambda: actions(agent, call_id)[-1] == "resume_pending", 2, "resume pending")

    # pjsip gives up on its re-INVITE at the transaction timeout (32 s) and ends the call: the
    # agent is told why, and the call record gets it.
    ended = agent.ended(call_id, timeout=45)
    assert ended.end_reason == "answered"
    assert ended.end_text == tr("dropped_no_response")
    assert invites_sent(deaf) == 2  # the call's INVITE and one re-INVITE: nothing retried
    # Not counted: pjsua stepping past RTP ports another softphone holds (another xdist
    # worker's app engine also starts at 4000); it binds the next free pair and goes on.
    errors = [
        r.getMessage()
        for r in caplog.records
        if r.name == "pjsip" and "RTP socket bind()" not in r.getMessage()
    ]
    assert len(errors) <= 3, errors


def test_a_transfer_the_far_end_never_answers_fails_and_keeps_the_customer(
    agent: AgentPhone, deaf: SippProcess
) -> None:
    call_id = dial_deaf(agent, deaf)
    agent.engine.blind_transfer(call_id, "agent1002")
    pending = wait_action(agent, call_id, "transfer_pending", 2)
    assert pending.pending == "transfer"
    failed = wait_action(agent, call_id, "transfer_failed", phone_engine.TRANSFER_WAIT_S + 5)
    assert failed.transfer_result == "failed"
    assert failed.notice == tr("transfer_failed", reason=tr("no_response"))
    now = agent.engine.snapshot(call_id)
    assert now.state == ev.ACTIVE and now.pending == ""  # the customer is still on the line
    agent.engine.hangup(call_id)
    assert agent.ended(call_id).transfer_result == "failed"  # what the call record keeps


def test_a_refused_transfer_is_reported_and_the_customer_stays(
    agent: AgentPhone, make_peer, kamailio: Kamailio
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.accept_transfers(True)
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.blind_transfer(call_id, "customer2003")  # nobody registered: 480
    failed = wait_action(agent, call_id, "transfer_failed", 10)
    assert failed.transfer_result == "failed" and "480" in failed.notice
    assert agent.engine.snapshot(call_id).state == ev.ACTIVE


def test_attended_transfer_completes_when_the_final_notify_never_arrives(
    agent: AgentPhone, make_peer, kamailio: Kamailio, final_notify_lost: None
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.accept_transfers(True)
    target = answering_target(make_peer, kamailio)
    call_id = connect_customer(agent, customer, kamailio)
    agent.engine.hold(call_id)
    consult = agent.engine.dial("agent1002")
    agent.wait_state(consult, ev.ACTIVE)

    mark = len(customer.events())
    agent.engine.attended_transfer(call_id, consult)
    wait_action(agent, call_id, "transfer_pending", 2)
    agent.ended(consult, timeout=8)  # the target took the customer's call, which replaced it
    # With no final NOTIFY, the customer's leg is let go after a short wait, as a success.
    done = wait_action(agent, call_id, "transfer_succeeded", phone_engine.CONSULT_GONE_WAIT_S + 5)
    assert done.transfer_result == "succeeded"
    ended = agent.ended(call_id, timeout=5)
    assert ended.transfer_result == "succeeded"
    # The customer and the target are connected to each other.
    agent.peer_event(target, "call_state", state="CONFIRMED")
    moved = [e for e in customer.events()[mark:] if e.get("state") == "CONFIRMED"]
    assert moved, customer.events()[mark:]
    assert "dropped the final NOTIFY" in kamailio.log_text()  # the fault did happen
