"""The manager's review: approve (publishing at once by default), reject with a comment,
publish an approved proposal, retire an article.

The base is checked again at approval and at publishing, in the writing transaction: when the
article moved since the proposal's base, the proposal goes to `conflict` (with the article as
it now is, for its author to merge) and the manager gets 409 with the current article.
Publishing itself is server/services/articles.py's `publish_content`: the one place that bumps
versions, writes revisions and tells the feed.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.articles import Article
from common.authoring import Proposal, ProposalContent
from server.core.db import Database
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.services import articles as article_service
from server.services import questions as question_service
from server.services.authoring import attachments, proposals
from server.services.errors import Conflict, ServiceError
from server.tables import article_proposals, questions


def _not_in_state(state: str, wanted: str) -> Conflict:
    return Conflict(
        f"the proposal is '{state}', not '{wanted}' / 该修改申请的状态是“{state}”，无法执行此操作"
    )


def _set(conn: Connection, uuid: str, **values: object) -> None:
    conn.execute(
        article_proposals.update()
        .where(article_proposals.c.uuid == uuid)
        .values(updated_at=stamp(), **values)
    )


def _link_source_question(conn: Connection, question_uuid: str, article_uuid: str) -> None:
    """An article made from an answered question (the supervisor's 生成文章) points the
    question at it once published, so the agent's 我的问题 opens it; a question already linked
    to another article keeps that link."""
    if not question_uuid:
        return
    linked = conn.execute(
        sa.select(questions.c.article_uuid).where(questions.c.uuid == question_uuid)
    ).first()
    if linked is not None and not linked.article_uuid:
        question_service.link(conn, question_uuid, article_uuid)


def _publish(db: Database, manager: CurrentUser, uuid: str, wanted: str, publish: bool) -> Proposal:
    """Approve (`wanted` = submitted) or publish (`wanted` = approved) in one transaction."""
    refusal: ServiceError | None = None
    with db.write(appends_changes=True) as conn:
        row = proposals.load_row(conn, uuid)
        if row.state != wanted:
            raise _not_in_state(row.state, wanted)
        current = article_service.find(conn, row.article_uuid)
        if proposals.is_stale(current, row.base_version):
            if current is None:
                refusal = Conflict("the article no longer exists / 文章已不存在")
            else:
                # Kept (committed) before the 409 goes out: the author sees the conflict.
                refusal = article_service.stale(current)
                _set(
                    conn,
                    uuid,
                    state="conflict",
                    current=article_service.out(current).model_dump_json(),
                )
        else:
            decided = {"decided_by": manager.id, "decided_at": stamp()}
            if not publish:
                _set(conn, uuid, state="approved", **(decided if wanted == "submitted" else {}))
            else:
                content = ProposalContent.model_validate_json(row.content)
                proposals.check_content(conn, content, manager, current)
                content.attachments = attachments.resolved(conn, content.attachments)
                article = article_service.publish_content(
                    conn,
                    row.article_uuid,
                    proposals.content_row(content),
                    row.base_version,
                    author_id=row.author_id,
                    approver_id=row.decided_by if wanted == "approved" else manager.id,
                    proposal_uuid=uuid,
                )
                _link_source_question(conn, content.source_question_uuid, article.uuid)
                _set(
                    conn,
                    uuid,
                    state="published",
                    published_version=article.version,
                    **(decided if wanted == "submitted" else {}),
                )
            return proposals.get(conn, uuid)
    assert refusal is not None
    raise refusal


def approve(db: Database, manager: CurrentUser, uuid: str, publish: bool = True) -> Proposal:
    return _publish(db, manager, uuid, "submitted", publish)


def publish(db: Database, manager: CurrentUser, uuid: str) -> Proposal:
    return _publish(db, manager, uuid, "approved", True)


def reject(conn: Connection, manager: CurrentUser, uuid: str, comment: str) -> Proposal:
    row = proposals.load_row(conn, uuid)
    if row.state not in ("submitted", "approved"):
        raise _not_in_state(row.state, "submitted")
    _set(
        conn,
        uuid,
        state="rejected",
        comment=comment,
        decided_by=manager.id,
        decided_at=stamp(),
    )
    return proposals.get(conn, uuid)


def retire(conn: Connection, manager: CurrentUser, article_uuid: str) -> Article:
    """Take an article out of use: status `archived` as a new version; the feed sends a
    tombstone, so every client drops it from its index. Its history stays."""
    return article_service.set_status(conn, article_uuid, "archived", manager.id)
