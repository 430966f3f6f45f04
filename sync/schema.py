"""The sync capability's tables in the client's database: the outbox and the sync state per
(server, user). sqlite-utils Migrations, set 'seatdesk.sync'."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("seatdesk.sync")


@migrations()
def m001_outbox(db: Database) -> None:
    # Everything the server must receive is queued here in the transaction that creates it.
    # IF NOT EXISTS: a data folder from before the split already has it (from 'seatdesk.kb').
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            sent_at TEXT,
            rejected TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(sent_at, id)")


@migrations()
def m002_sync_state(db: Database) -> None:
    # The changes feed is read per user and differs per server: one checkpoint for each pair.
    # (The old single 'sync_checkpoint' in meta is not carried over: nobody knows whose it was,
    # and reading a feed again from 0 is harmless.)
    db.execute(
        """
        CREATE TABLE sync_state (
            server TEXT NOT NULL,
            user TEXT NOT NULL,
            checkpoint INTEGER NOT NULL DEFAULT 0,
            reconciled_at TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (server, user)
        )
        """
    )


@migrations()
def m003_sync_state_server_id(db: Database) -> None:
    # The server instance the checkpoint was read from: a new server at the same address
    # (re-installed, its feed starting again at 1) is then read from 0. '' = not known yet.
    db.execute("ALTER TABLE sync_state ADD COLUMN server_id TEXT NOT NULL DEFAULT ''")
