"""Unanswered questions: agents push them; handlers claim, answer, reject, merge and link.

Concurrent handlers are resolved by the row version: the first answer wins and a second gets
a Conflict with the question as it now stands, so nothing is overwritten silently. Every change
a handler makes is sent to the asking agent through the changes feed.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.roles import QUESTION_HANDLERS
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import insert_ignoring_duplicates
from server.schemas import (
    AnswerIn,
    ItemAck,
    QuestionGroup,
    QuestionIn,
    QuestionOut,
    QuestionPage,
    rejected_ack,
)
from server.services.changes_feed import append_change
from server.services.errors import BadRequest, Conflict, Forbidden, NotFound
from server.services.question_groups import SimilarityIndex
from server.tables import articles, questions, users

OPEN_STATES = ("open", "claimed")

_agent = users.alias("agent")
_claimer = users.alias("claimer")
_answerer = users.alias("answerer")
_SELECT = (
    sa.select(
        questions,
        _agent.c.username.label("agent_name"),
        _claimer.c.username.label("claimer_name"),
        _answerer.c.username.label("answerer_name"),
    )
    .join(_agent, _agent.c.id == questions.c.agent_id)
    .outerjoin(_claimer, _claimer.c.id == questions.c.claimed_by)
    .outerjoin(_answerer, _answerer.c.id == questions.c.answered_by)
)


def to_out(row: Any) -> QuestionOut:
    return QuestionOut(
        uuid=row.uuid,
        agent=row.agent_name,
        query=row.query,
        note=row.note,
        closest_article_uuid=row.closest_article_uuid,
        business_line=row.business_line,
        category=row.category,
        status=row.status,
        claimed_by=row.claimer_name,
        answer=row.answer,
        answered_by=row.answerer_name,
        answered_at=row.answered_at,
        reject_reason=row.reject_reason,
        merged_into=row.merged_into,
        article_uuid=row.article_uuid,
        created_at=row.created_at,
        received_at=row.received_at,
        updated_at=row.updated_at,
        row_version=row.row_version,
    )


def load(conn: Connection, uuid: str) -> Any:
    row = conn.execute(_SELECT.where(questions.c.uuid == uuid)).first()
    if row is None:
        raise NotFound("no such question / 问题不存在")
    return row


def _conflict(conn: Connection, uuid: str, why: str) -> Conflict:
    current = to_out(load(conn, uuid)).model_dump()
    return Conflict({"message": why, "question": current})


def _notify_agent(conn: Connection, uuid: str) -> QuestionOut:
    """Tell the asking agent's client the question's new state; returns that state."""
    row = load(conn, uuid)
    out = to_out(row)
    append_change(conn, "question", uuid, out.model_dump(), audience_user_id=row.agent_id)
    return out


# -- agents -------------------------------------------------------------------------------------
def push(conn: Connection, user: CurrentUser, items: list[dict[str, Any]]) -> list[ItemAck]:
    """Store each new item (idempotent by the client's uuid); one acknowledgement per item."""
    results: list[ItemAck] = []
    now = stamp()
    for raw in items:
        try:
            item = QuestionIn.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        stored = insert_ignoring_duplicates(
            conn,
            questions,
            {
                "uuid": item.uuid,
                "agent_id": user.id,
                "query": item.query,
                "note": item.note,
                "closest_article_uuid": item.closest_article_uuid,
                "business_line": item.business_line,
                "category": item.category,
                "status": "open",
                # When the agent asked (validated); the queue itself is ordered by received_at.
                "created_at": stamp(item.created_at) if item.created_at else now,
                "received_at": now,
                "updated_at": now,
                "row_version": 1,
            },
            key="uuid",
        )
        results.append(ItemAck(uuid=item.uuid, status="stored" if stored else "duplicate"))
    return results


def page(
    conn: Connection,
    user: CurrentUser,
    *,
    status: str | None,
    business_line: str | None,
    category: str | None,
    agent: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    offset: int,
) -> QuestionPage:
    """Agents see their own questions only; handlers see everyone's. Newest received first."""
    conds = []
    if not user.has(QUESTION_HANDLERS):
        if agent is not None and agent != user.username:
            raise Forbidden("agents see only their own questions / 只能查看自己的问题")
        conds.append(questions.c.agent_id == user.id)
    elif agent:
        conds.append(_agent.c.username == agent)
    if status:
        conds.append(questions.c.status == status)
    if business_line:
        conds.append(questions.c.business_line == business_line)
    if category:
        conds.append(questions.c.category.startswith(category, autoescape=True))
    if since:
        conds.append(questions.c.created_at >= since)
    if until:
        conds.append(questions.c.created_at < until)
    where = sa.and_(sa.true(), *conds)
    total = conn.execute(
        sa.select(sa.func.count())
        .select_from(questions.join(_agent, _agent.c.id == questions.c.agent_id))
        .where(where)
    ).scalar_one()
    rows = conn.execute(
        _SELECT.where(where)
        .order_by(questions.c.received_at.desc(), questions.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return QuestionPage(items=[to_out(r) for r in rows], total=total)


def get(conn: Connection, user: CurrentUser, uuid: str) -> QuestionOut:
    row = load(conn, uuid)
    if not user.has(QUESTION_HANDLERS) and row.agent_id != user.id:
        raise Forbidden("not your question / 不是您的问题")
    return to_out(row)


def similar_groups(
    conn: Connection, index: SimilarityIndex, business_line: str | None
) -> list[QuestionGroup]:
    """Open questions grouped by similarity (groups of two or more, largest first; members
    and representative in the order received)."""
    query = sa.select(questions.c.uuid, questions.c.query).where(
        questions.c.status.in_(OPEN_STATES)
    )
    if business_line:
        query = query.where(questions.c.business_line == business_line)
    rows = conn.execute(query.order_by(questions.c.received_at, questions.c.id)).all()
    groups = index.group([(r.uuid, r.query) for r in rows])
    return [QuestionGroup(representative=g[0], members=g) for g in groups if len(g) > 1]


# -- handlers -----------------------------------------------------------------------------------
def _guarded_update(
    conn: Connection,
    uuid: str,
    handler: CurrentUser,
    expected_version: int | None,
    values: dict[str, Any],
) -> Any:
    """Apply `values` if the question is still open (and claimed by nobody else, and at the
    version the handler saw); raise Conflict with the current state otherwise."""
    row = load(conn, uuid)
    if row.status not in OPEN_STATES:
        raise _conflict(conn, uuid, f"already {row.status} / 该问题已处理（{row.status}）")
    if row.status == "claimed" and row.claimed_by != handler.id:
        raise _conflict(conn, uuid, f"claimed by {row.claimer_name} / 已被 {row.claimer_name} 认领")
    if expected_version is not None and expected_version != row.row_version:
        raise _conflict(conn, uuid, "changed since you opened it / 问题已被他人更新")
    result = conn.execute(
        questions.update()
        .where(questions.c.uuid == uuid)
        .where(questions.c.row_version == row.row_version)
        .values(**values, updated_at=stamp(), row_version=row.row_version + 1)
    )
    if result.rowcount != 1:  # lost a race with another handler in between
        raise _conflict(conn, uuid, "changed by someone else / 问题已被他人更新")
    return row


def claim(conn: Connection, uuid: str, handler: CurrentUser) -> QuestionOut:
    _guarded_update(conn, uuid, handler, None, {"status": "claimed", "claimed_by": handler.id})
    return _notify_agent(conn, uuid)


def _answer_values(body: AnswerIn, handler: CurrentUser) -> dict[str, Any]:
    return {
        "status": "answered",
        "answer": body.answer,
        "answered_by": handler.id,
        "answered_at": stamp(),
        "article_uuid": body.article_uuid,
    }


def answer(conn: Connection, uuid: str, body: AnswerIn, handler: CurrentUser) -> QuestionOut:
    _guarded_update(conn, uuid, handler, body.expected_version, _answer_values(body, handler))
    out = _notify_agent(conn, uuid)
    # Questions merged into this one get the same answer.
    merged = (
        conn.execute(sa.select(questions.c.uuid).where(questions.c.merged_into == uuid))
        .scalars()
        .all()
    )
    for other in merged:
        values = _answer_values(body, handler)
        values.pop("status")
        conn.execute(
            questions.update()
            .where(questions.c.uuid == other)
            .values(**values, updated_at=stamp(), row_version=questions.c.row_version + 1)
        )
        _notify_agent(conn, other)
    return out


def reject(
    conn: Connection, uuid: str, reason: str, expected_version: int | None, handler: CurrentUser
) -> QuestionOut:
    _guarded_update(
        conn, uuid, handler, expected_version, {"status": "rejected", "reject_reason": reason}
    )
    return _notify_agent(conn, uuid)


def merge(conn: Connection, uuid: str, into: str, handler: CurrentUser) -> QuestionOut:
    target = load(conn, into)
    while target.status == "merged" and target.merged_into:
        target = load(conn, target.merged_into)
    if target.uuid == uuid:
        raise BadRequest("cannot merge a question into itself / 不能合并到自身")
    values: dict[str, Any] = {"status": "merged", "merged_into": target.uuid}
    if target.status == "answered":
        values.update(
            answer=target.answer,
            answered_by=target.answered_by,
            answered_at=target.answered_at,
            article_uuid=target.article_uuid,
        )
    _guarded_update(conn, uuid, handler, None, values)
    return _notify_agent(conn, uuid)


def link(conn: Connection, uuid: str, article_uuid: str) -> QuestionOut:
    """Point the question at an article that exists (a draft written for it counts; a deleted
    one does not)."""
    load(conn, uuid)
    state = conn.execute(
        sa.select(articles.c.status).where(articles.c.uuid == article_uuid)
    ).scalar()
    if state is None or state == "deleted":
        raise NotFound("no such article / 文章不存在")
    conn.execute(
        questions.update()
        .where(questions.c.uuid == uuid)
        .values(
            article_uuid=article_uuid,
            updated_at=stamp(),
            row_version=questions.c.row_version + 1,
        )
    )
    return _notify_agent(conn, uuid)
