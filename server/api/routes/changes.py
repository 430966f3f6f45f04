"""The changes feed: GET /changes?since=N&limit=M, oldest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from server.api.deps import DbDep, SettingsDep, UserDep
from server.api.responses import AUTH
from server.schemas import MAX_ID, Change, ChangesOut
from server.services.changes_feed import read_changes

router = APIRouter(tags=["changes"], responses=AUTH)


@router.get("/changes", response_model=ChangesOut)
def get_changes(
    user: UserDep,
    db: DbDep,
    settings: SettingsDep,
    since: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> ChangesOut:
    limit = min(limit, settings.changes_page_max)
    with db.read() as conn:
        items, more, next_since = read_changes(conn, user.id, since, limit)
    return ChangesOut(changes=[Change(**c) for c in items], next_since=next_since, has_more=more)
