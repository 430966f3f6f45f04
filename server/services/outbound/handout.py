"""The record hand-out ("next record for this agent") and its locks.

In order (docs/outbound.md):
0. a record this agent holds already (a repeated request, a reply lost on the way) comes back,
   its lock renewed, so an agent never holds two;
1. this agent's due callbacks, then due callbacks open to anyone ('anyone' campaigns, after the
   hand-over delay), oldest due first;
2. outside calling hours or on a closed day nothing else is handed out (the reason says which);
3. a number on a do-not-call list (global or the campaign's) is marked 'dnc' and skipped;
4. records whose due time has come: retries by due time first (so the 4-hour rhythm holds
   however long the list), then records never tried, in list order.

The record is locked to the agent until now + LOCK_MINUTES; the agent renews while working it,
releases it or posts the attempt. A lock past its time is free: a crashed client's records come
back by themselves. PostgreSQL takes the candidate row with FOR UPDATE SKIP LOCKED, so agents
asking at once pass each other's candidates instead of queueing on them; SQLite has one writer
(the Database's write lock and BEGIN IMMEDIATE), and the UPDATE is conditional on the lock
being free in both, so a record is never handed to two agents.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from common.numbers import mask
from common.outbound import (
    Callback,
    CallingHours,
    Campaign,
    CampaignRecord,
    LockReply,
    NextRecordReply,
)
from common.timestamps import iso
from server.core.identity import CurrentUser
from server.services.errors import Conflict, NotFound
from server.services.outbound.calendar import WorkCalendar
from server.services.outbound.campaigns import ACTIVE, MANAGERS, get_campaign
from server.services.outbound.retry import PENDING
from server.tables import campaign_records, campaigns, dnc_numbers

LOCK_MINUTES = 15
GLOBAL = 0  # dnc_numbers.campaign_id of the global list
# At most this many do-not-call numbers are skipped in one request (each is marked, so the
# next request goes on where this one stopped).
MAX_SKIPS = 200

c = campaign_records.c


def masks_for(user: CurrentUser) -> bool:
    """Whether `user` sees masked numbers in a campaign that masks them (agents do)."""
    return user.role not in MANAGERS


def to_record(row: Row[Any], masked: bool) -> CampaignRecord:
    try:
        fields = json.loads(row.fields or "{}")
    except ValueError:
        fields = {}
    return CampaignRecord(
        id=row.id,
        campaign_id=row.campaign_id,
        row_number=row.row_number,
        name=row.name,
        phone=mask(row.phone_key) if masked else row.phone,
        dial_number=row.phone_key,
        phone_masked=masked,
        fields={str(k): "" if v is None else str(v) for k, v in fields.items()},
        status=row.status,
        attempts_total=row.attempts_total,
        attempts_today=row.attempts_today,
        due_at=row.due_at,
        callback_agent_id=row.callback_agent_id,
        callback_open_at=row.callback_open_at,
        locked_by=row.locked_by,
        locked_until=row.locked_until,
        last_outcome=row.last_outcome,
        updated_at=row.updated_at,
    )


def on_dnc(conn: Connection, phone_key: str, campaign_id: int) -> bool:
    found = conn.execute(
        sa.select(dnc_numbers.c.id)
        .where(
            dnc_numbers.c.phone_key == phone_key,
            dnc_numbers.c.campaign_id.in_((GLOBAL, campaign_id)),
        )
        .limit(1)
    ).first()
    return found is not None


# The hand-out's statements, written once as SQL: built per request with SQLAlchemy's
# expression language they cost several times what SQLite takes to run them (profiled: 2,000
# statements, 0.04 s in sqlite3 and ~0.5 s building and caching expressions). 'pending' is a
# literal so PostgreSQL plans each statement for it, whatever the parameters.
_COLUMNS = ", ".join(column.name for column in campaign_records.columns)
_FREE = "(locked_until IS NULL OR locked_until <= :now)"
_PENDING = (
    f"SELECT {_COLUMNS} FROM campaign_records WHERE campaign_id = :campaign AND status = 'pending'"
)
# Ordered by the whole key of campaign_records_due: with the filters this is (due_at, id) and
# (id), and the planner reads that index in order instead of sorting every due record (IS NULL
# does not count as an equality for PostgreSQL's ordering).
_INDEX_ORDER = "ORDER BY campaign_id, status, callback_agent_id, due_at, id"
_CALLBACKS = (
    # (1) this agent's due callbacks
    f"{_PENDING} AND callback_agent_id = :agent AND due_at <= :now AND {_FREE}"
    " ORDER BY due_at, id LIMIT 1",
    # (1) others' callbacks handed over to anyone
    f"{_PENDING} AND callback_agent_id IS NOT NULL AND callback_agent_id <> :agent"
    f" AND callback_open_at <= :now AND {_FREE} ORDER BY due_at, id LIMIT 1",
)
_DUE = (
    # (4) retries whose time has come, then records never tried
    f"{_PENDING} AND callback_agent_id IS NULL AND due_at IS NOT NULL AND due_at <= :now"
    f" AND {_FREE} {_INDEX_ORDER} LIMIT 1",
    f"{_PENDING} AND callback_agent_id IS NULL AND due_at IS NULL AND {_FREE} {_INDEX_ORDER} LIMIT 1",
)
_SKIP_LOCKED = " FOR UPDATE SKIP LOCKED"
_STATEMENTS = {
    (text, skip): sa.text(text + (_SKIP_LOCKED if skip else ""))
    for text in _CALLBACKS + _DUE
    for skip in (False, True)
}
_HELD = sa.text(
    "UPDATE campaign_records SET locked_until = :until WHERE locked_by = :agent"
    " AND campaign_id = :campaign AND locked_until > :now AND status = 'pending'"
    f" RETURNING {_COLUMNS}"
)
_TAKE = sa.text(
    "UPDATE campaign_records SET locked_by = :agent, locked_until = :until, updated_at = :now"
    f" WHERE id = :id AND status = 'pending' AND {_FREE} RETURNING {_COLUMNS}"
)
_ON_DNC = sa.text(
    "SELECT 1 FROM dnc_numbers WHERE phone_key = :key AND campaign_id IN (0, :campaign) LIMIT 1"
)
_MARK_DNC = sa.text(
    "UPDATE campaign_records SET status = 'dnc', due_at = NULL, updated_at = :now WHERE id = :id"
)
_CAMPAIGN = sa.text("SELECT status, mask_numbers, calling_hours FROM campaigns WHERE id = :id")
_hours_cache: dict[str, CallingHours] = {}


def _claim(
    conn: Connection, text: str, params: dict[str, Any], skip_locked: bool
) -> Row[Any] | None:
    """Lock the first free record the statement finds to the agent; numbers on a do-not-call
    list found on the way are marked 'dnc'."""
    statement = _STATEMENTS[(text, skip_locked)]
    for _ in range(MAX_SKIPS):
        candidate = conn.execute(statement, params).first()
        if candidate is None:
            return None
        listed = conn.execute(
            _ON_DNC, {"key": candidate.phone_key, "campaign": params["campaign"]}
        ).first()
        if listed is not None:
            conn.execute(_MARK_DNC, {"id": candidate.id, "now": params["now"]})
            continue
        taken = conn.execute(_TAKE, {**params, "id": candidate.id}).first()
        if taken is not None:
            return taken
    return None


def _calling_hours(text: str) -> CallingHours:
    """The campaign's hours, parsed once per distinct value (campaigns change rarely)."""
    hours = _hours_cache.get(text)
    if hours is None:
        if len(_hours_cache) > 1000:
            _hours_cache.clear()
        hours = CallingHours.model_validate_json(text or "{}")
        _hours_cache[text] = hours
    return hours


