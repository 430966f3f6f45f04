"""An agent's 有帮助 / 没帮助 on an article (Qt-free): kept in the knowledge base's usage log, as
the ranking reads it, and queued for the server in the same transaction, with the reason the
agent gave for 没帮助, so the trainers' lists see it (exactly once: the server keeps it by uuid).
"""

from __future__ import annotations

import uuid as uuidlib

from common.timestamps import now_iso
from kb.knowledge_base import KnowledgeBase
from sync.outbox import Outbox

OUTBOX_KIND = "article_feedback"
PUSH_PATH = "/articles/feedback/batch"
# What the server receives; a click only moves this workstation's ranking.
SENT_KINDS = frozenset({"helpful", "not_helpful"})
MAX_REASON = 500


def record_feedback(
    kb: KnowledgeBase,
    outbox: Outbox,
    article_uuid: str,
    kind: str,
    query: str = "",
    reason: str = "",
) -> str:
    """Record the feedback; returns the uuid it was queued under ('' when not sent)."""
    with kb.store.transaction():
        kb.record_feedback(article_uuid, kind, query)
        if kind not in SENT_KINDS:
            return ""
        uuid = str(uuidlib.uuid4())
        outbox.enqueue(
            OUTBOX_KIND,
            uuid,
            {
                "article_uuid": article_uuid,
                "kind": kind,
                "reason": reason.strip()[:MAX_REASON] if kind == "not_helpful" else "",
                "created_at": now_iso(),
            },
        )
        return uuid
