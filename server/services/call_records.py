"""Call records: every seat pushes its own; team leaders, supervisors and managers read all.

A record is pushed when the call ends and again after wrap-up, with the same uuid and a higher
version: the highest version is kept, an equal or lower one is a 'duplicate'. The agent is the
session's user; a uuid another agent already holds is refused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.roles import CALL_SUPERVISORS
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import upsert_newer
from server.schemas import CallIn, CallOut, CallPage, ItemAck, rejected_ack
from server.services.errors import Forbidden
from server.tables import call_records, users

FOREIGN = [{"loc": ["uuid"], "msg": "belongs to another user / 该记录属于其他用户"}]


def _values(item: CallIn, user: CurrentUser, now: str) -> dict[str, Any]:
    values = item.model_dump(exclude={"started_at", "answered_at", "ended_at"})
    values.update(
        agent_id=user.id,
        started_at=stamp(item.started_at),
        answered_at=stamp(item.answered_at) if item.answered_at else None,
        ended_at=stamp(item.ended_at),
        received_at=now,
        updated_at=now,
    )
    return values


def push(conn: Connection, user: CurrentUser, items: list[dict[str, Any]]) -> list[ItemAck]:
    """Idempotent by uuid, newest version wins; each item is acknowledged on its own."""
    results: list[ItemAck] = []
    now = stamp()
    for raw in items:
        try:
            item = CallIn.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        outcome = upsert_newer(conn, call_records, _values(item, user, now))
        if outcome == "foreign":
            results.append(ItemAck(uuid=item.uuid, status="rejected", errors=FOREIGN))
        else:
            stored = outcome == "stored"
            results.append(ItemAck(uuid=item.uuid, status="stored" if stored else "duplicate"))
    return results


def _out(row: Any) -> CallOut:
    data = {
        name: getattr(row, name)
        for name in CallOut.model_fields
        if name not in ("agent", "handle_seconds")
    }
    data["handle_seconds"] = round(row.talk_seconds + row.hold_seconds + row.acw_seconds, 3)
    return CallOut(agent=row.agent_name, **data)


def page(
    conn: Connection,
    user: CurrentUser,
    *,
    agent: str | None,
    since: datetime | None,
    until: datetime | None,
    direction: str | None,
    end_reason: str | None,
    queue: str | None,
    campaign: str | None,
    limit: int,
    offset: int,
) -> CallPage:
    """Newest first; `since` <= started_at < `until`. Agents see their own calls only."""
    conds = []
    if not user.has(CALL_SUPERVISORS):
        if agent is not None and agent != user.username:
            raise Forbidden("agents see only their own calls / 只能查看自己的通话记录")
        conds.append(call_records.c.agent_id == user.id)
    elif agent:
        conds.append(users.c.username == agent)
    if since is not None:
        conds.append(call_records.c.started_at >= stamp(since))
    if until is not None:
        conds.append(call_records.c.started_at < stamp(until))
    if direction:
        conds.append(call_records.c.direction == direction)
    if end_reason:
        conds.append(call_records.c.end_reason == end_reason)
    if queue:
        conds.append(call_records.c.queue == queue)
    if campaign:
        conds.append(call_records.c.campaign == campaign)
    where = sa.and_(sa.true(), *conds)
    joined = call_records.join(users, users.c.id == call_records.c.agent_id)
    total = conn.execute(sa.select(sa.func.count()).select_from(joined).where(where)).scalar()
    rows = conn.execute(
        sa.select(call_records, users.c.username.label("agent_name"))
        .select_from(joined)
        .where(where)
        .order_by(call_records.c.started_at.desc(), call_records.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return CallPage(items=[_out(r) for r in rows], total=int(total or 0))
