"""Unanswered questions: agents push them; supervisors claim, answer, reject, merge and link.

Concurrent handlers are resolved by the row version: the first answer wins and a second gets
409 with the question as it now stands, so nothing is overwritten silently.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, status
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from server.api.deps import CurrentUser, DbDep, UserDep, require
from server.changes_feed import append_change
from server.core.security import QUESTION_HANDLERS, stamp
from server.db_helpers import insert_ignoring_duplicates
from server.schemas import (
    MAX_ID,
    AnswerIn,
    BatchIn,
    BatchOut,
    ItemAck,
    LinkIn,
    MergeIn,
    QuestionGroup,
    QuestionIn,
    QuestionOut,
    QuestionPage,
    QuestionStatus,
    RejectIn,
)
from server.schemas import rejected_ack as _rejected
from server.similarity import group
from server.tables import questions, users

router = APIRouter(prefix="/questions", tags=["questions"])
Handler = Annotated[CurrentUser, Depends(require(*QUESTION_HANDLERS))]
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


def _out(row: Any) -> QuestionOut:
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


def _load(conn: Connection, uuid: str) -> Any:
    row = conn.execute(_SELECT.where(questions.c.uuid == uuid)).first()
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such question / 问题不存在")
    return row


def _conflict(conn: Connection, uuid: str, why: str) -> HTTPException:
    current = _out(_load(conn, uuid)).model_dump()
    return HTTPException(status.HTTP_409_CONFLICT, detail={"message": why, "question": current})


def _notify_agent(conn: Connection, uuid: str) -> None:
    """Tell the asking agent's client the question's new state."""
    row = _load(conn, uuid)
    out = _out(row).model_dump()
    append_change(conn, "question", uuid, out, audience_user_id=row.agent_id)


# -- agents -------------------------------------------------------------------------------------
@router.post("/batch", response_model=BatchOut)
def push_batch(body: BatchIn, user: UserDep, db: DbDep) -> BatchOut:
    """Idempotent by the client's UUID; each item is acknowledged on its own, after commit."""
    results: list[ItemAck] = []
    now = stamp()
    with db.write() as conn:
        for raw in body.items:
            try:
                item = QuestionIn.model_validate(raw)
            except ValidationError as exc:
                results.append(_rejected(raw, exc))
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
                    "created_at": item.created_at or now,
                    "received_at": now,
                    "updated_at": now,
                    "row_version": 1,
                },
                key="uuid",
            )
            results.append(ItemAck(uuid=item.uuid, status="stored" if stored else "duplicate"))
    return BatchOut(results=results)


@router.get("", response_model=QuestionPage)
def list_questions(
    user: UserDep,
    db: DbDep,
    status_: Annotated[QuestionStatus | None, Query(alias="status")] = None,
    business_line: str | None = None,
    category: str | None = None,
    agent: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> QuestionPage:
    """Agents see their own questions only; handlers see everyone's."""
    conds = []
    if not user.has(QUESTION_HANDLERS):
        if agent is not None and agent != user.username:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail="agents see only their own questions / 只能查看自己的问题",
            )
        conds.append(questions.c.agent_id == user.id)
    elif agent:
        conds.append(_agent.c.username == agent)
    if status_:
        conds.append(questions.c.status == status_)
    if business_line:
        conds.append(questions.c.business_line == business_line)
    if category:
        conds.append(questions.c.category.startswith(category, autoescape=True))
    if since:
        conds.append(questions.c.created_at >= since)
    if until:
        conds.append(questions.c.created_at < until)
    where = sa.and_(sa.true(), *conds)
    with db.read() as conn:
        total = conn.execute(
            sa.select(sa.func.count())
            .select_from(questions.join(_agent, _agent.c.id == questions.c.agent_id))
            .where(where)
        ).scalar_one()
        rows = conn.execute(
            _SELECT.where(where).order_by(questions.c.created_at.desc()).limit(limit).offset(offset)
        ).all()
    return QuestionPage(items=[_out(r) for r in rows], total=total)


