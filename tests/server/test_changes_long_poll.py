"""The changes feed's long-poll (GET /changes?wait=S): a reader with nothing new is answered
when a change for it commits, not when its wait ends; a change for someone else does not end
the wait; waiting readers hold no thread (more of them than the thread pool has threads leave
login and the other routes working); and on PostgreSQL a change committed through one app
server wakes a reader waiting on another (LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import psycopg
import pytest
import sqlalchemy as sa

from server.api.routes.changes import MAX_WAIT_S
from server.core.db import Database
from tests.helpers.postgres import fresh_database
from tests.helpers.waiting import wait_until
from tests.server.support import PASSWORD, Actor, Actors, Backend, ServerProcess, all_changes, ask


def _article(title: str) -> dict[str, Any]:
    return {
        "type": "faq",
        "title": title,
        "body": "发送短信 CXHF 到 10086。",
        "status": "published",
    }


class LongPoll:
    """One GET /changes?wait=S in a thread of its own: its page, and whether it has answered."""

    def __init__(self, base_url: str, token: str, since: int, wait: int) -> None:
        self.page: dict[str, Any] | None = None
        self.error = ""
        self._args = (base_url, token, since, wait)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        base_url, token, since, wait = self._args
        headers = {"Authorization": f"Bearer {token}"}
        try:
            with httpx.Client(base_url=base_url, headers=headers, timeout=wait + 30) as http:
                response = http.get("/changes", params={"since": since, "wait": wait})
            if response.status_code == 200:
                self.page = response.json()
            else:
                self.error = response.text
        except httpx.HTTPError as exc:
            self.error = repr(exc)
        finally:
            self.done.set()

    def result(self, timeout: float) -> dict[str, Any]:
        assert self.done.wait(timeout), "the long-poll did not answer"
        assert self.page is not None, self.error
        return self.page


def _uuids(page: dict[str, Any]) -> list[str]:
    return [c["uuid"] for c in page["changes"]]


def test_a_waiting_reader_is_answered_when_its_change_commits(
    server: Backend, actors: Actors
) -> None:
    manager, agent = actors("manager"), actors("agent")
    _, since = all_changes(agent)
    poll = LongPoll(server.base_url, agent.token, since, MAX_WAIT_S)
    # Nothing new: it waits (an answer now would be the old immediate behaviour).
    assert not poll.done.wait(1.5)
    response = manager.http.post("/articles", json=_article("长轮询唤醒"))
    assert response.status_code == 201, response.text
    # Woken by the commit, well before its 30 s: and the change is there to read.
    page = poll.result(MAX_WAIT_S / 2)
    assert _uuids(page) == [response.json()["uuid"]]
    assert page["next_since"] == page["changes"][-1]["seq"] > since


def test_someone_elses_change_does_not_end_the_wait_and_an_empty_wait_ends(
    server: Backend, actors: Actors
) -> None:
    a, b, supervisor = actors("agent"), actors("agent"), actors("supervisor")
    _, since_b = all_changes(b)
    poll = LongPoll(server.base_url, b.token, since_b, MAX_WAIT_S)
    qa = ask(a, "只和 A 有关的长轮询")
    assert supervisor.http.post(f"/questions/{qa}/answer", json={"answer": "好"}).status_code == 200
    # A's answer is in the feed, but not for B: B keeps waiting.
    assert not poll.done.wait(1.5)
    qb = ask(b, "B 的长轮询问题")
    assert supervisor.http.post(f"/questions/{qb}/answer", json={"answer": "好"}).status_code == 200
    page = poll.result(MAX_WAIT_S / 2)
    assert qb in _uuids(page) and qa not in _uuids(page)

    # With nothing new at all, the wait ends with an empty page and a checkpoint that holds.
    _, end = all_changes(b)
    short = LongPoll(server.base_url, b.token, end, 1)
    empty = short.result(20)
    assert empty["changes"] == [] and empty["has_more"] is False and empty["next_since"] >= end


def test_wait_is_bounded_and_zero_answers_at_once(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    _, since = all_changes(agent)
    too_long = agent.http.get("/changes", params={"since": since, "wait": MAX_WAIT_S + 1})
    assert too_long.status_code == 422
    assert agent.http.get("/changes", params={"wait": -1}).status_code == 422
    # wait=0 (the default) is today's feed: an empty page at once, even with nothing new
    # (a 10 s client timeout here is far below any long-poll's 30 s).
    with server.client(agent.token, timeout=10) as http:
        page = http.get("/changes", params={"since": since, "wait": 0}).json()
    assert page["changes"] == []


def test_waiting_readers_hold_no_thread(server: Backend, actors: Actors) -> None:
    """More long-polls than the server's thread pool has threads: a login and an ordinary
    request still complete while they all wait, and one commit answers them all. (Had the
    route waited in a pool thread, every thread would be taken and both would time out.)"""
    manager, agent = actors("manager"), actors("agent")
    _, since = all_changes(agent)

    async def run() -> tuple[list[dict[str, Any]], int, int, int]:
        # The server runs the same anyio, so the same default pool size.
        threads = anyio.to_thread.current_default_thread_limiter().total_tokens
        waiting = threads + 20
        limits = httpx.Limits(max_connections=waiting + 10)
        headers = {"Authorization": f"Bearer {agent.token}"}
        async with httpx.AsyncClient(
            base_url=server.base_url, headers=headers, timeout=MAX_WAIT_S + 30, limits=limits
        ) as http:
            params = {"since": since, "wait": MAX_WAIT_S}
            polls = [
                asyncio.create_task(http.get("/changes", params=params)) for _ in range(waiting)
            ]
            await asyncio.sleep(2)  # let them all reach the server and start waiting
            assert not any(p.done() for p in polls)
            async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as other:
                login = await other.post(
                    "/auth/login", json={"username": agent.username, "password": PASSWORD}
                )
                assert login.status_code == 200, login.text
                listed = await other.get(
                    "/articles", headers={"Authorization": f"Bearer {manager.token}"}
                )
                assert listed.status_code == 200, listed.text
            still_waiting = sum(not p.done() for p in polls)
            published = await asyncio.to_thread(
                manager.http.post, "/articles", json=_article("唤醒所有长轮询")
            )
            assert published.status_code == 201, published.text
            answers = await asyncio.wait_for(asyncio.gather(*polls), MAX_WAIT_S / 2)
            return [r.json() for r in answers], still_waiting, waiting, threads

    pages, still_waiting, waiting, threads = asyncio.run(run())
    assert waiting > threads and still_waiting == waiting
    assert all(len(page["changes"]) == 1 for page in pages)


# -- two app servers on one PostgreSQL ----------------------------------------------------------
@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[Backend, Backend]]:
    with fresh_database() as url:
        db = Database(url)
        db.migrate()
        with contextlib.ExitStack() as stack:
            backends = []
            for name in ("a", "b"):
                proc = ServerProcess(url, tmp_path / name)
                stack.callback(proc.stop)
                proc.start()
                backends.append(Backend(name, url, db, proc))
            yield backends[0], backends[1]
        db.dispose()


def _listening(db_url: str) -> int:
    with psycopg.connect(_plain(db_url), autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE query = 'LISTEN seatdesk_changes' AND datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def _plain(url: str) -> str:
    return (
        sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def _actor(backend: Backend, role: str) -> Actor:
    user_id, name = backend.add_user(role)
    token = backend.mint_token(user_id)
    return Actor(user_id, name, role, PASSWORD, token, backend.client(token))


def test_a_change_through_one_server_wakes_a_reader_waiting_on_the_other(
    two_servers: tuple[Backend, Backend],
) -> None:
    a, b = two_servers
    wait_until(lambda: _listening(a.db_url) == 2, 30, "both servers listen for changes")
    manager, agent = _actor(a, "manager"), _actor(b, "agent")
    try:
        _, since = all_changes(agent)
        poll = LongPoll(b.base_url, agent.token, since, MAX_WAIT_S)
        assert not poll.done.wait(1.5)
        started = time.monotonic()
        created = manager.http.post("/articles", json=_article("跨服务器唤醒"))
        assert created.status_code == 201, created.text
        page = poll.result(MAX_WAIT_S / 2)
        assert _uuids(page) == [created.json()["uuid"]]
        assert time.monotonic() - started < MAX_WAIT_S / 2  # woken, not timed out

        # The listening connections cut: each server reconnects and wakes its waiters to read
        # again (what was announced meanwhile is lost), and hears the next change.
        poll = LongPoll(b.base_url, agent.token, page["next_since"], MAX_WAIT_S)
        assert not poll.done.wait(1.5)
        with psycopg.connect(_plain(a.db_url), autocommit=True) as admin:
            cut = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE query = 'LISTEN seatdesk_changes' AND datname = current_database()"
            ).fetchall()
        assert len(cut) == 2
        wait_until(lambda: _listening(a.db_url) == 2, 30, "both listeners back")
        created = manager.http.post("/articles", json=_article("重连后唤醒"))
        assert created.status_code == 201, created.text
        assert _uuids(poll.result(MAX_WAIT_S / 2)) == [created.json()["uuid"]]
    finally:
        manager.http.close()
        agent.http.close()
    assert "Traceback" not in a.proc.log_tail(200) + b.proc.log_tail(200)
