"""Listen, whisper and barge through the rig's Kamailio, three parties each sending a tone.

The agent is our engine in the test process (microphone: a 1000 Hz tone; what it "hears" is
recorded from its speaker); the customer is a pjsua2 peer playing 700 Hz; the supervisor is our
engine in a process of its own (tests/rig/engine_peer.py), its microphone a 1600 Hz tone. Each
phase records what each of them hears and asserts, by Goertzel, which tones are there and
which are not. Grants are signed here with a key of the test's (the server's part).
"""

from __future__ import annotations

import gc
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.phone import events as ev
from agent_app.phone import media
from common import monitor_grants as mg
from tests.agent_app.phone.conftest import AGENT_TONE, CUSTOMER_TONE, AgentPhone
from tests.rig.audio_check import describe, has_tone, read_wav, segment, tone_level
from tests.rig.engine_peer import EnginePeer
from tests.rig.fixtures import RIG_USERS, register_peer
from tests.rig.kamailio import Kamailio
from tests.rig.peer_client import Peer

SUPERVISOR_TONE = 1600
TONES = (CUSTOMER_TONE, AGENT_TONE, SUPERVISOR_TONE)
PRESENT = 0.12  # share of a mix's energy: three tones mixed give each about a third
ABSENT = 0.01  # an absent tone measures below 0.001 on the rig; leave a margin


@pytest.fixture(scope="module")
def server_key() -> mg.Ed25519PrivateKey:
    return mg.generate_private_key()


@pytest.fixture
def supervisor(kamailio: Kamailio, tmp_path: Path) -> Iterator[EnginePeer]:
    peer = EnginePeer("supervisor", tmp_path / "peers")
    try:
        peer.request(
            "start",
            user="supervisor3001",
            password=RIG_USERS["supervisor3001"],
            domain=f"{kamailio.domain}:{kamailio.port}",
        )
        peer.wait_event("reg_state", timeout=5, state="registered")
        peer.request("mic_tone", freq=SUPERVISOR_TONE)
        yield peer
    finally:
        peer.close()


def grant(
    key: mg.Ed25519PrivateKey, call_id: str, mode: str, *, agent: str = "agent1001", **over: object
) -> str:
    fields: dict[str, object] = dict(
        supervisor="lead3001",
        supervisor_id="31",
        agent=agent,
        agent_id="11",
        call_id=mg.call_uuid(call_id),
        mode=mode,
    )
    fields.update(over)
    return mg.sign_grant(key, mg.new_grant(**fields))  # type: ignore[arg-type]


def connect_customer(agent: AgentPhone, customer: Peer, kamailio: Kamailio) -> str:
    customer.play_tone(CUSTOMER_TONE)
    customer.call(kamailio.uri("agent1001"))
    call_id = agent.wait_incoming()
    agent.engine.answer(call_id)
    agent.wait_state(call_id, ev.ACTIVE)
    agent.peer_event(customer, "media_state", status="ACTIVE")
    return call_id


def monitor_events(agent: AgentPhone, kind: str | None = None) -> list[ev.MonitorEvent]:
    return [
        e
        for e in agent.events
        if isinstance(e, ev.MonitorEvent) and (kind is None or e.kind == kind)
    ]


