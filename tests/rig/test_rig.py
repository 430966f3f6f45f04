"""Self-tests of the SIP test rig: Kamailio, pjsua2 peers, SIPp scenarios and audio checks.

Everything runs on 127.0.0.1. Waits poll with deadlines; the only fixed waits are the short
stretches of audio recorded for the Goertzel/RMS checks.
"""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.waiting import wait_until
from tests.rig import HOST, audio_check, udp_port_bound
from tests.rig.fixtures import (
    RIG_USERS,
    PeerFactory,
    SippFactory,
    register_peer,
    require_kamailio,
)
from tests.rig.kamailio import Kamailio
from tests.rig.peer_client import Peer

AGENT_TONE = 700.0
CUSTOMER_TONE = 1300.0
RECORD_S = 0.8  # audio recorded per check
SETTLE_S = 0.25  # skipped at the start of a recording (jitter buffer fill, media switch)


def record(peer: Peer, path: Path, seconds: float = RECORD_S) -> Path:
    """Record what `peer` hears for `seconds` (a fixed stretch of audio, not a sync wait)."""
    peer.record_start(path)
    time.sleep(seconds)
    peer.record_stop()
    return path


def options_ok(port: int, timeout: float = 1.0) -> bool:
    """Whether something answers an OPTIONS on 127.0.0.1:port/UDP with 200."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((HOST, 0))
        sock.settimeout(timeout)
        local = sock.getsockname()[1]
        msg = (
            f"OPTIONS sip:{HOST}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {HOST}:{local};branch=z9hG4bK{uuid.uuid4().hex[:12]};rport\r\n"
            "Max-Forwards: 10\r\n"
            f"From: <sip:check@{HOST}:{local}>;tag={uuid.uuid4().hex[:8]}\r\n"
            f"To: <sip:{HOST}:{port}>\r\n"
            f"Call-ID: {uuid.uuid4().hex}\r\n"
            "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        )
        sock.sendto(msg.encode(), (HOST, port))
        try:
            return sock.recv(65535).startswith(b"SIP/2.0 200")
        except OSError:
            return False


# -- audio_check on synthetic audio -----------------------------------------------------------
def test_audio_check_on_generated_tones(tmp_path: Path) -> None:
    wav = audio_check.make_tone_wav(tmp_path / "t.wav", 700, 0.5, rate=8000, amplitude=0.3)
    samples, rate = audio_check.read_wav(wav)
    assert rate == 8000 and len(samples) == 4000
    assert audio_check.rms(samples) == pytest.approx(0.3 / 2**0.5, rel=0.01)
    assert audio_check.tone_level(samples, 700, rate) > 0.95
    assert audio_check.tone_level(samples, 1300, rate) < 0.01
    assert audio_check.has_tone(wav, 700)
    assert not audio_check.has_tone(wav, 1300)
    assert not audio_check.is_silent(wav)
    silence = ([0.0] * 8000, 8000)
    assert audio_check.is_silent(silence)
    assert not audio_check.has_tone(silence, 700)
    # A tone in the second half only: found there, not in the first half.
    half = ([0.0] * 4000 + list(samples), 8000)
    assert audio_check.is_silent(half, end_s=0.5)
    assert audio_check.has_tone(half, 700, start_s=0.5)


# -- Kamailio ---------------------------------------------------------------------------------
def test_kamailio_starts_stops_and_restarts_on_the_same_port(tmp_path: Path) -> None:
    require_kamailio()
    with Kamailio(tmp_path / "kam", {"agent1001": "pw"}) as kam:
        port, pid = kam.port, kam.pid
        assert kam.is_running()
        assert kam.registrar_uri == f"sip:127.0.0.1:{port}"
        assert kam.proxy_uri("tcp") == f"sip:127.0.0.1:{port};transport=tcp;lr"
        assert options_ok(port)
        kam.restart()
        assert kam.port == port and kam.pid != pid
        assert options_ok(port)
        assert not kam.registered("agent1001")
    assert not kam.is_running()
    assert not udp_port_bound(port)


def test_register_with_wrong_password_is_refused_right_one_registers(
    kamailio: Kamailio, make_peer: PeerFactory
) -> None:
    intruder = make_peer("intruder")
    refused = intruder.register("agent1002", "not-the-password", kamailio.registrar_uri)
    assert refused is not None and refused["code"] in (401, 403), refused
    assert not kamailio.registered("agent1002")

    agent = make_peer("agent")
    ok = agent.register("agent1002", RIG_USERS["agent1002"], kamailio.registrar_uri, "tcp")
    assert ok is not None and ok["code"] == 200, ok
    kamailio.wait_registered("agent1002")
    assert any(";transport=tcp" in c.lower() for c in kamailio.contacts("agent1002"))
    agent.close()  # closing unregisters
    kamailio.wait_registered("agent1002", registered=False)


def test_unknown_user_gets_404_and_unregistered_user_480(
    kamailio: Kamailio, make_peer: PeerFactory
) -> None:
    caller = register_peer(make_peer, kamailio, "customer2003")
    nobody = caller.call(kamailio.uri("nobody"))
    assert caller.wait_call_state("DISCONNECTED", nobody)["last_status"] == 404
    away = caller.call(kamailio.uri("agent1003"))
    assert caller.wait_call_state("DISCONNECTED", away)["last_status"] == 480


# -- two peers through Kamailio ---------------------------------------------------------------
@dataclass
class CallPair:
    agent: Peer
    customer: Peer
    agent_call: int
    customer_call: int


@pytest.fixture
def call_pair(kamailio: Kamailio, make_peer: PeerFactory) -> Iterator[CallPair]:
    """agent1001 (UDP) and customer2001 (TCP) registered, customer calls agent, agent answers;
    each plays its own tone."""
    agent = register_peer(make_peer, kamailio, "agent1001", "udp")
    customer = register_peer(make_peer, kamailio, "customer2001", "tcp")
    agent.play_tone(AGENT_TONE)
    customer.play_tone(CUSTOMER_TONE)
    customer_call = customer.call(kamailio.uri("agent1001"))
    incoming = agent.wait_incoming()
    assert "customer2001" in incoming["remote_uri"]
    agent.wait_call_state("EARLY", incoming["call_id"])
    customer.wait_call_state("EARLY", customer_call)
    agent.answer(200, incoming["call_id"])
    customer.wait_call_state("CONFIRMED", customer_call)
    agent.wait_call_state("CONFIRMED", incoming["call_id"])
    customer.wait_media("ACTIVE", customer_call)
    agent.wait_media("ACTIVE", incoming["call_id"])
    yield CallPair(agent, customer, incoming["call_id"], customer_call)


def test_peers_hear_each_others_tone(call_pair: CallPair, tmp_path: Path) -> None:
    heard_by_agent = record(call_pair.agent, tmp_path / "agent.wav")
    heard_by_customer = record(call_pair.customer, tmp_path / "customer.wav")
    tones = (AGENT_TONE, CUSTOMER_TONE)
    agent_info = audio_check.describe(heard_by_agent, tones, start_s=SETTLE_S)
    customer_info = audio_check.describe(heard_by_customer, tones, start_s=SETTLE_S)
    print(f"\nagent hears: {agent_info}\ncustomer hears: {customer_info}")
    assert audio_check.has_tone(heard_by_agent, CUSTOMER_TONE, start_s=SETTLE_S), agent_info
    assert not audio_check.has_tone(heard_by_agent, AGENT_TONE, start_s=SETTLE_S), agent_info
    assert audio_check.has_tone(heard_by_customer, AGENT_TONE, start_s=SETTLE_S), customer_info
    assert not audio_check.has_tone(heard_by_customer, CUSTOMER_TONE, start_s=SETTLE_S)
    assert not audio_check.is_silent(heard_by_agent, start_s=SETTLE_S)

    call_pair.customer.hangup(call_pair.customer_call)
    ended = call_pair.agent.wait_call_state("DISCONNECTED", call_pair.agent_call)
    assert ended["last_status"] == 200
    call_pair.customer.wait_call_state("DISCONNECTED", call_pair.customer_call)


def test_hold_silences_the_held_party_and_resume_brings_it_back(
    call_pair: CallPair, tmp_path: Path
) -> None:
    agent, customer = call_pair.agent, call_pair.customer
    customer.hold(call_pair.customer_call)
    customer.wait_media("LOCAL_HOLD", call_pair.customer_call)
    agent.wait_media("REMOTE_HOLD", call_pair.agent_call)
    on_hold_customer = record(customer, tmp_path / "customer-hold.wav")
    on_hold_agent = record(agent, tmp_path / "agent-hold.wav")
    tones = (AGENT_TONE, CUSTOMER_TONE)
    cust_info = audio_check.describe(on_hold_customer, tones, start_s=SETTLE_S)
    agent_info = audio_check.describe(on_hold_agent, tones, start_s=SETTLE_S)
    print(f"\non hold, customer hears: {cust_info}\non hold, agent hears: {agent_info}")
    # The holder receives nothing: the held side answered recvonly and stops sending.
    assert audio_check.is_silent(on_hold_customer, start_s=SETTLE_S), cust_info
    # pjsua keeps sending on local hold (sendonly): the held party still hears the holder's
    # source, the way it would hear music on hold.
    assert audio_check.has_tone(on_hold_agent, CUSTOMER_TONE, start_s=SETTLE_S), agent_info

    customer.unhold(call_pair.customer_call)
    customer.wait_media("ACTIVE", call_pair.customer_call)
    agent.wait_media("ACTIVE", call_pair.agent_call)
    resumed = record(customer, tmp_path / "customer-resumed.wav")
    info = audio_check.describe(resumed, tones, start_s=SETTLE_S)
    assert audio_check.has_tone(resumed, AGENT_TONE, start_s=SETTLE_S), info


def test_dtmf_rfc2833_and_info_arrive(call_pair: CallPair) -> None:
    call_pair.customer.send_dtmf("19#", "rfc2833", call_pair.customer_call)
    digits = [
        call_pair.agent.wait_event("dtmf_received", call_id=call_pair.agent_call) for _ in range(3)
    ]
    assert "".join(d["digit"] for d in digits) == "19#"
    assert {d["method"] for d in digits} == {"rfc2833"}

    call_pair.agent.send_dtmf("5", "info", call_pair.agent_call)
    got = call_pair.customer.wait_event("dtmf_received", call_id=call_pair.customer_call)
    assert (got["digit"], got["method"]) == ("5", "info")


def test_in_dialog_message_and_a_rejected_call(
    kamailio: Kamailio, call_pair: CallPair, make_peer: PeerFactory
) -> None:
    call_pair.agent.send_message("hello from the agent", call_pair.agent_call)
    got = call_pair.customer.wait_event("message_received", call_id=call_pair.customer_call)
    assert got["body"] == "hello from the agent"

    other = register_peer(make_peer, kamailio, "customer2002")
    second = other.call(kamailio.uri("agent1001"))
    incoming = call_pair.agent.wait_incoming()
    call_pair.agent.reject(486, incoming["call_id"])
    assert other.wait_call_state("DISCONNECTED", second)["last_status"] == 486


def test_blind_transfer_through_kamailio(
    kamailio: Kamailio, call_pair: CallPair, make_peer: PeerFactory
) -> None:
    target = register_peer(make_peer, kamailio, "customer2002")
    target.auto_answer()
    call_pair.agent.transfer(kamailio.uri("customer2002"), call_pair.agent_call)
    request = call_pair.customer.wait_event("transfer_request")
    assert "customer2002" in request["target"]
    target_incoming = target.wait_incoming()
    assert "customer2001" in target_incoming["remote_uri"]
    target.wait_call_state("CONFIRMED", target_incoming["call_id"])
    final = call_pair.agent.wait_event("transfer_status", final=True)
    assert final["code"] == 200, final
    # pjsua leaves the old call up after a transfer: the transferor hangs it up.
    call_pair.agent.hangup(call_pair.agent_call)
    call_pair.agent.wait_call_state("DISCONNECTED", call_pair.agent_call)
    call_pair.customer.wait_call_state("DISCONNECTED", call_pair.customer_call)
    # The customer is left with one call: the new one to the transfer target.
    assert list(call_pair.customer.info()["calls"].values()) == ["CONFIRMED"]


# -- SIPp far ends ----------------------------------------------------------------------------
def test_sipp_echo_returns_the_peers_tone(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory, tmp_path: Path
) -> None:
    echo = sipp("uas_echo", calls=None, timeout=None)
    echo.wait_ready()
    kamailio.set_route("echo", echo.address)
    caller = register_peer(make_peer, kamailio, "agent1003")
    caller.play_tone(AGENT_TONE)
    call_id = caller.call(kamailio.uri("echo"))
    assert caller.wait_call_state("CONFIRMED", call_id)["last_status"] == 200
    caller.wait_media("ACTIVE", call_id)
    heard = record(caller, tmp_path / "echo.wav")
    info = audio_check.describe(heard, (AGENT_TONE, CUSTOMER_TONE), start_s=SETTLE_S)
    print(f"\necho heard: {info}")
    assert audio_check.has_tone(heard, AGENT_TONE, start_s=SETTLE_S), info

    # Hold and resume against the echo: it answers recvonly, then sendrecv again.
    caller.hold(call_id)
    assert caller.wait_media("LOCAL_HOLD", call_id)["dir"] == "sendonly"
    caller.unhold(call_id)
    assert caller.wait_media("ACTIVE", call_id)["dir"] == "sendrecv"
    caller.hangup(call_id)
    caller.wait_call_state("DISCONNECTED", call_id)


def test_sipp_echo_takes_simultaneous_calls(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    echo = sipp("uas_echo", calls=None, timeout=None)
    echo.wait_ready()
    kamailio.set_route("9196", echo.address)
    caller = register_peer(make_peer, kamailio, "customer2003")
    calls = [caller.call(kamailio.uri("9196")) for _ in range(3)]
    for call_id in calls:
        caller.wait_call_state("CONFIRMED", call_id)
    for call_id in calls:
        caller.hangup(call_id)
        caller.wait_call_state("DISCONNECTED", call_id)
    wait_until(lambda: echo.counts()[0] >= 3, 5, "SIPp to count three calls", interval=0.05)
    echo.stop()
    assert echo.counts() == (3, 0), echo.report()


def test_sipp_busy_answers_486(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    busy = sipp("uas_busy", calls=None, timeout=None)
    busy.wait_ready()
    kamailio.set_route("busy", busy.address)
    caller = register_peer(make_peer, kamailio, "customer2002")
    call_id = caller.call(kamailio.uri("busy"))
    ended = caller.wait_call_state("DISCONNECTED", call_id)
    assert ended["last_status"] == 486, ended


def test_sipp_no_answer_rings_until_the_caller_cancels(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    ringing = sipp("uas_no_answer", calls=1, timeout=10)
    ringing.wait_ready()
    kamailio.set_route("noanswer", ringing.address)
    caller = register_peer(make_peer, kamailio, "customer2002")
    call_id = caller.call(kamailio.uri("noanswer"))
    assert caller.wait_call_state("EARLY", call_id)["last_status"] == 180
    caller.hangup(call_id)
    assert caller.wait_call_state("DISCONNECTED", call_id)["last_status"] == 487
    assert ringing.wait(5) == 0, ringing.report()


def test_static_routes_need_an_authenticated_caller(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    echo = sipp("uas_echo", calls=None, timeout=None)
    echo.wait_ready()
    kamailio.set_route("echo2", echo.address)
    outsider = make_peer("outsider")  # not a rig user: no authentication, like a gateway
    outsider.identity("pstn-caller", kamailio.proxy_uri())
    call_id = outsider.call(kamailio.uri("echo2"))
    assert outsider.wait_call_state("DISCONNECTED", call_id)["last_status"] == 403


def test_sipp_cancel_towards_a_registered_peer(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    agent = register_peer(make_peer, kamailio, "agent1001")
    caller = sipp("uac_cancel", f"{HOST}:{kamailio.port}", service="agent1001", timeout=10)
    incoming = agent.wait_incoming()
    assert "sipp" in incoming["remote_uri"]
    ended = agent.wait_call_state("DISCONNECTED", incoming["call_id"])
    assert ended["last_status"] == 487, ended
    assert caller.wait(5) == 0, caller.report()


def test_sipp_call_and_bye_towards_a_registered_peer(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    agent = register_peer(make_peer, kamailio, "agent1002")
    agent.auto_answer()
    caller = sipp("uac_bye", f"{HOST}:{kamailio.port}", service="agent1002", pause_ms=300)
    incoming = agent.wait_incoming()
    agent.wait_call_state("CONFIRMED", incoming["call_id"])
    ended = agent.wait_call_state("DISCONNECTED", incoming["call_id"])
    assert ended["role"] == "callee"
    assert caller.wait(5) == 0, caller.report()


def test_sipp_remote_hold_towards_a_registered_peer(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    agent = register_peer(make_peer, kamailio, "agent1003", "tcp")
    agent.auto_answer()
    caller = sipp("uac_remote_hold", f"{HOST}:{kamailio.port}", service="agent1003", pause_ms=300)
    incoming = agent.wait_incoming()
    agent.wait_media("ACTIVE", incoming["call_id"])
    assert agent.wait_media("REMOTE_HOLD", incoming["call_id"])["dir"] == "recvonly"
    assert agent.wait_media("ACTIVE", incoming["call_id"])["dir"] == "sendrecv"
    agent.wait_call_state("DISCONNECTED", incoming["call_id"])
    assert caller.wait(5) == 0, caller.report()


def test_malformed_requests_do_not_break_a_peer(
    kamailio: Kamailio, make_peer: PeerFactory, sipp: SippFactory
) -> None:
    agent = register_peer(make_peer, kamailio, "supervisor3001")
    # Straight at the peer's own port: Kamailio would drop the garbage itself.
    garbage = sipp("uac_malformed", f"{HOST}:{agent.udp_port}", service="supervisor3001")
    assert garbage.wait(10) == 0, garbage.report()
    assert agent.is_running()
    assert agent.info()["udp_port"] == agent.udp_port
    # ... and through Kamailio too: dropped there, and the OPTIONS still reaches the peer.
    via_proxy = sipp("uac_malformed", f"{HOST}:{kamailio.port}", service="supervisor3001")
    assert via_proxy.wait(10) == 0, via_proxy.report()
    assert kamailio.is_running()
