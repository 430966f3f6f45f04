"""The real app over HTTP on 127.0.0.1 with a clock the test moves, for the supervision tests:
tests/helpers/app_server.py with the lifespan on (so the board hub and its PostgreSQL listener
start and stop as under `main.py serve`), on SQLite or PostgreSQL; teams, call records and state
changes made straight in its database, and the real board stream client (sync/board_stream).
"""

from __future__ import annotations

import queue
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from common.supervision import BoardEvent, BoardRow
from common.timestamps import iso
from server.core.db import Database
from server.core.security import stamp
from server.tables import agent_states, call_records, teams
from sync.board_stream import BoardStream
from tests.helpers.app_server import MONDAY_10, AppServer, User, served
from tests.helpers.clock import FakeClock

__all__ = ["MONDAY_10", "LiveApp", "User", "Watcher", "live_app"]


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
        rows: list[BoardRow] = []
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


class LiveApp(AppServer):
    __test__ = False

    def __init__(self, db: Database, clock: FakeClock) -> None:
        super().__init__(db, clock, lifespan=True)
        self._watchers: list[Watcher] = []

    def stop(self) -> None:
        for watcher in self._watchers:
            watcher.close()
        super().stop()

    # -- people and teams -------------------------------------------------------------------
    def team(self, name: str | None = None) -> int:
        name = name or f"班组-{self.next_number()}"
        with self.db.write() as conn:
            return int(
                conn.execute(
                    teams.insert().values(name=name, created_at=stamp(), updated_at=stamp())
                ).inserted_primary_key[0]  # type: ignore[index]
            )

    def user(self, role: str, team_id: int | None = None, **columns: Any) -> User:
        return super().user(role, team_id=team_id, **columns)

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


@contextmanager
def live_app(backend: str, folder: Path, start: datetime = MONDAY_10) -> Iterator[LiveApp]:
    with served(LiveApp, backend, folder / "supervision.db", start) as app:
        yield app
