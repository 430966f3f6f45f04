"""Each seat's live state (table seat_live) and the board built from it.

A seat posts its whole present state on every change ('event') and every HEARTBEAT_S seconds
('heartbeat'). The server keeps the latest per agent with its own time of receipt (last_seen);
the board calls a seat 'lost' when that is LOST_AFTER_S old. Rows also carry today's figures
(China-time day): calls answered, their average handling time, time in after-call work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.numbers import mask
from common.supervision import LOST_AFTER_S, Board, BoardCall, BoardRow, SeatReport
from common.timestamps import iso, parse, seconds_between
from server.core.identity import CurrentUser
from server.core.statements import insert_ignoring_duplicates
from server.services.outbound.calendar import china_day, china_midnight
from server.services.supervision.teams import list_teams, visible_teams
from server.tables import agent_states, call_records, seat_live, teams, users

ACW = "after_call_work"
# The live columns a report sets; a report that changes none of them is only a heartbeat.
_LIVE = (
    "state",
    "reason",
    "state_since",
    "call_uuid",
    "call_direction",
    "call_started_at",
    "call_answered_at",
    "call_queue",
    "call_campaign",
    "call_number",
    "sip_uri",
)


@dataclass(frozen=True)
class Reported:
    """What one report did: `row` is the agent's new board row when something changed (the
    board must hear of it), None for a plain heartbeat."""

    agent_id: int
    last_seen: str
    row: BoardRow | None


def _values(report: SeatReport) -> dict[str, Any]:
    call = report.call
    return {
        "state": report.state,
        "reason": report.reason,
        "state_since": iso(report.state_since),
        "call_uuid": call.call_uuid.lower() if call else "",
        "call_direction": call.direction if call else "",
        "call_started_at": iso(call.started_at) if call else None,
        "call_answered_at": iso(call.answered_at) if call and call.answered_at else None,
        "call_queue": call.queue if call else "",
        "call_campaign": call.campaign if call else "",
        # Only ever kept masked: the board is for watching, not for dialling customers.
        "call_number": mask(call.number) if call and call.number else "",
        "sip_uri": report.sip_uri,
    }


def report(conn: Connection, user: CurrentUser, body: SeatReport, now: datetime) -> Reported:
    """Keep `user`'s report. A change, the first report, or a report after the seat had been
    lost gives the new row; an unchanged heartbeat only moves last_seen."""
    values = _values(body)
    seen = iso(now)
    # Locked (PostgreSQL) so a heartbeat and an event of one seat arriving together do not
    # both read the old row; the first report of a seat inserts, whoever comes first.
    stored = conn.execute(
        sa.select(seat_live).where(seat_live.c.agent_id == user.id).with_for_update()
    ).first()
    first = {"agent_id": user.id, "last_seen": seen, "changed_at": seen, "version": 1, **values}
    if stored is None and insert_ignoring_duplicates(conn, seat_live, first, key="agent_id"):
        changed = True
    else:
        if stored is None:
            stored = conn.execute(
                sa.select(seat_live).where(seat_live.c.agent_id == user.id).with_for_update()
            ).one()
        was_lost = seconds_between(parse(stored.last_seen), now) >= LOST_AFTER_S
        changed = was_lost or any(getattr(stored, key) != values[key] for key in _LIVE)
        update: dict[str, Any] = {"last_seen": seen}
        if changed:
            update.update(values, changed_at=seen, version=int(stored.version) + 1)
        conn.execute(seat_live.update().where(seat_live.c.agent_id == user.id).values(**update))
    if not changed:
        return Reported(user.id, seen, None)
    rows = board_rows(conn, now, agent_ids={user.id})
    return Reported(user.id, seen, rows[0] if rows else None)


# -- the board ------------------------------------------------------------------------------------
def _day_bounds(now: datetime) -> tuple[str, str]:
    day = china_day(now)
    return iso(china_midnight(day)), iso(china_midnight(day + timedelta(days=1)))


def _figures(
    conn: Connection, now: datetime, agent_ids: set[int] | None
) -> tuple[dict[int, tuple[int, float]], dict[int, float]]:
    """Per agent today: (calls answered, average handling time) and finished wrap-up seconds."""
    start, end = _day_bounds(now)
    handled = call_records.c.talk_seconds + call_records.c.hold_seconds + call_records.c.acw_seconds
    calls_q = (
        sa.select(call_records.c.agent_id, sa.func.count(), sa.func.avg(handled))
        .where(
            call_records.c.started_at >= start,
            call_records.c.started_at < end,
            call_records.c.answered_at.is_not(None),
        )
        .group_by(call_records.c.agent_id)
    )
    # A wrap-up is counted on the day it ended (the change out of it), whole.
    acw_q = (
        sa.select(agent_states.c.agent_id, sa.func.sum(agent_states.c.previous_seconds))
        .where(
            agent_states.c.previous_state == ACW,
            agent_states.c.started_at >= start,
            agent_states.c.started_at < end,
        )
        .group_by(agent_states.c.agent_id)
    )
    if agent_ids is not None:
        calls_q = calls_q.where(call_records.c.agent_id.in_(agent_ids))
        acw_q = acw_q.where(agent_states.c.agent_id.in_(agent_ids))
    calls = {int(a): (int(n), float(avg or 0.0)) for a, n, avg in conn.execute(calls_q).all()}
    acw = {int(a): float(total or 0.0) for a, total in conn.execute(acw_q).all()}
    return calls, acw


def board_rows(
    conn: Connection,
    now: datetime,
    *,
    team_ids: set[int] | None = None,
    agent_ids: set[int] | None = None,
) -> list[BoardRow]:
    """Rows of the enabled agents (and of anyone else whose seat reports), by team then name.
    `team_ids` None: every team and the agents without one."""
    query = (
        sa.select(
            users.c.id,
            users.c.username,
            users.c.display_name,
            users.c.role,
            users.c.team_id,
            teams.c.name.label("team_name"),
            seat_live,
        )
        .select_from(
            users.outerjoin(seat_live, seat_live.c.agent_id == users.c.id).outerjoin(
                teams, teams.c.id == users.c.team_id
            )
        )
        .where(
            users.c.disabled == sa.false(),
            sa.or_(users.c.role == "agent", seat_live.c.agent_id.is_not(None)),
        )
        .order_by(teams.c.name, users.c.username)
    )
    if team_ids is not None:
        query = query.where(users.c.team_id.in_(team_ids))
    if agent_ids is not None:
        query = query.where(users.c.id.in_(agent_ids))
    records = conn.execute(query).all()
    calls, acw = _figures(conn, now, {r.id for r in records} if agent_ids is not None else None)
    start = parse(_day_bounds(now)[0])
    return [_row(r, now, start, calls.get(r.id, (0, 0.0)), acw.get(r.id, 0.0)) for r in records]


def _row(
    r: Any, now: datetime, day_start: datetime, calls: tuple[int, float], acw_done: float
) -> BoardRow:
    row = BoardRow(
        agent_id=r.id,
        agent=r.username,
        display_name=r.display_name,
        role=r.role,
        team_id=r.team_id,
        team=r.team_name or "",
        calls_today=calls[0],
        aht_today_s=round(calls[1], 1),
        acw_today_s=round(acw_done, 1),
        at=iso(now),
    )
    if r.agent_id is None:
        return row
    since = parse(r.state_since)
    row.presence = "lost" if seconds_between(parse(r.last_seen), now) >= LOST_AFTER_S else "live"
    row.state = r.state
    row.reason = r.reason
    row.state_since = r.state_since
    row.state_seconds = seconds_between(since, now)
    row.last_seen = r.last_seen
    row.sip_uri = r.sip_uri or ""
    if r.state == ACW:  # the wrap-up going on counts too (from midnight if it began before)
        row.acw_today_s = round(acw_done + seconds_between(max(since, day_start), now), 1)
    if r.call_uuid:
        row.call = BoardCall(
            call_uuid=r.call_uuid,
            direction=r.call_direction,
            started_at=r.call_started_at,
            answered_at=r.call_answered_at,
            queue=r.call_queue,
            campaign=r.call_campaign,
            number=r.call_number,
            duration_s=seconds_between(parse(r.call_started_at), now),
        )
    return row


def board(conn: Connection, user: CurrentUser, now: datetime) -> Board:
    """The board as `user` may see it: their own team, or every team for the manager."""
    allowed = visible_teams(conn, user)
    shown = [t for t in list_teams(conn) if allowed is None or t.id in allowed]
    return Board(
        at=iso(now),
        lost_after_s=LOST_AFTER_S,
        teams=shown,
        agents=board_rows(conn, now, team_ids=allowed),
    )


def live_call(conn: Connection, agent_id: int) -> tuple[str, str] | None:
    """(call_uuid, last_seen) of the agent's live seat, when it shows a call."""
    row = conn.execute(
        sa.select(seat_live.c.call_uuid, seat_live.c.last_seen).where(
            seat_live.c.agent_id == agent_id
        )
    ).first()
    if row is None or not row.call_uuid:
        return None
    return str(row.call_uuid), str(row.last_seen)


def encode_row(row: BoardRow) -> str:
    return json.dumps(row.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
