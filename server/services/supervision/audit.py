"""The monitoring audit (table monitor_audit): grants issued and refused, monitoring sessions
as the supervisor's client reports them (start, mode switches, end), and monitor calls an
agent's seat refused (with its verify reason). Read by the manager only."""

from __future__ import annotations

import json
import uuid as uuidlib
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.monitor_grants import Grant
from common.roles import CALL_SUPERVISORS
from common.supervision import (
    AuditEntry,
    AuditPage,
    ModeSpan,
    MonitorRejection,
    MonitorSessionEvent,
)
from common.timestamps import iso, parse, seconds_between
from server.core.identity import CurrentUser
from server.schemas import ItemAck, rejected_ack
from server.services.errors import Forbidden
from server.tables import monitor_audit, users

Status = Literal["stored", "duplicate", "rejected"]
FOREIGN = [{"loc": ["session"], "msg": "belongs to another user / 该记录属于其他用户"}]


def _user_id(conn: Connection, username: str) -> int | None:
    if not username:
        return None
    value = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar()
    return int(value) if value is not None else None


def _username(conn: Connection, user_id: int | None) -> str:
    if user_id is None:
        return ""
    return str(conn.execute(sa.select(users.c.username).where(users.c.id == user_id)).scalar())


def grant_issued(
    conn: Connection, user: CurrentUser, agent_id: int, grant: Grant, now: datetime
) -> None:
    conn.execute(
        monitor_audit.insert().values(
            uuid=str(uuidlib.uuid4()),
            kind="grant_issued",
            actor_id=user.id,
            actor_name=user.username,
            target_id=agent_id,
            target_name=grant.agent,
            call_id=grant.call_id,
            grant_id=grant.grant_id,
            mode=grant.mode,
            at=iso(now),
            received_at=iso(now),
        )
    )


def grant_refused(
    conn: Connection,
    user: CurrentUser,
    *,
    agent: str,
    call_id: str,
    mode: str,
    reason: str,
    target_id: int | None,
    now: datetime,
) -> None:
    """Who asked, for whom, and why not (GrantRefused.reason)."""
    if target_id is None:
        target_id = _user_id(conn, agent)
    conn.execute(
        monitor_audit.insert().values(
            uuid=str(uuidlib.uuid4()),
            kind="grant_refused",
            actor_id=user.id,
            actor_name=user.username,
            target_id=target_id,
            target_name=agent[:64],
            call_id=call_id[:64],
            mode=mode[:16],
            reason=reason,
            at=iso(now),
            received_at=iso(now),
        )
    )


# -- sessions (the supervisor's client) -----------------------------------------------------------
def sessions(
    conn: Connection, user: CurrentUser, items: list[dict[str, Any]], now: datetime
) -> list[ItemAck]:
    """Each report applied once (by its uuid) to its session's row."""
    if user.role not in CALL_SUPERVISORS:
        raise Forbidden(f"role '{user.role}' does not monitor calls / 当前角色不监听通话")
    results: list[ItemAck] = []
    for raw in items:
        try:
            event = MonitorSessionEvent.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        status = _apply(conn, user, event, now)
        errors = FOREIGN if status == "rejected" else []
        results.append(ItemAck(uuid=event.uuid, status=status, errors=errors))
    return results


def _apply(
    conn: Connection, user: CurrentUser, event: MonitorSessionEvent, now: datetime
) -> Status:
    at = iso(event.at)
    row = conn.execute(
        sa.select(monitor_audit).where(monitor_audit.c.uuid == event.session.lower())
    ).first()
    if row is None:
        conn.execute(
            monitor_audit.insert().values(
                uuid=event.session.lower(),
                kind="session",
                actor_id=user.id,
                actor_name=user.username,
                target_id=_user_id(conn, event.agent),
                target_name=event.agent,
                call_id=event.call_id.lower(),
                grant_id=event.grant_id,
                mode=event.mode,
                at=at,
                reported_by=user.id,
                received_at=iso(now),
            )
        )
        row = conn.execute(
            sa.select(monitor_audit).where(monitor_audit.c.uuid == event.session.lower())
        ).one()
    if row.kind != "session" or row.reported_by != user.id:
        return "rejected"
    applied: list[str] = json.loads(row.events)
    if event.uuid.lower() in applied:
        return "duplicate"
    applied.append(event.uuid.lower())
    modes: list[dict[str, str]] = json.loads(row.modes)
    values: dict[str, Any] = {"events": json.dumps(applied)}
    start = min(parse(row.at), event.at)  # reports may arrive out of order
    if event.kind in ("started", "mode") and event.mode:
        modes.append({"mode": event.mode, "at": at})
        modes.sort(key=lambda span: span["at"])
        values["modes"] = json.dumps(modes)
        values["mode"] = modes[-1]["mode"]
    if event.kind == "started":
        values["grant_id"] = event.grant_id or row.grant_id
    if event.kind in ("ended", "failed"):
        values["ended_at"] = at
        values["reason"] = event.reason
    values["at"] = iso(start)
    ended = values.get("ended_at", row.ended_at)
    if ended:
        values["duration_s"] = seconds_between(start, parse(ended))
    conn.execute(monitor_audit.update().where(monitor_audit.c.id == row.id).values(**values))
    return "stored"


