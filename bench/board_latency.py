"""Board latency (issue 14, "Benchmark"): from an agent's state change posted to the server to
the change arriving in a supervisor's board stream, with 200 agents reporting.

Set-up: PostgreSQL (SEATDESK_TEST_PG_URL, or as root a private cluster from tools/postgres.sh;
a fresh database, dropped afterwards) and TWO `python main.py serve` processes on it, as a
center with several app servers runs. Without PostgreSQL: one server on a SQLite file (said in
the output). One manager (sees every team) reads `GET /supervision/board/stream` from server B
through sync/board_stream.BoardStream, the desktop's reader, on a thread.

Load: `agents` simulated seats (users made straight in the database, one session each), half
posting to server A and half to server B, over HTTP on one asyncio loop (httpx). Each seat
changes state every 5-15 s (random, several times a real agent's pace) and sends a heartbeat
every HEARTBEAT_S seconds in between, for `seconds` seconds. Each change carries a unique
reason, so its event is recognised in the stream.

* board_p99_ms (board_p50_ms): time.perf_counter() just before the POST is sent -> the stream
  reader has parsed the event (both in this process). The target is under 2 s.
* cross_server_p99_ms: the same for the changes posted to server A (LISTEN/NOTIFY between
  the two processes); same_server_p99_ms for those posted to B.
* missing: changes whose event never arrived (waited for up to 10 s after the load).

Runnable alone: `python bench/board_latency.py [--agents 200] [--seconds 30]`; prints its
figures, the last line one JSON object. bench/monitor.py imports `measure()`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.sync_load import fresh_pg_database, percentile, postgres_base_url  # noqa: E402
from common.supervision import HEARTBEAT_S  # noqa: E402
from common.timestamps import iso  # noqa: E402
from server.core.db import Database  # noqa: E402
from sync.board_stream import BoardStream  # noqa: E402
from tests.server.support import Backend, ServerProcess  # noqa: E402

STATES = ("ready", "not_ready", "break", "after_call_work")
SETTLE_S = 10.0


def log(message: str) -> None:
    print(message, flush=True)


@contextlib.contextmanager
def database(workdir: Path) -> Iterator[tuple[str, str]]:
    """(backend name, URL) of a fresh database: PostgreSQL when there is one, else SQLite."""
    with postgres_base_url(workdir) as base:
        if base is None:
            yield "sqlite", f"sqlite:///{workdir / 'board.db'}"
            return
        with fresh_pg_database(base) as url:
            yield "postgresql", url


class StreamTimes:
    """The manager's board stream on a thread: when each change's reason arrived."""

    def __init__(self, base_url: str, token: str) -> None:
        self.arrived: dict[str, float] = {}
        self.ready = threading.Event()
        self.stream = BoardStream(base_url, token)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for event in self.stream.events():
            if event.kind == "board":
                self.ready.set()
            elif event.seat is not None and event.seat.reason.startswith("m"):
                self.arrived.setdefault(event.seat.reason, time.perf_counter())

    def close(self) -> None:
        self.stream.close()
        self.thread.join(timeout=10)


async def seat(
    http: httpx.AsyncClient,
    token: str,
    index: int,
    seconds: float,
    sent: dict[str, tuple[float, int]],
    server: int,
) -> None:
    """One agent: a change every 5-15 s, a heartbeat (the same state) after HEARTBEAT_S
    seconds without one, until `seconds` have passed."""
    rng = random.Random(index)
    headers = {"Authorization": f"Bearer {token}"}
    body = {"kind": "event", "state": "ready", "reason": "", "state_since": iso()}
    end = time.perf_counter() + seconds
    next_change = time.perf_counter() + rng.uniform(0, 5)
    last_post = time.perf_counter()
    number = 0
    while (now := time.perf_counter()) < end:
        if now >= next_change:
            number += 1
            reason = f"m{index}x{number}"
            state = rng.choice([s for s in STATES if s != body["state"]])
            body = {"kind": "event", "state": state, "reason": reason, "state_since": iso()}
            sent[reason] = (time.perf_counter(), server)
            (await http.post("/supervision/seat", json=body, headers=headers)).raise_for_status()
            next_change = time.perf_counter() + rng.uniform(5, 15)
            last_post = time.perf_counter()
        elif now - last_post >= HEARTBEAT_S:
            beat = {**body, "kind": "heartbeat"}
            (await http.post("/supervision/seat", json=beat, headers=headers)).raise_for_status()
            last_post = time.perf_counter()
        wake = min(next_change, last_post + HEARTBEAT_S, end)
        await asyncio.sleep(max(0.0, wake - time.perf_counter()))


async def load(urls: list[str], tokens: list[str], seconds: float) -> dict[str, tuple[float, int]]:
    sent: dict[str, tuple[float, int]] = {}
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))
    clients = [httpx.AsyncClient(base_url=u, timeout=30, limits=limits) for u in urls]
    try:
        await asyncio.gather(
            *(
                seat(clients[i % len(clients)], token, i, seconds, sent, i % len(clients))
                for i, token in enumerate(tokens)
            )
        )
    finally:
        for client in clients:
            await client.aclose()
    return sent


def measure(agents: int = 200, seconds: float = 30.0) -> dict[str, Any]:
    """Run the load; the figures as a dict (board_agents, board_p99_ms, ...)."""
    with (
        tempfile.TemporaryDirectory(prefix="seatdesk-board-") as folder,
        database(Path(folder)) as (backend, url),
    ):
        workdir = Path(folder)
        db = Database(url)
        db.migrate()
        servers = [ServerProcess(url, workdir / "a")]
        if backend == "postgresql":
            servers.append(ServerProcess(url, workdir / "b"))
        stream: StreamTimes | None = None
        try:
            for server in servers:
                server.start()
            handle = Backend(backend, url, db, servers[0])
            manager_id, _ = handle.add_user("manager")
            tokens = [handle.mint_token(handle.add_user("agent")[0]) for _ in range(agents)]
            stream = StreamTimes(servers[-1].base_url, handle.mint_token(manager_id))
            if not stream.ready.wait(30):
                raise RuntimeError("the board stream did not start")
            log(f"[{backend}] {len(servers)} server(s), {agents} agents, {seconds:.0f} s")
            # Server B gets the odd agents; the stream is on B, so even agents cross servers.
            sent = asyncio.run(load([s.base_url for s in servers], tokens, seconds))
            deadline = time.perf_counter() + SETTLE_S
            while time.perf_counter() < deadline and len(stream.arrived) < len(sent):
                time.sleep(0.1)
            arrived = dict(stream.arrived)
        finally:
            if stream is not None:
                stream.close()
            for server in servers:
                server.stop()
            db.dispose()
    latencies = {r: (arrived[r] - t) * 1000 for r, (t, _) in sent.items() if r in arrived}
    cross = [ms for r, ms in latencies.items() if sent[r][1] == 0 and len(servers) > 1]
    same = [ms for r, ms in latencies.items() if sent[r][1] == len(servers) - 1]
    values = list(latencies.values())
    return {
        "board_agents": agents,
        "board_p99_ms": round(percentile(values, 99), 1) if values else None,
        "board_p50_ms": round(percentile(values, 50), 1) if values else None,
        "board_max_ms": round(max(values), 1) if values else None,
        "cross_server_p99_ms": round(percentile(cross, 99), 1) if cross else None,
        "same_server_p99_ms": round(percentile(same, 99), 1) if same else None,
        "changes": len(sent),
        "missing": len(sent) - len(latencies),
        "backend": backend,
        "servers": len(servers),
        "seconds": seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    result = measure(agents=args.agents, seconds=args.seconds)
    log(
        f"{result['changes']} changes from {result['board_agents']} agents on "
        f"{result['servers']} {result['backend']} server(s): p50 {result['board_p50_ms']} ms, "
        f"p99 {result['board_p99_ms']} ms (across servers {result['cross_server_p99_ms']} ms, "
        f"same server {result['same_server_p99_ms']} ms), max {result['board_max_ms']} ms, "
        f"missing {result['missing']}"
    )
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
