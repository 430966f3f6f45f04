"""Sync load on the real backend: many agents pushing questions and pulling the changes feed.

For each backend (SQLite file, PostgreSQL) this starts `python main.py serve` as a subprocess,
creates N agent users in its database, and runs N simulated agents (asyncio + httpx) for a fixed
time, each doing what the desktop app does: log in once, then loop: push a batch of 1-3 new
questions (retried with backoff until acknowledged), pull /changes from its checkpoint, think
0.5-1.5 s. Two supervisors answer open questions meanwhile so the feeds carry real changes.
Afterwards it reconciles what each agent had acknowledged with the rows in the server's
questions table (lost / duplicated).

Then "a fresh client pulls 20,000 articles and can search them within 60 s": 20,000 published
articles (bench/synthetic_corpus.py) are written into the server's database with their feed
entries; a client logs in, pulls /changes page by page into a fresh local knowledge base (one
transaction per page), rebuilds the search index and runs a search. It runs in a process of its
own, as a new workstation would: in the load generator its heap (pypinyin's tables) made every
later full garbage collection 3-4x longer, a stall of all simulated agents at once.

Each backend's report also says where the slowest requests' time went: the load generator's
own GC pauses (its long-lived objects are frozen before the load), its event-loop lag, and on
PostgreSQL what the backends waited on (sampled from pg_stat_activity: locks, I/O, autovacuum).
`--server-timing` adds the time inside each server process, its thread-pool hops and its waits
for a pooled connection. `--workers N` runs `serve --workers N` (PostgreSQL defaults to 2).

PostgreSQL comes from SEATDESK_TEST_PG_URL (a fresh database is created in it and dropped
afterwards), or, as root, from a private cluster started with tools/postgres.sh.

Targets: 200 agents with p99 < 150 ms, 0 lost, 0 duplicated; fresh client < 60 s.
The last stdout line is one JSON object keyed by backend (plus "fresh_client").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import json
import os
import random
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuidlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from server.core.db import Database  # noqa: E402
from server.core.security import hash_password, stamp  # noqa: E402
from server.tables import questions, users  # noqa: E402

PASSWORD = "bench-password-1"
QUERIES = [
    "宽带怎么开发票",
    "携号转网需要什么材料",
    "物业费可以线上交吗",
    "老人助餐怎么报名",
    "信用卡挂失后多久补卡",
    "停车位月卡怎么续费",
    "国际漫游怎么开通",
    "电梯故障多久修好",
]


def log(message: str) -> None:
    print(message, flush=True)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every simulated client. httpx builds a new one per client by
    default, loading the CA bundle each time: 20-300 ms of CPU on this machine, on the one
    event loop, so 200 agents starting up stalled the bench for seconds (all plain HTTP)."""
    return httpx.create_ssl_context()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


