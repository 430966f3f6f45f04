"""The Whoosh index: derived data, always rebuildable from the SQLite store.

Documents hold pre-analysed tokens (see text_analysis). A small meta file records the schema
version, the lexicon fingerprint and the last change number applied; a missing, corrupt or
outdated index is reported as unusable so the caller rebuilds it.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import shutil
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import fields, index, scoring
from whoosh import query as Q
from whoosh.analysis import SpaceSeparatedTokenizer

from kb.models import Article, SearchFilters
from kb.query_builder import BuiltQuery
from kb.store import SEARCHABLE_STATUS
from kb.text_analysis import Analyzer

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
COMMON_SHARE = 0.04  # a term in more than this share of documents is "common" ...
COMMON_MIN_DOCS = 200  # ... once that is more than this many documents,
COMMON_MAX_DOCS = 1000  # and always above this many: the postings a query scores stay bounded
MAX_QUERY_TERMS = 24
META_FILE = "seatdesk_index.json"
# Whoosh field -> (fields of the article it is built from); boosts live in kb.search.


def _tokens_field() -> fields.TEXT:
    return fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)


def make_schema() -> fields.Schema:
    return fields.Schema(
        uuid=fields.ID(stored=True, unique=True),
        type=fields.ID(stored=True),
        business_line=fields.ID(stored=True),
        category=fields.KEYWORD(commas=True, stored=True),
        title=fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False, stored=True),
        aliases=_tokens_field(),
        tags=_tokens_field(),
        body=fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False, stored=True),
        bigram=_tokens_field(),
        pinyin=_tokens_field(),
        initials=_tokens_field(),
    )


def category_prefixes(category: str) -> list[str]:
    parts = [p.strip().replace(",", " ") for p in category.split("/") if p.strip()]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


class RebuildCancelled(Exception):
    """A rebuild stopped on request (the app is closing); the live index is left as it was."""


# Between two looks at the cancel flag: a few dozen articles, so closing waits well under a second.
CANCEL_CHECK_EVERY = 25


class IndexUnusable(Exception):
    """The index is missing, corrupt or built for another schema or lexicon."""


@dataclass
class RawHit:
    uuid: str
    score: float
    stored: dict[str, Any]


def _close_damaged(*opened: Any) -> None:
    """Close what whoosh opened of a damaged index (closing may fail on it too)."""
    for thing in opened:
        if thing is not None:
            try:
                thing.close()
            except Exception:
                log.debug("closing a damaged index failed", exc_info=True)


class SearchIndex:
    """One index folder; every read and write goes through `lock` (a writer per process)."""

    def __init__(self, folder: Path, analyzer: Analyzer) -> None:
        self.folder = Path(folder)
        self.analyzer = analyzer
        self.lock = threading.RLock()
        self._ix: index.Index | None = None
        self._searcher: Any = None
        self.seq = 0

    # -- documents ----------------------------------------------------------------------------
    def document(self, a: Article) -> dict[str, Any]:
        an = self.analyzer
        head = " ".join([a.title, *a.aliases, *a.tags])
        full, initials = an.pinyin_ngrams(head)
        for word in an.words(head):
            py = an.word_pinyin(word)
            if py:
                full.append(py)
        return {
            "uuid": a.uuid,
            "type": a.type,
            "business_line": a.business_line,
            "category": ",".join(category_prefixes(a.category)),
            "_stored_category": a.category,
            "title": " ".join(an.words(a.title)),
            "_stored_title": a.title,
            "aliases": " ".join(an.words(" ".join(a.aliases))),
            "tags": " ".join(an.words(" ".join(a.tags))),
            "body": " ".join(an.words(a.body)),
            "_stored_body": a.body,
            "bigram": " ".join(an.bigrams(head)),
            "pinyin": " ".join(full),
            "initials": " ".join(initials),
        }

    # -- meta ---------------------------------------------------------------------------------
    def _read_meta(self, folder: Path) -> dict[str, Any]:
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) else {}  # a damaged file may hold any JSON

    def _write_meta(self, folder: Path, seq: int) -> None:
        meta = {"schema": SCHEMA_VERSION, "lexicon": self.analyzer.fingerprint, "seq": seq}
        tmp = folder / (META_FILE + ".tmp")
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, folder / META_FILE)

    # -- open / close -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._searcher is not None

    def open(self) -> None:
        """Open the existing index or raise IndexUnusable saying why."""
        with self.lock:
            self.close()
            meta = self._read_meta(self.folder)
            if not meta:
                raise IndexUnusable("no index meta")
            if meta.get("schema") != SCHEMA_VERSION:
                raise IndexUnusable(f"schema {meta.get('schema')} != {SCHEMA_VERSION}")
            if meta.get("lexicon") != self.analyzer.fingerprint:
                raise IndexUnusable("built with another lexicon")
            ix = searcher = None
            failure = ""
            # Whoosh leaves a damaged file open when it fails to read it; the file is closed
            # as the failure unwinds, or below: neither is worth a ResourceWarning.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                try:
                    ix = index.open_dir(str(self.folder))
                    searcher = ix.searcher(weighting=scoring.BM25F())
                    self._probe(searcher)
                except Exception as exc:  # whoosh raises many kinds on damaged files
                    failure = f"cannot read index: {exc!r}"
                if failure:
                    _close_damaged(searcher, ix)
                    ix = searcher = None
                    gc.collect()
            if failure:
                raise IndexUnusable(failure)
            self._ix, self._searcher, self.seq = ix, searcher, int(meta.get("seq", 0))

    @staticmethod
    def _probe(searcher: Any) -> None:
        """Read stored fields, the term list and postings: damage anywhere raises here."""
        for hit in searcher.search(Q.Every(), limit=1):
            hit.fields()
        reader = searcher.reader()
        for fieldname in ("uuid", "title", "body"):
            for term in list(reader.lexicon(fieldname))[:1]:
                searcher.search(Q.Term(fieldname, term.decode("utf-8")), limit=1)

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                try:
                    self._searcher.close()
                except Exception:  # closing a damaged index must not stop a rebuild
                    log.debug("searcher close failed", exc_info=True)
            if self._ix is not None:
                self._ix.close()
            self._ix = self._searcher = None

    def doc_count(self) -> int:
        with self.lock:
            if self._searcher is None:
                raise IndexUnusable("index not open")
            return int(self._searcher.doc_count())

    # -- writing ------------------------------------------------------------------------------
    def rebuild(
        self,
        articles: Iterable[Article],
        seq: int,
        total: int = 0,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        """Build a fresh index beside the live one, then swap it in. `cancelled` is asked
        between batches; when it says yes the half-built index is dropped (RebuildCancelled)."""
        building = self.folder.with_name(self.folder.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        ix = index.create_in(str(building), make_schema())
        writer = ix.writer(limitmb=256)
        done = 0
        if progress:
            progress(0, total)
        try:
            for article in articles:
                if article.status == SEARCHABLE_STATUS:
                    writer.add_document(**self.document(article))
                done += 1
                if cancelled is not None and done % CANCEL_CHECK_EVERY == 0 and cancelled():
                    raise RebuildCancelled(f"cancelled after {done} of {total} articles")
                if progress and done % 200 == 0:
                    progress(done, total)
            if cancelled is not None and cancelled():
                raise RebuildCancelled(f"cancelled after {done} of {total} articles")
            writer.commit(optimize=True)
        except BaseException:
            writer.cancel()
            ix.close()
            shutil.rmtree(building, ignore_errors=True)
            raise
        ix.close()
        self._write_meta(building, seq)
        with self.lock:
            self.close()
            shutil.rmtree(self.folder, ignore_errors=True)
            os.replace(building, self.folder)
            self.open()
        if progress:
            progress(done, total)

    def apply(self, articles: list[Article], seq: int) -> None:
        """Add, replace or remove these articles and make them searchable now."""
        with self.lock:
            if self._ix is None:
                raise IndexUnusable("index not open")
            writer = self._ix.writer(timeout=10.0)
            try:
                for article in articles:
                    if article.status == SEARCHABLE_STATUS:
                        writer.update_document(**self.document(article))
                    else:
                        writer.delete_by_term("uuid", article.uuid)
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            self._write_meta(self.folder, seq)
            self.seq = seq
            self._searcher = self._fresh_searcher()

    def _fresh_searcher(self) -> Any:
        """A new searcher over the last commit.

        Not `searcher.refresh()`: in whoosh-reloaded 2.7.5 it keeps readers of segments whose
        deletions changed and re-adds merged-away segments (stale and duplicate hits).
        """
        assert self._ix is not None
        self._searcher.close()
        return self._ix.searcher(weighting=scoring.BM25F())

    # -- reading ------------------------------------------------------------------------------
    def search(self, built: BuiltQuery, filters: SearchFilters, limit: int) -> list[RawHit]:
        with self.lock:
            if self._searcher is None:
                raise IndexUnusable("index not open")
            try:
                q = built.query(self._useful_terms(built))
                if q is None:
                    return []
                results = self._searcher.search(q, limit=limit, filter=self._filter(filters))
                return [RawHit(h["uuid"], float(h.score), h.fields()) for h in results]
            except IndexUnusable:
                raise
            except Exception as exc:
                raise IndexUnusable(f"search failed: {exc!r}") from exc

    def _useful_terms(self, built: BuiltQuery) -> set[tuple[str, str]]:
        """The query's terms worth scoring.

        Terms in no document cost nothing and say nothing; terms in a large share of all
        documents (办理, 需要 in bodies) barely move BM25 yet make up most of the postings a
        query walks in pure Python, so they are dropped, unless nothing rarer is left.
        At most MAX_QUERY_TERMS remain, the rarest and most boosted first.
        """
        reader = self._searcher.reader()
        total = max(1, reader.doc_count_all())
        common = min(COMMON_MAX_DOCS, max(COMMON_MIN_DOCS, int(total * COMMON_SHARE)))
        stats = []
        for key, boost in built.terms.items():
            df = reader.doc_frequency(*key)
            if df:
                stats.append((boost * math.log(1 + total / df), df, key))
        rare = [s for s in stats if s[1] <= common]
        chosen = rare or sorted(stats, key=lambda s: s[1])[:3]
        chosen.sort(reverse=True)
        return {key for _weight, _df, key in chosen[:MAX_QUERY_TERMS]}

    @staticmethod
    def _filter(filters: SearchFilters) -> Q.Query | None:
        if filters.is_empty():
            return None
        parts: list[Q.Query] = []
        if filters.type:
            parts.append(Q.Term("type", filters.type))
        if filters.business_line:
            parts.append(Q.Term("business_line", filters.business_line))
        if filters.category:
            prefixes = category_prefixes(filters.category)
            if prefixes:
                parts.append(Q.Term("category", prefixes[-1]))
        return Q.And(parts) if len(parts) > 1 else parts[0]
