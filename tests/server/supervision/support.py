"""The real app over HTTP on 127.0.0.1 with a clock the test moves, for the supervision tests:
uvicorn in a thread, the lifespan on (so the board hub and its PostgreSQL listener start and
stop as under `main.py serve`), on SQLite or PostgreSQL; users, teams, call records and state
changes made straight in its database, and the real board stream client (sync/board_stream).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import socket
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from common.supervision import BoardEvent, BoardRow
from common.timestamps import iso
from server.app import create_app
from server.core.config import ServerSettings
from server.core.db import Database
from server.core.security import expiry, new_token, stamp, token_digest
from server.tables import agent_states, call_records, teams, tokens, users
from sync.board_stream import BoardStream
from tests.helpers.clock import FakeClock
from tests.helpers.postgres import fresh_database
from tests.server.support import PASSWORD, password_hash

# Monday 2026-09-14 10:00 China time (02:00 UTC).
MONDAY_10 = datetime(2026, 9, 14, 2, 0, tzinfo=UTC)


@dataclass
class User:
    id: int
    username: str
    role: str
    token: str
    http: httpx.Client


class Watcher:
    """A board stream on a thread of its own; its events land in a queue."""

    def __init__(self, url: str, token: str) -> None:
        self.stream = BoardStream(url, token, backoff_first_s=0.1, backoff_max_s=0.5)
        self.events: queue.Queue[BoardEvent] = queue.Queue()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for event in self.stream.events():
                self.events.put(event)
        except Exception as exc:  # handed to the test through `error`
            self.error = exc

    def next(self, kind: str, timeout: float = 10.0) -> BoardEvent:
        """The next event of `kind` (others are skipped)."""
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                try:
                    event = self.events.get(timeout=0.05)
                except queue.Empty:
                    if self.error is not None:
                        raise AssertionError(f"the stream failed: {self.error!r}") from None
                    continue
                if event.kind == kind:
                    return event
        finally:
            timer.cancel()
        raise AssertionError(f"no '{kind}' event within {timeout} s")

    def seat(self, predicate: Callable[[BoardRow], bool], timeout: float = 10.0) -> BoardRow:
        """The next `seat` row that matches `predicate`."""
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                try:
                    event = self.next("seat", timeout=0.2)
                except AssertionError:
                    continue
                assert event.seat is not None
                if predicate(event.seat):
                    return event.seat
        finally:
            timer.cancel()
        raise AssertionError(f"no matching seat event within {timeout} s")

    def seats_now(self) -> list[BoardRow]:
        """Every seat event already received (without waiting)."""
        rows = []
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return rows
            if event.seat is not None:
                rows.append(event.seat)

    def close(self) -> None:
        self.stream.close()
        self._thread.join(timeout=10)


class LiveApp:
    __test__ = False

    def __init__(self, db: Database, clock: FakeClock) -> None:
        self.db = db
        self.clock = clock
        self.url = ""
        self.app: Any = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._clients: list[httpx.Client] = []
        self._watchers: list[Watcher] = []
        self._count = 0

    @property
    def backend(self) -> str:
        return "sqlite" if self.db.is_sqlite else "postgresql"

    def start(self) -> None:
        self.app = create_app(ServerSettings(db_url=self.db.url), self.db)
        self.app.state.clock = self.clock
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        self._server = server
        started = threading.Event()

        async def serve() -> None:
            task = asyncio.ensure_future(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.01)
            started.set()
            await task

        self._thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
        self._thread.start()
        assert started.wait(30), "the app did not start"
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        for watcher in self._watchers:
            watcher.close()
        for http in self._clients:
            http.close()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
            assert not self._thread.is_alive(), "the app did not stop"

    # -- people and teams -------------------------------------------------------------------
    def team(self, name: str | None = None) -> int:
        self._count += 1
        with self.db.write() as conn:
            return int(
                conn.execute(
                    teams.insert().values(
                        name=name or f"班组-{self._count}", created_at=stamp(), updated_at=stamp()
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
            )

    def user(self, role: str, team_id: int | None = None) -> User:
        self._count += 1
        username = f"{role}-{self._count}"
        with self.db.write() as conn:
            user_id = int(
                conn.execute(
                    users.insert().values(
                        username=username,
                        display_name=f"{role} {self._count}",
                        role=role,
                        password_hash=password_hash(PASSWORD),
                        disabled=False,
                        created_at=stamp(),
                        team_id=team_id,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
            )
            token = new_token()
            conn.execute(
                tokens.insert().values(
                    token_hash=token_digest(token),
                    user_id=user_id,
                    created_at=stamp(),
                    expires_at=expiry(24 * 3600),
                )
            )
        http = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        self._clients.append(http)
        return User(user_id, username, role, token, http)

    def watch(self, user: User) -> Watcher:
        watcher = Watcher(self.url, user.token)
        self._watchers.append(watcher)
        return watcher

    # -- what seats report ------------------------------------------------------------------
    def report(
        self,
        agent: User,
        state: str = "ready",
        *,
        reason: str = "",
        since_s: float = 0.0,
        call: dict[str, Any] | None = None,
        kind: str = "event",
    ) -> httpx.Response:
        body: dict[str, Any] = {
            "kind": kind,
            "state": state,
            "reason": reason,
            "state_since": iso(self.clock() - timedelta(seconds=since_s)),
        }
        if call is not None:
            body["call"] = call
        return agent.http.post("/supervision/seat", json=body)

    def call(self, started_s_ago: float = 0.0, **fields: Any) -> dict[str, Any]:
        """A current call for a report (a fresh call uuid unless given)."""
        return {
            "call_uuid": str(uuidlib.uuid4()),
            "direction": "inbound",
            "started_at": iso(self.clock() - timedelta(seconds=started_s_ago)),
            "queue": "售后",
            "number": "13800138000",
            **fields,
        }

    # -- history straight into the database -------------------------------------------------
    def call_record(
        self,
        agent: User,
        started: datetime,
        *,
        talk: float,
        hold: float = 0.0,
        acw: float = 0.0,
        answered: bool = True,
    ) -> None:
        with self.db.write() as conn:
            conn.execute(
                call_records.insert().values(
                    uuid=str(uuidlib.uuid4()),
                    agent_id=agent.id,
                    version=1,
                    direction="inbound",
                    started_at=iso(started),
                    answered_at=iso(started + timedelta(seconds=5)) if answered else None,
                    ended_at=iso(started + timedelta(seconds=talk + hold + 5)),
                    talk_seconds=talk,
                    hold_seconds=hold,
                    acw_seconds=acw,
                    end_reason="remote_hangup",
                    received_at=stamp(),
                    updated_at=stamp(),
                )
            )

    def left_wrap_up(self, agent: User, at: datetime, seconds: float) -> None:
        """A state change out of after-call work at `at`, which had lasted `seconds`."""
        with self.db.write() as conn:
            conn.execute(
                agent_states.insert().values(
                    uuid=str(uuidlib.uuid4()),
                    agent_id=agent.id,
                    state="ready",
                    started_at=iso(at),
                    previous_state="after_call_work",
                    previous_started_at=iso(at - timedelta(seconds=seconds)),
                    previous_seconds=seconds,
                    received_at=stamp(),
                )
            )


@contextlib.contextmanager
def live_app(backend: str, folder: Path, start: datetime = MONDAY_10) -> Iterator[LiveApp]:
    url_cm = (
        contextlib.nullcontext(f"sqlite:///{folder / 'supervision.db'}")
        if backend == "sqlite"
        else fresh_database()
    )
    with url_cm as url:
        db = Database(url)
        db.migrate()
        app = LiveApp(db, FakeClock(start))
        try:
            app.start()
            yield app
        finally:
            app.stop()
            db.dispose()