# -- processes and CPU accounting ----------------------------------------------------------------
def process_cpu_s(pid: int) -> float:
    """user+system CPU seconds of a process and its reaped children (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(v) for v in fields[11:15]) / ticks  # utime stime cutime cstime


def process_tree_cpu_s(pid: int) -> float:
    """CPU seconds of a process and its live children (`serve --workers N` runs N of them;
    live children are not in the parent's cutime/cstime until reaped)."""
    total = process_cpu_s(pid)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            value = process_cpu_s(int(entry.name))
            if value == value:  # not NaN
                total += value
    return total


def postgres_cpu_s() -> float:
    """CPU seconds of every local postgres process (the cluster on this machine, if any)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm == "postgres" or comm.startswith("postgres"):
            value = process_cpu_s(int(entry.name))
            if value == value:  # not NaN
                total += value
    return total


def system_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    parts = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + parts[4]
    total = sum(parts[:8])
    return total - idle, total


class ServerProcess:
    def __init__(
        self,
        db_url: str,
        workdir: Path,
        workers: int | None,
        timing_file: Path | None = None,
        writer_lock: bool = False,
    ) -> None:
        self.db_url = db_url
        self.workdir = workdir
        self.port = free_port()
        self.workers = workers
        self.timing_file = timing_file
        self.writer_lock = writer_lock
        self.log_path = workdir / f"server-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self.timing_file is None:
            cmd = [sys.executable, str(REPO / "main.py"), "serve", "--host", "127.0.0.1"]
            cmd += ["--port", str(self.port), "--db", self.db_url]
            if self.workers:
                cmd += ["--workers", str(self.workers)]
        else:  # diagnostics: the same app, wrapped to time each request inside the server
            cmd = [sys.executable, str(Path(__file__).resolve()), "--serve-timed", self.db_url]
            cmd += [str(self.port), str(self.timing_file), str(self.workers or 1)]
            if self.writer_lock:
                cmd += ["--writer-lock"]
        env = dict(os.environ, SEATDESK_DATA_DIR=str(self.workdir / "data"))
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited during start; see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base_url + "/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise SystemExit("server did not answer /health within 60 s")

    def process_count(self) -> int:
        """The server process and its children (more than one when workers are honoured)."""
        if self.proc is None:
            return 0
        try:
            out = subprocess.run(
                ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
        except OSError:
            return 1
        return 1 + len(out.split())

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None


TIMING_ENV = "SEATDESK_BENCH_TIMING"  # "db_url|timing file prefix|writer lock (0/1)"


def serve_timed(db_url: str, port: int, timing_file: Path, workers: int, writer_lock: bool) -> int:
    """Run the backend as `main.py serve` does (one process, or `workers` worker processes),
    each app wrapped to record how long each request spends inside the server, its thread-pool
    hops and its waits for a pooled database connection; each process writes them to
    `timing_file`-PID.json on shutdown.

    With `writer_lock`, SQLite write transactions first take one in-process lock (FIFO-ish
    hand-over) instead of all waiting in SQLite's busy handler, which sleeps in steps of up to
    100 ms: an A/B experiment, not a change of the server.
    """
    import uvicorn

    import server.cli

    os.environ[TIMING_ENV] = f"{db_url}|{timing_file}|{int(writer_lock)}"
    # The HTTP protocol `serve` uses, where the server has its own (Nagle off per connection).
    http: Any = getattr(server.cli, "NoDelayHTTPProtocol", "auto")
    if workers > 1:
        uvicorn.run(
            "bench.sync_load:timed_app_from_env",
            factory=True,
            host="127.0.0.1",
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
            http=http,
        )
        return 0
    app = timed_app_from_env()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, http=http)
    return 0


def timed_app_from_env() -> Any:
    """The timed app of one server process (see serve_timed); settings from TIMING_ENV."""
    db_url, prefix, writer_lock = os.environ[TIMING_ENV].split("|")
    timing_file = Path(f"{prefix}-{os.getpid()}.json")
    from server.app import create_app
    from server.core.config import ServerSettings

    if writer_lock == "1":
        original = Database.write
        lock = threading.Lock()

        @contextlib.contextmanager
        def write(self: Database, appends_changes: bool = False) -> Iterator[Any]:
            if not self.is_sqlite:
                with original(self, appends_changes) as conn:
                    yield conn
                return
            with lock, original(self, appends_changes) as conn:
                yield conn

        Database.write = write  # type: ignore[method-assign]

    import anyio.to_thread
    from sqlalchemy.pool import QueuePool

    hops: list[tuple[float, float, float, float]] = []  # (queued, to start, running, to resume)
    checkouts: list[tuple[float, float]] = []  # (start, seconds to get a pooled connection)
    run_sync = anyio.to_thread.run_sync

    async def timed_run_sync(func: Any, *args: Any, **kwargs: Any) -> Any:
        """Each hop of a sync dependency/endpoint to the thread pool: how long it waited for a
        thread (limiter token, wake-up, GIL), ran, and waited to resume on the event loop."""
        queued = time.perf_counter()
        marks: list[float] = []

        def call(*inner: Any) -> Any:
            marks.append(time.perf_counter())
            try:
                return func(*inner)
            finally:
                marks.append(time.perf_counter())

        try:
            return await run_sync(call, *args, **kwargs)
        finally:
            if len(marks) == 2:
                resumed = time.perf_counter()
                hops.append((queued, marks[0] - queued, marks[1] - marks[0], resumed - marks[1]))

    anyio.to_thread.run_sync = timed_run_sync  # type: ignore[assignment]
    do_get = QueuePool._do_get

    def timed_do_get(pool: QueuePool) -> Any:
        """A connection from the pool: waits when all are checked out, connects when it may
        open one more (both are time a request spends before its first query)."""
        started = time.perf_counter()
        try:
            return do_get(pool)
        finally:
            checkouts.append((started, time.perf_counter() - started))

    QueuePool._do_get = timed_do_get  # type: ignore[method-assign,assignment]

    db = Database(db_url)
    db.migrate()
    app = create_app(ServerSettings.from_env(db_url=db.url), db)
    timings: list[tuple[str, float, float]] = []  # (kind, start, seconds inside)

    async def timed_app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            # uvicorn re-raises SIGTERM after its graceful shutdown, so nothing runs after
            # uvicorn.run(): write the timings when the lifespan shutdown message arrives.
            async def lifespan_receive() -> Any:
                message = await receive()
                if message["type"] == "lifespan.shutdown":
                    recorded = {"requests": timings, "hops": hops, "checkouts": checkouts}
                    timing_file.write_text(json.dumps(recorded))
                return message

            await app(scope, lifespan_receive, send)
            return
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await app(scope, receive, send)
        finally:
            path = scope.get("path", "")
            kind = "push" if path.endswith("/batch") else path.strip("/").split("/")[0]
            timings.append((kind, started, time.perf_counter() - started))

    return timed_app


# -- PostgreSQL ----------------------------------------------------------------------------------
@contextlib.contextmanager
def postgres_base_url(workdir: Path) -> Iterator[str | None]:
    """SEATDESK_TEST_PG_URL, or a private cluster when root; None when neither is possible."""
    url = os.environ.get("SEATDESK_TEST_PG_URL", "").strip()
    if url:
        yield url
        return
    if os.geteuid() != 0:
        yield None
        return
    cluster = Path(tempfile.mkdtemp(prefix="seatdesk-bench-pg-"))
    try:
        started = subprocess.run(
            [str(REPO / "tools" / "postgres.sh"), "start", str(cluster), str(free_port())],
            capture_output=True,
            text=True,
            check=True,
        )
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(REPO / "tools" / "postgres.sh"), "stop", str(cluster)], check=False)
        shutil.rmtree(cluster, ignore_errors=True)


@contextlib.contextmanager
def fresh_pg_database(base_url: str) -> Iterator[str]:
    import psycopg
    from psycopg import sql

    name = f"seatdesk_bench_{uuidlib.uuid4().hex[:10]}"
    plain = "postgresql://" + base_url.split("://", 1)[1]
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        head, _, _ = plain.rpartition("/")
        yield f"{head}/{name}"
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# -- diagnostics: where the slow requests' time went ---------------------------------------------
class GcPauses:
    """The bench client's own garbage-collection pauses. One asyncio loop drives every simulated
    agent, so a pause stalls all requests in flight and shows up as server latency."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, float, int]] = []  # (start, seconds, generation)
        self.cpu: list[tuple[float, float, int]] = []  # (start, CPU seconds, generation)
        self._started = self._cpu_started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            self._cpu_started = time.thread_time()
        else:
            now, generation = time.perf_counter(), int(info["generation"])
            self.pauses.append((self._started, now - self._started, generation))
            # CPU time does not grow when other processes take the cores: it says what the
            # collection itself costs, on a busy machine too.
            self.cpu.append((self._started, time.thread_time() - self._cpu_started, generation))

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self)

    def summary(self, since: float) -> dict[str, Any]:
        ms = [p[1] * 1000 for p in self.pauses if p[0] >= since]
        full = [p[1] * 1000 for p in self.pauses if p[0] >= since and p[2] == 2]
        full_cpu = [p[1] * 1000 for p in self.cpu if p[0] >= since and p[2] == 2]
        return {
            "count": len(ms),
            "total_ms": round(sum(ms), 1),
            "max_ms": round(max(ms, default=0.0), 1),
            "gen2_count": len(full),
            "gen2_max_ms": round(max(full, default=0.0), 1),
            "gen2_cpu_max_ms": round(max(full_cpu, default=0.0), 1),
        }


