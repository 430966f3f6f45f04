"""The board's push within one app server, and across app servers through PostgreSQL.

Every accepted seat report is announced once: on PostgreSQL by NOTIFY in the report's own
transaction (so it is sent at commit, in commit order, to every app server that LISTENs:
`notify`), on SQLite (the embedded backend: one process) straight to this process's hub after
the commit (`publish_threadsafe`). Each process's `BoardHub` hands what it hears to its stream
subscribers, each an asyncio queue, and turns a seat 'lost' itself when it has heard nothing
from it for LOST_AFTER_S (a ticker on its own clock), so no server needs to tell the others.

The PostgreSQL listener (services/broadcast.py, shared with the changes feed's long-poll) is one
thread per process on a connection of its own; it reconnects with a bounded backoff and, since
announcements made while it was away are lost, asks every subscriber to reload the board.

Payloads (JSON): {"row": BoardRow} for a change; {"hb": agent_id, "seen": iso} for a heartbeat
that changed nothing (it only keeps the seat from turning lost); {"resync": true} when teams
changed (every stream reloads its board, with the teams its reader now may see).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from common.supervision import LOST_AFTER_S, BoardRow
from common.timestamps import iso, parse, seconds_between
from server.core.db import Database
from server.services import broadcast

log = logging.getLogger(__name__)

CHANNEL = "seatdesk_board"
# What a subscriber's queue gets besides rows: end the stream (the host is stopping).
CLOSE = "close"
# What a subscriber's queue gets besides rows: reload the whole board (after a gap).
RESYNC = "resync"
QUEUE_LIMIT = 2000
TICK_S = 0.5


def notify(conn: Connection, payload: dict[str, Any]) -> None:
    """Announce `payload` to every app server when this transaction commits (PostgreSQL)."""
    broadcast.notify(conn, CHANNEL, json.dumps(payload, separators=(",", ":")))


class BoardHub:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._subscribers: set[asyncio.Queue[Any]] = set()
        # Per agent: the last row heard of, and when the seat last reported.
        self._rows: dict[int, dict[str, Any]] = {}
        self._seen: dict[int, datetime] = {}
        self._lost: set[int] = set()
        self._ticker: asyncio.Task[None] | None = None
        self._listener: broadcast.PgListener | None = None
        self._started = False

    # -- life -------------------------------------------------------------------------------
    def start(self) -> None:
        """Begin listening (PostgreSQL) and ticking, on the running event loop. Called by the
        app's lifespan, or by the first stream when the host runs without one."""
        if self._started:
            return
        self._started = True
        self._loop = asyncio.get_running_loop()
        if not self.db.is_sqlite:
            self._listener = broadcast.PgListener(
                self.db, CHANNEL, self._heard, self._reconnected, name="board-listener"
            )
            self._listener.start()

    async def stop(self) -> None:
        self._started = False
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        if self._listener is not None:
            listener, self._listener = self._listener, None
            await asyncio.to_thread(listener.stop)

    def close_streams_threadsafe(self) -> None:
        """From any thread, before the host stops: every board stream ends now instead of
        holding the shutdown until it is cancelled."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._broadcast, CLOSE)

    def stop_threads(self) -> None:
        """Stop the listener thread from outside the loop (tests hosting the app in a thread)."""
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._listener.connected.is_set()

    # -- subscribers ------------------------------------------------------------------------
    def subscribe(self) -> asyncio.Queue[Any]:
        self.start()
        queue: asyncio.Queue[Any] = asyncio.Queue(QUEUE_LIMIT)
        self._subscribers.add(queue)
        # The ticker runs while someone watches: nobody to tell, nothing to check (and a host
        # without a lifespan never leaves it pending when its loop closes).
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.get_running_loop().create_task(self._tick())
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Any]) -> None:
        self._subscribers.discard(queue)
        if not self._subscribers and self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None

    def seed(self, rows: list[BoardRow]) -> None:
        """Seats a subscriber's snapshot showed: watched for turning lost from now on."""
        for row in rows:
            if row.last_seen is None or row.agent_id in self._rows:
                continue
            self._rows[row.agent_id] = row.model_dump(mode="json")
            self._seen[row.agent_id] = parse(row.last_seen)
            if row.presence == "lost":
                self._lost.add(row.agent_id)

    # -- announcements ----------------------------------------------------------------------
    def announce(self, conn: Connection, payload: dict[str, Any]) -> None:
        """Within a write transaction: NOTIFY on PostgreSQL (sent at commit). On SQLite the
        caller hands the payload to `publish_threadsafe` after the commit."""
        if not self.db.is_sqlite:
            notify(conn, payload)

    def publish_threadsafe(self, payload: dict[str, Any]) -> None:
        """From a request's worker thread (SQLite: after the commit)."""
        self._from_thread(payload)

    def _from_thread(self, payload: dict[str, Any]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return  # nobody has subscribed yet: a snapshot will show it
        loop.call_soon_threadsafe(self._deliver, payload)

    def _heard(self, payload: str) -> None:
        data = _parsed(payload)
        if data is not None:
            self._from_thread(data)

    def _reconnected(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._broadcast, RESYNC)

    def _deliver(self, payload: dict[str, Any]) -> None:
        if payload.get("resync"):
            self._broadcast(RESYNC)
        elif "row" in payload:
            row = payload["row"]
            agent_id = int(row["agent_id"])
            self._rows[agent_id] = row
            if row.get("last_seen"):
                self._seen[agent_id] = parse(row["last_seen"])
            self._lost.discard(agent_id)
            self._broadcast(row)
        elif "hb" in payload:
            agent_id = int(payload["hb"])
            self._seen[agent_id] = parse(payload["seen"])
            if agent_id in self._lost and agent_id in self._rows:
                # Back before anyone told us of a change: the row we had, live again.
                self._lost.discard(agent_id)
                self._broadcast(self._presence(agent_id, "live"))

    def _presence(self, agent_id: int, presence: str) -> dict[str, Any]:
        now = self.clock()
        row = dict(self._rows[agent_id])
        row["presence"] = presence
        row["last_seen"] = iso(self._seen[agent_id])
        row["at"] = iso(now)
        if row.get("state_since"):
            row["state_seconds"] = seconds_between(parse(row["state_since"]), now)
        self._rows[agent_id] = row
        return row

    def _broadcast(self, message: Any) -> None:
        for queue in list(self._subscribers):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                # A reader too slow to keep up: drop what it has not read, reload it whole.
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(RESYNC)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            try:
                self.check_lost()
            except Exception:  # the ticker must outlive a bad row
                log.exception("board: checking for lost seats failed")

    def check_lost(self) -> None:
        now = self.clock()
        for agent_id, seen in list(self._seen.items()):
            if agent_id in self._lost or agent_id not in self._rows:
                continue
            if seconds_between(seen, now) >= LOST_AFTER_S:
                self._lost.add(agent_id)
                self._broadcast(self._presence(agent_id, "lost"))


def _parsed(payload: str) -> dict[str, Any] | None:
    try:
        data = json.loads(payload)
    except ValueError:
        log.warning("board listener: a payload that is not JSON was ignored")
        return None
    return data if isinstance(data, dict) else None
