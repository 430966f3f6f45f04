"""The seat's tables in the client's database (localdb): call records and agent state changes.
sqlite-utils Migrations, set 'seatdesk.seat'; both reach the server through sync's outbox,
queued in the same transaction as the row."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("seatdesk.seat")


@migrations()
def m001_calls_and_states(db: Database) -> None:
    # IF NOT EXISTS: a data folder from before the split has them already (old 'seatdesk.kb').
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS call_records (
            uuid TEXT PRIMARY KEY,
            user TEXT NOT NULL DEFAULT '',
            direction TEXT NOT NULL CHECK (direction IN ('inbound','outbound')),
            local_number TEXT NOT NULL DEFAULT '',
            remote_number TEXT NOT NULL DEFAULT '',
            remote_key TEXT NOT NULL DEFAULT '',  -- remote_number normalized, for history
            remote_display TEXT NOT NULL DEFAULT '',
            queue TEXT NOT NULL DEFAULT '',
            campaign TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            answered_at TEXT,
            ended_at TEXT,
            hold_since TEXT,                      -- on hold since (while the call lasts)
            talk_seconds REAL NOT NULL DEFAULT 0,
            hold_seconds REAL NOT NULL DEFAULT 0,
            acw_seconds REAL NOT NULL DEFAULT 0,
            wrap_up_category TEXT NOT NULL DEFAULT '',
            wrap_up_note TEXT NOT NULL DEFAULT '',
            disposition TEXT NOT NULL DEFAULT '',
            end_reason TEXT NOT NULL DEFAULT '',
            sip_code INTEGER,
            recording_path TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS call_records_time ON call_records(started_at)")
    db.execute(
        "CREATE INDEX IF NOT EXISTS call_records_remote ON call_records(remote_key, started_at)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS call_records_open ON call_records(ended_at) "
        "WHERE ended_at IS NULL"
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS agent_states (
            uuid TEXT PRIMARY KEY,
            user TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            on_call INTEGER NOT NULL DEFAULT 0,
            call_uuid TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            previous_state TEXT NOT NULL,
            previous_reason TEXT NOT NULL DEFAULT '',
            previous_on_call INTEGER NOT NULL DEFAULT 0,
            previous_started_at TEXT NOT NULL,
            previous_seconds REAL NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS agent_states_user_time ON agent_states(user, started_at)"
    )


@migrations()
def m002_calls_by_user(db: Database) -> None:
    # Every history read is one user's (a shared PC shows nobody else's calls).
    db.execute("CREATE INDEX call_records_user_time ON call_records(user, started_at)")


@migrations()
def m003_transfer_and_end_text(db: Database) -> None:
    # How a transfer went ('', 'succeeded', 'failed') and the sentence the agent saw when the
    # call ended (issue 11 #9, #10): a supervisor reading the record sees what the agent saw.
    db.execute("ALTER TABLE call_records ADD COLUMN transfer_result TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE call_records ADD COLUMN end_text TEXT NOT NULL DEFAULT ''")