def next_record(
    conn: Connection,
    campaign_id: int,
    user: CurrentUser,
    now: datetime,
    calendar: WorkCalendar,
    skip_locked: bool,
) -> NextRecordReply:
    """The next record for `user` in the campaign, locked to them (see the module's order).
    `skip_locked`: the database is PostgreSQL (FOR UPDATE SKIP LOCKED)."""
    campaign = conn.execute(_CAMPAIGN, {"id": campaign_id}).first()
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id} / 没有编号为 {campaign_id} 的外呼活动")
    if campaign.status != ACTIVE:
        return NextRecordReply(reason="not_active")
    masked = bool(campaign.mask_numbers) and masks_for(user)
    params = {
        "campaign": campaign_id,
        "agent": user.id,
        "now": iso(now),
        "until": iso(now + timedelta(minutes=LOCK_MINUTES)),
    }
    held = conn.execute(_HELD, params).first()
    if held is not None:
        return NextRecordReply(record=to_record(held, masked))
    for text in _CALLBACKS:
        row = _claim(conn, text, params, skip_locked)
        if row is not None:
            return NextRecordReply(record=to_record(row, masked))
    reason = calendar.closed_reason(now, _calling_hours(campaign.calling_hours))
    if reason:
        return NextRecordReply(reason=reason)
    for text in _DUE:
        row = _claim(conn, text, params, skip_locked)
        if row is not None:
            return NextRecordReply(record=to_record(row, masked))
    return NextRecordReply(reason="empty")


