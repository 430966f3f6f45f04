"""Searches that found nothing, pushed by every client, listed for the supervisor."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query
from pydantic import ValidationError

from server.api.deps import CurrentUser, DbDep, UserDep, require
from server.core.security import QUESTION_HANDLERS, stamp
from server.db_helpers import insert_ignoring_duplicates
from server.schemas import BatchIn, BatchOut, ItemAck, SearchMissIn, SearchMissOut
from server.tables import search_misses

router = APIRouter(prefix="/search-misses", tags=["search misses"])
Handler = Annotated[CurrentUser, Depends(require(*QUESTION_HANDLERS))]


@router.post("/batch", response_model=BatchOut)
def push_misses(body: BatchIn, user: UserDep, db: DbDep) -> BatchOut:
    results: list[ItemAck] = []
    with db.write() as conn:
        for raw in body.items:
            try:
                item = SearchMissIn.model_validate(raw)
            except ValidationError as exc:
                errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
                results.append(
                    ItemAck(uuid=str(raw.get("uuid", ""))[:64], status="rejected", errors=errors)
                )
                continue
            stored = insert_ignoring_duplicates(
                conn,
                search_misses,
                {
                    "uuid": item.uuid,
                    "agent_id": user.id,
                    "query": item.query,
                    "created_at": item.created_at or stamp(),
                },
                key="uuid",
            )
            results.append(ItemAck(uuid=item.uuid, status="stored" if stored else "duplicate"))
    return BatchOut(results=results)


@router.get("", response_model=list[SearchMissOut])
def list_misses(
    _handler: Handler,
    db: DbDep,
    since: str = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[SearchMissOut]:
    """Most frequent first: what the knowledge base most needs."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                search_misses.c.query,
                sa.func.count().label("times"),
                sa.func.count(sa.distinct(search_misses.c.agent_id)).label("agents"),
                sa.func.max(search_misses.c.created_at).label("last_at"),
            )
            .where(search_misses.c.created_at >= since)
            .group_by(search_misses.c.query)
            .order_by(sa.desc("times"), sa.desc("last_at"))
            .limit(limit)
        ).all()
    return [
        SearchMissOut(query=r.query, times=r.times, agents=r.agents, last_at=r.last_at)
        for r in rows
    ]
