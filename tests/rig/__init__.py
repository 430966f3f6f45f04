"""The SIP test rig: Kamailio as registrar/proxy, SIPp scenarios, pjsua2 peer processes and
audio checks (Goertzel/RMS), all on 127.0.0.1. Pytest fixtures live in tests/rig/fixtures.py.

This package file holds the few helpers the rig modules share: free ports and stopping child
processes for sure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading

HOST = "127.0.0.1"


def free_port(*, udp: bool = True, tcp: bool = True, span: int = 1) -> int:
    """A port on 127.0.0.1 that is free right now for UDP and/or TCP.

    `span` > 1 asks for that many consecutive free ports starting at the returned one (SIPp's
    RTP echo uses media_port and media_port + 2). The port is released before returning, so
    another process could take it meanwhile; on loopback in tests that is rare enough.
    """
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((HOST, 0))
            base = probe.getsockname()[1]
        if base + span > 65535:
            continue
        if all(_is_free(base + i, udp=udp, tcp=tcp) for i in range(span)):
            return base
    raise RuntimeError("no free port found on 127.0.0.1")


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
