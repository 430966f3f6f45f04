"""Attempts from the agents' outboxes (kind 'campaign_attempt', POST /campaigns/attempts/batch).

Each item is stored once, idempotent by the client's uuid, and acknowledged on its own
('stored', 'duplicate' or 'rejected' with the reason), like the other outbox kinds. The outcome
code must be one of the center's outcome codes (center_codes, kind 'outcome'), active OR
deactivated: an attempt recorded offline before a manager deactivated its code is still a call
that happened, and refusing it would lose it. Only a code the center never had is refused. Its
meaning drives the retry engine (retry.py), which sets the record's next state.

An attempt is kept even when another agent holds the record's lock now (the call happened);
the record's state follows the latest attempt by start time, so an attempt that reaches the
server late (an outbox that was offline) does not undo a newer one. The agent's own lock on the
record ends with the attempt; another agent's is left alone.

number_changed with a usable new number (the list import's phone rules, common.numbers) puts
the new number on the record. When the campaign has another record with that number already,
that record is the customer's now and this one is closed.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.numbers import list_phone
from common.outbound import AttemptIn
from common.timestamps import iso, parse_or_none
from server.core.identity import CurrentUser
from server.core.statements import insert_ignoring_duplicates
from server.core.text_rules import has_lone_surrogate
from server.schemas import CLIENT_FUTURE, CLIENT_PAST, ItemAck, rejected_ack
from server.services.outbound.calendar import WorkCalendar
from server.services.outbound.campaigns import get_campaign, policy_of
from server.services.outbound.retry import AttemptFacts, RecordState, after_attempt
from server.tables import campaign_attempts, campaign_records, center_codes

c = campaign_records.c


def _rejected(uuid: str, message: str, loc: str = "item") -> ItemAck:
    return ItemAck(uuid=uuid, status="rejected", errors=[{"loc": [loc], "msg": message}])


def _bad_text(value: Any) -> bool:
    """NUL (PostgreSQL cannot store it) or a lone surrogate (nothing can), anywhere inside."""
    if isinstance(value, str):
        return "\x00" in value or has_lone_surrogate(value)
    if isinstance(value, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_bad_text(v) for v in value)
    return False


def _problem(item: AttemptIn, now: datetime) -> tuple[str, str] | None:
    """(field, message) of what the model alone does not check, or None."""
    try:
        uuidlib.UUID(item.uuid)
    except ValueError:
        return "uuid", "not a UUID / 不是有效的 UUID"
    for name in ("started_at", "ended_at", "callback_at"):
        moment = getattr(item, name)
        if moment is None:
            continue
        limit_future = CLIENT_FUTURE if name != "callback_at" else CLIENT_PAST
        if not now - CLIENT_PAST <= moment <= now + limit_future:
            return name, "time is not within a year of now / 时间不在合理范围内"
    if _bad_text(item.model_dump(mode="json")):
        return "item", "text must not contain NUL or invalid characters / 文本包含无效字符"
    return None


def outcome_meanings(conn: Connection) -> dict[str, str]:
    """Every outcome code the center knows (deactivated ones too: see the module's docstring)
    and its meaning."""
    rows = conn.execute(
        sa.select(center_codes.c.code, center_codes.c.meaning).where(
            center_codes.c.kind == "outcome"
        )
    ).all()
    return {row.code: row.meaning for row in rows if row.meaning}


def push(
    conn: Connection,
    user: CurrentUser,
    items: list[dict[str, Any]],
    now: datetime,
    calendar: WorkCalendar,
) -> list[ItemAck]:
    meanings = outcome_meanings(conn)
    results: list[ItemAck] = []
    for raw in items:
        try:
            item = AttemptIn.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        results.append(_store(conn, user, item, now, calendar, meanings))
    return results


def _store(
    conn: Connection,
    user: CurrentUser,
    item: AttemptIn,
    now: datetime,
    calendar: WorkCalendar,
    meanings: dict[str, str],
) -> ItemAck:
    problem = _problem(item, now)
    if problem is not None:
        return _rejected(item.uuid[:64], problem[1], problem[0])
    meaning = meanings.get(item.outcome)
    if meaning is None:
        return _rejected(
            item.uuid,
            f"unknown outcome code: {item.outcome} (the center has no such code)"
            f" / 未知的外呼结果代码：{item.outcome}（本中心没有此代码）",
            "outcome",
        )
    record = conn.execute(
        sa.select(campaign_records).where(c.id == item.record_id).with_for_update()
    ).first()
    if record is None or record.campaign_id != item.campaign_id:
        return _rejected(
            item.uuid,
            f"no record {item.record_id} in campaign {item.campaign_id}"
            f" / 外呼活动 {item.campaign_id} 中没有客户记录 {item.record_id}",
            "record_id",
        )
    now_s = iso(now)
    started = iso(item.started_at)
    stored = insert_ignoring_duplicates(
        conn,
        campaign_attempts,
        {
            "uuid": item.uuid,
            "record_id": item.record_id,
            "campaign_id": item.campaign_id,
            "agent_id": user.id,
            "outcome": item.outcome,
            "meaning": meaning,
            "started_at": started,
            "ended_at": iso(item.ended_at),
            "call_uuid": item.call_uuid,
            "note": item.note,
            "callback_at": iso(item.callback_at) if item.callback_at else None,
            "new_phone": item.new_phone,
            "answers": json.dumps(item.answers, ensure_ascii=False),
            "created_at": now_s,
        },
        key="uuid",
    )
    if not stored:
        return ItemAck(uuid=item.uuid, status="duplicate")
    later = conn.execute(
        sa.select(campaign_attempts.c.id)
        .where(
            campaign_attempts.c.record_id == item.record_id,
            campaign_attempts.c.uuid != item.uuid,
            campaign_attempts.c.started_at > started,
        )
        .limit(1)
    ).first()
    if later is None:
        _apply(conn, user, item, meaning, record, now, calendar)
    return ItemAck(uuid=item.uuid, status="stored")


def _apply(
    conn: Connection,
    user: CurrentUser,
    item: AttemptIn,
    meaning: str,
    record: Any,
    now: datetime,
    calendar: WorkCalendar,
) -> None:
    """The record's next state after the attempt (the retry engine), and its new number."""
    campaign = get_campaign(conn, item.campaign_id)
    changes: dict[str, Any] = {}
    new_phone_ok = False
    if meaning == "number_changed" and item.new_phone:
        judged = list_phone(item.new_phone)
        if judged.ok:
            taken = conn.execute(
                sa.select(c.id).where(
                    c.campaign_id == item.campaign_id,
                    c.phone_key == judged.key,
                    c.id != record.id,
                )
            ).first()
            if taken is None:
                new_phone_ok = True
                changes.update(phone=item.new_phone.strip(), phone_key=judged.key)
    state = RecordState(
        status=record.status,
        attempts_total=record.attempts_total,
        attempts_day=record.attempts_day,
        attempts_today=record.attempts_today,
        due_at=parse_or_none(record.due_at),
        callback_agent_id=record.callback_agent_id,
        callback_open_at=parse_or_none(record.callback_open_at),
    )
    facts = AttemptFacts(
        meaning=meaning,
        agent_id=user.id,
        at=item.ended_at,
        callback_at=item.callback_at,
        new_phone_ok=new_phone_ok,
    )
    after = after_attempt(state, facts, policy_of(campaign), calendar)
    now_s = iso(now)
    lock_is_others = (
        record.locked_by is not None
        and record.locked_by != user.id
        and (record.locked_until or "") > now_s
    )
    if not lock_is_others:
        changes.update(locked_by=None, locked_until=None)
    conn.execute(
        campaign_records.update()
        .where(c.id == record.id)
        .values(
            status=after.status,
            attempts_total=after.attempts_total,
            attempts_day=after.attempts_day,
            attempts_today=after.attempts_today,
            due_at=iso(after.due_at) if after.due_at else None,
            callback_agent_id=after.callback_agent_id,
            callback_open_at=iso(after.callback_open_at) if after.callback_open_at else None,
            last_outcome=item.outcome,
            updated_at=now_s,
            **changes,
        )
    )
