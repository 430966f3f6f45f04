"""Call set-up time, CPU and memory per call, and Qt event-loop lag, through a real Kamailio.

The agent is SeatDesk's own engine (agent_app/phone) under its Qt adapter, registered to the
test rig's Kamailio on 127.0.0.1; the far end is SIPp answering and echoing RTP. Phases:
1. `--calls` sequential calls (default 100): set-up = dial() to the call confirmed (ACK sent),
   as the engine reports it; median and p95.
2. `--parallel` simultaneous calls (default 10) held for `--hold` seconds, with a tone sent
   into each. The pjsua2 wheels allow 4 calls per process (PJSUA_MAX_CALLS, see
   agent_app/phone/engine.py), so the calls are spread over agent processes of at most 4
   calls each (10 -> 4 + 4 + 2), all up at the same time. Each process reports its CPU
   (user+system over wall time, % of one core) with its calls and registered but idle, its
   resident memory, and the lag of a 10 ms Qt timer beside the phone's poll timer (p99).
With `--soak` only phase 1 runs, for as many calls as `--calls` says, all in one process: it
is the check that a long-running agent process (2,000 calls, a day's work and more) never
aborts, e.g. on the binding's reference-count leak (agent_app/phone/binding_guard.py). It
also reports the lowest reference count of None/True/False seen between calls.
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
from agent_app.phone.qt.qt_phone import QtPhone  # noqa: E402
from tests.rig.kamailio import Kamailio  # noqa: E402
from tests.rig.sipp import run_sipp  # noqa: E402

USERS = {f"bench{1001 + i}": f"bench-pw-{1001 + i}" for i in range(8)}
CALLS_PER_PROCESS = 4
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


def singleton_refcount() -> int:
    """The lowest reference count of None, True and False (the binding's leak lowers them)."""
    return min(sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))


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


def start_phone(app: QCoreApplication, port: int, user: str, transport: str, data: Path):
    account = AccountConfig(
        id="bench",
        user=user,
        password=USERS[user],
        domain=f"127.0.0.1:{port}",
        transport=transport,
    )
    log_level = int(os.environ.get("PJ_LOG", "0"))
    config = PhoneConfig(accounts=[account], bind_address="127.0.0.1", log_level=log_level)
    phone = QtPhone(config, data)
    bench = Bench(app, phone)
    phone.start()
    if not bench.spin(lambda: phone.engine.is_registered(), 10):
        raise RuntimeError(f"{user} did not register")
    return phone, bench


def worker(args: argparse.Namespace, app: QCoreApplication) -> int:
    """One agent process holding `--worker-calls` calls: prints one JSON line."""
    data = Path(tempfile.mkdtemp(prefix="seatdesk-bench-worker-"))
    phone, bench = start_phone(app, args.port, args.user, args.transport, data)
    try:
        probe = LagProbe()
        probe.start()
        cpu0, wall0 = cpu_seconds(), time.monotonic()
        bench.run_for(args.hold)
        idle_cpu = 100 * (cpu_seconds() - cpu0) / (time.monotonic() - wall0)
        phone.engine.use_tone_as_microphone(1000)
        ids = []
        for _ in range(args.worker_calls):
            ids.append(phone.engine.dial(ECHO))
            bench.run_for(0.1)
        if not bench.spin(lambda: all(i in bench.confirmed_at for i in ids), 20):
            raise RuntimeError("not every call connected")
        bench.run_for(1.0)  # media settled
        probe.start()
        cpu0, wall0 = cpu_seconds(), time.monotonic()
        bench.run_for(args.hold)
        busy_cpu = 100 * (cpu_seconds() - cpu0) / (time.monotonic() - wall0)
        lags = list(probe.lags)
        probe.stop()
        rss = rss_mb()
        for call_id in ids:
            phone.engine.hangup(call_id)
        bench.spin(lambda: all(i in bench.ended for i in ids), 10)
        print(json.dumps({
            "calls": len(ids), "cpu_pct_idle": idle_cpu, "cpu_pct_busy": busy_cpu,
            "rss_mb": rss, "lag_p99_ms": percentile(lags, 99), "lag_max_ms": max(lags),
        }))  # fmt: skip
        return 0
    finally:
        phone.shutdown()
        shutil.rmtree(data, ignore_errors=True)


