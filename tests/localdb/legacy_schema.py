"""The schema of the client database as the single 'seatdesk.kb' migration set made it before the
database was split by capability (kb/migrations.py at commit 5d035cd), kept verbatim apart from
this docstring so tests can build a data folder from that release."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("seatdesk.kb")


@migrations()
def m001_articles(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE articles (
            uuid TEXT PRIMARY KEY,
            type TEXT NOT NULL CHECK (type IN ('faq','script','flow','complaint_guide')),
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            category TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            aliases TEXT NOT NULL DEFAULT '[]',
            business_line TEXT NOT NULL DEFAULT '',
            contact_point TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'published'
                CHECK (status IN ('draft','published','archived','deleted')),
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            review_due TEXT NOT NULL DEFAULT '',
            seq INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX articles_seq ON articles(seq)")
    db.execute("CREATE INDEX articles_status ON articles(status)")
    db.execute(
        """
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            article_uuid TEXT NOT NULL REFERENCES articles(uuid),
            version INTEGER NOT NULL,
            type TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            category TEXT NOT NULL,
            tags TEXT NOT NULL,
            aliases TEXT NOT NULL,
            business_line TEXT NOT NULL,
            contact_point TEXT NOT NULL,
            status TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (article_uuid, version)
        )
        """
    )
    # Revisions are history: the database itself refuses to rewrite it.
    db.execute(
        """CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
           BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END"""
    )
    db.execute(
        """CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
           BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END"""
    )
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m002_lexicon(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE synonym_groups (
            id INTEGER PRIMARY KEY,
            terms TEXT NOT NULL,          -- JSON list, first term is canonical
            source TEXT NOT NULL DEFAULT 'builtin',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE user_words (
            word TEXT PRIMARY KEY,
            freq INTEGER NOT NULL DEFAULT 2000,
            added_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )
        """
    )


@migrations()
def m003_usage(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE search_log (
            id INTEGER PRIMARY KEY,
            query TEXT NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            result_count INTEGER NOT NULL,
            top_uuid TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX search_log_empty ON search_log(result_count, created_at)")
    db.execute(
        """
        CREATE TABLE article_feedback (
            id INTEGER PRIMARY KEY,
            article_uuid TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('helpful','not_helpful','click')),
            query TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX article_feedback_time ON article_feedback(created_at)")
    db.execute(
        """
        CREATE TABLE unanswered_questions (
            uuid TEXT PRIMARY KEY,
            query TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            closest_article_uuid TEXT NOT NULL DEFAULT '',
            business_line TEXT NOT NULL DEFAULT '',
            agent TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open',
            answer TEXT NOT NULL DEFAULT '',
            answer_article_uuid TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )


@migrations()
def m004_sync(db: Database) -> None:
    # Everything the server must receive is queued here in the transaction that creates it.
    db.execute(
        """
        CREATE TABLE outbox (
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
    db.execute("CREATE INDEX outbox_pending ON outbox(sent_at, id)")
    for column in ("answered_by", "answered_at", "reject_reason", "merged_into"):
        db.execute(f"ALTER TABLE unanswered_questions ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE unanswered_questions ADD COLUMN unread INTEGER NOT NULL DEFAULT 0")


@migrations()
def m005_calls(db: Database) -> None:
    # The seat's call records and agent state changes (agent_app/seat); both reach the server
    # through the outbox, written in the same transaction as the row.
    db.execute(
        """
        CREATE TABLE call_records (
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
    db.execute("CREATE INDEX call_records_time ON call_records(started_at)")
    db.execute("CREATE INDEX call_records_remote ON call_records(remote_key, started_at)")
    db.execute("CREATE INDEX call_records_open ON call_records(ended_at) WHERE ended_at IS NULL")
    db.execute(
        """
        CREATE TABLE agent_states (
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
    db.execute("CREATE INDEX agent_states_user_time ON agent_states(user, started_at)")
