"""The knowledge base's tables in the client's database (localdb): articles with immutable
revisions, the lexicon, usage (search log, feedback) and the kb's own meta values.

Every read and write goes through `LocalDatabase.read()`/`transaction()`, which serialise all
use of the one connection (localdb/database.py says why). Questions, calls, agent states and
the outbox are other capabilities' tables: nothing here touches them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from common.articles import Article
from common.timestamps import now_iso as utcnow
from common.timestamps import utc_day_after, utc_now
from kb.migrations import migrations
from localdb import LocalDatabase

SEARCHABLE_STATUS = "published"


def _row_to_article(row: dict[str, Any]) -> Article:
    return Article.from_row(row)


# Called inside the search's transaction when a search found nothing: (query, created_at).
# The app queues it for the server (sync's outbox); the knowledge base knows no outbox.
SearchMissHook = Callable[[str, str], None]


class KnowledgeStore:
    """Articles with immutable revisions, lexicon, usage logs."""

    def __init__(
        self, database: LocalDatabase | Path | str, on_search_miss: SearchMissHook | None = None
    ) -> None:
        # A path opens a database of its own (the command line, tools); the app passes the one
        # LocalDatabase every capability shares.
        self._owns_database = not isinstance(database, LocalDatabase)
        self.database = database if isinstance(database, LocalDatabase) else LocalDatabase(database)
        self.path = self.database.path
        self.on_search_miss = on_search_miss
        self.database.use(migrations)

    def close(self) -> None:
        if self._owns_database:
            self.database.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic write (see LocalDatabase.transaction)."""
        with self.database.transaction() as db:
            yield db

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        value = self.database.scalar("SELECT value FROM meta WHERE key = ?", [key])
        return default if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self.database.execute(
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
        with self.database.transaction():
            existing = self.get_article(article.uuid)
            if existing is not None and existing.same_content(article):
                return existing, "unchanged"
            stored = Article(**article.to_dict())
            stored.version = existing.version + 1 if existing else 1
            self._write_article(stored, existing, author, note, mirrored=False)
            return stored, ("updated" if existing else "created")

    def put_remote_article(self, article: Article, author: str = "server") -> bool:
        """Mirror an article as the server has it (its version wins); False if already held.

        Call inside a transaction; the caller re-indexes afterwards.
        """
        with self.database.transaction():
            existing = self.get_article(article.uuid)
            if existing is not None and (
                existing.version > article.version
                or (existing.version == article.version and existing.same_content(article))
            ):
                return False
            # The server's article as it is: its review day (set by the author, approved with
            # the text; empty means none) and its attachments are the center's, not this
            # workstation's.
            stored = Article(**article.to_dict())
            self._write_article(stored, existing, author, "sync", mirrored=True)
            return True

    def _write_article(
        self,
        stored: Article,
        existing: Article | None,
        author: str,
        note: str,
        mirrored: bool,
    ) -> None:
        """Upsert `stored` (its version already set) with a new change number, and record its
        revision unless that version is already in the history. A `mirrored` article (the
        server's) keeps its own updated_at and review day."""
        now = utcnow()
        stored.created_at = existing.created_at if existing else (stored.created_at or now)
        if not (mirrored and stored.updated_at):
            stored.updated_at = now
        # A review day by default for what is written here (imports, local edits); a mirrored
        # article keeps the server's, empty included (the center set none).
        if not stored.review_due and not mirrored:
            stored.review_due = utc_day_after(180).isoformat()
        with self.database.transaction() as db:
            stored.seq = self._next_seq()
            row = stored.row(db.table("articles").columns_dict)
            db.table("articles").upsert(row, pk="uuid")
            known = db.execute(
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
                db.table("revisions").insert(revision)

    def delete_article(self, uuid: str, author: str = "") -> Article | None:
        """A deletion is a tombstone: status 'deleted', a new revision, gone from search."""
        article = self.get_article(uuid)
        if article is None or article.status == "deleted":
            return article
        article.status = "deleted"
        stored, _ = self.save_article(article, author=author, note="deleted")
        return stored

    def get_article(self, uuid: str) -> Article | None:
        rows = self.database.query("SELECT * FROM articles WHERE uuid = ?", [uuid])
        return _row_to_article(rows[0]) if rows else None

    def articles(self, status: str | None = None) -> list[Article]:
        """Articles in insertion order; all but tombstones when no status is given."""
        if status is None:
            rows = self.database.query(
                "SELECT * FROM articles WHERE status != 'deleted' ORDER BY rowid"
            )
        else:
            rows = self.database.query(
                "SELECT * FROM articles WHERE status = ? ORDER BY rowid", [status]
            )
        return [_row_to_article(row) for row in rows]

    def categories(self) -> list[str]:
        """Every category path of a published article, and each of its parents, sorted."""
        rows = self.database.query(
            "SELECT DISTINCT category FROM articles WHERE status = ? AND category != ''",
            [SEARCHABLE_STATUS],
        )
        paths: set[str] = set()
        for row in rows:
            parts = [p for p in row["category"].split("/") if p]
            paths.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        return sorted(paths)

    def changed_since(self, seq: int) -> list[Article]:
        """Every article (tombstones included) written after change number `seq`."""
        rows = self.database.query("SELECT * FROM articles WHERE seq > ? ORDER BY seq", [seq])
        return [_row_to_article(r) for r in rows]

    def count_searchable(self) -> int:
        return int(
            self.database.scalar(
                "SELECT count(*) FROM articles WHERE status = ?", [SEARCHABLE_STATUS]
            )
        )

    def revisions(self, uuid: str) -> list[dict[str, Any]]:
        return self.database.query(
            "SELECT * FROM revisions WHERE article_uuid = ? ORDER BY version", [uuid]
        )

    # -- lexicon ------------------------------------------------------------------------------
    def synonym_groups(self) -> list[list[str]]:
        rows = self.database.query("SELECT terms FROM synonym_groups")
        return [json.loads(r["terms"]) for r in rows]

    def add_synonym_group(self, terms: list[str], source: str = "trainer") -> None:
        with self.database.transaction() as db:
            db.table("synonym_groups").insert(
                {
                    "terms": json.dumps(terms, ensure_ascii=False),
                    "source": source,
                    "created_at": utcnow(),
                }
            )
            self._bump_lexicon()

    def seed_synonyms(self, groups: list[list[str]]) -> None:
        """Load the built-in groups: all of them into a new file, and each group a later release
        brings (one not held as it is) into an older file, so fixes of the built-in list reach
        every workstation. Groups merge by term, so an extended group beside its older form is
        the extended group."""
        with self.database.transaction() as db:
            held = {
                row[0]
                for row in db.execute(
                    "SELECT terms FROM synonym_groups WHERE source = 'builtin'"
                ).fetchall()
            }
            missing = [
                t for t in (json.dumps(g, ensure_ascii=False) for g in groups) if t not in held
            ]
            if not missing:
                return
            now = utcnow()
            db.table("synonym_groups").insert_all(
                {"terms": terms, "source": "builtin", "created_at": now} for terms in missing
            )

    def user_words(self) -> list[tuple[str, int]]:
        rows = self.database.query("SELECT word, freq FROM user_words")
        return [(r["word"], r["freq"]) for r in rows]

    def add_user_word(self, word: str, freq: int = 2000, added_by: str = "") -> None:
        """A trainer's addition to the segmentation dictionary (the index rebuilds for it)."""
        with self.database.transaction() as db:
            db.table("user_words").upsert(
                {"word": word, "freq": freq, "added_by": added_by, "created_at": utcnow()},
                pk="word",
            )
            self._bump_lexicon()

    def center_vocabulary(self) -> tuple[list[list[str]], list[str]]:
        """The synonym groups and user words the center's feed brought (source 'center')."""
        groups = self.database.query(
            "SELECT terms FROM synonym_groups WHERE source = 'center' ORDER BY id"
        )
        words = self.database.query(
            "SELECT word FROM user_words WHERE added_by = 'center' ORDER BY word"
        )
        return [json.loads(r["terms"]) for r in groups], [r["word"] for r in words]

    def replace_center_vocabulary(self, groups: list[list[str]], words: list[str]) -> bool:
        """The center's vocabulary replaces the one it sent before (built-in groups and this
        workstation's own words stay); False, and no lexicon bump, when nothing changed."""
        with self.database.transaction() as db:
            held_groups, held_words = self.center_vocabulary()
            if held_groups == groups and sorted(held_words) == sorted(set(words)):
                return False
            now = utcnow()
            db.execute("DELETE FROM synonym_groups WHERE source = 'center'")
            db.table("synonym_groups").insert_all(
                {"terms": json.dumps(g, ensure_ascii=False), "source": "center", "created_at": now}
                for g in groups
            )
            db.execute("DELETE FROM user_words WHERE added_by = 'center'")
            db.table("user_words").upsert_all(
                ({"word": w, "freq": 2000, "added_by": "center", "created_at": now} for w in words),
                pk="word",
            )
            self._bump_lexicon()
            return True

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
        """Log a search; one that found nothing also goes to `on_search_miss` (the app queues
        it for the supervisor) in the same transaction."""
        now = utcnow()
        with self.database.transaction() as db:
            db.table("search_log").insert(
                {
                    "query": query,
                    "filters": json.dumps(filters or {}, ensure_ascii=False),
                    "result_count": result_count,
                    "top_uuid": top_uuid,
                    "source": source,
                    "created_at": now,
                }
            )
            if result_count == 0 and self.on_search_miss is not None:
                self.on_search_miss(query, now)

    def empty_searches(self, limit: int = 100) -> list[dict[str, Any]]:
        """Searches that found nothing, most frequent first: what the supervisor should answer."""
        return self.database.query(
            "SELECT query, count(*) AS times, max(created_at) AS last_at FROM search_log "
            "WHERE result_count = 0 GROUP BY query ORDER BY times DESC, last_at DESC LIMIT ?",
            [limit],
        )

    def record_feedback(self, article_uuid: str, kind: str, query: str = "") -> None:
        with self.database.transaction() as db:
            db.table("article_feedback").insert(
                {"article_uuid": article_uuid, "kind": kind, "query": query, "created_at": utcnow()}
            )

    def feedback_counts(self, article_uuid: str) -> dict[str, int]:
        rows = self.database.query(
            "SELECT kind, count(*) AS n FROM article_feedback WHERE article_uuid = ? GROUP BY kind",
            [article_uuid],
        )
        return {r["kind"]: r["n"] for r in rows}

    def popularity(self, days: int = 90) -> dict[str, float]:
        """Recent net usefulness per article: helpful +1, not helpful -1, click +0.25."""
        since = (utc_now() - timedelta(days=days)).isoformat()
        rows = self.database.query(
            "SELECT article_uuid, "
            "sum(CASE kind WHEN 'helpful' THEN 1.0 WHEN 'not_helpful' THEN -1.0 ELSE 0.25 END) "
            "AS net FROM article_feedback WHERE created_at >= ? GROUP BY article_uuid",
            [since],
        )
        return {r["article_uuid"]: float(r["net"]) for r in rows}
