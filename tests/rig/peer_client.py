"""Drive a pjsua2 phone in its own process (tests/rig/peer.py) from a test.

    with Peer("customer", tmp_path) as customer:
        customer.register("customer2001", "pw", kam.registrar_uri)   # -> reg_state event
        call_id = customer.call(kam.uri("agent1001"))
        customer.wait_call_state("CONFIRMED", call_id)

Every method sends one command and waits for its reply (PeerError when the peer refuses).
Events are kept in arrival order; `wait_event` takes (consumes) the first one that matches,
including events that arrived before the call, so nothing is missed between a command and
the wait. `close()` always ends and reaps the process.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from tests.rig import orphan_proof, stop_process

PEER_SCRIPT = Path(__file__).with_name("peer.py")
REPO_ROOT = Path(__file__).resolve().parents[2]

Event = dict[str, Any]
Matcher = str | Callable[[Event], bool]


class PeerError(RuntimeError):
    """The peer refused a command, died, or did not answer in time."""


class Peer:
    """One far-end phone process; see tests/rig/peer.py for the commands and events."""

    script = PEER_SCRIPT  # the process's program (tests/rig/engine_peer.py runs our engine)

    def __init__(
        self,
        name: str = "peer",
        workdir: Path | None = None,
        *,
        log_level: int = 4,
        start: bool = True,
        start_timeout: float = 10.0,
    ) -> None:
        self.name = name
        if workdir is None:
            workdir = Path(tempfile.mkdtemp(prefix=f"peer-{name}-"))
        self.workdir = Path(workdir)
        self.log_path = self.workdir / f"{name}.pjsua.log"
        self.stderr_path = self.workdir / f"{name}.stderr.log"
        self.log_level = log_level
        self.udp_port = 0
        self.tcp_port = 0
        self.returncode: int | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: IO[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._cond = threading.Condition()
        self._pending: list[Event] = []  # events not yet taken by wait_event
        self._history: list[Event] = []  # every event, in order
        self._replies: dict[int, Event] = {}
        self._ids = itertools.count(1)
        self._eof = False
        if start:
            self.start(start_timeout)

    # -- process -----------------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        if self._proc is not None:
            raise PeerError(f"peer {self.name} already started")
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        env["PYTHONUNBUFFERED"] = "1"
        self._stderr = open(self.stderr_path, "ab")  # noqa: SIM115 - closed in close()
        self._proc = subprocess.Popen(
            orphan_proof(
                [
                    sys.executable,
                    str(self.script),
                    "--log",
                    str(self.log_path),
                    "--log-level",
                    str(self.log_level),
                ]
            ),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            cwd=self.workdir,
            text=True,
            encoding="utf-8",
            bufsize=1,
            start_new_session=True,
        )
        self._reader = threading.Thread(
            target=self._read_stdout, name=f"peer-{self.name}", daemon=True
        )
        self._reader.start()
        try:
            ready = self.wait_event("ready", timeout=timeout)
        except BaseException:
            self.close()
            raise
        self.udp_port = int(ready["udp_port"])
        self.tcp_port = int(ready["tcp_port"])

    def close(self, timeout: float = 3.0) -> int | None:
        """Ask the peer to quit (hang up, unregister, destroy); kill it if it lingers."""
        proc = self._proc
        if proc is None:
            return self.returncode
        if proc.poll() is None and proc.stdin is not None:
            try:
                proc.stdin.write(json.dumps({"id": 0, "cmd": "quit"}) + "\n")
                proc.stdin.flush()
                proc.stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=timeout)
        self.returncode = stop_process(proc, grace=1.0)
        if self._reader is not None:
            self._reader.join(timeout=2)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self._proc = None
        return self.returncode

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> Peer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _read_stdout(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        for line in proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                msg = {"type": "noise", "line": line}
            with self._cond:
                if msg.get("type") == "reply" and isinstance(msg.get("id"), int):
                    self._replies[msg["id"]] = msg
                else:
                    self._pending.append(msg)
                    self._history.append(msg)
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def diagnostics(self) -> str:
        """The tail of the peer's stderr and pjsua2 log, for failure messages."""
        parts = []
        for path in (self.stderr_path, self.log_path):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:
                continue
            parts.append(f"--- {path.name} (tail)\n{text[-3000:]}")
        return "\n".join(parts)

    # -- protocol ----------------------------------------------------------------------------
    def request(self, cmd: str, timeout: float = 5.0, **args: Any) -> Any:
        """Send one command; return its result or raise PeerError."""
        proc = self._proc
        if proc is None or proc.stdin is None or proc.poll() is not None:
            raise PeerError(f"peer {self.name} is not running")
        req_id = next(self._ids)
        payload = {"id": req_id, "cmd": cmd, **{k: v for k, v in args.items() if v is not None}}
        try:
            proc.stdin.write(json.dumps(payload) + "\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise PeerError(f"peer {self.name} is gone: {exc}") from exc
        deadline = time.monotonic() + timeout
        with self._cond:
            while req_id not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    why = "exited" if self._eof else f"did not answer within {timeout} s"
                    raise PeerError(f"peer {self.name} {why} ({cmd})\n{self.diagnostics()}")
                self._cond.wait(left)
            reply = self._replies.pop(req_id)
        if not reply.get("ok"):
            raise PeerError(f"peer {self.name}: {cmd} failed: {reply.get('error')}")
        return reply.get("result")

    def wait_event(self, match: Matcher, timeout: float = 5.0, **fields: Any) -> Event:
        """Take the first unconsumed event matching `match` (an event type, or a predicate)
        and every `field=value` (a value may be a predicate too); wait up to `timeout` s."""

        def ok(event: Event) -> bool:
            if isinstance(match, str):
                if event.get("type") != match:
                    return False
            elif not match(event):
                return False
            for key, want in fields.items():
                have = event.get(key)
                if callable(want):
                    if not want(have):
                        return False
                elif have != want:
                    return False
            return True

        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for index, event in enumerate(self._pending):
                    if ok(event):
                        del self._pending[index]
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    what = match if isinstance(match, str) else getattr(match, "__name__", "?")
                    seen = [e.get("type") for e in self._history[-15:]]
                    why = "exited" if self._eof else f"no such event within {timeout} s"
                    raise PeerError(
                        f"peer {self.name}: waiting for {what} {fields}: {why}; "
                        f"recent events {seen}\n{self.diagnostics()}"
                    )
                self._cond.wait(left)

    def events(self, kind: str | None = None) -> list[Event]:
        """Every event seen so far (consumed or not), optionally of one type."""
        with self._cond:
            return [e for e in self._history if kind is None or e.get("type") == kind]

    def clear_events(self) -> None:
        """Forget unconsumed events (the history stays)."""
        with self._cond:
            self._pending.clear()

    # -- commands ----------------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        result: dict[str, Any] = self.request("info")
        return result

    def register(
        self,
        user: str,
        password: str | None,
        registrar: str,
        transport: str = "udp",
        *,
        wait: bool = True,
        timeout: float = 5.0,
        expires: int = 300,
        display_name: str | None = None,
    ) -> Event | None:
        """Create the account and REGISTER; with wait=True return the first final reg_state
        event (code 200 when registered, 401/403 when refused)."""
        self.request(
            "register",
            user=user,
            password=password,
            registrar=registrar,
            transport=transport,
            expires=expires,
            display_name=display_name,
        )
        if not wait:
            return None
        return self.wait_event("reg_state", timeout=timeout)

    def identity(
        self,
        user: str,
        proxy: str,
        transport: str = "udp",
        *,
        password: str | None = None,
        display_name: str | None = None,
    ) -> None:
        """An account that does not REGISTER but sends its calls through `proxy` (a URI such
        as kamailio.proxy_uri()): a caller from 'outside', or a local user with a password."""
        self.request(
            "register",
            user=user,
            password=password,
            registrar="",
            transport=transport,
            proxy=proxy,
            register=False,
            display_name=display_name,
        )

    def unregister(self, *, wait: bool = True, timeout: float = 5.0) -> Event | None:
        self.request("unregister")
        if not wait:
            return None
        return self.wait_event("reg_state", timeout=timeout, registered=False)

    def call(self, uri: str, headers: dict[str, str] | None = None) -> int:
        return int(self.request("call", uri=uri, headers=headers))

    def answer(self, code: int = 200, call_id: int | None = None) -> None:
        self.request("answer", code=code, call_id=call_id)

    def reject(self, code: int = 486, call_id: int | None = None) -> None:
        self.request("reject", code=code, call_id=call_id)

    def hangup(self, call_id: int | None = None, code: int | None = None) -> None:
        self.request("hangup", call_id=call_id, code=code)

    def hold(self, call_id: int | None = None) -> None:
        self.request("hold", call_id=call_id)

    def unhold(self, call_id: int | None = None) -> None:
        self.request("unhold", call_id=call_id)

    def send_dtmf(self, digits: str, method: str = "rfc2833", call_id: int | None = None) -> None:
        self.request("send_dtmf", digits=digits, method=method, call_id=call_id)

    def transfer(self, target: str, call_id: int | None = None) -> None:
        """Blind transfer (REFER) of the call to `target`."""
        self.request("transfer", target=target, call_id=call_id)

    def send_message(self, body: str, call_id: int | None = None) -> None:
        """An in-dialog MESSAGE (text/plain)."""
        self.request("send_message", body=body, call_id=call_id)

    def play_tone(self, freq_hz: float, freq2_hz: float = 0, volume: int = 0) -> None:
        self.request("play_tone", freq_hz=freq_hz, freq2_hz=freq2_hz, volume=volume or None)

    def stop_tone(self) -> None:
        self.request("stop_tone")

    def play_file(self, path: str | Path, loop: bool = True) -> None:
        self.request("play_file", path=str(path), loop=loop)

    def stop_file(self) -> None:
        self.request("stop_file")

    def record_start(self, path: str | Path) -> None:
        self.request("record_start", path=str(path))

    def record_stop(self) -> None:
        """Stop recording; the WAV file is complete when this returns."""
        self.request("record_stop")

    def auto_answer(self, enabled: bool = True, code: int = 200) -> None:
        self.request("auto_answer", enabled=enabled, code=code)

    def set_ring(self, enabled: bool = True) -> None:
        self.request("set_ring", enabled=enabled)

    def accept_transfers(self, enabled: bool = True) -> None:
        self.request("accept_transfers", enabled=enabled)

    # -- conveniences ------------------------------------------------------------------------
    def wait_call_state(
        self, state: str, call_id: int | None = None, timeout: float = 5.0
    ) -> Event:
        fields: dict[str, Any] = {"state": state}
        if call_id is not None:
            fields["call_id"] = call_id
        return self.wait_event("call_state", timeout=timeout, **fields)

    def wait_incoming(self, timeout: float = 5.0) -> Event:
        return self.wait_event("incoming_call", timeout=timeout)

    def wait_media(
        self, status: str = "ACTIVE", call_id: int | None = None, timeout: float = 5.0
    ) -> Event:
        fields: dict[str, Any] = {"status": status}
        if call_id is not None:
            fields["call_id"] = call_id
        return self.wait_event("media_state", timeout=timeout, **fields)
