"""How long `GET /questions/groups` takes with many open questions (issue 11, #18).

Starts `python main.py serve` on 127.0.0.1 over a fresh SQLite file (or `--db URL`), seeds
`--questions` open questions from 20 agents through the real `/questions/batch` endpoint
(realistic Chinese questions from bench/synthetic_corpus.py), then has a supervisor call
`/questions/groups` `--requests` times, as the supervisors' queue does every 15 s.

The first call after the server starts builds the similarity index from scratch and is
reported apart ("first_ms"); each measured call is preceded by a push of a few new questions,
so the index is also updated incrementally as in real use. The last line printed is one JSON
object with "open_questions", "p50_ms" and "p95_ms" (target: p95 < 200 ms at 10,000).

    python bench/question_groups.py [--questions 10000] [--requests 60] [--db URL] [--distinct]

--distinct makes every question's text different (four random characters appended): a harder
case than real queues, where many agents ask the same thing in the same words.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from bench.sync_load import ServerProcess, log, percentile  # noqa: E402
from bench.synthetic_corpus import CorpusGenerator  # noqa: E402
from server.core.db import Database  # noqa: E402
from server.services.users import create_user  # noqa: E402

PASSWORD = "bench-password-1"
FILLER = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
AGENTS = 20
BATCH = 500


def _item(text: str, line: str) -> dict[str, str]:
    return {"uuid": str(uuidlib.uuid4()), "query": text, "business_line": line}


def _login(base_url: str, username: str) -> httpx.Client:
    http = httpx.Client(base_url=base_url, timeout=120)
    response = http.post("/auth/login", json={"username": username, "password": PASSWORD})
    response.raise_for_status()
    http.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return http


def run(
    questions: int, requests: int, db_url: str | None, workdir: Path, distinct: bool = False
) -> dict[str, object]:
    url = db_url or f"sqlite:///{workdir / 'server.db'}"
    db = Database(url)
    db.migrate()
    with db.write() as conn:
        names = [f"qg-agent-{i}" for i in range(AGENTS)]
        for name in names:
            create_user(conn, name, PASSWORD, "agent")
        create_user(conn, "qg-supervisor", PASSWORD, "supervisor")
    db.dispose()
    corpus = CorpusGenerator(seed=11)
    rng = random.Random(11)

    def text() -> str:
        asked = corpus.question_query().text
        return asked + "".join(rng.choice(FILLER) for _ in range(4)) if distinct else asked

    lines = ["telecom", "property", "elderly", "education"]
    server = ServerProcess(url, workdir, workers=None)
    server.start()
    try:
        agents = [_login(server.base_url, name) for name in names]
        supervisor = _login(server.base_url, "qg-supervisor")
        seeded = 0
        started = time.perf_counter()
        while seeded < questions:
            count = min(BATCH, questions - seeded)
            items = [_item(text(), lines[(seeded + i) % len(lines)]) for i in range(count)]
            agent = agents[(seeded // BATCH) % AGENTS]
            response = agent.post("/questions/batch", json={"items": items})
            response.raise_for_status()
            assert all(r["status"] == "stored" for r in response.json()["results"])
            seeded += count
        log(f"seeded {seeded} open questions in {time.perf_counter() - started:.1f} s")

        def groups() -> tuple[float, int]:
            t0 = time.perf_counter()
            response = supervisor.get("/questions/groups")
            elapsed = (time.perf_counter() - t0) * 1000
            response.raise_for_status()
            return elapsed, len(response.json())

        first_ms, group_count = groups()
        log(f"first call (index built from scratch): {first_ms:.0f} ms, {group_count} groups")
        timings: list[float] = []
        for i in range(requests):
            # A few new questions between calls, as agents keep asking.
            fresh = [_item(text(), lines[i % len(lines)]) for _ in range(3)]
            agents[i % AGENTS].post("/questions/batch", json={"items": fresh}).raise_for_status()
            seeded += len(fresh)
            elapsed, group_count = groups()
            timings.append(elapsed)
        for http in [*agents, supervisor]:
            http.close()
    finally:
        server.stop()
    return {
        "open_questions": seeded,
        "groups": group_count,
        "requests": requests,
        "first_ms": round(first_ms, 1),
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--distinct", action="store_true", help="no two questions alike")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seatdesk-qgroups-") as tmp:
        result = run(args.questions, args.requests, args.db, Path(tmp), args.distinct)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
