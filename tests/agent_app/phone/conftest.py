"""The agent's phone (our engine, in the test process) registered at the rig's Kamailio.

Peers (customers, transfer targets) are pjsua2 processes of their own; while a test waits for
something, it keeps polling our engine (`AgentPhone.until`), because nothing else drives it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.engine import PhoneEngine
from tests.rig.fixtures import RIG_USERS, require_pjsua2
from tests.rig.kamailio import Kamailio
from tests.rig.peer_client import Peer

AGENT_TONE = 1000  # what the agent "says" (the engine's microphone replaced by a tone)
CUSTOMER_TONE = 700
TARGET_TONE = 1300


class AgentPhone:
    def __init__(self, engine: PhoneEngine, kamailio: Kamailio) -> None:
        self.engine = engine
        self.kamailio = kamailio
        self.events: list[ev.Event] = []
        engine.listeners.append(self.events.append)

    def until(self, predicate: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
        if not self.engine.run_until(lambda: bool(predicate()), timeout, step_ms=2):
            raise AssertionError(f"timed out waiting for {what or predicate}")

    def settle(self, seconds: float) -> None:
        """Let media run for a while (frames flow only while we poll)."""
        deadline = time.monotonic() + seconds
        self.engine.run_until(lambda: time.monotonic() > deadline, seconds + 1, step_ms=2)

    def call_events(self, kind: str | None = None) -> list[ev.CallEvent]:
        return [
            e
            for e in self.events
            if isinstance(e, ev.CallEvent) and (kind is None or e.kind == kind)
        ]

    def wait_incoming(self, nth: int = 1, timeout: float = 5.0) -> str:
        """The id of the `nth` incoming call of this test, once it rings."""
        self.until(lambda: len(self.call_events("incoming")) >= nth, timeout, "incoming call")
        return self.call_events("incoming")[nth - 1].call.id

    def wait_state(self, call_id: str, state: str, timeout: float = 5.0) -> ev.CallSnapshot:
        def reached() -> bool:
            return any(e.call.id == call_id and e.call.state == state for e in self.call_events())

        self.until(reached, timeout, f"call {call_id[:6]} {state}")
        return [e.call for e in self.call_events() if e.call.id == call_id][-1]

    def ended(self, call_id: str, timeout: float = 5.0) -> ev.CallSnapshot:
        def done() -> bool:
            return any(e.call.id == call_id for e in self.call_events("ended"))

        self.until(done, timeout, f"call {call_id[:6]} ended")
        return next(e.call for e in self.call_events("ended") if e.call.id == call_id)

    def peer_event(self, peer: Peer, kind: str, timeout: float = 5.0, **fields: Any) -> dict:
        """Poll our engine until `peer` reports a matching event (not consumed)."""

        def found() -> dict | None:
            for event in peer.events(kind):
                if all(event.get(k) == v for k, v in fields.items()):
                    return event
            return None

        self.until(found, timeout, f"{peer.name} {kind} {fields}")
        result = found()
        assert result is not None
        return result

    def record_phase(
        self, call_id: str, peers: list[tuple[Peer, Path]], seconds: float = 1.2
    ) -> Path:
        """Record `seconds` of the call at our end and at each peer; returns our file."""
        for peer, path in peers:
            peer.record_start(path)
        ours = Path(self.engine.start_recording(call_id))
        self.settle(seconds)
        self.engine.stop_recording(call_id)
        for peer, _ in peers:
            peer.record_stop()
        self.settle(0.15)  # the WAV is complete a bridge tick after its port goes
        return ours


def agent_config(kamailio: Kamailio, user: str = "agent1001", **changes: Any) -> PhoneConfig:
    account = AccountConfig(
        id="main",
        user=user,
        password=RIG_USERS[user],
        domain=f"{kamailio.domain}:{kamailio.port}",
        reg_expiry_s=60,
        reg_retry_s=3,
    )
    for key, value in changes.pop("account", {}).items():
        setattr(account, key, value)
    config = PhoneConfig(accounts=[account], bind_address="127.0.0.1", log_level=0)
    for key, value in changes.items():
        setattr(config, key, value)
    return config


@pytest.fixture
def make_agent(kamailio: Kamailio, tmp_path: Path) -> Iterator[Callable[..., AgentPhone]]:
    """make_agent(**config changes) -> a started engine (registration not awaited)."""
    require_pjsua2()
    started: list[PhoneEngine] = []

    def make(**changes: Any) -> AgentPhone:
        engine = PhoneEngine(agent_config(kamailio, **changes), tmp_path / f"agent{len(started)}")
        phone = AgentPhone(engine, kamailio)
        engine.start()
        started.append(engine)
        return phone

    try:
        yield make
    finally:
        for engine in started:
            engine.shutdown()


@pytest.fixture
def agent(make_agent: Callable[..., AgentPhone]) -> AgentPhone:
    """The agent's phone, registered as agent1001, its microphone a 1000 Hz tone."""
    phone = make_agent()
    phone.until(phone.engine.is_registered, 5, "agent registered")
    phone.engine.use_tone_as_microphone(AGENT_TONE)
    return phone
