"""Searches that found nothing: pushed by every client, ranked for whoever writes articles."""

from __future__ import annotations

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import insert_ignoring_duplicates
from server.schemas import ItemAck, SearchMissIn, SearchMissOut, rejected_ack
from server.tables import search_misses


def push(conn: Connection, user: CurrentUser, items: list[dict[str, object]]) -> list[ItemAck]:
    results: list[ItemAck] = []
    for raw in items:
        try:
            item = SearchMissIn.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        stored = insert_ignoring_duplicates(
            conn,
            search_misses,
            {
                "uuid": item.uuid,
                "agent_id": user.id,
                "query": item.query,
                "created_at": stamp(item.created_at) if item.created_at else stamp(),
            },
            key="uuid",
        )
        results.append(ItemAck(uuid=item.uuid, status="stored" if stored else "duplicate"))
    return results


def ranked(conn: Connection, since: str, limit: int) -> list[SearchMissOut]:
    """Most frequent first: what the knowledge base most needs."""
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
