"""Appending to and reading the changes feed that every client mirrors."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.core.security import stamp
from server.tables import changes


def append_change(
    conn: Connection,
    kind: str,
    entity_uuid: str,
    payload: dict[str, Any],
    audience_user_id: int | None = None,
) -> int:
    """Record a change in the caller's transaction (opened with appends_changes=True)."""
    result = conn.execute(
        changes.insert().values(
            kind=kind,
            entity_uuid=entity_uuid,
            audience_user_id=audience_user_id,
            payload=json.dumps(payload, ensure_ascii=False),
            created_at=stamp(),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def read_changes(
    conn: Connection, user_id: int, since: int, limit: int
) -> tuple[list[dict[str, Any]], bool, int]:
    """Changes after `since` that this user may see, oldest first; whether more remain; and
    where the next read starts.

    The upper bound is read first and the page is cut at it: a change that commits while this
    runs is left for the next read instead of being skipped over. Changes commit in sequence
    order (see Database.write), so everything up to the bound is already visible.
    """
    latest = int(conn.execute(sa.select(sa.func.max(changes.c.seq))).scalar() or 0)
    rows = conn.execute(
        sa.select(changes.c.seq, changes.c.kind, changes.c.entity_uuid, changes.c.payload)
        .where(changes.c.seq > since)
        .where(changes.c.seq <= latest)
        .where(sa.or_(changes.c.audience_user_id.is_(None), changes.c.audience_user_id == user_id))
        .order_by(changes.c.seq)
        .limit(limit + 1)
    ).all()
    out = [
        {"seq": r.seq, "kind": r.kind, "uuid": r.entity_uuid, "data": json.loads(r.payload)}
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    # Past the last change shown; with nothing (more) for this user, past others' changes too.
    next_since = out[-1]["seq"] if more else max(since, latest)
    return out, more, next_since
