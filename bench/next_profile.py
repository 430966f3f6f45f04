"""Where the CPU of one POST /campaigns/{id}/next goes: the real app (create_app) driven in
process over ASGI, on a campaign of 100,000 records, SQLite and PostgreSQL (issue 12,
"Benchmark"; bench/campaign.py measures the same route over HTTP under load).

FastAPI runs plain `def` routes and dependencies in a thread pool, which cProfile (one
thread) does not see; here the pool hand-off is replaced by a direct call, so the whole
request runs on the profiled thread. The hand-off itself is therefore not in these figures.

Per backend: N agents (sessions written into the database) each ask once (a claim of a fresh
record, the token looked up: the first request of a session), their records are finished
out of band, and all ask again (a claim, the token found in the cache). Reported: CPU
(time.process_time) per request in each round, and with --profile the top functions of the
second round by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench.sync_load import fresh_pg_database  # noqa: E402
from common.outbound import CallingHours, CampaignIn, HolidayOverride  # noqa: E402
from common.timestamps import iso  # noqa: E402
from server.app import create_app  # noqa: E402
from server.core.config import ServerSettings  # noqa: E402
from server.core.db import Database  # noqa: E402
from server.core.security import expiry, new_token, stamp, token_digest  # noqa: E402
from server.services.outbound import campaigns as campaign_service  # noqa: E402
from server.tables import campaign_records, tokens, users  # noqa: E402


async def _inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def inline_threadpool() -> None:
    """Run FastAPI's thread-pool work on the calling thread (profiling only)."""
    import fastapi.dependencies.utils
    import fastapi.routing

    import server.api.deps

    for module in (fastapi.routing, fastapi.dependencies.utils, server.api.deps):
        module.run_in_threadpool = _inline  # type: ignore[attr-defined]


def populate(db: Database, rows: int, agents: int) -> tuple[int, list[str]]:
    db.migrate()
    always = CallingHours.model_validate({"days": [[["00:00", "24:00"]] for _ in range(7)]})
    with db.write() as conn:
        campaign = campaign_service.create_campaign(
            conn, CampaignIn(name="profile", calling_hours=always), None
        )
        campaign_service.replace_overrides(
            conn,
            [HolidayOverride(day=f"2026-{m:02d}-01", kind="closed", note="x") for m in (1, 5)],
            None,
        )
        now = iso()
        conn.execute(
            campaign_records.insert(),
            [
                {
                    "campaign_id": campaign.id,
                    "row_number": i + 1,
                    "name": f"客户{i}",
                    "phone": f"13{i % 7 + 3}{i:08d}",
                    "phone_key": f"13{i % 7 + 3}{i:08d}",
                    "fields": json.dumps({"楼盘": f"翠湖花园{i % 40}期"}, ensure_ascii=False),
                    "updated_at": now,
                }
                for i in range(rows)
            ],
        )
        conn.execute(
            users.insert(),
            [
                {
                    "username": f"agent{i:04d}",
                    "display_name": "",
                    "password_hash": "x",
                    "role": "agent",
                    "created_at": now,
                }
                for i in range(agents)
            ],
        )
        ids = [row.id for row in conn.execute(sa.select(users.c.id).order_by(users.c.id))]
        secrets = [new_token() for _ in ids]
        conn.execute(
            tokens.insert(),
            [
                {
                    "token_hash": token_digest(secret),
                    "user_id": user_id,
                    "created_at": stamp(),
                    "expires_at": expiry(3600),
                }
                for secret, user_id in zip(secrets, ids, strict=True)
            ],
        )
    if not db.is_sqlite:
        with db.write() as conn:
            conn.execute(sa.text("ANALYZE"))
    return campaign.id, secrets


async def one_round(
    http: httpx.AsyncClient, campaign_id: int, secrets: list[str], profile: cProfile.Profile | None
) -> float:
    started = time.process_time()
    if profile:
        profile.enable()
    for secret in secrets:
        reply = await http.post(
            f"/campaigns/{campaign_id}/next", headers={"Authorization": f"Bearer {secret}"}
        )
        assert reply.status_code == 200 and reply.json()["record"], reply.text
    if profile:
        profile.disable()
    return (time.process_time() - started) / len(secrets) * 1000


def finish_locked(db: Database) -> None:
    with db.write() as conn:
        conn.execute(
            campaign_records.update()
            .where(campaign_records.c.locked_by.is_not(None))
            .values(status="done", locked_by=None, locked_until=None)
        )


def run(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    db = Database(url)
    campaign_id, secrets = populate(db, args.rows, args.agents)
    app = create_app(ServerSettings(db_url=db.url), db)
    profile = cProfile.Profile() if args.profile else None

    async def main() -> dict[str, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            await one_round(http, campaign_id, secrets[:20], None)  # warm-up
            finish_locked(db)
            first = await one_round(http, campaign_id, secrets, None)
            finish_locked(db)
            app.state.token_cache.evict()
            second = await one_round(http, campaign_id, secrets, profile)
            return {"first_cpu_ms": round(first, 3), "cached_token_cpu_ms": round(second, 3)}

    out = asyncio.run(main())
    db.dispose()
    if profile:
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(f"== {name}: cumulative ==\n{text.getvalue()}")
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text)
        stats.sort_stats("tottime").print_stats(args.top)
        print(f"== {name}: own time ==\n{text.getvalue()}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args()
    inline_threadpool()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="seatdesk-next-profile-") as tmp:
        for name in args.backends.split(","):
            if name == "sqlite":
                out[name] = run(name, f"sqlite:///{Path(tmp) / 'p.db'}", args)
            else:
                base = os.environ.get("SEATDESK_TEST_PG_URL")
                if not base:
                    out[name] = {"skipped": "no SEATDESK_TEST_PG_URL"}
                    continue
                with contextlib.ExitStack() as stack:
                    out[name] = run(name, stack.enter_context(fresh_pg_database(base)), args)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