class Ears:
    """Records what each party hears for a while, then says which tones were there."""

    def __init__(self, agent: AgentPhone, customer: Peer, supervisor: Peer, folder: Path):
        self.agent, self.customer, self.supervisor, self.folder = (
            agent,
            customer,
            supervisor,
            folder,
        )

    def phase(self, name: str, seconds: float = 1.0) -> dict[str, Path]:
        self.agent.settle(0.4)  # let routing and jitter buffers settle before listening
        paths = {
            who: self.folder / f"{name}-{who}.wav" for who in ("customer", "agent", "supervisor")
        }
        self.customer.record_start(paths["customer"])
        self.supervisor.record_start(paths["supervisor"])
        recorder = media.Recorder(paths["agent"])
        self.agent.engine.add_speaker_tap(recorder.port)
        self.agent.settle(seconds)
        self.agent.engine.remove_speaker_tap(recorder.port)
        del recorder
        gc.collect()
        self.customer.record_stop()
        self.supervisor.record_stop()
        self.agent.settle(0.15)  # the WAV is complete a bridge tick after its port goes
        return paths

    @staticmethod
    def check(path: Path, hears: tuple[int, ...], name: str) -> None:
        if not hears and path.stat().st_size <= 44:
            # Nothing on that phone's bridge at all: pjsua stops the bridge's clock when idle,
            # so the recorder never got a frame to write. Silence, by definition.
            return
        samples, rate = read_wav(path)
        samples = segment(samples, rate, 0.2)  # the first frames may hold the change itself
        for tone in TONES:
            level = tone_level(samples, tone, rate)
            if tone in hears:
                assert has_tone((samples, rate), tone, min_ratio=PRESENT), (
                    f"{name}: {path.stem} should hear {tone} Hz: {describe(path, TONES)}"
                )
            else:
                assert level < ABSENT, (
                    f"{name}: {path.stem} must not hear {tone} Hz: {describe(path, TONES)}"
                )

    def expect(
        self,
        name: str,
        customer: tuple[int, ...],
        agent: tuple[int, ...],
        supervisor: tuple[int, ...],
    ) -> None:
        paths = self.phase(name)
        self.check(paths["customer"], customer, name)
        self.check(paths["agent"], agent, name)
        self.check(paths["supervisor"], supervisor, name)


def wait_mode(agent: AgentPhone, supervisor: EnginePeer, mode: str) -> None:
    agent.until(
        lambda: any(e.mode == mode for e in monitor_events(agent, "mode")),
        5,
        f"agent's seat in {mode}",
    )
    agent.peer_event(supervisor, "monitor", event="mode", mode=mode)


def test_listen_whisper_barge_switch_on_hold_and_leave(
    agent: AgentPhone,
    make_peer,
    kamailio: Kamailio,
    tmp_path: Path,
    supervisor: EnginePeer,
    server_key: mg.Ed25519PrivateKey,
) -> None:
    agent.engine.set_monitor_trust(mg.public_key_to_text(server_key.public_key()), "agent1001")
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    ears = Ears(agent, customer, supervisor, tmp_path)
    C, A, S = CUSTOMER_TONE, AGENT_TONE, SUPERVISOR_TONE

    ears.expect("before", customer=(A,), agent=(C,), supervisor=())

    supervisor.request(
        "monitor", uri=kamailio.uri("agent1001"), grant=grant(server_key, call_id, "listen")
    )
    agent.peer_event(supervisor, "monitor", event="started")
    started = monitor_events(agent, "started")
    assert len(started) == 1 and started[0].mode == "listen" and started[0].supervisor == "lead3001"
    assert started[0].call_uuid == mg.call_uuid(call_id)
    # silently: no ringing, no call of the agent's
    assert not [e for e in agent.call_events("incoming")[1:]]
    assert [c.id for c in agent.engine.active_calls()] == [call_id]
    ears.expect("listen", customer=(A,), agent=(C,), supervisor=(C, A))

    supervisor.request("switch", grant=grant(server_key, call_id, "whisper"))
    wait_mode(agent, supervisor, "whisper")
    ears.expect("whisper", customer=(A,), agent=(C, S), supervisor=(C, A))

    supervisor.request("switch", grant=grant(server_key, call_id, "barge"))
    wait_mode(agent, supervisor, "barge")
    ears.expect("barge", customer=(A, S), agent=(C, S), supervisor=(C, A))

    # The agent holds the customer; the supervisor goes back to listening meanwhile; resumed,
    # the customer's new media must be routed for listen, not for the barge it had before.
    agent.engine.hold(call_id)
    agent.peer_event(customer, "media_state", dir="recvonly")
    supervisor.request("switch", grant=grant(server_key, call_id, "listen"))
    wait_mode(agent, supervisor, "listen")
    ears.expect("held", customer=(), agent=(), supervisor=(A,))
    agent.engine.resume(call_id)
    agent.wait_state(call_id, ev.ACTIVE)
    agent.until(
        lambda: (
            len(customer.events("media_state")) >= 3
            and customer.events("media_state")[-1].get("dir") == "sendrecv"
        ),
        5,
        "resumed",
    )
    ears.expect("resumed", customer=(A,), agent=(C,), supervisor=(C, A))

    supervisor.request("stop_monitor")
    agent.until(lambda: monitor_events(agent, "ended"), 5, "monitor ended at the agent")
    ended = monitor_events(agent, "ended")[0]
    assert ended.reason == "stopped" and ended.duration_s and ended.duration_s > 0
    agent.peer_event(supervisor, "monitor", event="ended")
    ears.expect("after", customer=(A,), agent=(C,), supervisor=())
    assert agent.engine.snapshot(call_id).state == ev.ACTIVE  # the customer's call goes on


