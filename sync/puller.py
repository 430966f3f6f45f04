"""Read the server's changes feed into the local database, one page per transaction.

Each change is handed to the applier its kind registered (sync/registry.py); the page's
checkpoint, kept per (server, user), is written last in the same transaction, so a crash
replays the page rather than skipping it. What a page brought is reported afterwards (answers
to show, articles to re-index). The article appliers of the knowledge base live here too.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from common.articles import Article
from common.wire import Change
from localdb import LocalDatabase
from sync.registry import SyncRegistry
from sync.state import SyncKey, SyncState

if TYPE_CHECKING:
    from kb.knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass
class PullResult:
    """The changes that were news, by kind ('article', 'article_tombstone', 'question', ...)."""

    news: dict[str, list[Change]] = field(default_factory=lambda: defaultdict(list))

    def add(self, other: PullResult) -> None:
        for kind, changes in other.news.items():
            self.news[kind].extend(changes)

    @property
    def articles(self) -> int:
        return len(self.news.get("article", []))

    @property
    def tombstones(self) -> int:
        return len(self.news.get("article_tombstone", []))

    @property
    def answers(self) -> list[dict[str, Any]]:
        """The questions newly answered or rejected, as the server sent them."""
        return [c.data for c in self.news.get("question", [])]


def article_from_server(data: dict[str, Any]) -> Article:
    """A published article of the feed (the server's wire form of the shared model)."""
    return Article.model_validate({**data, "status": "published"})


def apply_page(
    database: LocalDatabase,
    registry: SyncRegistry,
    state: SyncState,
    key: SyncKey,
    changes: list[Change],
    next_since: int,
    server_id: str = "",
) -> PullResult:
    result = PullResult()
    with registry.guards(), database.transaction():
        for change in changes:
            handler = registry.feed.get(change.kind)
            if handler is None:
                log.warning("unknown change kind %r ignored", change.kind)
            elif handler.apply(change):
                result.news[change.kind].append(change)
        state.set_checkpoint(key, next_since, server_id)
    for kind in list(result.news):
        handler = registry.feed[kind]
        if handler.after_page is not None:
            handler.after_page()
    return result


def register_articles(registry: SyncRegistry, kb: KnowledgeBase) -> None:
    """The knowledge base's part of the feed: published articles and their tombstones, applied
    under its write lock and indexed after the page commits."""

    def apply_article(change: Change) -> bool:
        return kb.store.put_remote_article(article_from_server(change.data))

    def apply_tombstone(change: Change) -> bool:
        existing = kb.store.get_article(change.uuid)
        if existing is None or existing.status == "deleted":
            return False
        existing.status = "deleted"
        existing.version = max(existing.version, int(change.data.get("version", 0)))
        kb.store.put_remote_article(existing)
        return True

    for kind, apply in (("article", apply_article), ("article_tombstone", apply_tombstone)):
        registry.feed_kind(kind, apply, guard=kb.write_lock, after_page=kb.refresh_index)
