"""PBX-mode supervision (agent_app/phone/pbx_monitor.py): SIPp stands in for the PBX. Its
scenario (tests/rig/scenarios/uas_feature_code.xml) takes only an INVITE to a feature code and
echoes RTP, so the RFC 2833 digits the supervisor's phone sends come back to it: the test
checks the dialled code in SIPp's message log and the digits, in order, as they return."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agent_app.phone import events as ev
from agent_app.phone.config import MonitorConfig
from agent_app.phone.pbx_monitor import PRESETS, FeatureCodes, PbxMonitor, feature_codes
from tests.agent_app.phone.conftest import AgentPhone
from tests.rig.sipp import SippProcess


def supervisor_at(make_agent: Callable[..., AgentPhone], pbx: SippProcess) -> AgentPhone:
    """The supervisor's engine with the PBX (SIPp) as its domain, not registering."""
    return make_agent(user="supervisor3001", account={"domain": pbx.address, "register": False})


def digits(phone: AgentPhone) -> str:
    return "".join(e.digit for e in phone.events if isinstance(e, ev.DtmfEvent))


def test_asterisk_codes_dial_chanspy_and_switch_with_4_5_6(
    make_agent: Callable[..., AgentPhone], sipp
) -> None:
    pbx = sipp("uas_feature_code", calls=1, rtp_echo=True, timeout=30)
    pbx.wait_ready()
    phone = supervisor_at(make_agent, pbx)
    monitor = PbxMonitor(phone.engine, PRESETS["asterisk"])
    call_id = monitor.start("1001", "listen")
    phone.wait_state(call_id, ev.ACTIVE)
    phone.settle(0.3)
    assert monitor.switch("whisper") == "rfc2833"
    phone.until(lambda: digits(phone) == "5", 5, "5 back from the PBX")
    assert monitor.switch("barge") == "rfc2833"
    assert monitor.switch("listen") == "rfc2833"
    phone.until(lambda: digits(phone) == "564", 5, "6 and 4 back from the PBX")
    monitor.stop()
    phone.ended(call_id)
    phone.until(lambda: not pbx.is_running(), 10, "SIPp done")
    assert pbx.wait(1) == 0, pbx.report()
    assert "INVITE sip:*2221001@" in pbx.message_path.read_text(errors="replace")
    assert "INFO sip:" not in pbx.message_path.read_text(errors="replace")


def test_freeswitch_eavesdrop_reaches_whisper_by_digit_after_answer(
    make_agent: Callable[..., AgentPhone], sipp
) -> None:
    pbx = sipp("uas_feature_code", calls=1, rtp_echo=True, timeout=30)
    pbx.wait_ready()
    phone = supervisor_at(make_agent, pbx)
    monitor = PbxMonitor(phone.engine, feature_codes(MonitorConfig(method="pbx", pbx="freeswitch")))
    call_id = monitor.start("1001", "whisper")
    phone.wait_state(call_id, ev.ACTIVE)
    phone.until(lambda: digits(phone) == "2", 5, "the whisper digit sent once connected")
    monitor.switch("barge")
    monitor.switch("listen")
    phone.until(lambda: digits(phone) == "230", 5, "3 and 0 back")
    monitor.stop()
    phone.ended(call_id)
    phone.until(lambda: not pbx.is_running(), 10, "SIPp done")
    assert pbx.wait(1) == 0, pbx.report()
    assert "INVITE sip:881001@" in pbx.message_path.read_text(errors="replace")


def test_custom_codes_and_refusals() -> None:
    codes = feature_codes(
        MonitorConfig(pbx="custom", listen_code="#55{ext}", barge_code="#57{ext}", whisper_dtmf="8")
    )
    assert codes.dial_for("listen", "1001") == ("#551001", "")
    assert codes.dial_for("barge", "1001") == ("#571001", "")
    assert codes.dial_for("whisper", "1001") == ("#551001", "8")
    with pytest.raises(ValueError):
        codes.dial_for("listen", "10;01")  # nothing but an extension goes into the URI
    with pytest.raises(ValueError):
        FeatureCodes({}, {}).dial_for("listen", "1001")
