"""Port allocation for parallel test workers (tests/rig free_port, rtp_block).

Under pytest-xdist several worker processes start Kamailio, SIPp, servers and pjsua2 peers at
once; a port probed free by one worker must never be handed to another before its child binds.
"""

from __future__ import annotations

import socket

import pytest

import tests.rig as rig
from tests.rig import HOST, free_port, port_block, rtp_block, worker_index


def as_worker(monkeypatch: pytest.MonkeyPatch, worker: str | None) -> None:
    if worker is None:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    else:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    monkeypatch.setattr(rig, "_cursor", None)  # a fresh process of that worker


def test_each_worker_draws_ports_from_its_own_block(monkeypatch: pytest.MonkeyPatch) -> None:
    handed: dict[str | None, set[int]] = {}
    for worker in (None, "gw0", "gw1", "gw2"):
        as_worker(monkeypatch, worker)
        ports = {free_port(udp=True, tcp=True) for _ in range(20)}
        assert ports <= set(port_block()), (worker, sorted(ports))
        handed[worker] = ports
    workers = list(handed)
    for i, a in enumerate(workers):
        for b in workers[i + 1 :]:
            assert not handed[a] & handed[b], (a, b)
            assert not set(port_block_of(monkeypatch, a)) & set(port_block_of(monkeypatch, b))
            assert not set(rtp_block_of(monkeypatch, a)) & set(rtp_block_of(monkeypatch, b))


def port_block_of(monkeypatch: pytest.MonkeyPatch, worker: str | None) -> range:
    as_worker(monkeypatch, worker)
    return port_block()


def rtp_block_of(monkeypatch: pytest.MonkeyPatch, worker: str | None) -> range:
    as_worker(monkeypatch, worker)
    block = rtp_block()
    # RTP ports stay clear of the free_port band and of the ephemeral range.
    assert block.stop <= rig.PORT_BAND_FIRST
    return block


def test_worker_index_follows_the_xdist_worker_id(monkeypatch: pytest.MonkeyPatch) -> None:
    as_worker(monkeypatch, None)
    assert worker_index() == 0
    as_worker(monkeypatch, "gw3")
    assert worker_index() == 4


def test_a_port_just_handed_out_is_not_offered_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # The caller's child may not have bound it yet: the next caller must get another one.
    as_worker(monkeypatch, "gw5")
    first = free_port()
    assert free_port() != first


def test_a_port_in_use_is_skipped_and_a_span_is_free(monkeypatch: pytest.MonkeyPatch) -> None:
    as_worker(monkeypatch, "gw6")
    block = port_block()
    monkeypatch.setattr(rig, "_cursor", 0)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind((HOST, block.start + 1))  # inside the span starting at the block's start
        base = free_port(udp=True, tcp=False, span=4)
        assert block.start + 1 not in range(base, base + 4)
    for port in range(base, base + 4):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((HOST, port))
