"""Two app servers on one PostgreSQL (`main.py serve` twice): a seat reporting to one server
reaches a supervisor whose board stream is on the other (LISTEN/NOTIFY), and a server whose
listening connection is cut reconnects and reloads its streams' boards."""

from __future__ import annotations

import contextlib
import queue
import threading
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from common.supervision import BoardEvent
from common.timestamps import iso
from server.core.db import Database
from server.tables import teams, users
from sync.board_stream import BoardStream
from tests.helpers.postgres import fresh_database
from tests.helpers.waiting import wait_until
from tests.server.support import Backend, ServerProcess


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


class Reader:
    def __init__(self, base_url: str, token: str) -> None:
        self.stream = BoardStream(base_url, token, backoff_first_s=0.1, backoff_max_s=0.5)
        self.events: queue.Queue[BoardEvent] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for event in self.stream.events():
            self.events.put(event)

    def next(self, kind: str, timeout: float = 15.0) -> BoardEvent:
        while True:
            event = self.events.get(timeout=timeout)
            if event.kind == kind:
                return event

    def close(self) -> None:
        self.stream.close()
        self.thread.join(timeout=10)


def _report(backend: Backend, token: str, state: str, reason: str = "") -> None:
    with backend.client(token) as http:
        body = {"state": state, "reason": reason, "state_since": iso()}
        assert http.post("/supervision/seat", json=body).status_code == 200


def test_a_report_to_one_server_reaches_a_stream_on_the_other(
    two_servers: tuple[Backend, Backend],
) -> None:
    a, b = two_servers
    with a.db.write() as conn:
        team = conn.execute(
            teams.insert().values(name="一组", created_at=iso(), updated_at=iso())
        ).inserted_primary_key[0]  # type: ignore[index]
    agent_id, _ = a.add_user("agent")
    supervisor_id, _ = a.add_user("supervisor")
    with a.db.write() as conn:
        conn.execute(
            users.update().where(users.c.id.in_([agent_id, supervisor_id])).values(team_id=team)
        )
    agent_token, supervisor_token = a.mint_token(agent_id), a.mint_token(supervisor_id)
    reader = Reader(b.base_url, supervisor_token)
    try:
        reader.next("board")
        _report(a, agent_token, "not_ready", "meeting")
        row = reader.next("seat").seat
        assert row is not None
        assert (row.agent_id, row.state, row.reason) == (agent_id, "not_ready", "meeting")

        # Cut every listening connection: server B's listener reconnects, reloads the board
        # of its stream (announcements made meanwhile are lost), and hears again.
        with psycopg.connect(_plain(a.db_url), autocommit=True) as admin:
            cut = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE query LIKE 'LISTEN seatdesk_board%%' AND datname = current_database()"
            ).fetchall()
        assert len(cut) == 2  # one per server process
        reloaded = reader.next("board").board
        assert reloaded is not None
        assert [r.state for r in reloaded.agents if r.agent_id == agent_id] == ["not_ready"]
        wait_until(lambda: _listening(a.db_url) == 2, 15, "both listeners back")
        marker = uuidlib.uuid4().hex[:8]
        _report(a, agent_token, "not_ready", marker)
        row = reader.next("seat").seat
        assert row is not None and row.reason == marker
    finally:
        reader.close()
    assert "Traceback" not in a.proc.log_tail(200) + b.proc.log_tail(200)


def _plain(url: str) -> str:
    return (
        sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def _listening(url: str) -> int:
    with psycopg.connect(_plain(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN seatdesk_board%%'"
            " AND datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0