@router.get("/groups", response_model=list[QuestionGroup])
def similar_groups(
    _user: Handler, db: DbDep, business_line: str | None = None
) -> list[QuestionGroup]:
    """Open questions grouped by similarity: answer a topic once, merge the rest into it."""
    query = sa.select(questions.c.uuid, questions.c.query, questions.c.note).where(
        questions.c.status.in_(OPEN_STATES)
    )
    if business_line:
        query = query.where(questions.c.business_line == business_line)
    with db.read() as conn:
        rows = conn.execute(query.order_by(questions.c.created_at).limit(2000)).all()
    groups = group([(r.uuid, r.query) for r in rows])
    return [QuestionGroup(representative=g[0], members=g) for g in groups if len(g) > 1]


@router.get("/{uuid}", response_model=QuestionOut)
def get_question(uuid: str, user: UserDep, db: DbDep) -> QuestionOut:
    with db.read() as conn:
        row = _load(conn, uuid)
    if not user.has(QUESTION_HANDLERS) and row.agent_id != user.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="not your question / 不是您的问题")
    return _out(row)


# -- handlers -----------------------------------------------------------------------------------
def _guarded_update(
    conn: Connection,
    uuid: str,
    handler: CurrentUser,
    expected_version: int | None,
    values: dict[str, Any],
) -> Any:
    """Apply `values` if the question is still open (and claimed by nobody else, and at the
    version the handler saw); raise 409 with the current state otherwise."""
    row = _load(conn, uuid)
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


@router.post("/{uuid}/claim", response_model=QuestionOut)
def claim(uuid: str, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        _guarded_update(conn, uuid, handler, None, {"status": "claimed", "claimed_by": handler.id})
        _notify_agent(conn, uuid)
        return _out(_load(conn, uuid))


def _answer_values(body: AnswerIn, handler: CurrentUser) -> dict[str, Any]:
    return {
        "status": "answered",
        "answer": body.answer,
        "answered_by": handler.id,
        "answered_at": stamp(),
        "article_uuid": body.article_uuid,
    }


@router.post("/{uuid}/answer", response_model=QuestionOut)
def answer(uuid: str, body: AnswerIn, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        _guarded_update(conn, uuid, handler, body.expected_version, _answer_values(body, handler))
        _notify_agent(conn, uuid)
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
        return _out(_load(conn, uuid))


@router.post("/{uuid}/reject", response_model=QuestionOut)
def reject(uuid: str, body: RejectIn, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        _guarded_update(
            conn,
            uuid,
            handler,
            body.expected_version,
            {"status": "rejected", "reject_reason": body.reason},
        )
        _notify_agent(conn, uuid)
        return _out(_load(conn, uuid))


@router.post("/{uuid}/merge", response_model=QuestionOut)
def merge(uuid: str, body: MergeIn, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        target = _load(conn, body.into)
        while target.status == "merged" and target.merged_into:
            target = _load(conn, target.merged_into)
        if target.uuid == uuid:
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST,
                detail="cannot merge a question into itself / 不能合并到自身",
            )
        values: dict[str, Any] = {"status": "merged", "merged_into": target.uuid}
        if target.status == "answered":
            values.update(
                answer=target.answer,
                answered_by=target.answered_by,
                answered_at=target.answered_at,
                article_uuid=target.article_uuid,
            )
        _guarded_update(conn, uuid, handler, None, values)
        _notify_agent(conn, uuid)
        return _out(_load(conn, uuid))


@router.post("/{uuid}/link", response_model=QuestionOut)
def link(uuid: str, body: LinkIn, _handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        _load(conn, uuid)
        conn.execute(
            questions.update()
            .where(questions.c.uuid == uuid)
            .values(
                article_uuid=body.article_uuid,
                updated_at=stamp(),
                row_version=questions.c.row_version + 1,
            )
        )
        _notify_agent(conn, uuid)
        return _out(_load(conn, uuid))
