"""Searches that found nothing, over HTTP (logic in server/services/search_misses.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from common.roles import QUESTION_HANDLERS
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH
from server.core.identity import CurrentUser
from server.schemas import BatchIn, BatchOut, SearchMissOut
from server.services import search_misses as service

router = APIRouter(prefix="/search-misses", tags=["search misses"], responses=AUTH)
Handler = Annotated[CurrentUser, Depends(require(*QUESTION_HANDLERS))]


@router.post("/batch", response_model=BatchOut)
def push_misses(body: BatchIn, user: UserDep, db: DbDep) -> BatchOut:
    with db.write() as conn:
        return BatchOut(results=service.push(conn, user, body.items))


@router.get("", response_model=list[SearchMissOut])
def list_misses(
    _handler: Handler,
    db: DbDep,
    since: Annotated[str, Query(max_length=40)] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[SearchMissOut]:
    """Most frequent first: what the knowledge base most needs."""
    with db.read() as conn:
        return service.ranked(conn, since, limit)
