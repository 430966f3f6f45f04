"""Campaigns: create, edit, list and read; their policy as the retry engine sees it; the center's
holiday overrides (the calendar every campaign shares).

Defaults (common/outbound.py): Monday to Friday 09:00-12:00 and 13:30-20:00, no weekend hours,
busy and no answer retried every 240 minutes, at most 3 attempts a day, callbacks kept by
their agent.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from common.outbound import (
    CallingHours,
    Campaign,
    CampaignIn,
    CampaignPatch,
    HolidayOverride,
    RetryPolicy,
)
from common.timestamps import iso
from server.core.identity import CurrentUser
from server.services.errors import Conflict, Invalid, NotFound
from server.services.outbound.calendar import WorkCalendar
from server.services.outbound.retry import PENDING, CampaignPolicy
from server.tables import business_lines, campaign_records, campaigns, holiday_overrides, surveys

ACTIVE = "active"
# Roles that manage campaigns (create, edit, import, reports, DNC, calendar, surveys).
MANAGERS = ("supervisor", "manager", "admin")


def _not_found(campaign_id: int) -> NotFound:
    return NotFound(f"no campaign {campaign_id} / 没有编号为 {campaign_id} 的外呼活动")


def _name_taken(name: str) -> Conflict:
    return Conflict(f"a campaign named '{name}' exists already / 已有名为“{name}”的外呼活动")


def to_campaign(row: Row[Any], total: int = 0, left: int = 0) -> Campaign:
    return Campaign(
        id=row.id,
        name=row.name,
        business_line=row.business_line,
        script_article_uuid=row.script_article_uuid,
        survey_uuid=row.survey_uuid,
        calling_hours=CallingHours.model_validate(json.loads(row.calling_hours or "{}")),
        retry_policy=RetryPolicy.model_validate(json.loads(row.retry_policy or "{}")),
        max_attempts_per_day=row.max_attempts_per_day,
        no_time_retry_minutes=row.no_time_retry_minutes,
        callback_mode=row.callback_mode,
        callback_handover_minutes=row.callback_handover_minutes,
        mask_numbers=bool(row.mask_numbers),
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        created_by=row.created_by,
        records_total=total,
        records_left=left,
    )


def policy_of(campaign: Campaign) -> CampaignPolicy:
    return CampaignPolicy(
        hours=campaign.calling_hours,
        retry=campaign.retry_policy,
        max_attempts_per_day=campaign.max_attempts_per_day,
        no_time_retry_minutes=campaign.no_time_retry_minutes,
        callback_mode=campaign.callback_mode,
        callback_handover_minutes=campaign.callback_handover_minutes,
    )


def _counts(conn: Connection, campaign_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not campaign_ids:
        return {}
    c = campaign_records.c
    rows = conn.execute(
        sa.select(
            c.campaign_id,
            sa.func.count(),
            sa.func.sum(sa.case((c.status == PENDING, 1), else_=0)),
        )
        .where(c.campaign_id.in_(campaign_ids))
        .group_by(c.campaign_id)
    ).all()
    return {row[0]: (int(row[1]), int(row[2] or 0)) for row in rows}


def get_campaign(conn: Connection, campaign_id: int, with_counts: bool = False) -> Campaign:
    row = conn.execute(sa.select(campaigns).where(campaigns.c.id == campaign_id)).first()
    if row is None:
        raise _not_found(campaign_id)
    total, left = _counts(conn, [campaign_id]).get(campaign_id, (0, 0)) if with_counts else (0, 0)
    return to_campaign(row, total, left)


def find_campaign(conn: Connection, name: str) -> Campaign | None:
    """The campaign of that name, if any (the import CLI creates a missing one)."""
    row = conn.execute(sa.select(campaigns).where(campaigns.c.name == name)).first()
    return None if row is None else to_campaign(row)


def list_campaigns(
    conn: Connection, active_only: bool = False, with_counts: bool = True
) -> list[Campaign]:
    """Campaigns by id; `with_counts`: records_total/left filled (a count over every record:
    the supervisor's screens want it, the agents' worklist does not)."""
    query = sa.select(campaigns).order_by(campaigns.c.id)
    if active_only:
        query = query.where(campaigns.c.status == ACTIVE)
    rows = conn.execute(query).all()
    counts = _counts(conn, [row.id for row in rows]) if with_counts else {}
    return [to_campaign(row, *counts.get(row.id, (0, 0))) for row in rows]


def _check_references(conn: Connection, values: dict[str, Any]) -> None:
    line = values.get("business_line")
    if line:
        known = conn.execute(
            sa.select(business_lines.c.code).where(business_lines.c.code == line)
        ).first()
        if known is None:
            raise Invalid(f"unknown business line: {line} / 未知的业务线：{line}")
    survey = values.get("survey_uuid")
    if survey:
        known = conn.execute(sa.select(surveys.c.uuid).where(surveys.c.uuid == survey)).first()
        if known is None:
            raise Invalid(f"unknown survey: {survey} / 未知的问卷：{survey}")


def _column_values(data: dict[str, Any]) -> dict[str, Any]:
    """Model fields to column values (the JSON columns as text)."""
    values = dict(data)
    for key in ("calling_hours", "retry_policy"):
        if key in values and values[key] is not None:
            values[key] = json.dumps(values[key], ensure_ascii=False)
    return values


def create_campaign(
    conn: Connection, body: CampaignIn, user: CurrentUser | None, now: str | None = None
) -> Campaign:
    values = _column_values(body.model_dump(mode="json"))
    _check_references(conn, values)
    stamp = now or iso()
    if find_campaign(conn, body.name) is not None:
        raise _name_taken(body.name)
    try:  # a racing create of the same name: the unique constraint decides (and rolls back)
        new_id = conn.execute(
            campaigns.insert().values(
                **values,
                created_at=stamp,
                updated_at=stamp,
                created_by=user.id if user else None,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    except IntegrityError as exc:
        raise _name_taken(body.name) from exc
    return get_campaign(conn, int(new_id))


def change_campaign(
    conn: Connection, campaign_id: int, body: CampaignPatch, now: str | None = None
) -> Campaign:
    get_campaign(conn, campaign_id)  # 404 first
    values = _column_values(body.model_dump(mode="json", exclude_unset=True))
    values = {key: value for key, value in values.items() if value is not None}
    _check_references(conn, values)
    if "name" in values:
        other = find_campaign(conn, values["name"])
        if other is not None and other.id != campaign_id:
            raise _name_taken(values["name"])
    if values:
        try:
            conn.execute(
                campaigns.update()
                .where(campaigns.c.id == campaign_id)
                .values(**values, updated_at=now or iso())
            )
        except IntegrityError as exc:
            raise _name_taken(str(values.get("name", ""))) from exc
    return get_campaign(conn, campaign_id, with_counts=True)


# -- the holiday overrides ------------------------------------------------------------------------
def load_overrides(conn: Connection) -> dict[date, str]:
    rows = conn.execute(sa.select(holiday_overrides.c.day, holiday_overrides.c.kind)).all()
    return {date.fromisoformat(row.day): row.kind for row in rows}


def load_calendar(conn: Connection) -> WorkCalendar:
    """The center's calendar: chinese_calendar with the overrides stored now."""
    return WorkCalendar(load_overrides(conn))


