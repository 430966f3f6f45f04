"""Pytest fixtures of the SIP test rig (registered for the whole suite in tests/conftest.py).

* `kamailio` (module scope): a running Kamailio with the RIG_USERS below; each test module gets
  its own, with an empty location table. Peers unregister when they close, so tests in one
  module do not see each other's registrations.
* `make_peer(name)`: pjsua2 phones in their own processes, closed (and reaped) after the test.
* `sipp(scenario, remote=None, **kwargs)`: SIPp runs (tests/rig/sipp.py run_sipp), stopped
  after the test.
* `register_peer(make_peer, kamailio, user)`: a peer registered as a rig user, in one line.

When kamailio, sipp or pjsua2 is missing the tests that need them are skipped, but fail under
CI=true: CI must never skip them silently (the same rule as tests/helpers/postgres.py).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.rig.kamailio import Kamailio, kamailio_binary, kamcmd_binary, modules_dir
from tests.rig.peer_client import Peer
from tests.rig.sipp import SippProcess, run_sipp, sipp_binary

# The users of the rig's Kamailio and their passwords.
RIG_USERS: dict[str, str] = {
    "agent1001": "agent1001-secret",
    "agent1002": "agent1002-secret",
    "agent1003": "agent1003-secret",
    "supervisor3001": "supervisor3001-secret",
    "customer2001": "customer2001-secret",
    "customer2002": "customer2002-secret",
    "customer2003": "customer2003-secret",
}

PeerFactory = Callable[..., Peer]
SippFactory = Callable[..., SippProcess]


def missing(reason: str) -> None:
    """Skip the test, or fail it when running in CI (CI=true)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must not skip the SIP rig tests)")
    pytest.skip(reason)


def require_kamailio() -> None:
    if kamailio_binary() is None or kamcmd_binary() is None or modules_dir() is None:
        missing("kamailio is not installed (Debian package kamailio; ./test installs it as root)")


def require_sipp() -> None:
    if sipp_binary() is None:
        missing("sipp is not installed (Debian package sip-tester; ./test installs it as root)")


def require_pjsua2() -> None:
    if importlib.util.find_spec("pjsua2") is None:
        missing("pjsua2 is not importable (pip package pjsua2-python)")


@pytest.fixture(scope="module")
def kamailio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kamailio]:
    """A running Kamailio on 127.0.0.1 with RIG_USERS, shared by the tests of one module."""
    require_kamailio()
    kam = Kamailio(tmp_path_factory.mktemp("kamailio"), RIG_USERS)
    kam.start()
    try:
        yield kam
    finally:
        kam.stop()


@pytest.fixture
def make_peer(tmp_path: Path) -> Iterator[PeerFactory]:
    """make_peer("customer") -> a started Peer; all are closed after the test."""
    require_pjsua2()
    peers: list[Peer] = []

    def make(name: str = "peer", **kwargs: Any) -> Peer:
        if name == "peer" or any(p.name == name for p in peers):
            name = f"{name}-{len(peers)}"  # unique: the name names the peer's log files
        peer = Peer(name, tmp_path / "peers", **kwargs)
        peers.append(peer)
        return peer

    try:
        yield make
    finally:
        for peer in reversed(peers):
            peer.close()


@pytest.fixture
def sipp(tmp_path: Path) -> Iterator[SippFactory]:
    """sipp("uas_echo", calls=None, timeout=None) -> a started SippProcess, stopped after."""
    require_sipp()
    runs: list[SippProcess] = []

    def start(scenario: str, remote: str | None = None, **kwargs: Any) -> SippProcess:
        kwargs.setdefault("workdir", tmp_path / f"sipp{len(runs)}-{Path(scenario).stem}")
        proc = run_sipp(scenario, remote, **kwargs)
        runs.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in reversed(runs):
            proc.stop()


def register_peer(
    make_peer: PeerFactory,
    kamailio: Kamailio,
    user: str,
    transport: str = "udp",
    *,
    name: str | None = None,
) -> Peer:
    """A new peer registered at `kamailio` as rig user `user` (asserts it worked)."""
    peer = make_peer(name or user)
    event = peer.register(user, kamailio.users[user], kamailio.registrar_uri, transport)
    assert event is not None and event["code"] == 200, f"{user} did not register: {event}"
    kamailio.wait_registered(user, timeout=5)
    return peer
