"""The knowledge base's schema (its own migration set in the client's database): migrations
applied once, in order; revisions immutable. The other capabilities' sets and the data folders
made before the split are tested in tests/localdb/."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from kb.migrations import migrations
from kb.store import KnowledgeStore
from tests.helpers.kb_helpers import make_article

# Shipped migrations never change name or order (new ones are appended after these).
SHIPPED = ["m001_articles", "m002_lexicon", "m003_usage"]
TABLES = {
    "articles",
    "revisions",
    "meta",
    "synonym_groups",
    "user_words",
    "search_log",
    "article_feedback",
    "_sqlite_migrations",
}
OTHER_CAPABILITIES = {"unanswered_questions", "outbox", "call_records", "agent_states"}


def migration_rows(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT migration_set, name, applied_at FROM _sqlite_migrations ORDER BY rowid"
        ).fetchall()
    finally:
        conn.close()


def table_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        conn.close()
    return {r[0] for r in rows}


def test_new_file_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    store = KnowledgeStore(path)
    try:
        with store.database.read() as db:
            assert migrations.pending(db) == []
            applied = [m.name for m in migrations.applied(db)]
    finally:
        store.close()
    assert applied[: len(SHIPPED)] == SHIPPED
    assert table_names(path) >= TABLES
    assert not table_names(path) & OTHER_CAPABILITIES, "the kb makes only its own tables"
    rows = migration_rows(path)
    assert [(r[0], r[1]) for r in rows] == [("seatdesk.kb", name) for name in applied]
    assert all(r[2] for r in rows), "every migration records when it was applied"


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    store = KnowledgeStore(path)
    store.save_article(make_article("开户流程"))
    store.close()
    first = migration_rows(path)

    for _ in range(2):
        store = KnowledgeStore(path)
        try:
            with store.database.read() as db:
                assert migrations.pending(db) == []
            assert [a.title for a in store.articles()] == ["开户流程"]
        finally:
            store.close()
    assert migration_rows(path) == first  # same rows, same applied_at: nothing re-ran


def test_older_file_is_upgraded_in_place(tmp_path: Path) -> None:
    """A file made by a release that only had the first migration gets the later ones."""
    path = tmp_path / "kb.db"
    db = Database(path)
    migrations.apply(db, stop_before=SHIPPED[1])
    db.execute(
        "INSERT INTO articles(uuid, type, title, body, created_at, updated_at) "
        "VALUES ('00000000-0000-4000-8000-000000000001', 'faq', '旧文章', '旧正文', 'x', 'x')"
    )
    db.conn.commit()
    db.close()
    assert "user_words" not in table_names(path)

    store = KnowledgeStore(path)
    try:
        with store.database.read() as db:
            assert migrations.pending(db) == []
        assert [a.title for a in store.articles()] == ["旧文章"]
    finally:
        store.close()
    assert table_names(path) >= TABLES
    assert [r[1] for r in migration_rows(path)][: len(SHIPPED)] == SHIPPED


@pytest.fixture
def store_with_history(tmp_path: Path) -> tuple[Path, str]:
    store = KnowledgeStore(tmp_path / "kb.db")
    article = make_article("停机保号", "保号期间每月收取五元。")
    store.save_article(article, author="trainer")
    article.body = "保号期间每月收取五元，最长保留一年。"
    store.save_article(article, author="trainer")
    store.close()
    return tmp_path / "kb.db", article.uuid


def test_revisions_cannot_be_updated(store_with_history: tuple[Path, str]) -> None:
    path, uuid = store_with_history
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute("UPDATE revisions SET body = 'rewritten' WHERE article_uuid = ?", [uuid])
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute("UPDATE revisions SET author = 'someone else'")
        conn.rollback()
    finally:
        conn.close()
    store = KnowledgeStore(path)
    try:
        bodies = [r["body"] for r in store.revisions(uuid)]
    finally:
        store.close()
    assert bodies == ["保号期间每月收取五元。", "保号期间每月收取五元，最长保留一年。"]


def test_revisions_cannot_be_deleted(store_with_history: tuple[Path, str]) -> None:
    path, uuid = store_with_history
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute("DELETE FROM revisions WHERE article_uuid = ?", [uuid])
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute("DELETE FROM revisions")
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM revisions").fetchone()[0] == 2
    finally:
        conn.close()


def test_revisions_are_immutable_through_the_store_connection(
    store_with_history: tuple[Path, str],
) -> None:
    path, uuid = store_with_history
    store = KnowledgeStore(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            store.database.execute("UPDATE revisions SET title = 'x'")
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            store.database.execute("DELETE FROM revisions")
        assert len(store.revisions(uuid)) == 2
    finally:
        store.close()


def test_schema_rejects_unknown_type_and_status(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path / "kb.db")
    try:
        # The model refuses these too: written as rows, they reach the schema's own checks.
        insert = (
            "INSERT INTO articles(uuid, type, title, body, status, created_at, updated_at) "
            "VALUES (?, ?, ?, 'x', ?, 'x', 'x')"
        )
        with pytest.raises(sqlite3.IntegrityError):
            store.database.execute(insert, [make_article("a").uuid, "memo", "坏类型", "published"])
        with pytest.raises(sqlite3.IntegrityError):
            store.database.execute(insert, [make_article("b").uuid, "faq", "坏状态", "gone"])
        assert list(store.articles()) == []
        assert store.max_seq() == 0, "a refused write leaves no trace (one transaction)"
    finally:
        store.close()