# -- rejections (the agent's client) --------------------------------------------------------------
def rejections(
    conn: Connection, user: CurrentUser, items: list[dict[str, Any]], now: datetime
) -> list[ItemAck]:
    """Monitor calls the reporting user's seat refused; idempotent by uuid."""
    results: list[ItemAck] = []
    for raw in items:
        try:
            item = MonitorRejection.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        found = conn.execute(
            sa.select(monitor_audit.c.reported_by).where(monitor_audit.c.uuid == item.uuid.lower())
        ).first()
        if found is not None:
            status: Status = "duplicate" if found.reported_by == user.id else "rejected"
            results.append(ItemAck(uuid=item.uuid, status=status))
            continue
        conn.execute(
            monitor_audit.insert().values(
                uuid=item.uuid.lower(),
                kind="rejected",
                actor_id=_user_id(conn, item.supervisor),
                actor_name=item.supervisor,
                target_id=user.id,
                target_name=user.username,
                call_id=item.call_id,
                grant_id=item.grant_id,
                mode=item.mode[:16],
                reason=item.reason if item.kind == "refused" else f"switch:{item.reason}",
                remote_uri=item.remote_uri,
                at=iso(item.at),
                reported_by=user.id,
                received_at=iso(now),
            )
        )
        results.append(ItemAck(uuid=item.uuid, status="stored"))
    return results


# -- reading ----------------------------------------------------------------------------------------
def read(
    conn: Connection,
    *,
    since: datetime | None,
    until: datetime | None,
    user: str | None,
    kind: str | None,
    limit: int,
    offset: int,
) -> AuditPage:
    """Entries newest first; `since` <= at < `until`; `user` is the actor or the target."""
    conds: list[Any] = []
    if since is not None:
        conds.append(monitor_audit.c.at >= iso(since))
    if until is not None:
        conds.append(monitor_audit.c.at < iso(until))
    if user:
        conds.append(
            sa.or_(monitor_audit.c.actor_name == user, monitor_audit.c.target_name == user)
        )
    if kind:
        conds.append(monitor_audit.c.kind == kind)
    where = sa.and_(sa.true(), *conds)
    total = conn.execute(sa.select(sa.func.count()).select_from(monitor_audit).where(where))
    rows = conn.execute(
        sa.select(monitor_audit)
        .where(where)
        .order_by(monitor_audit.c.at.desc(), monitor_audit.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    reporters = {r.reported_by for r in rows if r.reported_by is not None}
    names = {uid: _username(conn, uid) for uid in reporters}
    return AuditPage(items=[_entry(r, names) for r in rows], total=int(total.scalar() or 0))


def _entry(r: Any, names: dict[int, str]) -> AuditEntry:
    return AuditEntry(
        id=r.id,
        kind=r.kind,
        actor=r.actor_name,
        actor_id=r.actor_id,
        target=r.target_name,
        target_id=r.target_id,
        call_id=r.call_id,
        grant_id=r.grant_id,
        mode=r.mode,
        reason=r.reason,
        remote_uri=r.remote_uri,
        at=r.at,
        ended_at=r.ended_at,
        duration_s=r.duration_s,
        modes=[ModeSpan(**span) for span in json.loads(r.modes)],
        reported_by=names.get(r.reported_by, "") if r.reported_by is not None else "",
    )
