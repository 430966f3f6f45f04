"""SIPp (Debian package sip-tester) as a child process running our scenarios on 127.0.0.1.

    uas = run_sipp("uas_echo", calls=None, timeout=None)     # an answering machine
    uas.wait_ready()
    kamailio.set_route("echo", f"127.0.0.1:{uas.local_port}")
    ...
    uas.stop()

    uac = run_sipp("uac_bye", f"127.0.0.1:{kamailio.port}", service="agent1001")
    assert uac.wait(10) == 0, uac.failure_report()

Scenarios are looked up in tests/rig/scenarios/ (name with or without .xml) unless a path is
given. Every run gets its own folder with SIPp's error, message, statistics and screen logs.
SIPp exit codes: 0 all calls succeeded, 1 some failed, 97 stopped by an internal command,
99 ended without any call, 255 fatal error, 254 could not bind its socket.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from tests.helpers.waiting import wait_until
from tests.rig import HOST, free_port, orphan_proof, stop_process, udp_port_bound

SCENARIO_DIR = Path(__file__).with_name("scenarios")
RTP_ECHO_SCENARIOS = frozenset({"uas_echo", "uas_echo_two_codecs"})
EXIT_CODES = {
    0: "all calls succeeded",
    1: "at least one call failed",
    97: "exit on internal command",
    99: "normal exit without calls processed",
    255: "fatal error",
    254: "fatal error binding a socket",
}


class SippError(RuntimeError):
    pass


def sipp_binary() -> str | None:
    return shutil.which("sipp")


def scenario_path(name: str | Path) -> Path:
    path = Path(name)
    if path.suffix != ".xml":
        path = path.with_suffix(".xml")
    if not path.is_absolute() and not path.exists():
        path = SCENARIO_DIR / path.name
    if not path.is_file():
        raise SippError(f"no SIPp scenario {name!r} (looked in {SCENARIO_DIR})")
    return path


class SippProcess:
    """One SIPp run. Build it with run_sipp(); start() launches, wait()/stop() end it."""

    def __init__(
        self,
        scenario: Path,
        remote: str | None,
        *,
        local_port: int = 0,
        media_port: int = 0,
        service: str = "service",
        calls: int | None = 1,
        rate: float = 10.0,
        limit: int | None = None,
        timeout: float | None = 30.0,
        transport: str = "udp",
        pause_ms: int = 1000,
        rtp_echo: bool = False,
        trace_msg: bool = True,
        extra_args: Sequence[str] = (),
        workdir: Path | None = None,
    ) -> None:
        self.scenario = scenario
        self.remote = remote
        self.transport = transport.lower()
        if self.transport not in ("udp", "tcp"):
            raise SippError(f"unsupported transport {transport!r} (udp or tcp)")
        self.local_port = local_port or free_port(udp=True, tcp=True)
        # RTP on media_port, RTCP +1, video +2/+3: keep four ports clear.
        self.media_port = media_port or free_port(udp=True, tcp=False, span=4)
        self.control_port = free_port(udp=True, tcp=False)
        if workdir is None:
            workdir = Path(tempfile.mkdtemp(prefix=f"sipp-{scenario.stem}-"))
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        stem = f"{scenario.stem}_{self.local_port}"
        self.error_path = self.workdir / f"{stem}_errors.log"
        self.stat_path = self.workdir / f"{stem}_stats.csv"
        self.screen_path = self.workdir / f"{stem}_screen.log"
        self.message_path = self.workdir / f"{stem}_messages.log"
        self.output_path = self.workdir / f"{stem}_output.log"
        self.returncode: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None

        args: list[str] = []
        if remote:
            args.append(remote)
        args += ["-sf", str(scenario)]
        args += ["-i", HOST, "-bind_local", "-p", str(self.local_port)]
        args += ["-mp", str(self.media_port), "-cp", str(self.control_port)]
        args += ["-t", "t1" if self.transport == "tcp" else "u1"]
        args += ["-s", service, "-r", f"{rate:g}", "-d", str(int(pause_ms))]
        if calls is not None:
            args += ["-m", str(int(calls))]
        if limit is not None:
            args += ["-l", str(int(limit))]
        if timeout is not None:
            args += ["-timeout", f"{int(round(timeout * 1000))}ms", "-timeout_error"]
        if rtp_echo:
            args.append("-rtp_echo")
        args += ["-nostdin", "-trace_err", "-error_file", str(self.error_path)]
        args += ["-trace_stat", "-stf", str(self.stat_path), "-fd", "1"]
        args += ["-trace_screen", "-screen_file", str(self.screen_path)]
        if trace_msg:
            args += ["-trace_msg", "-message_file", str(self.message_path)]
        args += list(extra_args)
        self.args = args

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> SippProcess:
        if self._proc is not None:
            raise SippError("SIPp already started")
        binary = sipp_binary()
        if binary is None:
            raise SippError("sipp is not installed (Debian package: sip-tester)")
        output = open(self.output_path, "ab")  # noqa: SIM115 - closed in _reap()
        self._output = output
        env = dict(os.environ, TERM="dumb")
        try:
            self._proc = subprocess.Popen(
                orphan_proof([binary, *self.args]),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=self.workdir,
                env=env,
                start_new_session=True,
            )
        except BaseException:
            output.close()
            self._output = None
            raise
        return self

    def wait_ready(self, timeout: float = 5.0) -> None:
        """Until SIPp's SIP port is bound (a UAS is then ready to take calls)."""
        proc = self._proc
        if proc is None:
            raise SippError("SIPp not started")

        def bound() -> bool:
            if proc.poll() is not None:
                self._reap()
                raise SippError(f"SIPp exited at start ({self.returncode})\n{self.report()}")
            return self._port_bound()

        try:
            wait_until(bound, timeout, f"SIPp to bind {HOST}:{self.local_port}", interval=0.01)
        except AssertionError as exc:
            raise SippError(str(exc)) from None

    def _port_bound(self) -> bool:
        if self.transport == "udp":
            return udp_port_bound(self.local_port)
        try:
            with socket.create_connection((HOST, self.local_port), timeout=0.2):
                return True
        except OSError:
            return False

    def wait(self, timeout: float | None = None) -> int:
        """Wait for SIPp to end by itself; returns its exit code (TimeoutError if it lingers,
        the process keeps running: call stop())."""
        proc = self._proc
        if proc is None:
            if self.returncode is None:
                raise SippError("SIPp not started")
            return self.returncode
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"SIPp still running after {timeout} s\n{self.report()}") from None
        self._reap()
        assert self.returncode is not None
        return self.returncode

    def stop(self) -> int | None:
        """End SIPp now (SIGTERM, then SIGKILL), always reaped; returns the exit code."""
        if self._proc is not None:
            self.returncode = stop_process(self._proc, grace=3.0)
            self._proc = None
        self._close_output()
        return self.returncode

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _reap(self) -> None:
        if self._proc is not None:
            self.returncode = stop_process(self._proc, grace=0.1)
            self._proc = None
        self._close_output()

    def _close_output(self) -> None:
        if self._output is not None:
            self._output.close()
            self._output = None

    def __enter__(self) -> SippProcess:
        if self._proc is None and self.returncode is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- results -----------------------------------------------------------------------------
    @property
    def address(self) -> str:
        """host:port of SIPp's SIP socket (for Kamailio.set_route or a direct call)."""
        return f"{HOST}:{self.local_port}"

    def stats(self) -> dict[str, str]:
        """The last row of SIPp's statistics CSV (e.g. SuccessfulCall(C), FailedCall(C))."""
        try:
            with open(self.stat_path, newline="", encoding="utf-8", errors="replace") as handle:
                rows = list(csv.reader(handle, delimiter=";"))
        except FileNotFoundError:
            return {}
        if len(rows) < 2:
            return {}
        return dict(zip(rows[0], rows[-1], strict=False))

    def counts(self) -> tuple[int, int]:
        """(successful, failed) calls: from the final screen once SIPp has ended (it is written
        at exit, SIGTERM included), else from the statistics file (written every second)."""
        if self._proc is None:
            try:
                screen = self.screen_path.read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:
                screen = ""
            ok = re.findall(r"Successful call\s*\|\s*\d+\s*\|\s*(\d+)", screen)
            failed = re.findall(r"Failed call\s*\|\s*\d+\s*\|\s*(\d+)", screen)
            if ok and failed:
                return int(ok[-1]), int(failed[-1])
        stats = self.stats()

        def number(key: str) -> int:
            try:
                return int(stats.get(key, "0") or 0)
            except ValueError:
                return 0

        return number("SuccessfulCall(C)"), number("FailedCall(C)")

    def report(self, tail: int = 3000) -> str:
        """Exit code meaning plus the tails of SIPp's logs, for assertion messages."""
        code = self.returncode
        meaning = "still running" if code is None else EXIT_CODES.get(code, "?")
        lines = [f"sipp {' '.join(self.args)}", f"exit {code}: {meaning}"]
        for path in (self.output_path, self.error_path, self.screen_path, self.message_path):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:
                continue
            if text.strip():
                lines.append(f"--- {path.name} (tail)\n{text[-tail:]}")
        return "\n".join(lines)


