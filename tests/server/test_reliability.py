"""The server stops while a client pushes; after a restart every question is there exactly once."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import httpx
import sqlalchemy as sa

from server.tables import questions
from tests.server.support import ServerFactory, question, wait_until

BATCHES = 40
BATCH_SIZE = 10


class Pusher(threading.Thread):
    """Pushes batches like the outbox worker: retry each batch with backoff until every item is
    acknowledged (stored or duplicate)."""

    def __init__(self, base_url: str, token: str, batches: list[list[dict[str, Any]]]) -> None:
        super().__init__(name="pusher", daemon=True)
        self.base_url = base_url
        self.token = token
        self.batches = batches
        self.acked = 0
        self.failures = 0
        self.statuses: dict[str, str] = {}
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.rng = random.Random(7)

    def run(self) -> None:
        try:
            with httpx.Client(
                base_url=self.base_url,
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=5,
            ) as http:
                for batch in self.batches:
                    self._push(http, batch)
                    self.acked += 1
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            self.done.set()

    def _push(self, http: httpx.Client, batch: list[dict[str, Any]]) -> None:
        delay = 0.02
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                response = http.post("/questions/batch", json={"items": batch})
                if response.status_code == 200:
                    results = response.json()["results"]
                    statuses = {r["uuid"]: r["status"] for r in results}
                    assert set(statuses) == {item["uuid"] for item in batch}
                    assert set(statuses.values()) <= {"stored", "duplicate"}, statuses
                    self.statuses.update(statuses)
                    return
                assert response.status_code >= 500, response.text  # a 4xx is a real failure
            except httpx.TransportError:
                pass
            self.failures += 1
            time.sleep(delay + self.rng.uniform(0, delay))
            delay = min(delay * 2, 0.5)
        raise AssertionError("a batch was never acknowledged")


def test_server_restarts_while_a_client_pushes(
    start_server: ServerFactory, backend_name: str
) -> None:
    backend = start_server(backend_name)
    agent_id, _ = backend.add_user("agent")
    token = backend.mint_token(agent_id)
    batches = [[question(f"重启测试 {b}-{i}") for i in range(BATCH_SIZE)] for b in range(BATCHES)]
    pusher = Pusher(backend.base_url, token, batches)
    pusher.start()
    try:
        # Stop it gracefully (SIGTERM), then crash it (SIGKILL), each time mid-stream.
        for kill, after in ((False, 5), (True, 20)):
            wait_until(
                lambda: pusher.acked >= after or pusher.done.is_set(),  # noqa: B023
                60,
                "batches to be acknowledged",
            )
            assert not pusher.done.is_set(), "the pusher finished before the server was stopped"
            backend.proc.stop(kill=kill)
            failures = pusher.failures
            wait_until(
                lambda: pusher.failures > failures,  # noqa: B023
                30,
                "the client to notice",
            )
            backend.proc.start()  # same database, same port
        assert pusher.done.wait(120), "the pusher did not finish"
    finally:
        pusher.done.wait(120)
    assert pusher.error is None, repr(pusher.error)
    assert pusher.acked == BATCHES
    assert pusher.failures > 0
    pushed = {item["uuid"] for batch in batches for item in batch}
    with backend.db.read() as conn:
        rows = conn.execute(
            sa.select(questions.c.uuid, sa.func.count().label("n"))
            .where(questions.c.agent_id == agent_id)
            .group_by(questions.c.uuid)
        ).all()
    stored = {r.uuid: r.n for r in rows}
    assert set(stored) == pushed, (len(pushed - set(stored)), len(set(stored) - pushed))
    assert all(n == 1 for n in stored.values())
    assert len(stored) == BATCHES * BATCH_SIZE
    assert backend.proc.starts == 3