def test_the_monitor_call_ends_with_the_customers_call(
    agent: AgentPhone,
    make_peer,
    kamailio: Kamailio,
    supervisor: EnginePeer,
    server_key: mg.Ed25519PrivateKey,
) -> None:
    agent.engine.set_monitor_trust(mg.public_key_to_text(server_key.public_key()), "agent1001")
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    supervisor.request(
        "monitor", uri=kamailio.uri("agent1001"), grant=grant(server_key, call_id, "barge")
    )
    agent.peer_event(supervisor, "monitor", event="started")
    customer.hangup()
    agent.ended(call_id)
    event = agent.peer_event(supervisor, "monitor", event="ended")
    assert event["side"] == "supervisor"
    agent.until(lambda: monitor_events(agent, "ended"), 5, "ended at the agent")
    assert monitor_events(agent, "ended")[0].reason == "call_ended"
    assert not agent.engine.monitoring.live()


def next_call_state(agent: AgentPhone, peer: Peer, call: int, state: str) -> dict:
    """The peer's next `state` event for pjsua call index `call` (indices are reused, so
    earlier events of the same index are skipped)."""

    def matching() -> list[dict]:
        return [
            e
            for e in peer.events("call_state")
            if e.get("call_id") == call and e.get("state") == state
        ]

    seen = len(matching())
    agent.until(lambda: len(matching()) > seen, 5, f"{peer.name} call {call} {state}")
    return matching()[-1]


def refused_attempt(
    agent: AgentPhone, intruder: Peer, kamailio: Kamailio, headers: dict[str, str], path: Path
) -> ev.MonitorEvent:
    """The intruder calls with `headers` while recording; asserts 403 and returns the audit."""
    before = len(monitor_events(agent, "refused"))
    media_before = len(intruder.events("media_state"))
    intruder.record_start(path)
    call = intruder.call(kamailio.uri("agent1001"), headers=headers)
    event = next_call_state(agent, intruder, call, "DISCONNECTED")
    agent.settle(0.3)
    intruder.record_stop()
    assert event["last_status"] == 403, event
    assert len(intruder.events("media_state")) == media_before  # no media was ever set up
    # An empty file: the intruder's bridge never ran a frame (no media, nothing to hear).
    if path.stat().st_size > 44:
        for tone in (CUSTOMER_TONE, AGENT_TONE):
            assert not has_tone(path, tone, min_ratio=ABSENT, min_rms=0.0005), describe(path, TONES)
    agent.until(lambda: len(monitor_events(agent, "refused")) > before, 3, "refusal audited")
    return monitor_events(agent, "refused")[-1]


