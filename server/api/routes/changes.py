"""The changes feed: GET /changes?since=N&limit=M, oldest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from server.api.deps import DbDep, SettingsDep, UserDep
from server.api.responses import AUTH
from server.core.db import Database
from server.schemas import MAX_ID, Change, ChangesOut
from server.services.changes_feed import read_changes
from server.services.instance import read_instance_id

router = APIRouter(tags=["changes"], responses=AUTH)


@router.get("/changes", response_model=ChangesOut)
def get_changes(
    request: Request,
    user: UserDep,
    db: DbDep,
    settings: SettingsDep,
    since: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> ChangesOut:
    limit = min(limit, settings.changes_page_max)
    with db.read() as conn:
        items, more, next_since = read_changes(conn, user.id, since, limit)
    return ChangesOut(
        changes=[Change(**c) for c in items],
        next_since=next_since,
        has_more=more,
        server_id=_instance_id(request, db),
    )


def _instance_id(request: Request, db: Database) -> str:
    """Read once per app: the id never changes while the database lives."""
    state = request.app.state
    instance: str | None = getattr(state, "instance_id", None)
    if instance is None:
        instance = state.instance_id = read_instance_id(db)
    return instance