def list_overrides(conn: Connection, since: date | None = None) -> list[HolidayOverride]:
    """The overrides by day; `since`: only that day and later."""
    query = sa.select(holiday_overrides).order_by(holiday_overrides.c.day)
    if since is not None:
        query = query.where(holiday_overrides.c.day >= since.isoformat())
    rows = conn.execute(query).all()
    return [HolidayOverride(day=row.day, kind=row.kind, note=row.note) for row in rows]


def replace_overrides(
    conn: Connection, overrides: list[HolidayOverride], user: CurrentUser | None
) -> list[HolidayOverride]:
    """Store `overrides` as the whole list (a day given twice: the last wins)."""
    by_day: dict[str, HolidayOverride] = {}
    for item in overrides:
        try:
            date.fromisoformat(item.day)
        except ValueError as exc:
            raise Invalid(f"not a day: {item.day} / 不是有效日期：{item.day}") from exc
        by_day[item.day] = item
    conn.execute(holiday_overrides.delete())
    stamp = iso()
    if by_day:
        conn.execute(
            holiday_overrides.insert(),
            [
                {
                    "day": item.day,
                    "kind": item.kind,
                    "note": item.note,
                    "updated_at": stamp,
                    "updated_by": user.id if user else None,
                }
                for item in by_day.values()
            ],
        )
    return list_overrides(conn)