def test_bad_grants_are_refused_audited_and_hear_nothing(
    agent: AgentPhone,
    make_peer,
    kamailio: Kamailio,
    tmp_path: Path,
    server_key: mg.Ed25519PrivateKey,
) -> None:
    agent.engine.set_monitor_trust(mg.public_key_to_text(server_key.public_key()), "agent1001")
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    intruder = register_peer(make_peer, kamailio, "agent1002", name="intruder")
    intruder.play_tone(SUPERVISOR_TONE)
    forger = mg.generate_private_key()
    past = time.time() - 600
    cases = {
        "bad_signature": grant(forger, call_id, "listen"),
        "wrong_agent": grant(server_key, call_id, "listen", agent="agent1002"),
        "wrong_call": grant(server_key, uuid.uuid4().hex, "listen"),
        "expired": grant(server_key, call_id, "listen", now=past),
        "missing": "",
    }
    for reason, value in cases.items():
        headers = {"X-SeatDesk-Monitor": "listen"}
        if value:
            headers[mg.HEADER] = value
        audit = refused_attempt(agent, intruder, kamailio, headers, tmp_path / f"{reason}.wav")
        assert audit.reason == reason, (reason, audit)
        assert audit.remote_uri.startswith("sip:agent1002@")
        assert audit.monitor_call_id == ""
    # replay: a grant that was used once (here by the "intruder" holding a valid grant)
    once = grant(server_key, call_id, "listen")
    confirmed = len([e for e in intruder.events("call_state") if e.get("state") == "CONFIRMED"])
    used = intruder.call(
        kamailio.uri("agent1001"), headers={"X-SeatDesk-Monitor": "listen", mg.HEADER: once}
    )
    agent.until(
        lambda: (
            len([e for e in intruder.events("call_state") if e.get("state") == "CONFIRMED"])
            > confirmed
        ),
        5,
        "the valid grant's call answered",
    )
    intruder.hangup(used)
    agent.until(lambda: monitor_events(agent, "ended"), 5, "first use ended")
    audit = refused_attempt(
        agent,
        intruder,
        kamailio,
        {"X-SeatDesk-Monitor": "listen", mg.HEADER: once},
        tmp_path / "replayed.wav",
    )
    assert audit.reason == "replayed" and audit.grant_id == mg.read_grant(once).grant_id
    # the customer's call was never disturbed, and never rang again
    assert agent.engine.snapshot(call_id).state == ev.ACTIVE
    assert len(agent.call_events("incoming")) == 1


def test_a_refused_mode_switch_keeps_the_mode(
    agent: AgentPhone,
    make_peer,
    kamailio: Kamailio,
    tmp_path: Path,
    supervisor: EnginePeer,
    server_key: mg.Ed25519PrivateKey,
) -> None:
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    first = grant(server_key, call_id, "listen")
    # A seat that has not been given the server's key yet trusts no grant.
    supervisor.request("monitor", uri=kamailio.uri("agent1001"), grant=first)
    failed = agent.peer_event(supervisor, "monitor", event="failed")
    assert failed["reason"] == "403" and failed["side"] == "supervisor"
    assert monitor_events(agent, "refused")[-1].reason == "no_trust"
    agent.engine.set_monitor_trust(mg.public_key_to_text(server_key.public_key()), "agent1001")
    supervisor.request("monitor", uri=kamailio.uri("agent1001"), grant=first)
    agent.peer_event(supervisor, "monitor", event="started")
    supervisor.request("switch", grant=first)  # the grant the call was set up with: replayed
    agent.peer_event(supervisor, "monitor", event="switch_refused", reason="replayed")
    forged = grant(mg.generate_private_key(), call_id, "barge")
    supervisor.request("switch", grant=forged)
    agent.peer_event(supervisor, "monitor", event="switch_refused", reason="bad_signature")
    assert [e.reason for e in monitor_events(agent, "switch_refused")] == [
        "replayed",
        "bad_signature",
    ]
    other = grant(server_key, call_id, "barge", supervisor="someone-else")
    supervisor.request("switch", grant=other)
    agent.peer_event(supervisor, "monitor", event="switch_refused", reason="wrong_supervisor")
    ears = Ears(agent, customer, supervisor, tmp_path)
    ears.expect(
        "still-listen",
        customer=(AGENT_TONE,),
        agent=(CUSTOMER_TONE,),
        supervisor=(CUSTOMER_TONE, AGENT_TONE),
    )