def run_workers(args: argparse.Namespace, port: int) -> list[dict[str, float]]:
    counts = [CALLS_PER_PROCESS] * (args.parallel // CALLS_PER_PROCESS)
    if args.parallel % CALLS_PER_PROCESS:
        counts.append(args.parallel % CALLS_PER_PROCESS)
    users = [u for u in USERS if u != "bench1001"]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                "--port",
                str(port),
                "--user",
                users[i],
                "--worker-calls",
                str(n),
                "--hold",
                str(args.hold),
                "--transport",
                args.transport,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i, n in enumerate(counts)
    ]
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=args.hold * 2 + 60)
        if proc.returncode != 0:
            raise RuntimeError(f"bench worker failed ({proc.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=10)
    parser.add_argument("--transport", choices=["tcp", "udp"], default="udp")
    parser.add_argument("--hold", type=float, default=10.0, help="seconds the parallel calls run")
    parser.add_argument(
        "--soak", action="store_true", help="sequential calls only, e.g. --soak --calls 2000"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    parser.add_argument("--worker-calls", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    app = QCoreApplication.instance() or QCoreApplication(sys.argv)
    if args.worker:
        return worker(args, app)
    if not shutil.which("sipp"):
        print("SIPp is missing (Debian package sip-tester)", file=sys.stderr)
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="seatdesk-bench-calls-"))
    sipp = run_sipp("uas_echo", calls=None, timeout=None, trace_msg=False, workdir=workdir)
    sipp.wait_ready()
    kamailio = Kamailio(workdir / "kam", USERS, {ECHO: f"127.0.0.1:{sipp.local_port}"})
    phone: QtPhone | None = None
    try:
        kamailio.start()
        phone, bench = start_phone(app, kamailio.port, "bench1001", args.transport, workdir / "d")
        bench.one_call(ECHO)  # warm-up: first-call allocations, codec init
        setups = []
        lowest = singleton_refcount()
        started = time.monotonic()
        for n in range(args.calls):
            setups.append(bench.one_call(ECHO))
            lowest = min(lowest, singleton_refcount())
            if args.soak and (n + 1) % 250 == 0:
                print(f"{n + 1} calls, {time.monotonic() - started:.0f} s", file=sys.stderr)
        print(
            f"sequential: {len(setups)} calls, setup median {statistics.median(setups):.2f} ms,"
            f" p95 {percentile(setups, 95):.2f} ms, max {max(setups):.2f} ms",
            file=sys.stderr,
        )
        phone.shutdown()
        phone = None
        if args.soak:
            print(json.dumps({
                "calls": len(setups), "transport": args.transport, "aborted": False,
                "setup_median_ms": round(statistics.median(setups), 2),
                "setup_p95_ms": round(percentile(setups, 95), 2),
                "wall_s": round(time.monotonic() - started, 1), "rss_mb": round(rss_mb(), 1),
                "lowest_singleton_refcount": lowest,
            }))  # fmt: skip
            return 0

        workers = run_workers(args, kamailio.port)
        for i, w in enumerate(workers):
            print(f"agent process {i + 1}: {json.dumps(w)}", file=sys.stderr)
        total_calls = sum(w["calls"] for w in workers)
        busy = sum(w["cpu_pct_busy"] for w in workers)
        idle = sum(w["cpu_pct_idle"] for w in workers)
        result = {
            "calls": len(setups),
            "transport": args.transport,
            "setup_median_ms": round(statistics.median(setups), 2),
            "setup_p95_ms": round(percentile(setups, 95), 2),
            "parallel_calls": total_calls,
            "agent_processes": len(workers),
            "cpu_pct_per_call": round(busy / total_calls, 2),
            "cpu_pct_per_call_net": round((busy - idle) / total_calls, 2),
            "cpu_pct_idle_per_process": round(idle / len(workers), 2),
            "rss_mb": round(max(w["rss_mb"] for w in workers), 1),
            "loop_lag_p99_ms": round(max(w["lag_p99_ms"] for w in workers), 2),
            "loop_lag_max_ms": round(max(w["lag_max_ms"] for w in workers), 2),
        }
        print(json.dumps(result))
        return 0
    finally:
        if phone is not None:
            phone.shutdown()
        kamailio.stop()
        sipp.stop()
        if not os.environ.get("KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
