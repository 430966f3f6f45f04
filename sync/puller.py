"""Apply a page of the server's changes feed to the local knowledge base.

One transaction per page: article upserts, tombstones and question states, with the checkpoint
written last in the same transaction, so a crash replays the page rather than skipping it.
Changed articles are re-indexed right after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from common.articles import Article

if TYPE_CHECKING:
    from kb.knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)
CHECKPOINT_KEY = "sync_checkpoint"


@dataclass
class PullResult:
    articles: int = 0
    tombstones: int = 0
    answers: list[dict[str, Any]] = field(default_factory=list)  # newly answered / rejected

    def add(self, other: PullResult) -> None:
        self.articles += other.articles
        self.tombstones += other.tombstones
        self.answers.extend(other.answers)


def checkpoint(kb: KnowledgeBase) -> int:
    return int(kb.store.get_meta(CHECKPOINT_KEY, "0"))


def article_from_server(data: dict[str, Any]) -> Article:
    """A published article of the feed (the server's wire form of the shared model)."""
    return Article.model_validate({**data, "status": "published"})


def apply_page(kb: KnowledgeBase, changes: list[dict[str, Any]], next_since: int) -> PullResult:
    result = PullResult()
    store = kb.store
    with kb.write_lock(), store.lock, store.db.atomic():
        for change in changes:
            kind, data = change["kind"], change["data"]
            if kind == "article":
                if store.put_remote_article(article_from_server(data)):
                    result.articles += 1
            elif kind == "article_tombstone":
                existing = store.get_article(change["uuid"])
                if existing is not None and existing.status != "deleted":
                    existing.status = "deleted"
                    existing.version = max(existing.version, int(data.get("version", 0)))
                    store.put_remote_article(existing)
                    result.tombstones += 1
            elif kind == "question":
                if store.put_question_state(data):
                    result.answers.append(data)
            else:
                log.warning("unknown change kind %r ignored", kind)
        store.set_meta(CHECKPOINT_KEY, str(next_since))
    if result.articles or result.tombstones:
        kb.refresh_index()
    return result
