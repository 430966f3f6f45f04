"""The knowledge base's own tables in the client's database (localdb): articles and their
revisions, the lexicon, and usage (search log, feedback). sqlite-utils Migrations, set
'seatdesk.kb'.

Migrations are append-only: never edit one that has shipped, add the next. One exception, made
once when the database was split by capability: this set used to create the questions, outbox,
call and agent-state tables too (m003 in part, m004_sync, m005_calls). Those tables now belong
to the questions, sync and seat sets, whose first migrations create them only when missing, so
a data folder made by the old set keeps its rows (tests/localdb/test_legacy.py).
"""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kb.models import BUSINESS_LINES as BUILT_IN_LINES

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


@migrations()
def m006_article_external_id(db: Database) -> None:
    # A center's own id for an imported article ('FAQ-0012'), kept so exports give it back.
    db.execute("ALTER TABLE articles ADD COLUMN external_id TEXT NOT NULL DEFAULT ''")


@migrations()
def m007_business_lines(db: Database) -> None:
    # The business lines become a table: the server's lines mirrored from the changes feed,
    # the built-in seven, and lines an import added on this workstation only ('local'). The
    # local lines kept so far as JSON in meta move in here.
    db.execute(
        """
        CREATE TABLE business_lines (
            code TEXT PRIMARY KEY,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            sort_order INTEGER NOT NULL DEFAULT 0,
            builtin INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL CHECK (origin IN ('builtin','server','local')),
            updated_at TEXT NOT NULL DEFAULT ''
        )
        """
    )
    for order, (code, (zh, en)) in enumerate(BUILT_IN_LINES.items()):
        db.execute(
            "INSERT INTO business_lines(code, name_zh, name_en, sort_order, builtin, origin)"
            " VALUES (?, ?, ?, ?, 1, 'builtin')",
            [code, zh, en, order],
        )
    row = db.execute("SELECT value FROM meta WHERE key = 'business_lines'").fetchone()
    try:
        own = json.loads(row[0]) if row else {}
    except ValueError:
        own = {}
    for order, (code, names) in enumerate(own.items() if isinstance(own, dict) else ()):
        if isinstance(code, str) and isinstance(names, list) and len(names) == 2:
            db.execute(
                "INSERT OR IGNORE INTO business_lines(code, name_zh, name_en, sort_order, origin)"
                " VALUES (?, ?, ?, ?, 'local')",
                [code, str(names[0]), str(names[1]), 100 + order],
            )
    db.execute("DELETE FROM meta WHERE key = 'business_lines'")


@migrations()
def m008_article_attachments(db: Database) -> None:
    # The images and PDFs of a published article (issue 13), as the feed brings them: a JSON
    # list of {sha256, name, mime, size}; the files themselves live in <data>/attachments/.
    db.execute("ALTER TABLE articles ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]'")
