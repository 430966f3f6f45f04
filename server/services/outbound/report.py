"""The feedback report 反馈报表 per campaign and China-time day, its XLSX export, and progress.

Per day and agent: attempts, the count of each outcome code, contacts (outcomes meaning a
contact: common.outbound.CONTACT_MEANINGS), successes, and the rates (contacts / attempts,
successes / attempts). An attempt counts on the China-time day it started.

Days are China time, stored moments UTC: a day's attempts are read by the UTC range of that
day (the index on (campaign_id, started_at) serves it); the database counts per UTC hour and
the hours are put into China days here (the two databases spell time zones differently).
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy.engine import Connection

from common.outbound import (
    CONTACT_MEANINGS,
    MEANINGS,
    SUCCESS_MEANINGS,
    CampaignReport,
    Progress,
    ProgressDay,
    ReportRow,
)
from common.timestamps import iso, parse
from server.services.errors import Invalid
from server.services.outbound.calendar import china_day, china_midnight
from server.services.outbound.campaigns import get_campaign
from server.services.outbound.retry import PENDING
from server.tables import campaign_attempts, campaign_records, center_codes, users

a = campaign_attempts.c


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(f"not a day (YYYY-MM-DD): {text} / 日期格式应为 YYYY-MM-DD：{text}") from exc


def _attempt_rows(conn: Connection, campaign_id: int, day: date | None) -> list[Any]:
    """(China day, agent, outcome, meaning, count): counted by the database per UTC hour (the
    first 13 characters of the stored moment, '2026-09-14T17'), which falls in one China day
    (China has no daylight saving time), so a campaign's whole history is a few rows per hour."""
    hour = sa.func.substr(a.started_at, 1, 13).label("hour")
    query = sa.select(hour, a.agent_id, a.outcome, a.meaning, sa.func.count()).where(
        a.campaign_id == campaign_id
    )
    if day is not None:
        query = query.where(
            a.started_at >= iso(china_midnight(day)),
            a.started_at < iso(china_midnight(day + timedelta(days=1))),
        )
    query = query.group_by(hour, a.agent_id, a.outcome, a.meaning)
    out = []
    for hour_text, agent_id, outcome, meaning, count in conn.execute(query).all():
        moment = parse(f"{hour_text}:00:00+00:00")
        out.append((china_day(moment).isoformat(), agent_id, outcome, meaning, int(count)))
    return out


class _Tally:
    def __init__(self) -> None:
        self.attempts = 0
        self.contacts = 0
        self.successes = 0
        self.outcomes: dict[str, int] = defaultdict(int)

    def add(self, outcome: str, meaning: str, count: int = 1) -> None:
        self.attempts += count
        self.outcomes[outcome] += count
        self.contacts += count if meaning in CONTACT_MEANINGS else 0
        self.successes += count if meaning in SUCCESS_MEANINGS else 0

    def row(self, day: str, agent_id: int | None, agent: str) -> ReportRow:
        return ReportRow(
            day=day,
            agent_id=agent_id,
            agent=agent,
            attempts=self.attempts,
            outcomes=dict(self.outcomes),
            contacts=self.contacts,
            successes=self.successes,
            contact_rate=round(self.contacts / self.attempts, 4) if self.attempts else 0.0,
            success_rate=round(self.successes / self.attempts, 4) if self.attempts else 0.0,
        )


def _outcome_order(conn: Connection, seen: set[str]) -> list[str]:
    """Built-in codes first, then the center's own in their order, then any others seen."""
    rows = conn.execute(
        sa.select(center_codes.c.code)
        .where(center_codes.c.kind == "outcome")
        .order_by(center_codes.c.builtin.desc(), center_codes.c.sort_order, center_codes.c.code)
    ).scalars()
    ordered = [code for code in MEANINGS]
    ordered += [code for code in rows if code not in ordered]
    ordered += sorted(code for code in seen if code not in ordered)
    return ordered


def outcome_names(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        sa.select(center_codes.c.code, center_codes.c.name_zh).where(
            center_codes.c.kind == "outcome"
        )
    ).all()
    return {row.code: row.name_zh for row in rows}