def slow_request_causes(
    spans: list[tuple[float, float]], pauses: list[tuple[float, float, int]]
) -> dict[str, Any]:
    """The slowest 1% of measured requests: how many were in flight during a client GC pause
    of 10 ms or more, and how much of their time such pauses took."""
    if not spans:
        return {}
    cut = percentile([s[1] for s in spans], 99)
    slow = [s for s in spans if s[1] >= cut]
    big = [(p[0], p[0] + p[1]) for p in pauses if p[1] >= 0.010]
    hit = 0
    paused_share: list[float] = []
    for start, seconds in slow:
        end = start + seconds
        overlap = sum(max(0.0, min(end, b) - max(start, a)) for a, b in big)
        hit += overlap > 0
        paused_share.append(overlap / seconds if seconds else 0.0)
    return {
        "slowest_1pct_from_ms": round(cut * 1000, 1),
        "n": len(slow),
        "during_client_gc_pct": round(100 * hit / len(slow), 1),
        "client_gc_share_of_their_time_pct": round(100 * statistics.fmean(paused_share), 1),
    }


class PostgresSampler(threading.Thread):
    """Samples pg_stat_activity of the bench's database every `interval` s while the load runs:
    how many backends are active and what they wait on (a lock wait names the lock type:
    advisory, extend, transactionid ...), autovacuum workers at work; and, at the end, each
    table's autovacuum/autoanalyze counts."""

    def __init__(self, url: str, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.url = "postgresql://" + url.split("://", 1)[1]
        self.interval = interval
        self.measure_from = 0.0
        self.samples = 0
        self.active: list[int] = []
        self.connections: list[int] = []
        self.waits: Counter[str] = Counter()
        self.autovacuum_samples = 0
        self.tables_before: dict[str, tuple[int, int]] = {}
        self.tables_after: dict[str, tuple[int, int]] = {}
        self._stop_event = threading.Event()

    def _tables(self, conn: Any) -> dict[str, tuple[int, int]]:
        rows = conn.execute(
            "SELECT relname, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables"
        ).fetchall()
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            self.tables_before = self._tables(conn)
            while not self._stop_event.wait(self.interval):
                if time.perf_counter() < self.measure_from:
                    continue
                # Not pg_locks: reading it takes every lock-manager partition, which stalls
                # the backends being watched. A Lock wait's wait_event names the lock type.
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event, backend_type "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                ).fetchall()
                self.samples += 1
                self.connections.append(sum(r[3] == "client backend" for r in rows))
                active = [r for r in rows if r[0] == "active" and r[3] == "client backend"]
                self.active.append(len(active))
                self.autovacuum_samples += any(r[3] == "autovacuum worker" for r in rows)
                for r in active:
                    self.waits[f"{r[1]}:{r[2]}" if r[1] else "CPU"] += 1
            pg_stat_clear_snapshot = "SELECT pg_stat_clear_snapshot()"
            conn.execute(pg_stat_clear_snapshot)
            self.tables_after = self._tables(conn)

    def finish(self) -> dict[str, Any]:
        self._stop_event.set()
        self.join(10)
        busy = {k: v for k, v in self.tables_after.items() if v != self.tables_before.get(k)}
        return {
            "samples": self.samples,
            "active_backends_p50": percentile([float(v) for v in self.active], 50),
            "active_backends_max": max(self.active, default=0),
            "connections_max": max(self.connections, default=0),
            "waits_per_sample": {
                k: round(v / max(1, self.samples), 2) for k, v in self.waits.most_common(8)
            },
            "autovacuum_seen_pct": round(100 * self.autovacuum_samples / max(1, self.samples), 1),
            "autovacuum_runs": {
                k: {
                    "vacuum": v[0] - self.tables_before.get(k, (0, 0))[0],
                    "analyze": v[1] - self.tables_before.get(k, (0, 0))[1],
                }
                for k, v in busy.items()
            },
        }


# -- the simulated agents ------------------------------------------------------------------------
@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    measure_from: float = 0.0  # perf_counter(): requests started earlier are warm-up
    warmup: list[float] = field(default_factory=list)
    warmup_errors: int = 0
    spans: list[tuple[float, float]] = field(default_factory=list)  # measured (start, seconds)

    def record(
        self, endpoint: str, seconds: float, ok: bool, why: str = "", started: float = 0.0
    ) -> None:
        if started < self.measure_from:
            self.warmup.append(seconds)
            self.warmup_errors += not ok
            return
        self.requests += 1
        self.latencies[endpoint].append(seconds)
        self.spans.append((started, seconds))
        if not ok:
            self.errors[f"{endpoint}: {why}"] += 1

    def all_latencies(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]


@dataclass
class AgentState:
    username: str
    token: str = ""
    pushed: set[str] = field(default_factory=set)
    acked: set[str] = field(default_factory=set)
    first_try_duplicates: int = 0
    checkpoint: int = 0
    changes_seen: int = 0


async def timed(
    stats: Stats, endpoint: str, call: Any, *args: Any, **kwargs: Any
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response: httpx.Response = await call(*args, **kwargs)
    except httpx.HTTPError as exc:
        stats.record(endpoint, time.perf_counter() - started, False, type(exc).__name__, started)
        return None
    ok = 200 <= response.status_code < 300
    stats.record(endpoint, time.perf_counter() - started, ok, str(response.status_code), started)
    return response


async def login(http: httpx.AsyncClient, username: str, stats: Stats) -> str:
    for attempt in range(10):
        response = await timed(
            stats,
            "login",
            http.post,
            "/auth/login",
            json={"username": username, "password": PASSWORD},
        )
        if response is not None and response.status_code == 200:
            return str(response.json()["token"])
        await asyncio.sleep(min(2.0, 0.2 * 2**attempt))
    raise RuntimeError(f"{username} could not log in")


async def push_until_acked(
    http: httpx.AsyncClient, agent: AgentState, items: list[dict[str, Any]], stats: Stats
) -> None:
    delay = 0.1
    first = True
    while True:
        response = await timed(stats, "push", http.post, "/questions/batch", json={"items": items})
        if response is not None and response.status_code == 200:
            results = response.json()["results"]
            for result in results:
                if result["status"] in ("stored", "duplicate"):
                    agent.acked.add(result["uuid"])
                if first and result["status"] == "duplicate":
                    agent.first_try_duplicates += 1
            if all(r["status"] in ("stored", "duplicate") for r in results):
                return
        first = False
        await asyncio.sleep(delay)
        delay = min(delay * 2, 2.0)


async def pull(http: httpx.AsyncClient, agent: AgentState, stats: Stats) -> None:
    for _ in range(100):
        response = await timed(
            stats, "changes", http.get, "/changes", params={"since": agent.checkpoint, "limit": 500}
        )
        if response is None or response.status_code != 200:
            return  # next round tries again from the same checkpoint
        page = response.json()
        agent.changes_seen += len(page["changes"])
        agent.checkpoint = page["next_since"]
        if not page["has_more"]:
            return


async def run_agent(
    base_url: str, agent: AgentState, rng: random.Random, deadline: float, stats: Stats
) -> None:
    async with httpx.AsyncClient(
        base_url=base_url,
        timeout=30,
        headers={"Authorization": f"Bearer {agent.token}"},
        verify=tls_context(),
    ) as http:
        await asyncio.sleep(rng.uniform(0, 1.0))  # agents do not all start in the same ms
        while time.monotonic() < deadline:
            items = [
                {
                    "uuid": str(uuidlib.uuid4()),
                    "query": rng.choice(QUERIES) + f" #{rng.randint(1, 10**6)}",
                    "business_line": "bench",
                    "created_at": stamp(),
                }
                for _ in range(rng.randint(1, 3))
            ]
            agent.pushed.update(item["uuid"] for item in items)
            await push_until_acked(http, agent, items, stats)
            await pull(http, agent, stats)
            await asyncio.sleep(rng.uniform(0.5, 1.5))


async def run_supervisor(
    base_url: str, token: str, rng: random.Random, deadline: float, stats: Stats
) -> None:
    async with httpx.AsyncClient(
        base_url=base_url,
        timeout=30,
        headers={"Authorization": f"Bearer {token}"},
        verify=tls_context(),
    ) as http:
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            listed = await timed(
                stats, "list", http.get, "/questions", params={"status": "open", "limit": 20}
            )
            if listed is None or listed.status_code != 200 or not listed.json()["items"]:
                continue
            target = rng.choice(listed.json()["items"])["uuid"]
            started = time.perf_counter()
            try:
                response = await http.post(
                    f"/questions/{target}/answer", json={"answer": "已处理，请按知识库第3条操作"}
                )
                ok = response.status_code in (200, 409)  # 409: the other supervisor was faster
                why = str(response.status_code)
                stats.record("answer", time.perf_counter() - started, ok, why, started)
            except httpx.HTTPError as exc:
                why = type(exc).__name__
                stats.record("answer", time.perf_counter() - started, False, why, started)


def mint_tokens(db: Database, agents: list[AgentState]) -> None:
    """Sessions written straight into the database, as the server tests do: 1,000 real logins
    are 1,000 argon2 verifications, minutes of CPU on two cores before any load starts."""
    from server.core.security import expiry, new_token, token_digest
    from server.tables import tokens

    with db.write() as conn:
        ids = dict(conn.execute(sa.select(users.c.username, users.c.id)).all())
        rows = []
        for agent in agents:
            agent.token = new_token()
            rows.append(
                {
                    "token_hash": token_digest(agent.token),
                    "user_id": ids[agent.username],
                    "created_at": stamp(),
                    "expires_at": expiry(3600),
                }
            )
        conn.execute(tokens.insert(), rows)


def create_users(db: Database, role: str, count: int, prefix: str) -> list[str]:
    """Users inserted directly: one argon2 hash shared by all (same password)."""
    password_hash = hash_password(PASSWORD)
    names = [f"{prefix}{i:04d}" for i in range(count)]
    with db.write() as conn:
        conn.execute(
            users.insert(),
            [
                {
                    "username": name,
                    "display_name": name,
                    "role": role,
                    "password_hash": password_hash,
                    "disabled": False,
                    "created_at": stamp(),
                }
                for name in names
            ],
        )
    return names


async def load(
    base_url: str,
    agents: list[AgentState],
    supervisors: list[str],
    seconds: float,
    warmup: float,
    seed: int,
    login_concurrency: int,
    sample: Any,
    pg_sampler: PostgresSampler | None = None,
) -> dict[str, Any]:
    login_stats, stats, sup_stats = Stats(), Stats(), Stats()
    gate = asyncio.Semaphore(login_concurrency)

    async def log_in(agent: AgentState) -> None:
        if agent.token:  # minted in the database (--mint-tokens)
            return
        async with (
            gate,
            httpx.AsyncClient(base_url=base_url, timeout=60, verify=tls_context()) as http,
        ):
            agent.token = await login(http, agent.username, login_stats)

    started = time.perf_counter()
    await asyncio.gather(*(log_in(a) for a in agents))
    sup_tokens = []
    for name in supervisors:
        async with httpx.AsyncClient(base_url=base_url, timeout=60, verify=tls_context()) as http:
            sup_tokens.append(await login(http, name, login_stats))
    login_s = time.perf_counter() - started

    log(
        f"  logged in after {login_s:.1f} s; {warmup:.0f} s warm-up, then a load window of "
        f"{seconds:.0f} s"
    )
    measure_from = time.perf_counter() + warmup
    stats.measure_from = sup_stats.measure_from = measure_from
    if pg_sampler is not None:
        pg_sampler.measure_from = measure_from
        pg_sampler.start()
    deadline = time.monotonic() + warmup + seconds
    lags: list[float] = []
    samples: list[Any] = []

    async def sample_after_warmup() -> None:
        await asyncio.sleep(warmup)
        samples.append(sample())

    async def watch_loop() -> None:
        """How late this client's event loop wakes up: its own queueing, not the server's."""
        while time.monotonic() < deadline:
            planned = time.perf_counter() + 0.01
            await asyncio.sleep(0.01)
            if planned > measure_from:
                lags.append(max(0.0, time.perf_counter() - planned))

    tasks = [
        run_agent(base_url, agent, random.Random(seed * 100_003 + i), deadline, stats)
        for i, agent in enumerate(agents)
    ]
    tasks += [
        run_supervisor(base_url, token, random.Random(seed + 7 + i), deadline, sup_stats)
        for i, token in enumerate(sup_tokens)
    ]
    tasks += [watch_loop(), sample_after_warmup()]
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - measure_from
    after = sample()
    return {
        "cpu": (samples[0], after),
        "measure_from": measure_from,
        "lags": lags,
        "loop_lag_ms": {
            "p50": round(percentile([v * 1000 for v in lags], 50), 1),
            "p99": round(percentile([v * 1000 for v in lags], 99), 1),
            "max": round(max(lags, default=0.0) * 1000, 1),
        },
        "login_s": login_s,
        "login_stats": login_stats,
        "stats": stats,
        "sup_stats": sup_stats,
        "elapsed": elapsed,
    }


def reconcile(db: Database, agents: list[AgentState]) -> dict[str, int]:
    pushed = set().union(*(a.pushed for a in agents))
    acked = set().union(*(a.acked for a in agents))
    with db.read() as conn:
        rows = conn.execute(
            sa.select(questions.c.uuid, sa.func.count().label("n")).group_by(questions.c.uuid)
        ).all()
    stored = {r.uuid: int(r.n) for r in rows}
    lost = len(acked - set(stored))
    duplicated = sum(n - 1 for n in stored.values() if n > 1) + len(set(stored) - pushed)
    return {
        "pushed": len(pushed),
        "acknowledged": len(acked),
        "stored": len(stored),
        "lost": lost,
        "duplicated": duplicated,
        "stored_unacknowledged": len(set(stored) & (pushed - acked)),
        "first_try_duplicate_acks": sum(a.first_try_duplicates for a in agents),
    }


def summarize(stats: Stats, elapsed: float) -> dict[str, Any]:
    all_ms = [v * 1000 for v in stats.all_latencies()]
    per_endpoint = {
        name: {
            "n": len(values),
            "p50_ms": round(percentile([v * 1000 for v in values], 50), 1),
            "p99_ms": round(percentile([v * 1000 for v in values], 99), 1),
            "max_ms": round(max(values) * 1000, 1) if values else None,
        }
        for name, values in sorted(stats.latencies.items())
    }
    return {
        "requests": stats.requests,
        "rps": round(stats.requests / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(all_ms, 50), 1),
        "p99_ms": round(percentile(all_ms, 99), 1),
        "mean_ms": round(statistics.fmean(all_ms), 1) if all_ms else None,
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors.most_common(5)),
        "endpoints": per_endpoint,
    }


def bench_backend(
    name: str, db_url: str, workdir: Path, args: argparse.Namespace
) -> tuple[dict[str, Any], ServerProcess, Database]:
    db = Database(db_url)
    db.migrate()
    agent_names = create_users(db, "agent", args.agents, "agent")
    supervisor_names = create_users(db, "supervisor", args.supervisors, "supervisor")
    timing_file = workdir / "server-timings" if args.server_timing else None  # -PID.json each
    # As each backend is deployed: SQLite has one writer, so one process; PostgreSQL serves
    # from several app processes on one database (`serve --workers 2` on this 2-core machine).
    workers = args.workers or (2 if name == "postgresql" else 1)
    server = ServerProcess(db_url, workdir, workers, timing_file, args.writer_lock)
    server.start()
    processes = server.process_count()
    agents = [AgentState(n) for n in agent_names]
    if args.mint_tokens:
        mint_tokens(db, agents)
    assert server.proc is not None
    pid = server.proc.pid
    log(
        f"[{name}] server pid {pid} on {server.base_url} ({processes} process(es)); "
        f"{args.agents} agents log in ..."
    )

    def sample() -> dict[str, Any]:
        return {
            "server": process_tree_cpu_s(pid),
            "bench": time.process_time(),
            "pg": postgres_cpu_s(),
            "busy": system_busy(),
        }

    pg_sampler = PostgresSampler(db_url) if name == "postgresql" else None
    load_before = os.getloadavg()[0]
    objects_at_start = len(gc.get_objects())
    # What the load generator holds before the load (modules, users) is not garbage: frozen,
    # full collections skip it and scan only what the load creates. Each pause stalls every
    # simulated agent at once, which real workstations, each its own process, never do.
    gc.collect()
    gc.freeze()
    with GcPauses() as gc_pauses:
        result = asyncio.run(
            load(
                server.base_url,
                agents,
                supervisor_names,
                args.seconds,
                args.warmup,
                args.seed,
                args.login_concurrency,
                sample,
                pg_sampler,
            )
        )
    gc.unfreeze()
    cpu0, cpu1 = result["cpu"]
    busy0, busy1 = cpu0["busy"], cpu1["busy"]
    wall = result["elapsed"]  # CPU use is measured over the load window only
    figures = summarize(result["stats"], result["elapsed"])
    logins = summarize(result["login_stats"], result["login_s"])
    figures.update(reconcile(db, agents))
    figures["agents"] = args.agents
    figures["seconds"] = round(result["elapsed"], 1)
    figures["login_phase_s"] = round(result["login_s"], 1)
    figures["login_p50_ms"] = logins["p50_ms"]
    figures["login_p99_ms"] = logins["p99_ms"]
    figures["supervisor"] = summarize(result["sup_stats"], result["elapsed"])
    figures["changes_seen"] = sum(a.changes_seen for a in agents)
    figures["server_processes"] = processes
    figures["workers"] = workers
    figures["client_loop_lag_ms"] = result["loop_lag_ms"]
    # The machine is shared: its load says how far the figures are the system's own.
    figures["load_1m"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    figures["client_gc"] = {
        "objects_at_start": objects_at_start,
        **gc_pauses.summary(result["measure_from"]),
    }
    figures["slow_requests"] = slow_request_causes(result["stats"].spans, gc_pauses.pauses)
    if pg_sampler is not None:
        figures["postgres_activity"] = pg_sampler.finish()
    warm = [v * 1000 for v in result["stats"].warmup]
    figures["warmup"] = {
        "seconds": args.warmup,
        "requests": len(warm),
        "p50_ms": round(percentile(warm, 50), 1),
        "p99_ms": round(percentile(warm, 99), 1),
        "max_ms": round(max(warm, default=0.0), 1),
        "errors": result["stats"].warmup_errors,
    }
    if timing_file is not None:
        server.stop()  # the wrapper writes its timings on shutdown
        inside: dict[str, list[float]] = defaultdict(list)
        recorded: dict[str, list[Any]] = defaultdict(list)
        files = sorted(workdir.glob(f"{timing_file.name}-*.json"))
        for path in files:  # one per server process
            for key, values in json.loads(path.read_text()).items():
                recorded[key] += values
        for kind, start, seconds in recorded["requests"]:
            if start >= result["measure_from"]:  # same clock: CLOCK_MONOTONIC on Linux
                inside[kind].append(seconds * 1000)
        hops = [h for h in recorded["hops"] if h[0] >= result["measure_from"]]
        checkouts = [c[1] * 1000 for c in recorded["checkouts"] if c[0] >= result["measure_from"]]
        every = [v for kind in ("push", "changes") for v in inside[kind]]
        figures["inside_server_ms"] = {
            "p50": round(percentile(every, 50), 1),
            "p99": round(percentile(every, 99), 1),
            **{
                kind: {"p50": round(percentile(v, 50), 1), "p99": round(percentile(v, 99), 1)}
                for kind, v in sorted(inside.items())
                if kind in ("push", "changes", "questions", "auth")
            },
            "thread_hops_per_request": round(len(hops) / max(1, len(every)), 1),
            **{
                f"hop_{name}": {
                    "p50": round(percentile([h[i] * 1000 for h in hops], 50), 2),
                    "p99": round(percentile([h[i] * 1000 for h in hops], 99), 2),
                }
                for i, name in ((1, "wait_for_thread"), (2, "run"), (3, "resume_on_loop"))
            },
            "pool_checkout": {
                "n": len(checkouts),
                "p50": round(percentile(checkouts, 50), 2),
                "p99": round(percentile(checkouts, 99), 2),
                "max": round(max(checkouts, default=0.0), 2),
                "over_10ms": sum(v > 10 for v in checkouts),
            },
            "server_processes_timed": len(files),
        }
        if args.timings_out:
            for path in files:
                shutil.copy(path, f"{args.timings_out}.{name}.{path.name}")
        server.timing_file = None  # the rest (fresh client) runs on the plain server
        server.start()
    figures["cpu_cores_used"] = {
        "server": round((cpu1["server"] - cpu0["server"]) / wall, 2),
        "bench_client": round((cpu1["bench"] - cpu0["bench"]) / wall, 2),
        "postgres": round((cpu1["pg"] - cpu0["pg"]) / wall, 2) if name == "postgresql" else 0.0,
        "machine_busy_pct": round(100 * (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), 1),
    }
    return figures, server, db


# -- the fresh client ----------------------------------------------------------------------------
def seed_articles(db: Database, count: int, seed: int) -> float:
    """Write `count` published articles and their feed entries in one transaction."""
    from bench.synthetic_corpus import CorpusGenerator
    from server.schemas import ArticleOut
    from server.services.changes_feed import append_change
    from server.tables import articles

    started = time.perf_counter()
    now = stamp()
    rows = []
    payloads = []
    for article in CorpusGenerator(seed).articles(count):
        row = {
            "uuid": article.uuid,
            "type": article.type,
            "title": article.title,
            "body": article.body,
            "category": article.category,
            "tags": json.dumps(article.tags, ensure_ascii=False),
            "aliases": json.dumps(article.aliases, ensure_ascii=False),
            "business_line": article.business_line,
            "contact_point": article.contact_point,
            "status": "published",
            "version": 1,
            "source_question_uuid": "",
            "created_at": now,
            "updated_at": now,
            "updated_by": None,
        }
        rows.append(row)
        out = ArticleOut(
            **{**row, "tags": article.tags, "aliases": article.aliases}  # type: ignore[arg-type]
        )
        payloads.append((article.uuid, out.model_dump()))
    with db.write(appends_changes=True) as conn:
        conn.execute(articles.insert(), rows)
        for uuid, payload in payloads:
            append_change(conn, "article", uuid, payload)
    return time.perf_counter() - started


def page_transaction(store: Any) -> contextlib.AbstractContextManager[Any]:
    """One transaction for a feed page: the store's own (localdb) or, in older layouts, its
    lock around an sqlite-utils atomic block."""
    if hasattr(store, "transaction"):
        return store.transaction()
    stack = contextlib.ExitStack()
    stack.enter_context(store.lock)
    stack.enter_context(store.db.atomic())
    return stack


def fresh_client(base_url: str, username: str, workdir: Path, count: int) -> dict[str, Any]:
    from kb.knowledge_base import KnowledgeBase
    from kb.models import Article

    # The article model's field names (a pydantic model now; a dataclass before).
    model_fields = getattr(Article, "model_fields", None)
    fields = set(model_fields if model_fields is not None else Article.__dataclass_fields__)
    started = time.perf_counter()
    kb = KnowledgeBase(workdir / "fresh-client")
    mirror = getattr(kb.store, "put_remote_article", None)
    method = "put_remote_article" if mirror else "save_article"
    pages = articles_seen = 0
    try:
        with httpx.Client(base_url=base_url, timeout=120, verify=tls_context()) as http:
            token = http.post(
                "/auth/login", json={"username": username, "password": PASSWORD}
            ).json()["token"]
            http.headers["Authorization"] = f"Bearer {token}"
            since = 0
            while True:
                response = http.get("/changes", params={"since": since, "limit": 1000})
                response.raise_for_status()
                page = response.json()
                pages += 1
                with kb.write_lock(), page_transaction(kb.store):
                    for change in page["changes"]:
                        if change["kind"] != "article":
                            continue
                        data = {k: v for k, v in change["data"].items() if k in fields}
                        article = Article(**data)
                        if mirror:
                            mirror(article)
                        else:
                            kb.store.save_article(article, author="server")
                        articles_seen += 1
                    since = page["next_since"]
                    kb.store.set_meta("bench_sync_since", str(since))  # checkpoint last
                if not page["has_more"]:
                    break
        pulled = time.perf_counter()
        kb.rebuild_index()
        indexed = time.perf_counter()
        probe = kb.store.articles(status="published")[count // 2].title
        hits = kb.search(probe).hits
        done = time.perf_counter()
    finally:
        kb.close()
    return {
        "articles": articles_seen,
        "pages": pages,
        "store_method": method,
        "pull_s": round(pulled - started, 2),
        "index_s": round(indexed - pulled, 2),
        "search_ms": round((done - indexed) * 1000, 1),
        "total_s": round(done - started, 2),
        "search_hits": len(hits),
        "probe": probe,
    }


def fresh_client_process(
    db_url: str, base_url: str, workdir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Seed the articles and run the fresh client in a process of its own, as a new workstation
    would be. In this process its heap would stay behind: the synthetic corpus and the
    knowledge base load pypinyin's phrase tables (~190,000 lists the garbage collector scans),
    and the load generator's full collections on the next backend took 3-4x as long, each one
    stalling every simulated agent at once (issue 11, point 19)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--fresh-client-run", db_url, base_url]
    cmd += [str(workdir), str(args.articles), str(args.seed)]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the fresh client failed:\n{done.stdout}\n{done.stderr}")
    fresh: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    log(f"[fresh client]   articles written in {fresh['seed_s']} s")
    return fresh


def fresh_client_run(db_url: str, base_url: str, workdir: Path, count: int, seed: int) -> int:
    """The fresh-client phase (see fresh_client_process); prints its figures as one JSON line."""
    db = Database(db_url)
    try:
        seed_s = seed_articles(db, count, seed)
    finally:
        db.dispose()
    fresh = fresh_client(base_url, "agent0000", workdir, count)
    print(json.dumps({**fresh, "seed_s": round(seed_s, 1)}, ensure_ascii=False), flush=True)
    return 0


# -- main ----------------------------------------------------------------------------------------
def report(name: str, f: dict[str, Any]) -> None:
    log(
        f"[{name}] {f['agents']} agents for {f['seconds']} s (after a {f['login_phase_s']} s "
        f"login phase, login p50 {f['login_p50_ms']} ms / p99 {f['login_p99_ms']} ms)"
    )
    w = f["warmup"]
    log(
        f"[{name}]   warm-up (first {w['seconds']} s, all agents starting together): "
        f"{w['requests']} requests, p50 {w['p50_ms']} ms, p99 {w['p99_ms']} ms, max "
        f"{w['max_ms']} ms, errors {w['errors']}"
    )
    log(
        f"[{name}]   measured: {f['requests']} requests, {f['rps']} req/s, p50 {f['p50_ms']} ms, "
        f"p99 {f['p99_ms']} ms, errors {f['errors']} {f['error_kinds'] or ''}"
    )
    for endpoint, e in f["endpoints"].items():
        log(
            f"[{name}]     {endpoint:8} n={e['n']:6} p50 {e['p50_ms']} ms  p99 {e['p99_ms']} ms  "
            f"max {e['max_ms']} ms"
        )
    s = f["supervisor"]
    log(
        f"[{name}]   supervisors: {s['requests']} requests, p99 {s['p99_ms']} ms, "
        f"errors {s['errors']}"
    )
    log(
        f"[{name}]   pushed {f['pushed']}, acknowledged {f['acknowledged']}, stored "
        f"{f['stored']}, lost {f['lost']}, duplicated {f['duplicated']}, first-try 'duplicate' "
        f"acks {f['first_try_duplicate_acks']}, feed changes seen {f['changes_seen']}"
    )
    log(
        f"[{name}]   CPU cores used: {f['cpu_cores_used']}; server processes "
        f"{f['server_processes']}"
    )
    log(f"[{name}]   bench client event-loop lag: {f['client_loop_lag_ms']} ms")
    log(f"[{name}]   machine load (1 min): {f['load_1m']}")
    log(f"[{name}]   bench client GC: {f['client_gc']}")
    log(f"[{name}]   slowest requests: {f['slow_requests']}")
    if "postgres_activity" in f:
        log(f"[{name}]   PostgreSQL activity: {f['postgres_activity']}")
    if "inside_server_ms" in f:
        log(
            f"[{name}]   time inside the server (request in -> response sent): "
            f"{f['inside_server_ms']} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--supervisors", type=int, default=2)
    parser.add_argument(
        "--articles", type=int, default=20_000, help="for the fresh client (0: skip)"
    )
    parser.add_argument(
        "--fresh-backend", default="", help="backend for the fresh client (default: the first)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="passed to `serve --workers` (default: 1 for SQLite, 2 for PostgreSQL)",
    )
    parser.add_argument("--login-concurrency", type=int, default=8)
    parser.add_argument(
        "--mint-tokens",
        action="store_true",
        help="agents' sessions written into the database instead of logging in (the "
        "supervisors still log in): for runs with many agents",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=5,
        help="seconds of load before measuring (reported separately: the start-of-shift burst)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--server-timing",
        action="store_true",
        help="diagnostics: run the app through a wrapper that times requests inside the server",
    )
    parser.add_argument(
        "--writer-lock",
        action="store_true",
        help="with --server-timing: serialise SQLite writers on an in-process lock (A/B)",
    )
    parser.add_argument(
        "--timings-out", default="", help="with --server-timing: keep them as PREFIX.BACKEND.json"
    )
    if len(sys.argv) > 1 and sys.argv[1] == "--fresh-client-run":
        db_url, base_url, workdir, count, seed = sys.argv[2:7]
        return fresh_client_run(db_url, base_url, Path(workdir), int(count), int(seed))
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-timed":
        db_url, port, timing_file, workers = sys.argv[2:6]
        lock = "--writer-lock" in sys.argv[6:]
        return serve_timed(db_url, int(port), Path(timing_file), int(workers), lock)
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    fresh_backend = args.fresh_backend or backends[0]
    load1 = os.getloadavg()[0]
    log(f"sync_load: {os.cpu_count()} CPUs, load average {load1:.2f} before start")
    out: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory(prefix="seatdesk-sync-load-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        root = Path(tmp)
        for name in backends:
            workdir = root / name
            workdir.mkdir()
            if name == "sqlite":
                db_url = f"sqlite:///{workdir / 'server.db'}"
            elif name == "postgresql":
                base = stack.enter_context(postgres_base_url(root))
                if base is None:
                    log("[postgresql] skipped: no SEATDESK_TEST_PG_URL and not root")
                    out[name] = {"skipped": "no PostgreSQL available"}
                    continue
                db_url = stack.enter_context(fresh_pg_database(base))
            else:
                raise SystemExit(f"unknown backend {name!r}")
            figures, server, db = bench_backend(name, db_url, workdir, args)
            try:
                report(name, figures)
                out[name] = figures
                if name == fresh_backend and args.articles:
                    log(
                        f"[{name}] writing {args.articles} published articles into the server; "
                        "a fresh client (its own process) pulls and indexes them ..."
                    )
                    fresh = fresh_client_process(db_url, server.base_url, workdir, args)
                    fresh["backend"] = name
                    log(
                        f"[fresh client] {fresh['articles']} articles in {fresh['pages']} pages: "
                        f"pull {fresh['pull_s']} s, index {fresh['index_s']} s, search "
                        f"{fresh['search_ms']} ms ({fresh['search_hits']} hits), total "
                        f"{fresh['total_s']} s (target < 60 s)"
                    )
                    out["fresh_client"] = fresh
            finally:
                server.stop()
                db.dispose()
    summary: dict[str, Any] = {}
    for name, figures in out.items():
        if name == "fresh_client":
            summary[name] = {k: figures[k] for k in ("articles", "pull_s", "index_s", "total_s")}
        elif "skipped" in figures:
            summary[name] = figures
        else:
            summary[name] = {
                k: figures[k]
                for k in (
                    "agents",
                    "rps",
                    "p50_ms",
                    "p99_ms",
                    "errors",
                    "lost",
                    "duplicated",
                    "workers",
                )
            }
            summary[name]["load_1m"] = figures["load_1m"]
            summary[name]["machine_busy_pct"] = figures["cpu_cores_used"]["machine_busy_pct"]
            summary[name]["client_gc_pause_max_ms"] = figures["client_gc"]["max_ms"]
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
