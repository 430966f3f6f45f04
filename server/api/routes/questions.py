"""Unanswered questions over HTTP (logic in server/services/questions.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from common.roles import QUESTION_HANDLERS
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, BAD_REQUEST, CONFLICT, NOT_FOUND
from server.core.identity import CurrentUser
from server.schemas import (
    MAX_ID,
    AnswerIn,
    BatchIn,
    BatchOut,
    LinkIn,
    MergeIn,
    QuestionGroup,
    QuestionOut,
    QuestionPage,
    QuestionStatus,
    RejectIn,
)
from server.services import questions as service

router = APIRouter(prefix="/questions", tags=["questions"], responses=AUTH)
Handler = Annotated[CurrentUser, Depends(require(*QUESTION_HANDLERS))]
Stamp = Annotated[str | None, Query(max_length=40)]


@router.post("/batch", response_model=BatchOut)
def push_batch(body: BatchIn, user: UserDep, db: DbDep) -> BatchOut:
    """Idempotent by the client's UUID; each item is acknowledged on its own, after commit."""
    with db.write() as conn:
        results = service.push(conn, user, body.items)
    return BatchOut(results=results)


@router.get("", response_model=QuestionPage)
def list_questions(
    user: UserDep,
    db: DbDep,
    status_: Annotated[QuestionStatus | None, Query(alias="status")] = None,
    business_line: Annotated[str | None, Query(max_length=32)] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    agent: Annotated[str | None, Query(max_length=64)] = None,
    since: Stamp = None,
    until: Stamp = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> QuestionPage:
    """Agents see their own questions only; handlers see everyone's. Newest received first;
    `since` <= created_at < `until`."""
    with db.read() as conn:
        return service.page(
            conn,
            user,
            status=status_,
            business_line=business_line,
            category=category,
            agent=agent,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )


@router.get("/groups", response_model=list[QuestionGroup])
def similar_groups(
    _user: Handler,
    db: DbDep,
    request: Request,
    business_line: Annotated[str | None, Query(max_length=32)] = None,
) -> list[QuestionGroup]:
    """Open questions grouped by similarity: answer a topic once, merge the rest into it."""
    with db.read() as conn:
        return service.similar_groups(conn, request.app.state.similarity_index, business_line)


@router.get("/{uuid}", response_model=QuestionOut, responses=NOT_FOUND)
def get_question(uuid: str, user: UserDep, db: DbDep) -> QuestionOut:
    with db.read() as conn:
        return service.get(conn, user, uuid)


@router.post("/{uuid}/claim", response_model=QuestionOut, responses=NOT_FOUND | CONFLICT)
def claim(uuid: str, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        return service.claim(conn, uuid, handler)


@router.post("/{uuid}/answer", response_model=QuestionOut, responses=NOT_FOUND | CONFLICT)
def answer(uuid: str, body: AnswerIn, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        return service.answer(conn, uuid, body, handler)


@router.post("/{uuid}/reject", response_model=QuestionOut, responses=NOT_FOUND | CONFLICT)
def reject(uuid: str, body: RejectIn, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        return service.reject(conn, uuid, body.reason, body.expected_version, handler)


@router.post(
    "/{uuid}/merge", response_model=QuestionOut, responses=NOT_FOUND | CONFLICT | BAD_REQUEST
)
def merge(uuid: str, body: MergeIn, handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        return service.merge(conn, uuid, body.into, handler)


@router.post("/{uuid}/link", response_model=QuestionOut, responses=NOT_FOUND)
def link(uuid: str, body: LinkIn, _handler: Handler, db: DbDep) -> QuestionOut:
    with db.write(appends_changes=True) as conn:
        return service.link(conn, uuid, body.article_uuid)