def campaign_report(conn: Connection, campaign_id: int, day_text: str | None) -> CampaignReport:
    campaign = get_campaign(conn, campaign_id)
    day = _day(day_text)
    per_agent: dict[tuple[str, int], _Tally] = defaultdict(_Tally)
    per_day: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    seen: set[str] = set()
    for key_day, agent_id, outcome, meaning, count in _attempt_rows(conn, campaign_id, day):
        per_agent[(key_day, agent_id)].add(outcome, meaning, count)
        per_day[key_day].add(outcome, meaning, count)
        total.add(outcome, meaning, count)
        seen.add(outcome)
    agent_ids = sorted({agent for _, agent in per_agent})
    names: dict[int, str] = {}
    if agent_ids:
        names = {
            row.id: row.username
            for row in conn.execute(
                sa.select(users.c.id, users.c.username).where(users.c.id.in_(agent_ids))
            )
        }
    rows = [
        tally.row(key_day, agent_id, names.get(agent_id, str(agent_id)))
        for (key_day, agent_id), tally in sorted(
            per_agent.items(), key=lambda item: (item[0][0], names.get(item[0][1], ""))
        )
    ]
    return CampaignReport(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        day=day.isoformat() if day else None,
        outcomes=_outcome_order(conn, seen),
        rows=rows,
        days=[per_day[key].row(key, None, "") for key in sorted(per_day)],
        total=total.row(day.isoformat() if day else "", None, ""),
    )


HEADERS_BEFORE = ["日期", "坐席", "呼叫次数"]


def _cell(value: Any) -> Any:
    """A value a worksheet can hold: control characters (allowed in names over the API,
    refused by XLSX) are dropped rather than failing the whole export."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


HEADERS_AFTER = ["接通数", "成功数", "接通率", "成功率"]


def report_xlsx(report: CampaignReport, names: dict[str, str]) -> bytes:
    """The report as an XLSX workbook: sheet 反馈报表 (a line per day and agent, then each
    day's 合计 and the period's 总计), headers in Chinese, outcome columns by their Chinese name."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "反馈报表"
    sheet.append(
        [_cell(f"外呼活动：{report.campaign_name}"), "", "日期：" + (report.day or "全部")]
    )
    headers = HEADERS_BEFORE + [names.get(code, code) for code in report.outcomes] + HEADERS_AFTER
    sheet.append([_cell(header) for header in headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)

    def line(row: ReportRow, day: str, agent: str) -> list[Any]:
        return (
            [day, _cell(agent), row.attempts]
            + [row.outcomes.get(code, 0) for code in report.outcomes]
            + [row.contacts, row.successes, row.contact_rate, row.success_rate]
        )

    by_day: dict[str, list[ReportRow]] = defaultdict(list)
    for row in report.rows:
        by_day[row.day].append(row)
    for day_row in report.days:
        for row in by_day[day_row.day]:
            sheet.append(line(row, row.day, row.agent))
        sheet.append(line(day_row, day_row.day, "合计"))
    sheet.append(line(report.total, report.day or "全部", "总计"))
    rate_columns = (len(headers) - 1, len(headers))
    for excel_row in sheet.iter_rows(min_row=3):
        for column in rate_columns:
            excel_row[column - 1].number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def progress(conn: Connection, campaign_id: int) -> Progress:
    campaign = get_campaign(conn, campaign_id)
    r = campaign_records.c
    by_status = {
        status: int(count)
        for status, count in conn.execute(
            sa.select(r.status, sa.func.count())
            .where(r.campaign_id == campaign_id)
            .group_by(r.status)
        ).all()
    }
    per_day: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    for key_day, _agent, outcome, meaning, count in _attempt_rows(conn, campaign_id, None):
        per_day[key_day].add(outcome, meaning, count)
        total.add(outcome, meaning, count)
    return Progress(
        campaign_id=campaign.id,
        records_total=sum(by_status.values()),
        records_left=by_status.get(PENDING, 0),
        by_status=by_status,
        attempts=total.attempts,
        contacts=total.contacts,
        successes=total.successes,
        days=[
            ProgressDay(
                day=key,
                attempts=per_day[key].attempts,
                contacts=per_day[key].contacts,
                successes=per_day[key].successes,
            )
            for key in sorted(per_day)
        ],
    )