def test_the_agents_seat_enforces_listen_even_if_the_supervisor_talks(
    agent: AgentPhone,
    make_peer,
    kamailio: Kamailio,
    tmp_path: Path,
    server_key: mg.Ed25519PrivateKey,
) -> None:
    """A supervisor's phone that sends its voice in listen mode (not ours: a plain pjsua2 peer
    with a valid grant) is still heard by nobody: the one-way routing is the agent's seat's."""
    agent.engine.set_monitor_trust(mg.public_key_to_text(server_key.public_key()), "agent1001")
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    talker = register_peer(make_peer, kamailio, "supervisor3001", name="talking-supervisor")
    talker.play_tone(SUPERVISOR_TONE)
    talker.call(
        kamailio.uri("agent1001"),
        headers={"X-SeatDesk-Monitor": "listen", mg.HEADER: grant(server_key, call_id, "listen")},
    )
    agent.peer_event(talker, "media_state", status="ACTIVE")
    ears = Ears(agent, customer, talker, tmp_path)
    ears.expect(
        "enforced",
        customer=(AGENT_TONE,),
        agent=(CUSTOMER_TONE,),
        supervisor=(CUSTOMER_TONE, AGENT_TONE),
    )


def test_routing_survives_the_customers_own_hold_and_resume(
    agent: AgentPhone,
    make_peer,
    kamailio: Kamailio,
    tmp_path: Path,
    supervisor: EnginePeer,
    server_key: mg.Ed25519PrivateKey,
) -> None:
    """The far end's re-INVITEs give the customer's call a new bridge port at the agent's seat;
    the monitor's connections follow it (whisper: the customer still must not hear it)."""
    agent.engine.set_monitor_trust(mg.public_key_to_text(server_key.public_key()), "agent1001")
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    supervisor.request(
        "monitor", uri=kamailio.uri("agent1001"), grant=grant(server_key, call_id, "whisper")
    )
    agent.peer_event(supervisor, "monitor", event="started")
    customer.hold()
    agent.until(lambda: agent.engine.snapshot(call_id).remote_hold, 5, "customer holds")
    # The customer's own re-INVITE must be done (answered, ACKed) before the next one.
    agent.peer_event(customer, "media_state", status="LOCAL_HOLD")
    customer.unhold()
    agent.until(lambda: not agent.engine.snapshot(call_id).remote_hold, 5, "customer resumes")
    ears = Ears(agent, customer, supervisor, tmp_path)
    ears.expect(
        "after-remote-hold",
        customer=(AGENT_TONE,),
        agent=(CUSTOMER_TONE, SUPERVISOR_TONE),
        supervisor=(CUSTOMER_TONE, AGENT_TONE),
    )


def test_a_reinvite_carrying_a_grant_switches_mode(
    agent: AgentPhone,
    make_peer,
    kamailio: Kamailio,
    tmp_path: Path,
    supervisor: EnginePeer,
    server_key: mg.Ed25519PrivateKey,
) -> None:
    agent.engine.set_monitor_trust(mg.public_key_to_text(server_key.public_key()), "agent1001")
    customer = register_peer(make_peer, kamailio, "customer2001")
    call_id = connect_customer(agent, customer, kamailio)
    supervisor.request(
        "monitor", uri=kamailio.uri("agent1001"), grant=grant(server_key, call_id, "listen")
    )
    agent.peer_event(supervisor, "monitor", event="started")
    forged = grant(mg.generate_private_key(), call_id, "barge")
    supervisor.request("switch", grant=forged, reinvite=True)
    agent.peer_event(supervisor, "monitor", event="switch_refused", reason="bad_signature")
    supervisor.request("switch", grant=grant(server_key, call_id, "whisper"), reinvite=True)
    wait_mode(agent, supervisor, "whisper")
    ears = Ears(agent, customer, supervisor, tmp_path)
    ears.expect(
        "reinvite-whisper",
        customer=(AGENT_TONE,),
        agent=(CUSTOMER_TONE, SUPERVISOR_TONE),
        supervisor=(CUSTOMER_TONE, AGENT_TONE),
    )
