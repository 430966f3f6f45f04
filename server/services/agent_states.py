"""Agent state changes: every seat pushes its own; the supervisors' board reads each agent's
latest (by the time it began), and reports read the history. Agents see only their own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.roles import CALL_SUPERVISORS
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import insert_ignoring_duplicates, owned_or_foreign
from server.schemas import AgentStateIn, AgentStateOut, AgentStatePage, ItemAck, rejected_ack
from server.services.errors import Forbidden
from server.tables import agent_states, users

FOREIGN = [{"loc": ["uuid"], "msg": "belongs to another user / 该记录属于其他用户"}]
_SELECT = sa.select(
    agent_states, users.c.username.label("agent_name"), users.c.display_name
).select_from(agent_states.join(users, users.c.id == agent_states.c.agent_id))


def push(conn: Connection, user: CurrentUser, items: list[dict[str, Any]]) -> list[ItemAck]:
    """Idempotent by uuid (a change never changes); each item is acknowledged on its own."""
    results: list[ItemAck] = []
    now = stamp()
    for raw in items:
        try:
            item = AgentStateIn.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        values = item.model_dump()
        values.update(
            agent_id=user.id,
            started_at=stamp(item.started_at),
            previous_started_at=stamp(item.previous_started_at),
            received_at=now,
        )
        if insert_ignoring_duplicates(conn, agent_states, values, key="uuid"):
            results.append(ItemAck(uuid=item.uuid, status="stored"))
        elif owned_or_foreign(conn, agent_states, values, key="uuid", owner="agent_id") == (
            "duplicate"
        ):
            results.append(ItemAck(uuid=item.uuid, status="duplicate"))
        else:
            results.append(ItemAck(uuid=item.uuid, status="rejected", errors=FOREIGN))
    return results


def _out(row: Any) -> AgentStateOut:
    data = {
        name: getattr(row, name)
        for name in AgentStateOut.model_fields
        if name not in ("agent", "display_name")
    }
    return AgentStateOut(agent=row.agent_name, display_name=row.display_name, **data)


def _only_self(user: CurrentUser, agent: str | None) -> bool:
    """Whether the reader is limited to their own records (Forbidden if they asked for
    another's)."""
    if user.has(CALL_SUPERVISORS):
        return False
    if agent is not None and agent != user.username:
        raise Forbidden("agents see only their own states / 只能查看自己的状态")
    return True


def board(conn: Connection, user: CurrentUser, agent: str | None) -> list[AgentStateOut]:
    """Each enabled agent's latest state change (one index seek per agent)."""
    latest = agent_states.alias("latest")
    newest = (
        sa.select(latest.c.id)
        .where(latest.c.agent_id == users.c.id)
        .order_by(latest.c.started_at.desc(), latest.c.id.desc())
        .limit(1)
        .correlate(users)
        .scalar_subquery()
    )
    query = (
        sa.select(agent_states, users.c.username.label("agent_name"), users.c.display_name)
        .select_from(users.join(agent_states, agent_states.c.id == newest))
        .where(users.c.disabled == sa.false())
        .order_by(users.c.username)
    )
    if _only_self(user, agent):
        query = query.where(users.c.id == user.id)
    elif agent:
        query = query.where(users.c.username == agent)
    return [_out(r) for r in conn.execute(query).all()]


def history(
    conn: Connection,
    user: CurrentUser,
    *,
    agent: str | None,
    since: datetime | None,
    until: datetime | None,
    state: str | None,
    limit: int,
    offset: int,
) -> AgentStatePage:
    """Changes, newest first; `since` <= started_at < `until`."""
    conds = []
    if _only_self(user, agent):
        conds.append(agent_states.c.agent_id == user.id)
    elif agent:
        conds.append(users.c.username == agent)
    if since is not None:
        conds.append(agent_states.c.started_at >= stamp(since))
    if until is not None:
        conds.append(agent_states.c.started_at < stamp(until))
    if state:
        conds.append(agent_states.c.state == state)
    where = sa.and_(sa.true(), *conds)
    joined = agent_states.join(users, users.c.id == agent_states.c.agent_id)
    total = conn.execute(sa.select(sa.func.count()).select_from(joined).where(where)).scalar()
    rows = conn.execute(
        _SELECT.where(where)
        .order_by(agent_states.c.started_at.desc(), agent_states.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return AgentStatePage(items=[_out(r) for r in rows], total=int(total or 0))
