"""How soon after launch the main window is usable with the demo knowledge base.

Starts `main.py` as a user would (offscreen), with the startup probe typing a query as soon as
the window shows; the app prints when the window appeared and when the query's results were on
screen, then quits. Runs a cold start (empty data folder: demo import + index build) and several
warm starts (existing index). Target: usable within 1.5 s of launch on the demo knowledge base.
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"SEATDESK_READY window_ms=([\d.]+) results_ms=([\d.]+) count=(\d+)")


def launch(data_dir: Path, query: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SEATDESK_STARTUP_PROBE=query)
    env["SEATDESK_LAUNCHED_AT"] = repr(time.time())
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    wall_ms = (time.perf_counter() - started) * 1000
    match = READY.search(proc.stdout)
    if proc.returncode != 0 or not match:
        raise SystemExit(
            f"app did not report ready (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return {
        "process_ms": wall_ms,
        "window_ms": float(match.group(1)),
        "results_ms": float(match.group(2)),
        "count": int(match.group(3)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="warm starts to time")
    parser.add_argument("--query", default="宽带怎么报装")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seatdesk-startup-") as tmp:
        data_dir = Path(tmp) / "data"
        cold = launch(data_dir, args.query)
        print(f"cold start (demo import + index build): {cold}")
        warm = []
        for i in range(args.runs):
            run = launch(data_dir, args.query)
            warm.append(run)
            print(f"warm start {i + 1}: {run}")
    # window_ms / results_ms count from the launch (interpreter start-up included);
    # process_ms adds the app's shutdown after the results were shown.
    summary = {
        "cold_results_ms": round(cold["results_ms"], 1),
        "warm_window_ms_median": round(statistics.median(r["window_ms"] for r in warm), 1),
        "warm_results_ms_median": round(statistics.median(r["results_ms"] for r in warm), 1),
        "warm_process_ms_median": round(statistics.median(r["process_ms"] for r in warm), 1),
        "results_count": warm[-1]["count"],
        "runs": args.runs,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
