"""The knowledge base as the app and the command line use it: store + index + search.

`KnowledgeBase` is thread-safe: writes are serialised by its lock and every article saved is
applied to the index before `save_article` returns. While the index is missing or being rebuilt,
searches are answered from SQLite directly (slower, plainer ranking) so the agent is never
left without answers.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.lexicon import Lexicon
from kb.models import Article, SearchFilters, SearchHit
from kb.paths import DB_FILENAME, INDEX_DIRNAME
from kb.query_builder import QueryBuilder
from kb.search_index import IndexUnusable, RawHit, RebuildCancelled, SearchIndex
from kb.snippets import snippet
from kb.store import KnowledgeStore, SearchMissHook
from kb.text_analysis import Analyzer
from localdb import LocalDatabase

log = logging.getLogger(__name__)

POPULARITY_WEIGHT = 0.25  # recent feedback moves an article by at most +-25 %

ProgressFn = Callable[[int, int], None]


@dataclass
class SearchResponse:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    from_fallback: bool = False

    def to_json(self) -> dict[str, object]:
        return {"query": self.query, "results": [h.to_json() for h in self.hits]}


class KnowledgeBase:
    def __init__(
        self,
        data_dir: Path,
        database: LocalDatabase | None = None,
        on_search_miss: SearchMissHook | None = None,
    ) -> None:
        """`database`: the client's one LocalDatabase (the app passes it; without one, the
        knowledge base opens the data folder's file for itself: command line, tools)."""
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = KnowledgeStore(
            database if database is not None else self.data_dir / DB_FILENAME, on_search_miss
        )
        self._builtin = Lexicon.builtin()
        self.store.seed_synonyms(self._builtin.synonym_groups)
        self._lock = threading.RLock()
        self._analyzer: Analyzer | None = None
        self._analyzer_lexicon_version = -1
        self._index: SearchIndex | None = None
        self._popularity: dict[str, float] | None = None
        self._search_failed = False
        self.state = "closed"  # closed | ready | rebuilding | broken
        self._cancel_rebuild = threading.Event()
        self.rebuild_cancelled = False  # the last rebuild was stopped by cancel_rebuild()

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
            self.store.close()

    # -- analysis and index -------------------------------------------------------------------
    @property
    def analyzer(self) -> Analyzer:
        with self._lock:
            version = self.store.lexicon_version()
            if self._analyzer is None or version != self._analyzer_lexicon_version:
                lexicon = self._builtin.with_store(
                    self.store.user_words(), self.store.synonym_groups()
                )
                self._analyzer = Analyzer(lexicon)
                self._analyzer_lexicon_version = version
                if self._index is not None and self._index.analyzer.fingerprint != (
                    self._analyzer.fingerprint
                ):
                    self._index.close()
                    self._index = None
                    self.state = "broken"  # segmentation changed: the index must be rebuilt
            return self._analyzer

    @property
    def index(self) -> SearchIndex:
        with self._lock:
            analyzer = self.analyzer
            if self._index is None:
                self._index = SearchIndex(self.data_dir / INDEX_DIRNAME, analyzer)
            return self._index

    @property
    def is_ready(self) -> bool:
        return self.state == "ready"

    def open_index(self) -> bool:
        """Open the index on disk, catch it up with the store and check it; False if unusable."""
        with self._lock:
            try:
                self.index.open()
                self._catch_up()
                if self.index.doc_count() != self.store.count_searchable():
                    raise IndexUnusable("document count differs from the store")
            except IndexUnusable as exc:
                log.warning("search index unusable, it will be rebuilt: %s", exc)
                self.index.close()
                self.state = "broken"
                return False
            self.state = "ready"
            return True

    def cancel_rebuild(self) -> None:
        """Stop a rebuild under way at its next batch (RebuildCancelled in its thread); the
        index stays 'broken' and is rebuilt at the next start. Safe from any thread."""
        self._cancel_rebuild.set()

    def rebuild_index(self, progress: ProgressFn | None = None) -> None:
        """Rebuild from SQLite. Searches keep working (fallback) meanwhile. Raises
        RebuildCancelled when cancel_rebuild() stopped it."""
        with self._lock:
            if self._cancel_rebuild.is_set():  # cancelled before it began (closing)
                self.rebuild_cancelled = True
                raise RebuildCancelled("cancelled before it started")
            self.rebuild_cancelled = False
            self.state = "rebuilding"
            idx = self.index
            seq = self.store.max_seq()
            total = self.store.count_searchable()
            articles = list(self.store.articles(status="published"))
        try:
            idx.rebuild(
                articles, seq, total=total, progress=progress, cancelled=self._cancel_rebuild.is_set
            )
            with self._lock:
                self._catch_up()
                self.state = "ready"
                self._search_failed = False
        except RebuildCancelled:
            with self._lock:
                self.state = "broken"
                self.rebuild_cancelled = True
            raise
        except Exception:
            with self._lock:
                self.state = "broken"
            raise

    def ensure_index(self, progress: ProgressFn | None = None) -> bool:
        """Make the index usable; returns True when it had to be rebuilt.

        An index that failed during a search is rebuilt without trusting it again.
        """
        if not self._search_failed and self.open_index():
            return False
        self.rebuild_index(progress)
        return True

    def write_lock(self) -> threading.RLock:
        """Held while applying a batch of changes, so the index sees them whole."""
        return self._lock

    def refresh_index(self) -> None:
        """Index whatever the store holds that the index has not seen (after a sync page)."""
        with self._lock:
            self._popularity = None
            if self.state == "ready":
                try:
                    self._catch_up()
                except IndexUnusable:
                    self.state = "broken"

    def _catch_up(self) -> None:
        idx = self.index
        changed = self.store.changed_since(idx.seq)
        if changed:
            idx.apply(changed, max(a.seq for a in changed))

    # -- writing ------------------------------------------------------------------------------
    def save_article(
        self, article: Article, author: str = "", note: str = ""
    ) -> tuple[Article, str]:
        """Store the article (new revision) and make it searchable before returning."""
        with self._lock:
            stored, action = self.store.save_article(article, author=author, note=note)
            if action != "unchanged" and self.state == "ready":
                try:
                    self._catch_up()
                except IndexUnusable:
                    self.state = "broken"
            return stored, action

    def delete_article(self, uuid: str, author: str = "") -> None:
        with self._lock:
            self.store.delete_article(uuid, author=author)
            if self.state == "ready":
                self._catch_up()

    def record_feedback(self, article_uuid: str, kind: str, query: str = "") -> None:
        self.store.record_feedback(article_uuid, kind, query)
        self._popularity = None

    # -- searching ----------------------------------------------------------------------------
    def search(
        self,
        text: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        log_source: str | None = None,
    ) -> SearchResponse:
        """Search; `log_source` set ('cli', 'gui', ...) records the search in the search log."""
        filters = filters or SearchFilters()
        text = text.strip()
        response = SearchResponse(text)
        if text:
            if self.state == "ready":
                try:
                    response.hits = self._index_search(text, filters, limit)
                except IndexUnusable as exc:
                    log.warning("search index failed, answering from the store: %s", exc)
                    self.state = "broken"
                    self._search_failed = True
            if self.state != "ready":
                response.hits = self._fallback_search(text, filters, limit)
                response.from_fallback = True
        if log_source is not None and text:
            self.log_search(response, filters, log_source)
        return response

    def log_search(self, response: SearchResponse, filters: SearchFilters, source: str) -> None:
        self.store.log_search(
            response.query,
            len(response.hits),
            response.hits[0].uuid if response.hits else "",
            {k: v for k, v in vars(filters).items() if v},
            source,
        )

    def _popularity_boosts(self) -> dict[str, float]:
        pop = self._popularity
        if pop is None:
            pop = self._popularity = self.store.popularity()
        return pop

    def _index_search(self, text: str, filters: SearchFilters, limit: int) -> list[SearchHit]:
        built = QueryBuilder(self.analyzer).build(text)
        if not built.terms:
            return []
        raw = self.index.search(built, filters, limit + 10)  # room for feedback to reorder
        pop = self._popularity_boosts()

        def final_score(hit: RawHit) -> float:
            return hit.score * (1.0 + POPULARITY_WEIGHT * math.tanh(pop.get(hit.uuid, 0.0) / 3))

        ranked = sorted(raw, key=final_score, reverse=True)[:limit]
        return [
            SearchHit(
                uuid=h.uuid,
                title=h.stored["title"],
                type=h.stored["type"],
                business_line=h.stored["business_line"],
                category=h.stored.get("category", ""),
                score=final_score(h),
                snippet=snippet(h.stored["body"], built.highlight_terms),
            )
            for h in ranked
        ]

    def _fallback_search(self, text: str, filters: SearchFilters, limit: int) -> list[SearchHit]:
        """Plain substring scoring over SQLite: for the seconds an index is being rebuilt."""
        needles = list(dict.fromkeys(Analyzer.bigrams(text) + Analyzer.latin_runs(text))) or [
            text.lower()
        ]
        scored: list[tuple[float, Article]] = []
        for article in self.store.articles(status="published"):
            if filters.type and article.type != filters.type:
                continue
            if filters.business_line and article.business_line != filters.business_line:
                continue
            if filters.category and not (
                article.category == filters.category
                or article.category.startswith(filters.category.rstrip("/") + "/")
            ):
                continue
            title = article.title.lower()
            head = " ".join(article.aliases + article.tags).lower()
            body = article.body.lower()
            score = sum(5.0 * (n in title) + 3.0 * (n in head) + 1.0 * (n in body) for n in needles)
            if score > 0:
                scored.append((score, article))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return [
            SearchHit(
                a.uuid, a.title, a.type, a.business_line, a.category, s, snippet(a.body, needles)
            )
            for s, a in scored[:limit]
        ]
