"""The SIP test rig: Kamailio as registrar/proxy, SIPp scenarios, pjsua2 peer processes and
audio checks (Goertzel/RMS), all on 127.0.0.1. Pytest fixtures live in tests/rig/fixtures.py.

This package file holds the few helpers the rig modules share: free ports (a block per pytest-xdist
worker) and stopping child processes for sure.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading

HOST = "127.0.0.1"


# Ports the tests hand to child processes come from a band below Linux's ephemeral range
# (32768-60999, where bind(0) and outgoing connections draw from), cut into one block per
# pytest-xdist worker. A port is probed and then released before the child binds it; with
# disjoint blocks no other worker of the run can be handed it in that gap.
PORT_BAND_FIRST = 20000
PORT_BLOCK = 1000
PORT_BLOCKS = 12  # 20000-31999: the run without xdist, then gw0..gw10 (more wrap around)
_cursor: int | None = None


def worker_index() -> int:
    """0 for a run without pytest-xdist, 1 + N for its worker gwN (PYTEST_XDIST_WORKER)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and worker[2:].isdigit():
        return 1 + int(worker[2:])
    return 0


def port_block() -> range:
    """This process's block of ports for free_port (disjoint from other xdist workers')."""
    first = PORT_BAND_FIRST + (worker_index() % PORT_BLOCKS) * PORT_BLOCK
    return range(first, first + PORT_BLOCK)


# pjsua2 peers (tests/rig/peer.py) take RTP/RTCP ports from a block of their own per worker,
# below the free_port band: pjsua steps through it by two until a bind succeeds.
RTP_BAND_FIRST = 10000
RTP_BLOCK = 800


def rtp_block() -> range:
    """This process's block of RTP ports for pjsua2 peers (disjoint from other workers')."""
    first = RTP_BAND_FIRST + (worker_index() % PORT_BLOCKS) * RTP_BLOCK
    return range(first, first + RTP_BLOCK)


def free_port(*, udp: bool = True, tcp: bool = True, span: int = 1) -> int:
    """A port on 127.0.0.1 that is free right now for UDP and/or TCP.

    `span` > 1 asks for that many consecutive free ports starting at the returned one (SIPp's
    RTP echo uses media_port and media_port + 2). The port is released before returning; it
    comes from this worker's own block (port_block), so parallel workers never get the same
    one. A cursor walks the block, so a port handed out is not offered again soon (a child that
    just exited may still hold it); it starts at a random place because separate pytest runs
    on one machine (not workers of one run) share the blocks.
    """
    global _cursor
    block = port_block()
    if _cursor is None:
        _cursor = random.randrange(len(block))
    for _ in range(len(block)):
        base = block[0] + _cursor % len(block)
        _cursor = (_cursor + span) % len(block)
        if base + span > block.stop:
            continue
        if all(_is_free(base + i, udp=udp, tcp=tcp) for i in range(span)):
            return base
    raise RuntimeError(f"no free port found on 127.0.0.1 in {block[0]}-{block[-1]}")


def _is_free(port: int, *, udp: bool, tcp: bool) -> bool:
    kinds = ([socket.SOCK_DGRAM] if udp else []) + ([socket.SOCK_STREAM] if tcp else [])
    for kind in kinds:
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                return False
    return True


def udp_port_bound(port: int) -> bool:
    """Whether some process has a UDP socket bound to 127.0.0.1:port (or the wildcard)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def orphan_proof(argv: list[str]) -> list[str]:
    """argv, run so that the child gets SIGTERM if this process dies without stopping it.

    On Linux with util-linux's setpriv: `setpriv --pdeathsig TERM -- argv...` (it execs the
    program, so the pid stays the child's). The signal fires when the creating *thread*
    ends, so this applies only when called on the main thread; elsewhere argv is unchanged.
    """
    if not sys.platform.startswith("linux"):
        return argv
    if threading.current_thread() is not threading.main_thread():
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return argv
    return [setpriv, "--pdeathsig", "TERM", "--", *argv]


def stop_process(proc: subprocess.Popen[bytes] | subprocess.Popen[str], grace: float = 3.0) -> int:
    """SIGTERM, then SIGKILL to the whole process group after `grace` seconds; always reaped.

    The child must have been started with start_new_session=True (its own process group), so
    workers it forked die with it. Returns the exit code (negative: killed by that signal).
    """
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    # Whatever is left of the group (forked workers included) goes now.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        return proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process immune to SIGKILL
        proc.kill()
        return proc.wait()
