"""Call set-up time, CPU and memory per call, and Qt event-loop lag, through a real Kamailio.

The agent is SeatDesk's own engine (agent_app/phone) under its Qt adapter, registered to the
test rig's Kamailio on 127.0.0.1; the far end is SIPp answering and echoing RTP. Phases:
1. `--calls` sequential calls (default 100): set-up = dial() to the call confirmed (ACK sent),
   as the engine reports it; median and p95.
2. `--parallel` simultaneous calls (default 10) held for `--hold` seconds, with a tone sent
   into each: the agent process's CPU (user+system over wall time, % of one core) against
   the same process registered and idle; resident memory; and the lag of a 10 ms Qt timer
   running beside the phone's own poll timer (p99).
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, QTimer  # noqa: E402

from agent_app.phone import events as ev  # noqa: E402
from agent_app.phone.config import AccountConfig, PhoneConfig  # noqa: E402
from agent_app.qtphone import QtPhone  # noqa: E402
from tests.rig import free_port  # noqa: E402
from tests.rig.kamailio import Kamailio  # noqa: E402

USER, PASSWORD = "bench1001", "bench-pw-1001"
SCENARIO = ROOT / "tests" / "rig" / "scenarios" / "uas_echo.xml"  # answers, echoes RTP
ECHO = "9196"  # the echo service's number, routed by Kamailio to SIPp


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Bench:
    def __init__(self, app: QCoreApplication, phone: QtPhone) -> None:
        self.app = app
        self.phone = phone
        self.engine = phone.engine
        self.confirmed_at: dict[str, float] = {}
        self.ended: set[str] = set()
        self.last_dial = 0.0
        phone.callChanged.connect(self._on_call)

    def _on_call(self, event: ev.CallEvent) -> None:
        if event.call.state == ev.ACTIVE and event.call.id not in self.confirmed_at:
            self.confirmed_at[event.call.id] = time.perf_counter()
        if event.kind == "ended":
            self.ended.add(event.call.id)

    def spin(self, until, timeout: float) -> bool:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                return False
            self.app.processEvents()
            time.sleep(0.001)
        return True

    def run_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        self.spin(lambda: time.monotonic() >= end, seconds + 1)

    def one_call(self, target: str) -> float:
        # One call per 100 ms at most: pjlib reuses a closed socket only after 500 ms (see
        # SOCKET_REUSE_S in agent_app/phone/engine.py), and no agent dials faster than this.
        wait = self.last_dial + 0.1 - time.perf_counter()
        if wait > 0:
            self.run_for(wait)
        started = self.last_dial = time.perf_counter()
        call_id = self.engine.dial(target)
        if not self.spin(lambda: call_id in self.confirmed_at or call_id in self.ended, 10):
            raise RuntimeError("call did not connect")
        if call_id not in self.confirmed_at:
            raise RuntimeError("call failed")
        setup = (self.confirmed_at[call_id] - started) * 1000
        self.engine.hangup(call_id)
        self.spin(lambda: call_id in self.ended, 10)
        return setup


class LagProbe:
    """A 10 ms precise timer beside the phone's poll timer; lag = interval beyond 10 ms."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.clock = QElapsedTimer()
        self.lags: list[float] = []
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.lags.clear()
        self.clock.start()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        elapsed = self.clock.nsecsElapsed() / 1e6
        self.clock.restart()
        self.lags.append(max(0.0, elapsed - 10.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=10)
    parser.add_argument(
        "--transport",
        choices=["tcp", "udp"],
        default="tcp",
        help="agent to Kamailio (over UDP each challenged INVITE holds a pjsua slot for 32 s)",
    )
    parser.add_argument("--hold", type=float, default=10.0, help="seconds the parallel calls run")
    args = parser.parse_args()
    if not shutil.which("sipp"):
        print("SIPp is missing (Debian package sip-tester)", file=sys.stderr)
        return 2

    app = QCoreApplication.instance() or QCoreApplication(sys.argv)
    workdir = Path(tempfile.mkdtemp(prefix="seatdesk-bench-calls-"))
    sipp_port = free_port()
    sipp = subprocess.Popen(
        ["sipp", "-sf", str(SCENARIO), "-i", "127.0.0.1", "-p", str(sipp_port), "-rtp_echo",
         "-nostdin", "-trace_err", "-trace_msg", "-error_file", str(workdir / "sipp-errors.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir,
    )  # fmt: skip
    kamailio = Kamailio(workdir / "kam", {USER: PASSWORD}, {ECHO: f"127.0.0.1:{sipp_port}"})
    phone: QtPhone | None = None
    try:
        kamailio.start()
        account = AccountConfig(
            id="bench",
            user=USER,
            password=PASSWORD,
            domain=f"127.0.0.1:{kamailio.port}",
            transport=args.transport,
        )
        config = PhoneConfig(
            accounts=[account],
            bind_address="127.0.0.1",
            log_level=int(os.environ.get("PJ_LOG", "0")),
        )
        config.max_calls = args.parallel + 2
        phone = QtPhone(config, workdir / "data")
        bench = Bench(app, phone)
        phone.start()
        if not bench.spin(lambda: phone.engine.is_registered(), 10):
            raise RuntimeError("the bench phone did not register")
        bench.one_call(ECHO)  # warm-up: first-call allocations, codec init

        setups = [bench.one_call(ECHO) for _ in range(args.calls)]
        print(
            f"sequential: {len(setups)} calls, setup median {statistics.median(setups):.2f} ms,"
            f" p95 {percentile(setups, 95):.2f} ms, max {max(setups):.2f} ms",
            file=sys.stderr,
        )

        probe = LagProbe()
        probe.start()
        cpu0, wall0 = cpu_seconds(), time.monotonic()
        bench.run_for(args.hold)
        idle_cpu_pct = 100 * (cpu_seconds() - cpu0) / (time.monotonic() - wall0)
        idle_lag = list(probe.lags)
        idle_rss = rss_mb()

        phone.engine.use_tone_as_microphone(1000)
        ids = [phone.engine.dial(ECHO) for _ in range(args.parallel)]
        if not bench.spin(lambda: all(i in bench.confirmed_at for i in ids), 20):
            raise RuntimeError("not every parallel call connected")
        bench.run_for(1.0)  # media settled
        probe.start()
        cpu0, wall0 = cpu_seconds(), time.monotonic()
        bench.run_for(args.hold)
        busy_cpu_pct = 100 * (cpu_seconds() - cpu0) / (time.monotonic() - wall0)
        busy_lag = list(probe.lags)
        probe.stop()
        busy_rss = rss_mb()
        for call_id in ids:
            phone.engine.hangup(call_id)
        bench.spin(lambda: all(i in bench.ended for i in ids), 10)

        result = {
            "calls": len(setups),
            "transport": args.transport,
            "setup_median_ms": round(statistics.median(setups), 2),
            "setup_p95_ms": round(percentile(setups, 95), 2),
            "parallel_calls": args.parallel,
            "cpu_pct_idle": round(idle_cpu_pct, 2),
            "cpu_pct_with_calls": round(busy_cpu_pct, 2),
            "cpu_pct_per_call": round(busy_cpu_pct / args.parallel, 2),
            "cpu_pct_per_call_net": round((busy_cpu_pct - idle_cpu_pct) / args.parallel, 2),
            "rss_mb": round(busy_rss, 1),
            "rss_mb_idle": round(idle_rss, 1),
            "loop_lag_p99_ms": round(percentile(busy_lag, 99), 2),
            "loop_lag_p99_idle_ms": round(percentile(idle_lag, 99), 2),
            "loop_lag_max_ms": round(max(busy_lag, default=0.0), 2),
        }
        print(json.dumps(result))
        return 0
    finally:
        if phone is not None:
            phone.shutdown()
        kamailio.stop()
        sipp.terminate()
        try:
            sipp.wait(5)
        except subprocess.TimeoutExpired:
            sipp.kill()
            sipp.wait()
        if not os.environ.get("KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(workdir, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
