"""The local knowledge-base file: one SQLite database per data folder, via sqlite-utils.

One `KnowledgeStore` per process owns the connection; its lock serialises writers so the GUI's
serial executor, the sync worker and the command line can share it safely.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid as uuidlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import Table

from common.articles import Article
from common.timestamps import now_iso as utcnow
from common.timestamps import utc_day_after, utc_now
from kb.migrations import migrations

SEARCHABLE_STATUS = "published"


def _row_to_article(row: dict[str, Any]) -> Article:
    return Article.from_row(row)


class KnowledgeStore:
    """Articles with immutable revisions, lexicon, usage logs and unanswered questions."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        self.db = Database(conn)
        self.lock = threading.RLock()
        with self.lock:
            migrations.apply(self.db)

    def close(self) -> None:
        with self.lock:
            self.db.conn.close()

    def _table(self, name: str) -> Table:
        return self.db.table(name)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction under the store's lock: everything written in the block
        (rows and their outbox entries) commits together or not at all. Nested blocks are
        savepoints; the lock is re-entrant, so store methods may be called inside."""
        with self.lock, self.db.atomic() as db:
            yield db

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def _next_seq(self) -> int:
        seq = int(self.get_meta("article_seq", "0")) + 1
        self.set_meta("article_seq", str(seq))
        return seq

    def max_seq(self) -> int:
        return int(self.get_meta("article_seq", "0"))

    # -- articles -----------------------------------------------------------------------------
    def save_article(
        self, article: Article, author: str = "", note: str = ""
    ) -> tuple[Article, str]:
        """Create or update an article and append its revision, in one transaction.

        Returns the stored article and 'created', 'updated' or 'unchanged'.
        """
        with self.lock, self.db.atomic():
            existing = self.get_article(article.uuid)
            if existing is not None and existing.same_content(article):
                return existing, "unchanged"
            stored = Article(**article.to_dict())
            stored.version = existing.version + 1 if existing else 1
            self._write_article(stored, existing, author, note, keep_updated_at=False)
            return stored, ("updated" if existing else "created")

    def put_remote_article(self, article: Article, author: str = "server") -> bool:
        """Mirror an article as the server has it (its version wins); False if already held.

        Call inside a transaction; the caller re-indexes afterwards.
        """
        with self.lock:
            existing = self.get_article(article.uuid)
            if existing is not None and (
                existing.version > article.version
                or (existing.version == article.version and existing.same_content(article))
            ):
                return False
            stored = Article(**article.to_dict())
            stored.review_due = existing.review_due if existing else ""
            self._write_article(stored, existing, author, "sync", keep_updated_at=True)
            return True

    def _write_article(
        self,
        stored: Article,
        existing: Article | None,
        author: str,
        note: str,
        keep_updated_at: bool,
    ) -> None:
        """Upsert `stored` (its version already set) with a new change number, and record its
        revision unless that version is already in the history."""
        now = utcnow()
        stored.created_at = existing.created_at if existing else (stored.created_at or now)
        if not (keep_updated_at and stored.updated_at):
            stored.updated_at = now
        if not stored.review_due:
            stored.review_due = utc_day_after(180).isoformat()
        stored.seq = self._next_seq()
        row = stored.row(self._table("articles").columns_dict)
        self._table("articles").upsert(row, pk="uuid")
        known = self.db.execute(
            "SELECT 1 FROM revisions WHERE article_uuid = ? AND version = ?",
            [stored.uuid, stored.version],
        ).fetchone()
        if not known:
            revision = {k: row[k] for k in Article.CONTENT_FIELDS}
            revision.update(
                article_uuid=stored.uuid,
                version=stored.version,
                author=author,
                note=note,
                created_at=now,
            )
            self._table("revisions").insert(revision)

    def delete_article(self, uuid: str, author: str = "") -> Article | None:
        """A deletion is a tombstone: status 'deleted', a new revision, gone from search."""
        article = self.get_article(uuid)
        if article is None or article.status == "deleted":
            return article
        article.status = "deleted"
        stored, _ = self.save_article(article, author=author, note="deleted")
        return stored

    def get_article(self, uuid: str) -> Article | None:
        with self.lock:
            rows = list(self.db.query("SELECT * FROM articles WHERE uuid = ?", [uuid]))
        return _row_to_article(rows[0]) if rows else None

    def articles(self, status: str | None = None) -> list[Article]:
        """Articles in insertion order; all but tombstones when no status is given."""
        with self.lock:
            if status is None:
                rows = list(
                    self.db.query("SELECT * FROM articles WHERE status != 'deleted' ORDER BY rowid")
                )
            else:
                rows = list(
                    self.db.query(
                        "SELECT * FROM articles WHERE status = ? ORDER BY rowid", [status]
                    )
                )
        return [_row_to_article(row) for row in rows]

    def categories(self) -> list[str]:
        """Every category path of a published article, and each of its parents, sorted."""
        with self.lock:
            rows = list(
                self.db.query(
                    "SELECT DISTINCT category FROM articles WHERE status = ? AND category != ''",
                    [SEARCHABLE_STATUS],
                )
            )
        paths: set[str] = set()
        for row in rows:
            parts = [p for p in row["category"].split("/") if p]
            paths.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        return sorted(paths)

    def changed_since(self, seq: int) -> list[Article]:
        """Every article (tombstones included) written after change number `seq`."""
        with self.lock:
            rows = self.db.query("SELECT * FROM articles WHERE seq > ? ORDER BY seq", [seq])
            return [_row_to_article(r) for r in rows]

    def count_searchable(self) -> int:
        return int(
            self.db.execute(
                "SELECT count(*) FROM articles WHERE status = ?", [SEARCHABLE_STATUS]
            ).fetchone()[0]
        )

    def revisions(self, uuid: str) -> list[dict[str, Any]]:
        return list(
            self.db.query("SELECT * FROM revisions WHERE article_uuid = ? ORDER BY version", [uuid])
        )

    # -- lexicon ------------------------------------------------------------------------------
    def synonym_groups(self) -> list[list[str]]:
        return [json.loads(r["terms"]) for r in self.db.query("SELECT terms FROM synonym_groups")]

    def add_synonym_group(self, terms: list[str], source: str = "trainer") -> None:
        with self.lock, self.db.atomic():
            self._table("synonym_groups").insert(
                {
                    "terms": json.dumps(terms, ensure_ascii=False),
                    "source": source,
                    "created_at": utcnow(),
                }
            )
            self._bump_lexicon()

    def seed_synonyms(self, groups: list[list[str]]) -> None:
        """Load the built-in groups once, into an empty table."""
        with self.lock, self.db.atomic():
            if self.db.execute("SELECT count(*) FROM synonym_groups").fetchone()[0]:
                return
            now = utcnow()
            self._table("synonym_groups").insert_all(
                {"terms": json.dumps(g, ensure_ascii=False), "source": "builtin", "created_at": now}
                for g in groups
            )

    def user_words(self) -> list[tuple[str, int]]:
        return [(r["word"], r["freq"]) for r in self.db.query("SELECT word, freq FROM user_words")]

    def add_user_word(self, word: str, freq: int = 2000, added_by: str = "") -> None:
        """A trainer's addition to the segmentation dictionary (the index rebuilds for it)."""
        with self.lock, self.db.atomic():
            self._table("user_words").upsert(
                {"word": word, "freq": freq, "added_by": added_by, "created_at": utcnow()},
                pk="word",
            )
            self._bump_lexicon()

    def lexicon_version(self) -> int:
        return int(self.get_meta("lexicon_version", "0"))

    def _bump_lexicon(self) -> None:
        self.set_meta("lexicon_version", str(self.lexicon_version() + 1))

    # -- usage --------------------------------------------------------------------------------
    def log_search(
        self,
        query: str,
        result_count: int,
        top_uuid: str = "",
        filters: dict[str, Any] | None = None,
        source: str = "",
    ) -> None:
        """Log a search; one that found nothing is also queued for the supervisor."""
        now = utcnow()
        with self.lock, self.db.atomic():
            self._table("search_log").insert(
                {
                    "query": query,
                    "filters": json.dumps(filters or {}, ensure_ascii=False),
                    "result_count": result_count,
                    "top_uuid": top_uuid,
                    "source": source,
                    "created_at": now,
                }
            )
            if result_count == 0:
                self.enqueue(
                    "search_miss",
                    str(uuidlib.uuid4()),
                    {"query": query, "created_at": now},
                )

    def empty_searches(self, limit: int = 100) -> list[dict[str, Any]]:
        """Searches that found nothing, most frequent first: what the supervisor should answer."""
        return list(
            self.db.query(
                "SELECT query, count(*) AS times, max(created_at) AS last_at FROM search_log "
                "WHERE result_count = 0 GROUP BY query ORDER BY times DESC, last_at DESC LIMIT ?",
                [limit],
            )
        )

    def record_feedback(self, article_uuid: str, kind: str, query: str = "") -> None:
        with self.lock, self.db.atomic():
            self._table("article_feedback").insert(
                {"article_uuid": article_uuid, "kind": kind, "query": query, "created_at": utcnow()}
            )

    def feedback_counts(self, article_uuid: str) -> dict[str, int]:
        rows = self.db.query(
            "SELECT kind, count(*) AS n FROM article_feedback WHERE article_uuid = ? GROUP BY kind",
            [article_uuid],
        )
        return {r["kind"]: r["n"] for r in rows}

    def popularity(self, days: int = 90) -> dict[str, float]:
        """Recent net usefulness per article: helpful +1, not helpful -1, click +0.25."""
        since = (utc_now() - timedelta(days=days)).isoformat()
        rows = self.db.query(
            "SELECT article_uuid, "
            "sum(CASE kind WHEN 'helpful' THEN 1.0 WHEN 'not_helpful' THEN -1.0 ELSE 0.25 END) "
            "AS net FROM article_feedback WHERE created_at >= ? GROUP BY article_uuid",
            [since],
        )
        return {r["article_uuid"]: float(r["net"]) for r in rows}

    # -- unanswered questions -----------------------------------------------------------------
    def record_unanswered(
        self,
        query: str,
        note: str = "",
        closest_article_uuid: str = "",
        business_line: str = "",
        agent: str = "",
    ) -> str:
        """Keep a question the knowledge base could not answer; returns its UUID."""
        qid = str(uuidlib.uuid4())
        now = utcnow()
        row = {
            "uuid": qid,
            "query": query,
            "note": note,
            "closest_article_uuid": closest_article_uuid,
            "business_line": business_line,
            "agent": agent,
            "status": "open",
            "created_at": now,
            "updated_at": now,
        }
        # The question and its outbox entry commit together: a crash keeps both or neither.
        with self.lock, self.db.atomic():
            self._table("unanswered_questions").insert(row)
            payload = {
                k: row[k] for k in ("query", "note", "closest_article_uuid", "business_line")
            }
            payload["created_at"] = now
            self.enqueue("question", qid, payload)
        return qid

    # -- outbox -------------------------------------------------------------------------------
    def enqueue(self, kind: str, uuid: str, payload: dict[str, Any]) -> None:
        """Queue a record for the server; call inside the transaction that creates it."""
        with self.lock:
            self._table("outbox").insert(
                {
                    "uuid": uuid,
                    "kind": kind,
                    "payload": json.dumps({"uuid": uuid, **payload}, ensure_ascii=False),
                    "created_at": utcnow(),
                }
            )

    def enqueue_version(self, kind: str, uuid: str, version: int, payload: dict[str, Any]) -> None:
        """Queue version `version` of a record the server keeps by uuid, the highest version
        winning. Call inside the transaction that writes that version.

        Each version is its own outbox entry, keyed '<uuid>#<version>' (the payload carries the
        plain uuid and the version), so sending one version never marks a later one as sent.
        Earlier versions still waiting are dropped: the newest one carries everything.
        """
        prefix = f"{uuid}#"
        with self.lock:
            self.db.execute(
                "DELETE FROM outbox WHERE kind = ? AND sent_at IS NULL AND rejected = '' "
                "AND substr(uuid, 1, ?) = ?",
                [kind, len(prefix), prefix],
            )
            self._table("outbox").insert(
                {
                    "uuid": f"{uuid}#{version}",
                    "kind": kind,
                    "payload": json.dumps(
                        {**payload, "uuid": uuid, "version": version}, ensure_ascii=False
                    ),
                    "created_at": utcnow(),
                }
            )

    def outbox_pending(self, kind: str, limit: int) -> list[dict[str, Any]]:
        with self.lock:
            return list(
                self.db.query(
                    "SELECT uuid, payload FROM outbox WHERE sent_at IS NULL AND rejected = '' "
                    "AND kind = ? ORDER BY id LIMIT ?",
                    [kind, limit],
                )
            )

    def outbox_kinds_pending(self) -> list[str]:
        with self.lock:
            return [
                r["kind"]
                for r in self.db.query(
                    "SELECT DISTINCT kind FROM outbox WHERE sent_at IS NULL AND rejected = ''"
                )
            ]

    def outbox_count(self) -> int:
        with self.lock:
            return int(
                self.db.execute(
                    "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND rejected = ''"
                ).fetchone()[0]
            )

    def outbox_acknowledge(
        self, sent: list[str], rejected: dict[str, str], failed: dict[str, str]
    ) -> None:
        """Record the server's answers: sent (stored or duplicate), refused, or not reached."""
        now = utcnow()
        with self.lock, self.db.atomic():
            for uuid in sent:
                self.db.execute(
                    "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE uuid = ?",
                    [now, uuid],
                )
            for uuid, reason in rejected.items():
                self.db.execute(
                    "UPDATE outbox SET rejected = ?, attempts = attempts + 1 WHERE uuid = ?",
                    [reason or "rejected", uuid],
                )
            for uuid, error in failed.items():
                self.db.execute(
                    "UPDATE outbox SET last_error = ?, attempts = attempts + 1 WHERE uuid = ?",
                    [error, uuid],
                )

    def put_question_state(self, data: dict[str, Any]) -> bool:
        """Mirror the server's state of one of this agent's questions; True when newly answered.

        Call inside a transaction. A question asked on another workstation is added.
        """
        fields = {
            "status": data.get("status", "open"),
            "answer": data.get("answer") or "",
            "answer_article_uuid": data.get("article_uuid") or "",
            "answered_by": data.get("answered_by") or "",
            "answered_at": data.get("answered_at") or "",
            "reject_reason": data.get("reject_reason") or "",
            "merged_into": data.get("merged_into") or "",
            "updated_at": utcnow(),
        }
        with self.lock:
            rows = list(
                self.db.query(
                    "SELECT answer, status FROM unanswered_questions WHERE uuid = ?", [data["uuid"]]
                )
            )
            before = rows[0] if rows else None
            news = bool(fields["answer"]) and (
                before is None or before["answer"] != fields["answer"]
            )
            news = news or (
                fields["status"] == "rejected" and (before or {}).get("status") != "rejected"
            )
            fields["unread"] = 1 if news else 0
            if before is None:
                self._table("unanswered_questions").insert(
                    {
                        "uuid": data["uuid"],
                        "query": data.get("query", ""),
                        "note": data.get("note", ""),
                        "closest_article_uuid": data.get("closest_article_uuid", ""),
                        "business_line": data.get("business_line", ""),
                        "agent": data.get("agent", ""),
                        "created_at": data.get("created_at") or utcnow(),
                        **fields,
                    }
                )
            else:
                if not news:
                    fields.pop("unread")
                sets = ", ".join(f"{k} = ?" for k in fields)
                self.db.execute(
                    f"UPDATE unanswered_questions SET {sets} WHERE uuid = ?",
                    [*fields.values(), data["uuid"]],
                )
            return news

    def mark_questions_read(self) -> None:
        with self.lock, self.db.atomic():
            self.db.execute("UPDATE unanswered_questions SET unread = 0 WHERE unread = 1")

    def unread_answers(self) -> int:
        with self.lock:
            return int(
                self.db.execute(
                    "SELECT count(*) FROM unanswered_questions WHERE unread = 1"
                ).fetchone()[0]
            )

    def unanswered(self, status: str | None = None) -> list[dict[str, Any]]:
        if status:
            return list(
                self.db.query(
                    "SELECT * FROM unanswered_questions WHERE status = ? ORDER BY created_at DESC",
                    [status],
                )
            )
        return list(self.db.query("SELECT * FROM unanswered_questions ORDER BY created_at DESC"))
