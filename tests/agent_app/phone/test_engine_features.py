"""Engine features beyond the basic call, against the rig: accounts, proxies, ICE, codecs,
auto-answer, recording policy, post-dial digits, refusing calls, shutting down mid-call."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, AutoAnswerConfig, RecordingConfig
from tests.agent_app.phone.conftest import AGENT_TONE, AgentPhone
from tests.rig.audio_check import has_tone
from tests.rig.fixtures import RIG_USERS, register_peer
from tests.rig.kamailio import Kamailio


def test_two_accounts_register_and_calls_use_the_default(
    make_agent: Callable[..., AgentPhone], make_peer, kamailio: Kamailio
) -> None:
    agent = make_agent()
    second = AccountConfig(
        id="second",
        user="agent1003",
        password=RIG_USERS["agent1003"],
        domain=f"127.0.0.1:{kamailio.port}",
        default=True,
    )
    agent.engine.add_account(second)
    agent.until(lambda: agent.engine.is_registered("main") and agent.engine.is_registered("second"))
    assert agent.engine.default_account_id() == "second"
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.auto_answer(True)
    call_id = agent.engine.dial("customer2001")
    incoming = agent.peer_event(customer, "incoming_call")
    assert "agent1003" in incoming["remote_uri"]
    agent.wait_state(call_id, ev.ACTIVE)
    # A call to the other account rings on it, and says so.
    caller = register_peer(make_peer, kamailio, "customer2002")
    caller.call(kamailio.uri("agent1001"))
    ringing = agent.wait_incoming()
    assert agent.engine.snapshot(ringing).account_id == "main"


def test_outbound_proxy_and_codec_preference(
    make_agent: Callable[..., AgentPhone], make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    agent = make_agent(
        account={"outbound_proxy": kamailio.proxy_uri("udp")},
        codecs=["G722/16000", "PCMU/8000"],
    )
    agent.until(agent.engine.is_registered, 5, "registered through the outbound proxy")
    agent.engine.use_tone_as_microphone(AGENT_TONE)
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.auto_answer(True)
    call_id = agent.engine.dial("customer2001")
    agent.wait_state(call_id, ev.ACTIVE)
    agent.until(lambda: agent.engine.codec(call_id), 5, "media")
    assert agent.engine.codec(call_id) == "G722/16000"
    agent.settle(0.3)
    heard = tmp_path / "heard.wav"
    agent.record_phase(call_id, [(customer, heard)])
    assert has_tone(heard, AGENT_TONE)


def test_server_requested_auto_answer(agent: AgentPhone, make_peer, kamailio: Kamailio) -> None:
    assert agent.engine.config.auto_answer.enabled is False  # off unless the server asks
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.call(kamailio.uri("agent1001"), headers={"Call-Info": "<sip:pbx>;answer-after=0"})
    call_id = agent.wait_incoming()
    assert agent.call_events("incoming")[0].call.auto_answer_in == 0.0
    agent.wait_state(call_id, ev.ACTIVE)
    agent.peer_event(customer, "call_state", state="CONFIRMED")


def test_yealink_ring_answer_alert_info_is_an_auto_answer_request(
    agent: AgentPhone, make_peer, kamailio: Kamailio
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.call(kamailio.uri("agent1001"), headers={"Alert-Info": "Ring Answer"})
    call_id = agent.wait_incoming()
    assert agent.call_events("incoming")[0].call.auto_answer_in == 0.0
    agent.wait_state(call_id, ev.ACTIVE)
    agent.peer_event(customer, "call_state", state="CONFIRMED")


def test_configured_auto_answer_waits_its_delay(
    make_agent: Callable[..., AgentPhone], make_peer, kamailio: Kamailio
) -> None:
    agent = make_agent(auto_answer=AutoAnswerConfig(enabled=True, delay_s=0.5))
    agent.until(agent.engine.is_registered)
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.call(kamailio.uri("agent1001"))
    call_id = agent.wait_incoming()
    assert agent.call_events("incoming")[0].call.auto_answer_in == 0.5
    snap = agent.wait_state(call_id, ev.ACTIVE)
    assert snap.answered_at is not None and snap.answered_at - snap.started_at >= 0.45


def test_recording_policy_always_records_every_answered_call(
    make_agent: Callable[..., AgentPhone], make_peer, kamailio: Kamailio
) -> None:
    agent = make_agent(recording=RecordingConfig(policy="always"))
    agent.until(agent.engine.is_registered)
    agent.engine.use_tone_as_microphone(AGENT_TONE)
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.auto_answer(True)
    paths = set()
    for _ in range(2):
        call_id = agent.engine.dial("customer2001")
        agent.wait_state(call_id, ev.ACTIVE)
        agent.until(lambda c=call_id: agent.engine.snapshot(c).recording_path, 3, "recording")
        agent.settle(0.6)
        agent.engine.hangup(call_id)
        ended = agent.ended(call_id)
        paths.add(ended.recording_path)
        agent.until(
            lambda c=call_id: any(
                e.detail == "closed" and e.call.id == c for e in agent.call_events("recording")
            )
        )
    assert len(paths) == 2  # a unique file per call
    for path in paths:
        assert has_tone(Path(path), AGENT_TONE, min_ratio=0.2)


def test_extension_after_the_number_is_sent_as_digits(
    agent: AgentPhone, make_peer, kamailio: Kamailio
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.auto_answer(True)
    call_id = agent.engine.dial("customer2001 转 8001")
    agent.wait_state(call_id, ev.ACTIVE)
    agent.until(lambda: len(customer.events("dtmf_received")) >= 4, 6, "extension digits")
    assert "".join(e["digit"] for e in customer.events("dtmf_received")) == "8001"


def test_reject_and_busy_answers(agent: AgentPhone, make_peer, kamailio: Kamailio) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    for nth, (busy, code) in enumerate(((False, 603), (True, 486)), start=1):
        customer.call(kamailio.uri("agent1001"))
        call_id = agent.wait_incoming(nth=nth)
        agent.engine.reject(call_id, busy=busy)

        def ended() -> list[dict]:
            return [e for e in customer.events("call_state") if e["state"] == "DISCONNECTED"]

        agent.until(lambda: len(ended()) >= nth, 5, "the caller to see the refusal")  # noqa: B023
        assert ended()[-1]["last_status"] == code
        assert agent.ended(call_id).end_reason == "rejected"


def test_shutdown_with_calls_up_hangs_them_up(
    agent: AgentPhone, make_peer, kamailio: Kamailio
) -> None:
    first = register_peer(make_peer, kamailio, "customer2001")
    second = register_peer(make_peer, kamailio, "customer2002")
    for peer in (first, second):
        peer.auto_answer(True)
    one = agent.engine.dial("customer2001")
    agent.wait_state(one, ev.ACTIVE)
    agent.engine.hold(one)
    two = agent.engine.dial("customer2002")
    agent.wait_state(two, ev.ACTIVE)
    agent.engine.start_recording(two)
    agent.engine.shutdown()
    assert agent.engine.ep is None
    for peer in (first, second):
        peer.wait_event("call_state", timeout=5, state="DISCONNECTED")
    kamailio.wait_registered("agent1001", timeout=5, registered=False)


def test_pjsip_logs_into_the_python_logger_and_not_the_console(
    make_agent: Callable[..., AgentPhone],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """From pjlib's start-up banner (before pjsua2's writer exists) to the registration."""
    caplog.set_level(logging.DEBUG, logger="pjsip")
    agent = make_agent(log_level=4)
    agent.until(agent.engine.is_registered, 5, "registered")
    lines = [r.getMessage() for r in caplog.records if r.name == "pjsip"]
    assert any("pjlib" in line and "initialized" in line for line in lines), lines[:5]
    assert any("pjsua_acc.c" in line for line in lines)
    out, err = capfd.readouterr()
    assert not re.search(r"\w+\.c\s+[ !.]", out + err), (out + err)[-2000:]
