"""Call records over HTTP (logic in server/services/call_records.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from server.api.deps import DbDep, UserDep
from server.api.responses import AUTH
from server.schemas import MAX_ID, BatchIn, BatchOut, CallPage, Direction, EndReason, Moment
from server.services import call_records as service

router = APIRouter(prefix="/calls", tags=["calls"], responses=AUTH)


@router.post("/batch", response_model=BatchOut)
def push_calls(body: BatchIn, user: UserDep, db: DbDep) -> BatchOut:
    """Idempotent by uuid, newest version wins; each item is acknowledged on its own."""
    with db.write() as conn:
        return BatchOut(results=service.push(conn, user, body.items))


@router.get("", response_model=CallPage)
def list_calls(
    user: UserDep,
    db: DbDep,
    agent: Annotated[str | None, Query(max_length=64)] = None,
    since: Moment | None = None,
    until: Moment | None = None,
    direction: Direction | None = None,
    end_reason: EndReason | None = None,
    queue: Annotated[str | None, Query(max_length=64)] = None,
    campaign: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> CallPage:
    """Newest first; `since` <= started_at < `until`. Agents see their own calls only."""
    with db.read() as conn:
        return service.page(
            conn,
            user,
            agent=agent,
            since=since,
            until=until,
            direction=direction,
            end_reason=end_reason,
            queue=queue,
            campaign=campaign,
            limit=limit,
            offset=offset,
        )
