"""Telling every app server that something committed: PostgreSQL NOTIFY/LISTEN, shared by the
supervisors' board push (services/supervision/hub.py) and the changes feed's long-poll
(services/changes_feed.py).

`notify` runs inside the writer's transaction: PostgreSQL sends it at commit, in commit order,
and never for a transaction that rolled back, so a listener woken by it always finds the rows.
`PgListener` is one thread per channel and process on a connection of its own (LISTEN needs a
connection held open, not one from the pool); it reconnects with a bounded backoff and reports
each reconnection, since announcements made while it was away are lost. On SQLite (the embedded
backend: one process) there is nobody else to tell; callers wake their own waiters after the
commit instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.core.db import Database

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 10.0
POLL_S = 0.5  # how often the listener looks at its stop flag between notifications


def notify(conn: Connection, channel: str, payload: str = "") -> None:
    """Announce `payload` on `channel` to every listening app server when this transaction
    commits (PostgreSQL only). Identical payloads in one transaction arrive once."""
    conn.execute(sa.select(sa.func.pg_notify(channel, payload)))


LISTENER_APP_NAME = "seatdesk-listener"


class PgListener:
    """LISTEN on `channel` on a dedicated PostgreSQL connection in a thread of its own;
    `on_payload` gets each notification's payload, `on_reconnected` is called after the
    connection came back (not at the first connect)."""

    def __init__(
        self,
        db: Database,
        channel: str,
        on_payload: Callable[[str], None],
        on_reconnected: Callable[[], None],
        name: str,
    ) -> None:
        url = sa.engine.make_url(db.url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._channel = channel
        self._on_payload = on_payload
        self._on_reconnected = on_reconnected
        self._name = name
        self._stop = threading.Event()
        self.connected = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        import psycopg

        backoff = BACKOFF_FIRST_S
        first = True
        while not self._stop.is_set():
            try:
                # Named, so an operator (and the pool test) tells the listeners' connections,
                # one per channel and process and outside the pool, from the pool's.
                with psycopg.connect(
                    self._conninfo,
                    autocommit=True,
                    connect_timeout=5,
                    application_name=f"{LISTENER_APP_NAME}-{self._channel}",
                ) as conn:
                    conn.execute(f"LISTEN {self._channel}")
                    self.connected.set()
                    if not first:
                        self._on_reconnected()
                    first = False
                    backoff = BACKOFF_FIRST_S
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=POLL_S):
                            self._deliver(note.payload)
            except psycopg.Error as exc:
                self.connected.clear()
                log.warning("%s: %s; again in %.1f s", self._name, type(exc).__name__, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
        self.connected.clear()

    def _deliver(self, payload: str) -> None:
        try:
            self._on_payload(payload)
        except Exception:  # one bad notification must not end the listening
            log.exception("%s: handling a notification failed", self._name)
