"""The changes feed: GET /changes?since=N&limit=M, oldest first."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query

from server.api.deps import DbDep, SettingsDep, UserDep
from server.changes_feed import read_changes
from server.schemas import Change, ChangesOut
from server.tables import changes

router = APIRouter(tags=["changes"])


@router.get("/changes", response_model=ChangesOut)
def get_changes(
    user: UserDep,
    db: DbDep,
    settings: SettingsDep,
    since: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> ChangesOut:
    limit = min(limit, settings.changes_page_max)
    with db.read() as conn:
        items, more = read_changes(conn, user.id, since, limit)
        if items:
            next_since = items[-1]["seq"]
        else:
            # Nothing for this user: skip ahead over others' changes. Safe because changes
            # commit in sequence order (see Database.write).
            latest = conn.execute(sa.select(sa.func.max(changes.c.seq))).scalar()
            next_since = max(since, int(latest or 0))
    return ChangesOut(changes=[Change(**c) for c in items], next_since=next_since, has_more=more)
