"""Appending to and reading the changes feed that every client mirrors, and waking the
clients that long-poll it (GET /changes?wait=S).

A change wakes the waiting requests only once it has committed: on PostgreSQL by a NOTIFY in
the appending transaction (sent at commit, to every app server: services/broadcast.py), on
SQLite by Database.write's after-commit hook (one process). Waiters are asyncio futures on the
app's event loop, so a waiting request holds no thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.core.db import CHANGES_APPENDED, Database
from server.core.security import stamp
from server.services import broadcast
from server.tables import changes

log = logging.getLogger(__name__)

CHANNEL = "seatdesk_changes"


def append_change(
    conn: Connection,
    kind: str,
    entity_uuid: str,
    payload: dict[str, Any],
    audience_user_id: int | None = None,
) -> int:
    """Record a change in the caller's transaction (opened with appends_changes=True); its
    long-polls wake when that transaction commits."""
    result = conn.execute(
        changes.insert().values(
            kind=kind,
            entity_uuid=entity_uuid,
            audience_user_id=audience_user_id,
            payload=json.dumps(payload, ensure_ascii=False),
            created_at=stamp(),
        )
    )
    if conn.dialect.name == "postgresql":
        # Sent at commit (never for a rollback); one per transaction however many changes.
        broadcast.notify(conn, CHANNEL)
    conn.info[CHANGES_APPENDED] = True  # Database.write wakes this process's waiters after commit
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def read_changes(
    conn: Connection, user_id: int, since: int, limit: int
) -> tuple[list[dict[str, Any]], bool, int]:
    """Changes after `since` that this user may see, oldest first; whether more remain; and
    where the next read starts.

    The upper bound is read first and the page is cut at it: a change that commits while this
    runs is left for the next read instead of being skipped over. Changes commit in sequence
    order (see Database.write), so everything up to the bound is already visible.
    """
    latest = int(conn.execute(sa.select(sa.func.max(changes.c.seq))).scalar() or 0)
    rows = conn.execute(
        sa.select(changes.c.seq, changes.c.kind, changes.c.entity_uuid, changes.c.payload)
        .where(changes.c.seq > since)
        .where(changes.c.seq <= latest)
        .where(sa.or_(changes.c.audience_user_id.is_(None), changes.c.audience_user_id == user_id))
        .order_by(changes.c.seq)
        .limit(limit + 1)
    ).all()
    out = [
        {"seq": r.seq, "kind": r.kind, "uuid": r.entity_uuid, "data": json.loads(r.payload)}
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    # Past the last change shown; with nothing (more) for this user, past others' changes too.
    next_since = out[-1]["seq"] if more else max(since, latest)
    return out, more, next_since


class ChangeSignal:
    """Wakes this process's long-polls when a change commits (here, or on another app server
    through PostgreSQL). A waiter takes a future *before* reading the feed, so a change that
    commits between its read and its wait still wakes it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiters: set[asyncio.Future[None]] = set()
        self._listener: broadcast.PgListener | None = None
        # Set when the host stops: waiting long-polls answer at once instead of holding the
        # shutdown until they are cancelled (which uvicorn reports as errors).
        self.closing = False
        db.after_changes_commit.append(self.wake_threadsafe)

    def start(self) -> None:
        """Bind to the running loop and listen (PostgreSQL); by the lifespan, or the first
        waiter when the host runs without one."""
        if self._loop is not None and not self._loop.is_closed():
            return
        self._loop = asyncio.get_running_loop()
        if not self.db.is_sqlite and self._listener is None:
            # A reconnected listener may have missed notifications: wake everyone to re-read.
            self._listener = broadcast.PgListener(
                self.db,
                CHANNEL,
                lambda _payload: self.wake_threadsafe(),
                self.wake_threadsafe,
                name="changes-listener",
            )
            self._listener.start()

    async def stop(self) -> None:
        self.closing = True
        self.wake_all()
        if self._listener is not None:
            listener, self._listener = self._listener, None
            await asyncio.to_thread(listener.stop)

    def stop_threads(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._listener.connected.is_set()

    def waiter(self) -> asyncio.Future[None]:
        """A future resolved at the next committed change; `discard` it when done."""
        self.start()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(future)
        return future

    def discard(self, future: asyncio.Future[None]) -> None:
        self._waiters.discard(future)

    def close_threadsafe(self) -> None:
        """From any thread, before the host stops: every long-poll answers now, and new ones
        do not wait."""
        self.closing = True
        self.wake_threadsafe()

    def wake_threadsafe(self) -> None:
        """From any thread, after a commit."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return  # nobody has waited yet
        # The loop may close meanwhile (a host shutting down): nobody left to wake then.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self.wake_all)

    def wake_all(self) -> None:
        waiters, self._waiters = self._waiters, set()
        for future in waiters:
            if not future.done():
                future.set_result(None)