def _held(conn: Connection, record_id: int) -> Any:
    row = conn.execute(
        sa.select(c.id, c.locked_by, c.locked_until).where(c.id == record_id)
    ).first()
    if row is None:
        raise NotFound(f"no campaign record {record_id} / 没有编号为 {record_id} 的客户记录")
    return row


def renew(conn: Connection, record_id: int, user: CurrentUser, now: datetime) -> LockReply:
    """Keep the lock LOCK_MINUTES longer. A lock that ran out but that nobody took since is
    still this agent's; one another agent holds now is not (409)."""
    _held(conn, record_id)
    until = iso(now + timedelta(minutes=LOCK_MINUTES))
    done = conn.execute(
        campaign_records.update()
        .where(c.id == record_id, c.locked_by == user.id, c.status == PENDING)
        .values(locked_until=until)
    )
    if done.rowcount != 1:
        raise Conflict(
            "the record is no longer yours to work (another agent has it, or it is finished)"
            " / 该客户记录已不归您处理（已被其他坐席领取或已结束）"
        )
    return LockReply(record_id=record_id, locked_until=until)


def release(conn: Connection, record_id: int, user: CurrentUser, now: datetime) -> LockReply:
    """Give the record back (idempotent: a lock that is not this agent's is left alone)."""
    _held(conn, record_id)
    conn.execute(
        campaign_records.update()
        .where(c.id == record_id, c.locked_by == user.id)
        .values(locked_by=None, locked_until=None, updated_at=iso(now))
    )
    return LockReply(record_id=record_id, locked_until=None)


def callbacks(
    conn: Connection, user: CurrentUser, now: datetime, mine_only: bool = True
) -> list[Callback]:
    """The user's agreed callbacks (due and upcoming) in active campaigns; with
    mine_only=False also those handed over to anyone and due now."""
    now_s = iso(now)
    mine = c.callback_agent_id == user.id
    condition = (
        mine
        if mine_only
        else sa.or_(mine, sa.and_(c.callback_agent_id.is_not(None), c.callback_open_at <= now_s))
    )
    rows = conn.execute(
        sa.select(
            campaign_records,
            campaigns.c.name.label("campaign_name"),
            campaigns.c.mask_numbers,
        )
        .join(campaigns, campaigns.c.id == c.campaign_id)
        .where(condition, c.status == PENDING, campaigns.c.status == ACTIVE)
        .order_by(c.due_at, c.id)
        .limit(1000)
    ).all()
    out = []
    for row in rows:
        masked = bool(row.mask_numbers) and masks_for(user)
        out.append(
            Callback(
                record_id=row.id,
                campaign_id=row.campaign_id,
                campaign_name=row.campaign_name,
                name=row.name,
                phone=mask(row.phone_key) if masked else row.phone,
                due_at=row.due_at or now_s,
                agent_id=row.callback_agent_id,
                open_to_anyone=row.callback_open_at is not None and row.callback_open_at <= now_s,
                due=(row.due_at or now_s) <= now_s,
            )
        )
    return out


def campaign_of_record(conn: Connection, record_id: int) -> Campaign:
    row = _held(conn, record_id)
    campaign_id = conn.execute(sa.select(c.campaign_id).where(c.id == row.id)).scalar_one()
    return get_campaign(conn, campaign_id)
