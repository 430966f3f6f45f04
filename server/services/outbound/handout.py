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
back by themselves. Each step is one statement, UPDATE ... WHERE id = (SELECT id ... LIMIT 1)
RETURNING (SQLite >= 3.35): PostgreSQL takes the candidate row with FOR UPDATE SKIP LOCKED in
the subquery, so agents asking at once pass each other's candidates instead of queueing on
them; SQLite has one writer (the Database's write lock and BEGIN IMMEDIATE), and the UPDATE is
conditional on the lock being free in both, so a record is never handed to two agents.

The hot path runs on the driver's cursor, and the campaign's hours and the center's calendar
(read with the campaign in one statement) are parsed once per stored value. Agents asking at
once are served together (next_records, called by server/api/hand_out.py): the campaign, the
records they hold already and whether any callback is due are read once for all of them, and
their due records are taken together: per kind, one statement finds the free candidates for
all of them and one UPDATE locks each to its agent (_claim_many).
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.numbers import mask
from common.outbound import (
    Callback,
    CallingHours,
    Campaign,
    CampaignRecord,
    LockReply,
    NextRecordReply,
)
from common.timestamps import iso, to_utc
from server.core.identity import CurrentUser
from server.services.errors import Conflict, NotFound, ServiceError
from server.services.outbound.calendar import WorkCalendar, china_day
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


def to_record(row: Any, masked: bool) -> CampaignRecord:
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


# The hand-out's statements, written once as SQL and run on the driver's own cursor: built per
# request with SQLAlchemy's expression language they cost several times what SQLite takes to
# run them (profiled: 2,000 statements, 0.04 s in sqlite3 and ~0.5 s building and caching
# expressions), and even text() statements spent ~85% of their time in SQLAlchemy's result
# set-up (bench/next_profile.py). 'pending' is a literal so PostgreSQL plans each statement
# for it, whatever the parameters.
_NAMES = tuple(column.name for column in campaign_records.columns)
_COLUMNS = ", ".join(_NAMES)
_FREE = "(locked_until IS NULL OR locked_until <= :now)"
_PENDING = "SELECT id FROM campaign_records WHERE campaign_id = :campaign AND status = 'pending'"
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
# One statement finds the first free candidate and takes it: locked to the agent, or, when its
# number is on a do-not-call list (global or the campaign's), marked 'dnc' and left as it was
# otherwise (SET expressions see the row as it was). The caller asks again after a 'dnc'.
# PostgreSQL locks the candidate in the subquery (FOR UPDATE SKIP LOCKED: agents asking at
# once pass each other's candidates); SQLite has one writer. The outer condition repeats
# that the record is pending and free, so a record is never handed to two agents.
_LISTED = (
    "EXISTS (SELECT 1 FROM dnc_numbers WHERE dnc_numbers.phone_key = campaign_records.phone_key"
    " AND dnc_numbers.campaign_id IN (0, :campaign))"
)
_CLAIM = (
    f"UPDATE campaign_records SET status = CASE WHEN {_LISTED} THEN 'dnc' ELSE status END,"
    f" due_at = CASE WHEN {_LISTED} THEN NULL ELSE due_at END,"
    f" locked_by = CASE WHEN {_LISTED} THEN locked_by ELSE :agent END,"
    f" locked_until = CASE WHEN {_LISTED} THEN locked_until ELSE :until END,"
    " updated_at = :now"
    " WHERE id = ({candidate}) AND status = 'pending' AND " + _FREE + f" RETURNING {_COLUMNS}"
)
_SKIP_LOCKED = " FOR UPDATE SKIP LOCKED"
# Several agents at once (a batch): the first k free due records in one statement, then one
# UPDATE that locks each to its agent ({agents}: CASE id WHEN :i0 THEN :a0 ...; {ids}: the
# ids), with the same do-not-call marking and the same repeated conditions as _CLAIM. Two
# round trips for a whole batch instead of one per agent.
_CANDIDATES = tuple(q.replace("LIMIT 1", "LIMIT :k") for q in _DUE)
_TAKE = (
    f"UPDATE campaign_records SET status = CASE WHEN {_LISTED} THEN 'dnc' ELSE status END,"
    f" due_at = CASE WHEN {_LISTED} THEN NULL ELSE due_at END,"
    f" locked_by = CASE WHEN {_LISTED} THEN locked_by ELSE CASE id {{agents}} END END,"
    f" locked_until = CASE WHEN {_LISTED} THEN locked_until ELSE :until END,"
    " updated_at = :now"
    " WHERE id IN ({ids}) AND status = 'pending' AND " + _FREE + f" RETURNING {_COLUMNS}"
)
# {indexed}: SQLite's planner, without statistics, prefers campaign_records_due (campaign and
# status: every pending record of the campaign) and read a 100,000-record list per request;
# it is told to use the index on locked_by. PostgreSQL's planner has its statistics.
_HELD = (
    "UPDATE campaign_records{indexed} SET locked_until = :until WHERE locked_by IN ({agents})"
    " AND campaign_id = :campaign AND locked_until > :now AND status = 'pending'"
    f" RETURNING {_COLUMNS}"
)
# Whether any callback of the campaign is due (for its agent, or handed over to anyone, which
# is later still): when none is, the callback statements are not run for each agent.
_CALLBACKS_DUE = (
    f"{_PENDING} AND callback_agent_id IS NOT NULL AND due_at <= :now AND {_FREE} LIMIT 1"
)
# The campaign, and the center's holiday overrides as one text (day=kind, by day): the text is
# the key of the calendar built from it, so an edit of the overrides is seen by the next request.
_OVERRIDES = {
    "sqlite": "SELECT group_concat(day || '=' || kind, ',') FROM"
    " (SELECT day, kind FROM holiday_overrides ORDER BY day)",
    "postgresql": "SELECT string_agg(day || '=' || kind, ',' ORDER BY day) FROM holiday_overrides",
}
_CAMPAIGN = (
    "SELECT status, mask_numbers, calling_hours, ({overrides}) FROM campaigns WHERE id = :campaign"
)
_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


class _Statements:
    """The hand-out's statements in the driver's own parameter style."""

    def __init__(self, postgresql: bool) -> None:
        def driver(text: str) -> str:
            # sqlite3 takes :name as it is; psycopg wants %(name)s.
            return _PARAMETER.sub(r"%(\1)s", text) if postgresql else text

        self.postgresql = postgresql
        skip = _SKIP_LOCKED if postgresql else ""
        self.callbacks = [driver(_CLAIM.format(candidate=q + skip)) for q in _CALLBACKS]
        indexed = "" if postgresql else " INDEXED BY campaign_records_locked"
        self.held = driver(_HELD.replace("{indexed}", indexed))
        self.callbacks_due = driver(_CALLBACKS_DUE)
        self.candidates = [driver(q + skip) for q in _CANDIDATES]
        self.take = driver(_TAKE)
        overrides = _OVERRIDES["postgresql" if postgresql else "sqlite"]
        self.campaign = driver(_CAMPAIGN.format(overrides=overrides))

    def parameter(self, name: str) -> str:
        """A named parameter in the driver's style (for statements built per request)."""
        return f"%({name})s" if self.postgresql else f":{name}"


_SQL = {False: _Statements(postgresql=False), True: _Statements(postgresql=True)}


class _Record(NamedTuple):
    """A campaign_records row as the driver returns it (columns in table order)."""

    id: int
    campaign_id: int
    row_number: int
    name: str
    phone: str
    phone_key: str
    fields: str
    status: str
    attempts_total: int
    attempts_day: str
    attempts_today: int
    due_at: str | None
    callback_agent_id: int | None
    callback_open_at: str | None
    locked_by: int | None
    locked_until: str | None
    last_outcome: str
    updated_at: str


assert _Record._fields == _NAMES, "campaign_records changed: update _Record"


def _cursor(conn: Connection) -> Any:
    """A cursor of the transaction's own driver connection."""
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def _rows(
    conn: Connection, sql: str, params: dict[str, Any], first_only: bool = False
) -> list[tuple[Any, ...]]:
    """The rows of `sql` run on the transaction's own driver connection (`first_only`: at
    most the first)."""
    cursor = _cursor(conn)
    try:
        cursor.execute(sql, params)
        if first_only:
            row = cursor.fetchone()
            return [] if row is None else [row]
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
    except Exception as exc:
        # Handled as SQLAlchemy handles its own statements' errors: wrapped, and a dropped
        # connection invalidates the pool (the Database has no pre-ping and relies on that).
        conn._handle_dbapi_exception(exc, sql, params, cursor, None)
        raise  # not reached: the line above raises
    finally:
        with contextlib.suppress(Exception):  # a dead connection's cursor
            cursor.close()


def _one(conn: Connection, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """The first row of `sql`, or None."""
    rows = _rows(conn, sql, params, first_only=True)
    return rows[0] if rows else None


def _claim(conn: Connection, sql: str, params: dict[str, Any]) -> _Record | None:
    """The first free record the statement finds, locked to the agent; numbers on a
    do-not-call list found on the way are marked 'dnc' (at most MAX_SKIPS of them)."""
    for _ in range(MAX_SKIPS):
        row = _one(conn, sql, params)
        if row is None:
            return None
        record = _Record._make(row)
        if record.status == PENDING:
            return record
    return None


# Parsed once per distinct value: campaigns and the calendar change rarely, and the key is the
# stored text itself, so an edited campaign or calendar is parsed anew at its next request.
_hours_cache: dict[str, CallingHours] = {}
_calendar_cache: dict[str, WorkCalendar] = {}
# A day's calling windows per (hours text, overrides text, China day): chinese_calendar and the
# window arithmetic once per day instead of once per request.
_windows_cache: dict[tuple[str, str, date], list[tuple[datetime, datetime]]] = {}
_CACHE_LIMIT = 1000


def _cached(cache: dict[Any, Any], key: Any, make: Any) -> Any:
    value = cache.get(key)
    if value is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        value = make()
        cache[key] = value
    return value


def _calling_hours(text: str) -> CallingHours:
    """The campaign's hours, parsed once per distinct value."""
    hours: CallingHours = _cached(
        _hours_cache, text, lambda: CallingHours.model_validate_json(text or "{}")
    )
    return hours


def _calendar(overrides: str) -> WorkCalendar:
    """The center's calendar for the overrides as _CAMPAIGN gives them ('day=kind,...')."""

    def make() -> WorkCalendar:
        days = {}
        for item in overrides.split(","):
            day, _, kind = item.partition("=")
            if day:
                days[date.fromisoformat(day)] = kind
        return WorkCalendar(days)

    calendar: WorkCalendar = _cached(_calendar_cache, overrides, make)
    return calendar


def _closed_reason(hours_text: str, overrides: str, now: datetime) -> str:
    """WorkCalendar.closed_reason for the campaign's hours and the center's overrides, the
    day's windows computed once per day."""
    day = china_day(now)
    windows: list[tuple[datetime, datetime]] = _cached(
        _windows_cache,
        (hours_text, overrides, day),
        lambda: _calendar(overrides).windows(day, _calling_hours(hours_text)),
    )
    if not windows:
        return "closed_day"
    if any(start <= now < end for start, end in windows):
        return ""
    return "outside_hours"


def next_record(
    conn: Connection,
    campaign_id: int,
    user: CurrentUser,
    now: datetime,
    calendar: WorkCalendar | None,
    skip_locked: bool,
) -> NextRecordReply:
    """The next record for `user` in the campaign, locked to them (see the module's order).
    `calendar`: the center's calendar, or None for the one stored now (read with the campaign,
    cached by its content). `skip_locked`: the database is PostgreSQL (FOR UPDATE SKIP
    LOCKED)."""
    [answer] = next_records(conn, campaign_id, [user], now, skip_locked, calendar)
    if isinstance(answer, ServiceError):
        raise answer
    return answer


def next_records(
    conn: Connection,
    campaign_id: int,
    people: list[CurrentUser],
    now: datetime,
    skip_locked: bool,
    calendar: WorkCalendar | None = None,
) -> list[NextRecordReply | ServiceError]:
    """next_record for several agents asking at once (server/api/hand_out.py), in the order
    given, in the caller's transaction: what is the same for all of them (the campaign, the
    calendar, the records they hold already, whether any callback is due) is read once, and
    each is then handed a record of their own by the same statements. An agent named twice
    gets the same record twice (the second is the repeat of the first)."""
    sql = _SQL[skip_locked]
    now = to_utc(now)
    params: dict[str, Any] = {
        "campaign": campaign_id,
        "now": iso(now),
        "until": iso(now + timedelta(minutes=LOCK_MINUTES)),
    }
    campaign = _one(conn, sql.campaign, params)
    if campaign is None:
        missing = NotFound(f"no campaign {campaign_id} / 没有编号为 {campaign_id} 的外呼活动")
        return [missing for _ in people]
    status, mask_numbers, hours_text, overrides = campaign
    if status != ACTIVE:
        return [NextRecordReply(reason="not_active") for _ in people]
    held = _held_by(conn, sql, params, sorted({p.id for p in people}))
    callbacks_due = _one(conn, sql.callbacks_due, params) is not None
    if calendar is not None:
        closed = calendar.closed_reason(now, _calling_hours(hours_text))
    else:
        closed = _closed_reason(hours_text or "", overrides or "", now)
    claimed = dict(held)
    if callbacks_due:  # (1) each agent's own due callbacks, then those open to anyone
        for user in people:
            if user.id not in claimed:
                record = _claim_callback(conn, sql, {**params, "agent": user.id})
                if record is not None:
                    claimed[user.id] = record
    if not closed:  # (4) the due records, for all the others at once, in arrival order
        waiting = list(dict.fromkeys(u.id for u in people if u.id not in claimed))
        if waiting:
            claimed.update(_claim_many(conn, sql, params, waiting))
    answers: list[NextRecordReply | ServiceError] = []
    for user in people:
        masked = bool(mask_numbers) and masks_for(user)
        record = claimed.get(user.id)
        if record is not None:
            answers.append(NextRecordReply(record=to_record(record, masked)))
        else:
            answers.append(NextRecordReply(reason=closed or "empty"))
    return answers


def _held_by(
    conn: Connection, sql: _Statements, params: dict[str, Any], agents: list[int]
) -> dict[int, _Record]:
    """The records these agents hold already (a repeated request, a reply lost on the way),
    their locks renewed: an agent never holds two."""
    names = {f"agent{i}": agent for i, agent in enumerate(agents)}
    statement = sql.held.replace("{agents}", ", ".join(sql.parameter(name) for name in names))
    rows = _rows(conn, statement, {**params, **names})
    held: dict[int, _Record] = {}
    for row in rows:
        record = _Record._make(row)
        if record.locked_by is not None:
            held.setdefault(record.locked_by, record)
    return held


def _claim_callback(conn: Connection, sql: _Statements, params: dict[str, Any]) -> _Record | None:
    """A due callback for one agent (params["agent"]): their own first, then one open to
    anyone."""
    for statement in sql.callbacks:
        record = _claim(conn, statement, params)
        if record is not None:
            return record
    return None


def _claim_many(
    conn: Connection, sql: _Statements, params: dict[str, Any], agents: list[int]
) -> dict[int, _Record]:
    """Due records for `agents` (distinct, in arrival order: the first gets the first record):
    retries whose time has come first, then records never tried. Per kind, the free
    candidates for all of them in one statement and one UPDATE locking each to its agent;
    numbers found on a do-not-call list are marked 'dnc' and their agents served from the next
    candidates (at most MAX_SKIPS rounds)."""
    got: dict[int, _Record] = {}
    waiting = list(agents)
    for candidates in sql.candidates:
        for _ in range(MAX_SKIPS):
            if not waiting:
                return got
            asked = len(waiting)
            ids = [row[0] for row in _rows(conn, candidates, {**params, "k": asked})]
            if not ids:
                break
            names: dict[str, Any] = {}
            whens = []
            for i, (record_id, agent) in enumerate(zip(ids, waiting, strict=False)):
                names[f"i{i}"], names[f"a{i}"] = record_id, agent
                whens.append(f"WHEN {sql.parameter(f'i{i}')} THEN {sql.parameter(f'a{i}')}")
            statement = sql.take.replace("{agents}", " ".join(whens)).replace(
                "{ids}", ", ".join(sql.parameter(f"i{i}") for i in range(len(ids)))
            )
            for row in _rows(conn, statement, {**params, **names}):
                record = _Record._make(row)
                if record.status == PENDING and record.locked_by is not None:
                    got[record.locked_by] = record
            waiting = [agent for agent in waiting if agent not in got]
            if len(ids) < asked:  # this kind has no more free records
                break
    return got


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


def hand_over(conn: Connection, user_id: int, now: str) -> int:
    """A user who is disabled works no more records: their agreed callbacks open to anyone now
    (whatever the campaign's callback mode: in 'agent' mode they would wait for them forever)
    and the records they hold are free at once (not 15 minutes later). The number of
    callbacks handed over."""
    opened = conn.execute(
        campaign_records.update()
        .where(
            c.callback_agent_id == user_id,
            c.status == PENDING,
            sa.or_(c.callback_open_at.is_(None), c.callback_open_at > now),
        )
        .values(callback_open_at=now)
    ).rowcount
    conn.execute(
        campaign_records.update()
        .where(c.locked_by == user_id, c.locked_until > now)
        .values(locked_until=now)
    )
    return int(opened or 0)


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
