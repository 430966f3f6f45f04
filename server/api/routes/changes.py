"""The changes feed: GET /changes?since=N&limit=M&wait=S, oldest first.

With `wait` (seconds, at most MAX_WAIT_S) a reader with nothing newer than `since` is answered
when a change for it commits, or when the wait ends with an empty page, whichever comes first:
a desktop sees an approved article within moments instead of at its next pull. The wait is an
asyncio future, not a thread: hundreds of waiting readers leave the thread pool to the other
routes. Without `wait` (0) the page is answered at once, as before.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from server.api.deps import DbDep, SettingsDep, UserDep
from server.api.responses import AUTH
from server.core.db import Database
from server.schemas import MAX_ID, Change, ChangesOut
from server.services.changes_feed import ChangeSignal, read_changes
from server.services.instance import read_instance_id

router = APIRouter(tags=["changes"], responses=AUTH)

MAX_WAIT_S = 30


@router.get("/changes", response_model=ChangesOut)
async def get_changes(
    request: Request,
    user: UserDep,
    db: DbDep,
    settings: SettingsDep,
    since: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    wait: Annotated[int, Query(ge=0, le=MAX_WAIT_S)] = 0,
) -> ChangesOut:
    limit = min(limit, settings.changes_page_max)
    signal = _signal(request, db)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        # Taken before the read: a change committing between the read and the wait wakes it.
        waiter = signal.waiter() if wait and not signal.closing else None
        try:
            items, more, next_since, instance = await run_in_threadpool(
                _read, request, db, user.id, since, limit
            )
            remaining = deadline - loop.time()
            if items or more or waiter is None or remaining <= 0:
                break
            # Woken or timed out, read again: a timeout answers the empty page with the current
            # next_since, and a change for someone else sends us back to waiting.
            await asyncio.wait({waiter}, timeout=remaining)
            if signal.closing:
                waiter = None  # the host is stopping: answer what there is now
        finally:
            if waiter is not None:
                signal.discard(waiter)
    return ChangesOut(
        changes=[Change(**c) for c in items],
        next_since=next_since,
        has_more=more,
        server_id=instance,
    )


def _read(
    request: Request, db: Database, user_id: int, since: int, limit: int
) -> tuple[list[dict[str, Any]], bool, int, str]:
    with db.read() as conn:
        items, more, next_since = read_changes(conn, user_id, since, limit)
    return items, more, next_since, _instance_id(request, db)


def _signal(request: Request, db: Database) -> ChangeSignal:
    """The app's signal (made by create_app; made here for hosts that build the app without it)."""
    state = request.app.state
    signal: ChangeSignal | None = getattr(state, "changes_signal", None)
    if signal is None:
        signal = state.changes_signal = ChangeSignal(db)
    return signal


def _instance_id(request: Request, db: Database) -> str:
    """Read once per app: the id never changes while the database lives."""
    state = request.app.state
    instance: str | None = getattr(state, "instance_id", None)
    if instance is None:
        instance = state.instance_id = read_instance_id(db)
    return instance