def run_sipp(
    scenario_name: str | Path,
    remote: str | None = None,
    *,
    local_port: int = 0,
    extra_args: Sequence[str] = (),
    service: str = "service",
    calls: int | None = 1,
    rate: float = 10.0,
    limit: int | None = None,
    timeout: float | None = 30.0,
    transport: str = "udp",
    pause_ms: int = 1000,
    rtp_echo: bool | None = None,
    trace_msg: bool = True,
    workdir: Path | None = None,
    start: bool = True,
) -> SippProcess:
    """Start SIPp with one of our scenarios.

    remote: "host:port" to send to (a UAC's target, e.g. Kamailio); None for a UAS.
    service: the R-URI user the scenarios call ([service]). calls: stop after that many calls
    (None: run until stopped). rate: new calls per second (UAC); limit: at most that many at
    once. timeout: SIPp gives up (and fails) after that many seconds (None: never).
    pause_ms: the scenarios' talk/hold time (-d). rtp_echo: default on for uas_echo.
    """
    path = scenario_path(scenario_name)
    if rtp_echo is None:
        rtp_echo = path.stem in RTP_ECHO_SCENARIOS
    proc = SippProcess(
        path,
        remote,
        local_port=local_port,
        service=service,
        calls=calls,
        rate=rate,
        limit=limit,
        timeout=timeout,
        transport=transport,
        pause_ms=pause_ms,
        rtp_echo=rtp_echo,
        trace_msg=trace_msg,
        extra_args=extra_args,
        workdir=workdir,
    )
    if start:
        proc.start()
    return proc
