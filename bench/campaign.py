"""Outbound campaigns on the real backend: a 100,000-row list import, and "next record" with 200
agents asking at once (issue 12, "Benchmark").

For each backend (a SQLite file, PostgreSQL) this starts `python main.py serve` as a subprocess,
as a center would start it: one process on SQLite (one writer; `serve` refuses more), and on
PostgreSQL `--pg-workers` worker processes (default: one per CPU, as the README advises; the
import's memory is then that of the uvicorn parent and its workers together), then:

1. Users: one supervisor and N agents (default 200) made through the users service
   (server.services.users.create_user: an argon2 hash each), and every one of them logs in over
   HTTP (`--mint-tokens` writes sessions into the database instead, for quick runs).
2. Import: the supervisor creates a campaign open around the clock (calling hours 00:00-24:00
   every day, today and tomorrow overridden as working days so a holiday does not close it) and
   uploads a generated GB18030 CSV of 100,000 rows (name, mobile, two custom fields) to
   POST /campaigns/{id}/import, as the desktop does.
   - import_s: wall time of that request, from the first byte sent to the report received
     (upload, parse, one transaction).
   - import_peak_mb: the server process's resident-memory high-water mark (Linux
     /proc/PID/status VmHWM, the same figure as getrusage ru_maxrss) after the import, minus
     its resident size (VmRSS) just before it: the memory the import added at its peak.
3. Next record: every agent asks POST /campaigns/{id}/next.
   - "alone" (reported beside it): one agent, 50 times one after the other: the cost of one
     request with nobody else asking.
   - "burst" (the reported next_p50_ms / next_p99_ms): all N agents are released at the same
     instant and ask at once (a shift starting); once all have their record, each records its
     attempt (no answer, through /campaigns/attempts/batch, as the outbox does), and the next
     burst follows. `--bursts` rounds (default 5), so N x 5 latencies. Beside them: the server's
     CPU per request in the bursts (all its processes, user+system, over the bursts' windows,
     divided by their requests) and PostgreSQL's (every local postgres process).
   - "steady" (reported beside it): for `--seconds` (30) every agent loops: next, work the
     record `--think` seconds (5-15: a real call with its wrap-up takes 1-3 minutes, so this
     is several times a real center's pace), post the attempt, next again.
   Every handed-out record is checked afterwards: no record was handed to two agents at once.

The load runs on one asyncio loop with httpx (one client per agent). PostgreSQL comes from
SEATDESK_TEST_PG_URL (a fresh database is created in it and dropped afterwards), or, as root,
from a private cluster started with tools/postgres.sh (both as bench/sync_load.py does).

Targets: the import under 20 s; next-record p99 under 100 ms on both backends.
The last stdout line is one JSON object:
{"rows", "import_s", "import_peak_mb", "sqlite": {"agents", "next_p50_ms", "next_p99_ms", ...},
"postgresql": {...}}; the top-level import figures are the slower / larger of the backends'.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import uuid as uuidlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bench.raw_http import RawConnection, RawHttpError  # noqa: E402
from bench.sync_load import (  # noqa: E402
    ServerProcess,
    fresh_pg_database,
    mint_tokens,
    percentile,
    postgres_base_url,
    postgres_cpu_s,
    process_tree_cpu_s,
)
from server.core.db import Database  # noqa: E402
from server.services.users import create_user  # noqa: E402

PASSWORD = "bench-password-1"
CHINA = ZoneInfo("Asia/Shanghai")


def log(message: str) -> None:
    print(message, flush=True)


# -- the list -------------------------------------------------------------------------------------
def make_list(rows: int) -> bytes:
    """A GB18030 CSV as a center's Excel gives it: name, mobile (with spaces and dashes now and
    then), building and room."""
    lines = ["客户姓名,手机号码,楼盘,房号"]
    for i in range(rows):
        number = f"13{i % 7 + 3}{i:08d}"
        if i % 3 == 1:
            number = f"{number[:3]} {number[3:7]} {number[7:]}"
        elif i % 3 == 2:
            number = f"{number[:3]}-{number[3:7]}-{number[7:]}"
        lines.append(f"客户{i},{number},翠湖花园{i % 40}期,{i % 30 + 1}-{i % 2000 + 101}")
    return ("\n".join(lines) + "\n").encode("gb18030")


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB (Linux)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


# -- users ----------------------------------------------------------------------------------------
@dataclass
class Agent:
    username: str
    token: str = ""
    records: list[int] = field(default_factory=list)


def make_users(db: Database, agents: int) -> list[Agent]:
    """A supervisor and `agents` agents through the users service (one argon2 hash each)."""
    made = [Agent("bench-supervisor")] + [Agent(f"bench-agent{i:04d}") for i in range(agents)]
    for index, person in enumerate(made):
        with db.write() as conn:
            create_user(conn, person.username, PASSWORD, "supervisor" if index == 0 else "agent")
    return made


async def log_in(base_url: str, people: list[Agent], concurrency: int) -> None:
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as http:

        async def one(person: Agent) -> None:
            async with limit:
                for _ in range(30):
                    reply = await http.post(
                        "/auth/login", json={"username": person.username, "password": PASSWORD}
                    )
                    if reply.status_code != 429:
                        break
                    # Logins in flight count as failures of the address until they succeed
                    # (server/services/login.py); wait as told.
                    await asyncio.sleep(float(reply.headers.get("Retry-After", "1")))
                reply.raise_for_status()
                person.token = reply.json()["token"]

        await asyncio.gather(*(one(p) for p in people))


# -- the campaign and the import ------------------------------------------------------------------
def open_campaign(http: httpx.Client) -> int:
    """A campaign one may call in at any time: every day 00:00-24:00, and today and tomorrow
    (China time) working days whatever the holiday calendar says."""
    hours = {"days": [[["00:00", "24:00"]] for _ in range(7)]}
    reply = http.post(
        "/campaigns",
        json={"name": f"bench-{uuidlib.uuid4().hex[:8]}", "calling_hours": hours},
    )
    reply.raise_for_status()
    today = dt.datetime.now(CHINA).date()
    days = [today, today + dt.timedelta(days=1)]
    overrides = [{"day": d.isoformat(), "kind": "workday", "note": "bench"} for d in days]
    http.put("/campaigns/calendar", json={"overrides": overrides}).raise_for_status()
    return int(reply.json()["id"])


def server_pids(server: ServerProcess) -> list[int]:
    """The server process and its children (the workers of `serve --workers N`)."""
    assert server.proc is not None
    pids = [server.proc.pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(stat[1]) == server.proc.pid:
                    pids.append(int(entry.name))
    return pids


def memory_kb_all(pids: list[int]) -> dict[str, int]:
    """VmRSS and VmHWM summed over processes (one process: its own figures)."""
    total = {"VmRSS": 0, "VmHWM": 0}
    for pid in pids:
        with contextlib.suppress(OSError):
            for key, value in memory_kb(pid).items():
                total[key] += value
    return total


def run_import(
    server: ServerProcess, http: httpx.Client, campaign_id: int, data: bytes
) -> dict[str, Any]:
    assert server.proc is not None
    pids = server_pids(server)
    for pid in pids:
        with contextlib.suppress(OSError):
            # Reset the high-water mark to the present size (Linux: "5" to clear_refs), so
            # VmHWM afterwards is the peak of the import itself, not of the start-up or logins.
            Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = memory_kb_all(pids)
    started = time.perf_counter()
    reply = http.post(
        f"/campaigns/{campaign_id}/import",
        files={"file": ("名单.csv", data, "text/csv")},
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    after = memory_kb_all(pids)
    reply.raise_for_status()
    report = reply.json()
    return {
        "import_s": round(elapsed, 2),
        "import_peak_mb": round((after["VmHWM"] - before["VmRSS"]) / 1024, 1),
        "server_rss_before_mb": round(before["VmRSS"] / 1024, 1),
        "server_hwm_after_mb": round(after["VmHWM"] / 1024, 1),
        "imported": report["imported"],
        "rejected": len(report["rejected"]),
        "duplicates": len(report["duplicates"]),
        "file_mb": round(len(data) / 1e6, 2),
    }


# -- next record ----------------------------------------------------------------------------------
@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    empty: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    handed: list[tuple[int, str]] = field(default_factory=list)  # (record id, agent)
    server_cpu_s: float = 0.0  # the server's processes over the measured windows
    postgres_cpu_s: float = 0.0
    client_cpu_s: float = 0.0  # this process (the load generator) over the same windows


def attempt(record_id: int, campaign_id: int) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    return {
        "uuid": str(uuidlib.uuid4()),
        "record_id": record_id,
        "campaign_id": campaign_id,
        "outcome": "no_answer",
        "started_at": (now - dt.timedelta(seconds=20)).isoformat(),
        "ended_at": now.isoformat(),
    }


async def ask(http: RawConnection, agent: Agent, campaign_id: int, samples: Samples) -> int | None:
    started = time.perf_counter()
    try:
        status, body = await http.request("POST", f"/campaigns/{campaign_id}/next")
    except RawHttpError as exc:
        samples.errors[str(exc).split(":")[0]] += 1
        return None
    samples.latencies.append(time.perf_counter() - started)
    if status != 200:
        samples.errors[str(status)] += 1
        return None
    record = json.loads(body).get("record")
    if record is None:
        samples.empty += 1
        return None
    samples.handed.append((int(record["id"]), agent.username))
    return int(record["id"])


async def post_attempt(
    http: RawConnection, record_id: int, campaign_id: int, samples: Samples
) -> None:
    try:
        status, body = await http.request(
            "POST", "/campaigns/attempts/batch", {"items": [attempt(record_id, campaign_id)]}
        )
        if status != 200 or json.loads(body)["results"][0]["status"] != "stored":
            samples.errors["attempt " + str(status)] += 1
    except RawHttpError as exc:
        samples.errors["attempt " + str(exc).split(":")[0]] += 1


async def next_load(
    base_url: str,
    agents: list[Agent],
    campaign_id: int,
    bursts: int,
    seconds: float,
    think: tuple[float, float],
    seed: int,
    server_pid: int,
) -> tuple[Samples, Samples, Samples]:
    rng = random.Random(seed)
    # One keep-alive connection per agent, as each desktop holds its own; written and read by
    # hand (bench/raw_http.py: httpx cost more CPU per request than the server).
    clients = [RawConnection(base_url, a.token) for a in agents]
    try:
        # One request each first, so every client holds an open connection before the bursts
        # (a burst measures the hand-out, not 200 TCP handshakes).
        await asyncio.gather(*(c.request("GET", "/auth/me") for c in clients))
        # One agent alone, one request after the other: what a next record costs without
        # anyone else asking (the floor under the figures below).
        alone = Samples()
        for _ in range(50):
            record = await ask(clients[0], agents[0], campaign_id, alone)
            if record is not None:
                await post_attempt(clients[0], record, campaign_id, alone)
        burst = Samples()
        for _ in range(bursts):
            go = asyncio.Event()

            async def one(http: RawConnection, agent: Agent, go: asyncio.Event = go) -> int | None:
                await go.wait()
                return await ask(http, agent, campaign_id, burst)

            tasks = [asyncio.create_task(one(c, a)) for c, a in zip(clients, agents, strict=True)]
            await asyncio.sleep(0.2)  # every task is waiting on the event
            # CPU over the burst's window, which holds its next-record requests only.
            server_cpu, pg_cpu = process_tree_cpu_s(server_pid), postgres_cpu_s()
            client_cpu = time.process_time()
            go.set()
            taken = await asyncio.gather(*tasks)
            burst.client_cpu_s += time.process_time() - client_cpu
            burst.server_cpu_s += process_tree_cpu_s(server_pid) - server_cpu
            burst.postgres_cpu_s += postgres_cpu_s() - pg_cpu
            # The calls are made; their attempts come in afterwards, not amid the burst.
            await asyncio.gather(
                *(
                    post_attempt(c, record, campaign_id, burst)
                    for c, record in zip(clients, taken, strict=True)
                    if record is not None
                )
            )
            await asyncio.sleep(0.5)
        steady = Samples()
        deadline = time.monotonic() + seconds

        async def loop(http: RawConnection, agent: Agent) -> None:
            await asyncio.sleep(rng.uniform(0, think[1]))  # agents do not start in step
            while time.monotonic() < deadline:
                record = await ask(http, agent, campaign_id, steady)
                await asyncio.sleep(rng.uniform(*think))
                if record is not None:
                    await post_attempt(http, record, campaign_id, steady)

        if seconds > 0:
            await asyncio.gather(*(loop(c, a) for c, a in zip(clients, agents, strict=True)))
        return alone, burst, steady
    finally:
        await asyncio.gather(*(c.close() for c in clients))


def figures(samples: Samples) -> dict[str, Any]:
    ms = [v * 1000 for v in samples.latencies]
    cpu = {}
    if samples.server_cpu_s and ms:
        cpu = {
            "server_cpu_ms_per_request": round(samples.server_cpu_s * 1000 / len(ms), 2),
            "postgres_cpu_ms_per_request": round(samples.postgres_cpu_s * 1000 / len(ms), 2),
            # The load generator shares the machine: its CPU is part of what a burst waits for.
            "client_cpu_ms_per_request": round(samples.client_cpu_s * 1000 / len(ms), 2),
        }
    return {
        **cpu,
        "requests": len(ms),
        "p50_ms": round(percentile(ms, 50), 1) if ms else None,
        "p99_ms": round(percentile(ms, 99), 1) if ms else None,
        "max_ms": round(max(ms), 1) if ms else None,
        "empty": samples.empty,
        "errors": dict(samples.errors),
    }


def double_handouts(samples: list[Samples]) -> int:
    """Records handed to more than one agent. A record an agent tried (no answer) is due again
    only 4 hours later and a lock lasts 15 minutes, so within the bench each record belongs to
    one agent: any record two agents got was handed out twice."""
    agents_of: dict[int, set[str]] = {}
    for s in samples:
        for record, agent in s.handed:
            agents_of.setdefault(record, set()).add(agent)
    return sum(1 for who in agents_of.values() if len(who) > 1)


# -- one backend ----------------------------------------------------------------------------------
def bench_backend(
    name: str, db_url: str, workdir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    db = Database(db_url)
    db.migrate()
    log(f"[{name}] making 1 supervisor and {args.agents} agents through the users service ...")
    started = time.perf_counter()
    people = make_users(db, args.agents)
    log(f"[{name}]   {time.perf_counter() - started:.1f} s")
    # As a center starts it: SQLite one process (serve refuses more), PostgreSQL --pg-workers.
    workers = 1 if name == "sqlite" else max(1, args.pg_workers)
    log(f"[{name}] server: main.py serve --workers {workers}")
    server = ServerProcess(db_url, workdir, workers=workers)
    server.start()
    try:
        supervisor, agents = people[0], people[1:]
        started = time.perf_counter()
        if args.mint_tokens:
            asyncio.run(log_in(server.base_url, [supervisor], 1))
            mint_tokens(db, agents)  # type: ignore[arg-type]
        else:
            asyncio.run(log_in(server.base_url, people, args.login_concurrency))
        log(f"[{name}] {len(people)} logins in {time.perf_counter() - started:.1f} s")
        data = make_list(args.rows)
        with httpx.Client(
            base_url=server.base_url,
            headers={"Authorization": f"Bearer {supervisor.token}"},
            timeout=60,
        ) as http:
            campaign_id = open_campaign(http)
            log(f"[{name}] importing {args.rows} rows ({len(data) / 1e6:.1f} MB GB18030 CSV) ...")
            imported = run_import(server, http, campaign_id, data)
        log(
            f"[{name}] import: {imported['import_s']} s, peak +{imported['import_peak_mb']} MB "
            f"(server RSS {imported['server_rss_before_mb']} MB before, high-water "
            f"{imported['server_hwm_after_mb']} MB after); {imported['imported']} imported, "
            f"{imported['rejected']} rejected, {imported['duplicates']} duplicates"
        )
        log(
            f"[{name}] next record: {args.agents} agents, {args.bursts} bursts at once, then "
            f"{args.seconds:.0f} s steady ..."
        )
        low, _, high = args.think.partition("-")
        think = (float(low), float(high or low))
        assert server.proc is not None
        alone, burst, steady = asyncio.run(
            next_load(
                server.base_url,
                agents,
                campaign_id,
                args.bursts,
                args.seconds,
                think,
                args.seed,
                server.proc.pid,
            )
        )
        doubles = double_handouts([alone, burst, steady])
        out = {
            "agents": args.agents,
            "workers": workers,
            "next_p50_ms": figures(burst)["p50_ms"],
            "next_p99_ms": figures(burst)["p99_ms"],
            "alone": figures(alone),
            "burst": figures(burst),  # (PostgreSQL's CPU figure dropped for SQLite below)
            "steady": figures(steady),
            "double_handouts": doubles,
            **imported,
        }
        if name == "sqlite":
            out["burst"].pop("postgres_cpu_ms_per_request", None)
        log(
            f"[{name}] burst CPU per request: server "
            f"{out['burst'].get('server_cpu_ms_per_request')} ms (all its processes), PostgreSQL "
            f"{out['burst'].get('postgres_cpu_ms_per_request', '-')} ms (every local postgres "
            "process: a shared cluster adds others' work), this load generator "
            f"{out['burst'].get('client_cpu_ms_per_request')} ms"
        )
        log(
            f"[{name}] one agent alone: p50 {out['alone']['p50_ms']} ms, p99 "
            f"{out['alone']['p99_ms']} ms over {out['alone']['requests']} requests"
        )
        log(
            f"[{name}] burst: p50 {out['burst']['p50_ms']} ms, p99 {out['burst']['p99_ms']} ms, "
            f"max {out['burst']['max_ms']} ms over {out['burst']['requests']} requests "
            f"(errors {out['burst']['errors']}); steady: p50 {out['steady']['p50_ms']} ms, "
            f"p99 {out['steady']['p99_ms']} ms over {out['steady']['requests']} requests "
            f"(errors {out['steady']['errors']}); double hand-outs: {doubles}"
        )
        return out
    finally:
        server.stop()
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=30, help="steady phase (0: none)")
    parser.add_argument(
        "--think",
        default="5-15",
        help="steady phase: seconds an agent works a record before asking again (a real "
        "outbound call with its wrap-up takes 1-3 minutes)",
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--pg-workers",
        type=int,
        default=os.cpu_count() or 1,
        help="PostgreSQL: `serve --workers` (default: one per CPU, as a center runs it; "
        "SQLite is always one process)",
    )
    parser.add_argument("--login-concurrency", type=int, default=4)
    parser.add_argument(
        "--mint-tokens",
        action="store_true",
        help="agents' sessions written into the database instead of logging in",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    log(f"campaign bench: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    out: dict[str, Any] = {"rows": args.rows}
    with (
        tempfile.TemporaryDirectory(prefix="seatdesk-campaign-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        root = Path(tmp)
        for name in [b.strip() for b in args.backends.split(",") if b.strip()]:
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
            out[name] = bench_backend(name, db_url, workdir, args)
    measured = [v for k, v in out.items() if isinstance(v, dict) and "import_s" in v]
    if measured:
        out["import_s"] = max(v["import_s"] for v in measured)
        out["import_peak_mb"] = max(v["import_peak_mb"] for v in measured)
    summary: dict[str, Any] = {
        "rows": out["rows"],
        "import_s": out.get("import_s"),
        "import_peak_mb": out.get("import_peak_mb"),
    }
    for name in ("sqlite", "postgresql"):
        if name in out:
            figures_ = out[name]
            summary[name] = (
                figures_
                if "skipped" in figures_
                else {
                    "agents": figures_["agents"],
                    "workers": figures_["workers"],
                    "next_p50_ms": figures_["next_p50_ms"],
                    "next_p99_ms": figures_["next_p99_ms"],
                    "alone_p50_ms": figures_["alone"]["p50_ms"],
                    "steady_p50_ms": figures_["steady"]["p50_ms"],
                    "steady_p99_ms": figures_["steady"]["p99_ms"],
                    "burst_server_cpu_ms": figures_["burst"].get("server_cpu_ms_per_request"),
                    "burst_postgres_cpu_ms": figures_["burst"].get("postgres_cpu_ms_per_request"),
                    "burst_client_cpu_ms": figures_["burst"].get("client_cpu_ms_per_request"),
                    "errors": figures_["burst"]["errors"] | figures_["steady"]["errors"],
                    "double_handouts": figures_["double_handouts"],
                    "import_s": figures_["import_s"],
                    "import_peak_mb": figures_["import_peak_mb"],
                }
            )
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
