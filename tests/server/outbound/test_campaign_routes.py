"""Campaign routes over HTTP on SQLite and PostgreSQL: create/edit with defaults and refusals,
who may do what (an agent gets 403 on managing routes and sees only active campaigns), surveys
checked by common/surveys.py, the feedback report's numbers on a known data set, its XLSX
export, and progress."""

from __future__ import annotations

import io
import uuid as uuidlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from openpyxl import load_workbook

from agent_app.outbound.callback_times import CallingCalendar
from common.timestamps import iso
from tests.server.outbound.clocked import ClockedServer, User


def china(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00").astimezone(UTC)


def test_a_new_campaign_has_the_documented_defaults(app: ClockedServer) -> None:
    manager = app.user("manager")
    campaign = app.campaign(manager, business_line="property")
    assert campaign["calling_hours"]["days"] == [
        [["09:00", "12:00"], ["13:30", "20:00"]],
    ] * 5 + [[], []]
    assert campaign["max_attempts_per_day"] == 3
    assert campaign["no_time_retry_minutes"] == 240
    assert campaign["callback_mode"] == "agent" and campaign["status"] == "active"
    outcomes = campaign["retry_policy"]["outcomes"]
    assert outcomes["busy"] == {"retry": True, "delay_minutes": None, "max_attempts": 9}
    assert outcomes["success"]["retry"] is False
    assert campaign["created_by"] == manager.id


def test_create_and_edit_refusals(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    again = manager.http.post("/campaigns", json={"name": campaign["name"]})
    assert again.status_code == 409 and "已有名为" in again.text
    assert (
        manager.http.post("/campaigns", json={"name": "x", "business_line": "nope"}).status_code
        == 422
    )
    bad_hours = {"name": "y", "calling_hours": {"days": [[["12:00", "09:00"]]] + [[]] * 6}}
    assert manager.http.post("/campaigns", json=bad_hours).status_code == 422
    bad_policy = {"name": "z", "retry_policy": {"outcomes": {"maybe": {"retry": True}}}}
    assert manager.http.post("/campaigns", json=bad_policy).status_code == 422
    assert manager.http.post("/campaigns", json={"name": "a\x00b"}).status_code == 422
    # Types are strict: 0 is not false, "60" is not 60 (the fuzzer's finding).
    assert manager.http.post("/campaigns", json={"name": "b", "mask_numbers": 0}).status_code == 422
    loose = {"name": "c", "callback_handover_minutes": "60"}
    assert manager.http.post("/campaigns", json=loose).status_code == 422
    # A static path is never read as a campaign id.
    assert manager.http.patch("/campaigns/calendar", json={}).status_code == 405
    edited = manager.http.patch(
        f"/campaigns/{campaign['id']}",
        json={"callback_mode": "anyone", "callback_handover_minutes": 45, "mask_numbers": True},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["callback_mode"] == "anyone" and edited.json()["mask_numbers"] is True
    assert edited.json()["name"] == campaign["name"]  # untouched
    other = app.campaign(manager)
    clash = manager.http.patch(f"/campaigns/{other['id']}", json={"name": campaign["name"]})
    assert clash.status_code == 409
    assert manager.http.patch("/campaigns/999999", json={"status": "closed"}).status_code == 404


def test_roles(app: ClockedServer) -> None:
    manager, agent = app.user("supervisor"), app.user("agent")
    active = app.campaign(manager)
    paused = app.campaign(manager, status="paused")
    cid = active["id"]
    forbidden = [
        ("POST", "/campaigns", {"name": "agent's own"}),
        ("PATCH", f"/campaigns/{cid}", {"status": "closed"}),
        ("GET", f"/campaigns/{cid}/progress", None),
        ("GET", f"/campaigns/{cid}/report", None),
        ("GET", f"/campaigns/{cid}/report.xlsx", None),
        ("GET", "/campaigns/dnc", None),
        ("POST", "/campaigns/dnc", {"phone": "13800138000"}),
        ("DELETE", "/campaigns/dnc/1", None),
        ("GET", "/campaigns/calendar", None),
        ("PUT", "/campaigns/calendar", {"overrides": []}),
        ("POST", "/campaigns/surveys", {"name": "s", "definition": {}}),
    ]
    for method, path, body in forbidden:
        response = agent.http.request(method, path, json=body)
        assert response.status_code == 403, (method, path, response.text)
        assert "当前角色无此权限" in response.text
    ids = [c["id"] for c in agent.http.get("/campaigns").json()]
    assert cid in ids and paused["id"] not in ids
    assert paused["id"] in [c["id"] for c in manager.http.get("/campaigns").json()]
    assert agent.http.get(f"/campaigns/{cid}").status_code == 200
    assert agent.http.get(f"/campaigns/{paused['id']}").status_code == 404
    assert agent.http.get("/campaigns/surveys").status_code == 200
    with httpx.Client(base_url=app.url) as anonymous:
        assert anonymous.get("/campaigns").status_code == 401
        assert anonymous.post(f"/campaigns/{cid}/next").status_code == 401


SURVEY = {
    "questions": [
        {"id": "q1", "type": "rating", "text": "您对物业服务满意吗？", "required": True},
        {"id": "q2", "type": "text", "text": "还有什么建议？"},
    ]
}


def test_surveys_are_checked_and_versioned(app: ClockedServer) -> None:
    manager, agent = app.user("supervisor"), app.user("agent")
    made = manager.http.post(
        "/campaigns/surveys", json={"name": "满意度回访", "definition": SURVEY}
    )
    assert made.status_code == 201, made.text
    survey = made.json()
    assert survey["version"] == 1 and survey["definition"]["questions"][0]["id"] == "q1"
    assert survey["definition"]["uuid"] == survey["uuid"]
    broken = {"questions": [{"id": "q1", "type": "rating", "text": ""}] * 2}  # a repeated id
    refused = manager.http.post("/campaigns/surveys", json={"name": "坏问卷", "definition": broken})
    assert refused.status_code == 422 and "问卷定义无效" in refused.text
    changed = manager.http.put(
        f"/campaigns/surveys/{survey['uuid']}",
        json={"name": "满意度回访二", "definition": SURVEY},
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert agent.http.get(f"/campaigns/surveys/{survey['uuid']}").json()["name"] == "满意度回访二"
    campaign = app.campaign(manager, survey_uuid=survey["uuid"])
    assert campaign["survey_uuid"] == survey["uuid"]
    unknown = manager.http.post(
        "/campaigns", json={"name": "q", "survey_uuid": str(uuidlib.uuid4())}
    )
    assert unknown.status_code == 422


def _attempt(record: int, campaign: int, outcome: str, started: datetime) -> dict[str, Any]:
    return {
        "uuid": str(uuidlib.uuid4()),
        "record_id": record,
        "campaign_id": campaign,
        "outcome": outcome,
        "started_at": iso(started),
        "ended_at": iso(started + timedelta(minutes=1)),
    }


def _known_data(app: ClockedServer) -> tuple[dict[str, Any], User, User, User]:
    """Monday 14th: A busy, no_answer, success; B success, not_successful.
    Tuesday 15th (China time): A wrong_contact at 00:30 China (still the 14th in UTC)."""
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager)
    cid = campaign["id"]
    r = app.records(cid, [f"1370013{i:04d}" for i in range(6)])
    app.clock.now = china("2026-09-15", "10:00")
    monday = china("2026-09-14", "10:00")
    a_items = [
        _attempt(r[0], cid, "busy", monday),
        _attempt(r[1], cid, "no_answer", monday + timedelta(minutes=5)),
        _attempt(r[2], cid, "success", monday + timedelta(minutes=10)),
        _attempt(r[3], cid, "wrong_contact", china("2026-09-15", "00:30")),
    ]
    b_items = [
        _attempt(r[4], cid, "success", monday + timedelta(hours=1)),
        _attempt(r[5], cid, "not_successful", monday + timedelta(hours=2)),
    ]
    for user, items in ((a, a_items), (b, b_items)):
        response = user.http.post("/campaigns/attempts/batch", json={"items": items})
        assert [x["status"] for x in response.json()["results"]] == ["stored"] * len(items)
    return campaign, manager, a, b


def test_the_report_counts_a_known_data_set(app: ClockedServer) -> None:
    campaign, manager, a, b = _known_data(app)
    report = manager.http.get(f"/campaigns/{campaign['id']}/report").json()
    assert report["outcomes"][:7] == [
        "wrong_contact",
        "empty_number",
        "number_changed",
        "busy",
        "no_answer",
        "success",
        "not_successful",
    ]
    rows = {(row["day"], row["agent"]): row for row in report["rows"]}
    assert set(rows) == {
        ("2026-09-14", a.username),
        ("2026-09-14", b.username),
        ("2026-09-15", a.username),
    }
    a_monday = rows[("2026-09-14", a.username)]
    assert a_monday["attempts"] == 3
    assert a_monday["outcomes"] == {"busy": 1, "no_answer": 1, "success": 1}
    assert (a_monday["contacts"], a_monday["successes"]) == (1, 1)
    assert a_monday["contact_rate"] == round(1 / 3, 4)
    b_monday = rows[("2026-09-14", b.username)]
    assert (b_monday["attempts"], b_monday["contacts"], b_monday["successes"]) == (2, 2, 1)
    assert b_monday["contact_rate"] == 1.0 and b_monday["success_rate"] == 0.5
    days = {row["day"]: row for row in report["days"]}
    assert days["2026-09-14"]["attempts"] == 5 and days["2026-09-14"]["successes"] == 2
    assert days["2026-09-15"]["outcomes"] == {"wrong_contact": 1}
    assert days["2026-09-15"]["contacts"] == 0  # a wrong contact is not the customer
    total = report["total"]
    assert (total["attempts"], total["contacts"], total["successes"]) == (6, 3, 2)
    assert total["success_rate"] == round(2 / 6, 4)
    one_day = manager.http.get(f"/campaigns/{campaign['id']}/report", params={"day": "2026-09-15"})
    assert one_day.json()["day"] == "2026-09-15" and one_day.json()["total"]["attempts"] == 1
    bad = manager.http.get(f"/campaigns/{campaign['id']}/report", params={"day": "15/09/2026"})
    assert bad.status_code == 422


def test_the_report_exports_to_xlsx(app: ClockedServer) -> None:
    campaign, manager, a, b = _known_data(app)
    response = manager.http.get(f"/campaigns/{campaign['id']}/report.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["反馈报表"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    headers = values[1]
    assert headers[:3] == ["日期", "坐席", "呼叫次数"]
    assert headers[3:10] == [
        "错误的联系人",
        "空号/传真",
        "号码已改变",
        "忙音",
        "无人接听",
        "成功联系",
        "不成功",
    ]
    assert headers[-4:] == ["接通数", "成功数", "接通率", "成功率"]
    lines = {(row[0], row[1]): row for row in values[2:]}
    a_monday = lines[("2026-09-14", a.username)]
    assert a_monday[2] == 3 and a_monday[headers.index("忙音")] == 1
    assert lines[("2026-09-14", "合计")][2] == 5
    assert lines[("2026-09-15", "合计")][headers.index("错误的联系人")] == 1
    total = lines[("全部", "总计")]
    assert total[2] == 6 and total[headers.index("成功数")] == 2
    assert abs(total[headers.index("成功率")] - 2 / 6) < 1e-3


def test_progress_counts_records_and_the_daily_series(app: ClockedServer) -> None:
    campaign, manager, _a, _b = _known_data(app)
    progress = manager.http.get(f"/campaigns/{campaign['id']}/progress").json()
    # busy and no_answer come back; success x2 and not_successful are done; wrong_contact closed.
    assert progress["records_total"] == 6 and progress["records_left"] == 2
    assert progress["by_status"] == {"pending": 2, "done": 3, "closed": 1}
    assert (progress["attempts"], progress["contacts"], progress["successes"]) == (6, 3, 2)
    assert progress["days"] == [
        {"day": "2026-09-14", "attempts": 5, "contacts": 3, "successes": 2},
        {"day": "2026-09-15", "attempts": 1, "contacts": 0, "successes": 0},
    ]
    listed = {c["id"]: c for c in manager.http.get("/campaigns").json()}
    assert (listed[campaign["id"]]["records_total"], listed[campaign["id"]]["records_left"]) == (
        6,
        2,
    )


def test_the_xlsx_export_survives_control_characters_in_names(app: ClockedServer) -> None:
    """Found by the API fuzzer: a campaign name with a control character (the API allows it)
    made openpyxl refuse the cell and the export answer 500."""
    manager = app.user("supervisor")
    campaign = app.campaign(manager, name="回访\x01活动\x1f")
    response = manager.http.get(f"/campaigns/{campaign['id']}/report.xlsx")
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["反馈报表"]
    assert sheet["A1"].value == "外呼活动：回访活动"


def test_agents_get_the_centers_calendar_overrides_with_the_campaigns(app: ClockedServer) -> None:
    """The window's callback picker keeps to the days the center closed or opened: the
    overrides from today on come with every campaign an agent lists, and the picker's calendar
    (agent_app/outbound/callback_times.py) reads them from that very reply."""
    manager, agent = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager)
    overrides = [
        {"day": "2026-09-01", "kind": "closed", "note": "已过去"},
        {"day": "2026-09-16", "kind": "closed", "note": "停电检修"},  # a Wednesday
        {"day": "2026-09-19", "kind": "workday", "note": "加班"},  # a Saturday
    ]
    put = manager.http.put("/campaigns/calendar", json={"overrides": overrides})
    assert put.status_code == 200, put.text
    try:
        listed = agent.http.get("/campaigns")
        assert listed.status_code == 200
        [mine] = [c for c in listed.json() if c["id"] == campaign["id"]]
        # Today is Monday 2026-09-14: the override of a past day is left out.
        assert [o["day"] for o in mine["holiday_overrides"]] == ["2026-09-16", "2026-09-19"]
        calendar = CallingCalendar.for_campaign(mine)
        assert calendar.windows(date(2026, 9, 16)) == []
        assert calendar.windows(date(2026, 9, 19)) == calendar.windows(date(2026, 9, 14))
        assert calendar.windows(date(2026, 9, 17)) != []
    finally:
        assert manager.http.put("/campaigns/calendar", json={"overrides": []}).status_code == 200
