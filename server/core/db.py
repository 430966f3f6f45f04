"""Database access for the backend: one code path for SQLite (embedded) and PostgreSQL.

`Database.write()` opens a write transaction: BEGIN IMMEDIATE on SQLite (so concurrent writers
queue on the busy timeout instead of failing on lock upgrade), a plain transaction on PostgreSQL.
`Database.read()` is a read-only connection.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

# Set in a connection's info by changes_feed.append_change: this transaction appended changes.
CHANGES_APPENDED = "seatdesk_changes_appended"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def normalize_url(url: str) -> str:
    """postgresql:// means psycopg 3 here; a bare path means a SQLite file."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    return url


POOL = {"pool_size": 40, "max_overflow": 10, "pool_timeout": 30}
# PostgreSQL connections per app process, readers and writers together (ServerSettings.
# db_pool_size). Every process of every app server holds up to this many, so processes x this
# must stay under the server's max_connections (100 by default): 16 lets six processes share
# a stock PostgreSQL. More would not run more queries at once: a process runs one Python
# thread at a time, and its requests mostly wait for the CPU, not for the database.
PG_POOL_SIZE = 16
PG_POOL_TIMEOUT_S = 30


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        **POOL,
    )

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    def __init__(self, url: str, pool_size: int = PG_POOL_SIZE) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        # The database file (SQLite on disk), so callers can keep it private before it opens.
        self.sqlite_file: Path | None = None
        if self.is_sqlite:
            database = sa.engine.make_url(self.url).database
            if database and database != ":memory:":
                self.sqlite_file = Path(database)
        if self.is_sqlite:
            self.writer = _sqlite_engine(self.url, immediate=True)
            self.reader = _sqlite_engine(self.url, immediate=False)
        else:
            # One pool of `pool_size` for reads and writes, and no overflow: connections opened
            # for a burst and closed after it were opened again at the next one, each a backend
            # start and a SCRAM login, 10-230 ms under load: the slowest 1% of checkouts
            # (issue 11, point 19). Threads beyond the pool wait for a connection in turn.
            # No pre-ping (a round trip per checkout); a dropped connection is detected on use
            # and the pool replaced, and connections are recycled before idle timeouts bite.
            self.writer = sa.create_engine(
                self.url,
                pool_recycle=1800,
                pool_size=max(1, pool_size),
                max_overflow=0,
                pool_timeout=PG_POOL_TIMEOUT_S,
            )
            # Reads run in autocommit (the same pool: psycopg switches it on the client side):
            # no BEGIN, and no ROLLBACK when the connection goes back to the pool; each is one
            # round trip. (Reads that need one snapshot say so.)
            self.reader = self.writer.execution_options(isolation_level="AUTOCOMMIT")
        # SQLite has one writer at a time; queueing writers here avoids its busy-wait sleeps.
        self._write_lock = threading.Lock() if self.is_sqlite else contextlib.nullcontext()
        # Called (from the writer's thread) after a transaction that appended to the changes
        # feed has committed: the feed's long-polls wake then, never before the rows are visible.
        self.after_changes_commit: list[Callable[[], None]] = []

    @contextlib.contextmanager
    def write(self, appends_changes: bool = False) -> Iterator[Connection]:
        appended = False
        with self._write_lock, self.writer.begin() as conn:
            if appends_changes and not self.is_sqlite:
                # Commit order must equal change-sequence order, or a client could skip a
                # change: writers that append changes take this lock until they commit.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7301)"))
            try:
                yield conn
            finally:
                appended = bool(conn.info.pop(CHANGES_APPENDED, False))
        # Reached only when the transaction committed (an exception skips this).
        if appended:
            for hook in list(self.after_changes_commit):
                hook()

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self.reader.connect() as conn:
            yield conn

    def migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.writer.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()
