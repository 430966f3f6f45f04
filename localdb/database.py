"""The client's one SQLite file (`seatdesk.db` in the data folder), shared by every capability.

Threading: ONE connection, and ONE re-entrant lock around every use of it, reads included.
Why not a connection per thread: sqlite-utils keeps a transaction's state on its connection
and wraps even a plain read in SAVEPOINT/RELEASE, so a reader on the shared connection used to
release (commit) or break a writer's half-done transaction ("no such savepoint", questions
without their outbox row). Per-thread connections would avoid that too, but every thread that
ever touched the file (the operations layer's pool, the sync thread, the CLI) would have to
close its own connection, and the local workload (one person's questions, calls and a few
thousand articles) is far too small to need parallel readers. Other processes still read while
we write, thanks to WAL.

So the raw `sqlite_utils.Database` is only reachable inside `read()` or `transaction()`, which
hold the lock for the whole block; a tracer checks on every statement that the thread running
it holds the lock, and raises `UnlockedAccess` otherwise, so a slip shows up in tests instead
of as lost data.

Each capability owns its schema: it declares a `sqlite_utils.migrations.Migrations` set of its
own and calls `use(migrations)` when its store opens (kb: articles, lexicon, usage; questions:
unanswered_questions; seat: call records and agent states; sync: outbox and sync state).
`schemas` lists the sets in use: that is the registry.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations


class UnlockedAccess(RuntimeError):
    """A statement ran on the shared connection without the database lock: a programming error."""


class LocalDatabase:
    """One SQLite file with one connection and one lock; see the module docstring."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._owner: int | None = None  # the thread inside read()/transaction(), if any
        self._depth = 0
        conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        # sqlite-utils runs a PRAGMA while it sets up: this thread counts as the holder then.
        self._owner = threading.get_ident()
        self._db = Database(conn, tracer=self._check_held)
        self._owner = None
        self._schemas: dict[str, Migrations] = {}
        self._closed = False

    # -- the lock -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _held(self) -> Iterator[Database]:
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the local database is closed")
            self._owner = threading.get_ident()
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._owner = None

    def _check_held(self, sql: str, params: Any) -> None:
        if self._owner != threading.get_ident():
            raise UnlockedAccess(f"statement outside read()/transaction(): {sql[:80]}")

    @contextlib.contextmanager
    def read(self) -> Iterator[Database]:
        """The database for reads, under the lock for the whole block: fetch every row you need
        inside it (sqlite-utils' query() yields lazily)."""
        with self._held() as db:
            yield db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic write: everything in the block (a row and its outbox entry) commits
        together or not at all. Nested blocks are savepoints; the lock is re-entrant, so store
        methods may be called inside."""
        with self._held() as db, db.atomic():
            yield db

    # -- shortcuts --------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """All rows of a read, fetched under the lock."""
        with self.read() as db:
            return list(db.query(sql, params or []))

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """The first column of the first row (None when there is no row)."""
        with self.read() as db:
            row = db.execute(sql, list(params or [])).fetchone()
        return None if row is None else row[0]

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> int:
        """One write statement in its own transaction (or the caller's); rows changed."""
        with self.transaction() as db:
            return int(db.execute(sql, list(params or [])).rowcount)

    # -- schemas ----------------------------------------------------------------------------------
    def use(self, migrations: Migrations) -> None:
        """Register a capability's migration set and bring its tables up to date (idempotent)."""
        with self._held() as db:
            if migrations.name in self._schemas:
                return
            migrations.apply(db)
            self._schemas[migrations.name] = migrations

    @property
    def schemas(self) -> list[str]:
        """The migration sets in use, in the order they were registered."""
        with self._lock:
            return list(self._schemas)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.conn.close()
