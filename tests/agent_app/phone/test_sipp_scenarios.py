"""What the far end can do to a call, played by SIPp through Kamailio: the engine reports each
case correctly and keeps working (it never crashes, and the next call goes through)."""

from __future__ import annotations

from collections.abc import Callable

from agent_app.phone import events as ev
from agent_app.phone.config import AutoAnswerConfig
from tests.agent_app.phone.conftest import AgentPhone
from tests.rig.kamailio import Kamailio
from tests.rig.sipp import SippProcess


def run_to_end(agent: AgentPhone, uac: SippProcess, timeout: float = 15.0) -> int:
    """Poll our engine while SIPp plays its part; SIPp's exit code (0: as scripted)."""
    agent.until(lambda: not uac.is_running(), timeout, f"SIPp {uac.scenario.stem} to finish")
    code = uac.wait(1)
    assert code == 0, uac.report()
    return code


def auto_answering(make_agent: Callable[..., AgentPhone]) -> AgentPhone:
    phone = make_agent(auto_answer=AutoAnswerConfig(enabled=True, delay_s=0.0))
    phone.until(phone.engine.is_registered, 5, "agent registered")
    return phone


def test_caller_hangs_up_while_ringing(agent: AgentPhone, sipp, kamailio: Kamailio) -> None:
    uac = sipp("uac_cancel", f"127.0.0.1:{kamailio.port}", service="agent1001")
    call_id = agent.wait_incoming()
    assert agent.call_events("incoming")[0].call.state == ev.RINGING_IN
    ended = agent.ended(call_id)
    run_to_end(agent, uac)
    assert ended.end_reason == "missed" and ended.answered_at is None


def test_callee_busy(agent: AgentPhone, sipp, kamailio: Kamailio) -> None:
    uas = sipp("uas_busy", calls=None, timeout=None)
    uas.wait_ready()
    kamailio.set_route("9486", f"127.0.0.1:{uas.local_port}")
    call_id = agent.engine.dial("9486")
    ended = agent.ended(call_id)
    assert (ended.end_reason, ended.status_code) == ("busy", 486)
    assert ended.end_text == "对方忙"


def test_no_answer_gives_up_after_the_timeout(
    make_agent: Callable[..., AgentPhone], sipp, kamailio: Kamailio
) -> None:
    agent = make_agent(no_answer_timeout_s=2)
    agent.until(agent.engine.is_registered, 5)
    uas = sipp("uas_no_answer", calls=None, timeout=None)
    uas.wait_ready()
    kamailio.set_route("9480", f"127.0.0.1:{uas.local_port}")
    call_id = agent.engine.dial("9480")
    agent.wait_state(call_id, ev.RINGING_OUT)
    ended = agent.ended(call_id, timeout=6)
    assert ended.end_reason == "no_answer"
    assert ended.ended_at is not None and ended.ended_at - ended.started_at >= 1.9


def test_remote_hold_and_resume_by_reinvite(
    make_agent: Callable[..., AgentPhone], sipp, kamailio: Kamailio
) -> None:
    agent = auto_answering(make_agent)
    uac = sipp("uac_remote_hold", f"127.0.0.1:{kamailio.port}", service="agent1001")
    call_id = agent.wait_incoming()
    agent.until(lambda: any(e.call.remote_hold for e in agent.call_events("media")), 8)
    agent.until(
        lambda: any(
            e.detail == "remote_hold" and not e.call.remote_hold for e in agent.call_events("media")
        ),
        8,
        "resume",
    )
    ended = agent.ended(call_id, timeout=8)
    run_to_end(agent, uac)
    assert ended.end_reason == "answered" and not ended.remote_hold


def test_remote_bye_ends_the_call(
    make_agent: Callable[..., AgentPhone], sipp, kamailio: Kamailio
) -> None:
    agent = auto_answering(make_agent)
    uac = sipp("uac_bye", f"127.0.0.1:{kamailio.port}", service="agent1001")
    call_id = agent.wait_incoming()
    agent.wait_state(call_id, ev.ACTIVE)
    ended = agent.ended(call_id, timeout=8)
    run_to_end(agent, uac)
    assert ended.end_reason == "answered" and ended.talk_seconds > 0.5


def test_malformed_requests_do_not_hurt_the_phone(
    agent: AgentPhone, sipp, kamailio: Kamailio
) -> None:
    uac = sipp("uac_malformed", f"127.0.0.1:{agent.engine.local_port()}", service="agent1001")
    run_to_end(agent, uac)  # its last step is an OPTIONS that must get 200 from us
    assert not agent.call_events("incoming")
    # ... and real calls still work afterwards.
    uas = sipp("uas_echo", calls=None, timeout=None, rtp_echo=True)
    uas.wait_ready()
    kamailio.set_route("9196", f"127.0.0.1:{uas.local_port}")
    call_id = agent.engine.dial("9196")
    agent.wait_state(call_id, ev.ACTIVE)
    agent.engine.hangup(call_id)
    assert agent.ended(call_id).end_reason == "answered"
