"""Attempts from the outbox over HTTP (POST /campaigns/attempts/batch), on SQLite and
PostgreSQL: idempotent by uuid, one acknowledgement per item, outcome codes checked against the
center's known codes (a deactivated one still records: the call happened), the retry engine applied, callbacks back to their agent (or to anyone
after the hand-over delay), a late attempt never undoing a newer one."""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from common.timestamps import iso
from server.tables import campaign_attempts, center_codes
from tests.server.outbound.clocked import MONDAY_10, ClockedServer, User


def china(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00").astimezone(UTC)


def item(
    record_id: int, campaign_id: int, outcome: str, started: datetime, **extra: Any
) -> dict[str, Any]:
    body = {
        "uuid": str(uuidlib.uuid4()),
        "record_id": record_id,
        "campaign_id": campaign_id,
        "outcome": outcome,
        "started_at": iso(started),
        "ended_at": iso(started + timedelta(minutes=2)),
    }
    body.update(extra)
    return body


def push(user: User, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = user.http.post("/campaigns/attempts/batch", json={"items": items})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def next_id(user: User, campaign_id: int) -> int | None:
    record = user.http.post(f"/campaigns/{campaign_id}/next").json()["record"]
    return None if record is None else int(record["id"])


def attempts_of(app: ClockedServer, record_id: int) -> int:
    with app.db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(campaign_attempts)
                .where(campaign_attempts.c.record_id == record_id)
            ).scalar_one()
        )


def test_a_batch_is_idempotent_by_uuid(app: ClockedServer) -> None:
    manager, agent = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], ["13800138001"])
    assert next_id(agent, campaign["id"]) == record
    attempt = item(record, campaign["id"], "no_answer", MONDAY_10, answers={"q1": 4})
    assert push(agent, [attempt]) == [{"uuid": attempt["uuid"], "status": "stored", "errors": []}]
    assert push(agent, [attempt])[0]["status"] == "duplicate"
    row = app.record(record)
    assert row.attempts_total == 1 and attempts_of(app, record) == 1
    # The retry engine ran once: due 4 hours after the call ended, the lock given back.
    assert row.status == "pending" and row.last_outcome == "no_answer"
    assert row.due_at == iso(MONDAY_10 + timedelta(minutes=2, hours=4))
    assert row.locked_by is None and row.attempts_day == "2026-09-14"


def test_each_item_is_judged_on_its_own(app: ClockedServer) -> None:
    manager, agent = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager)
    other = app.campaign(manager)
    (record,) = app.records(campaign["id"], ["13800138002"])
    with app.db.write() as conn:
        conn.execute(
            center_codes.insert(),
            [
                {
                    "kind": "outcome",
                    "code": f"{name}_{campaign['id']}",
                    "name_zh": name,
                    "meaning": "busy",
                    "active": active,
                    "updated_at": iso(),
                }
                for name, active in (("占线", True), ("旧结果", False))
            ],
        )
    good = item(record, campaign["id"], f"占线_{campaign['id']}", MONDAY_10)
    unknown = item(record, campaign["id"], "nonsense", MONDAY_10)
    inactive = item(record, campaign["id"], f"旧结果_{campaign['id']}", MONDAY_10)
    wrong_campaign = item(record, other["id"], "busy", MONDAY_10)
    bad_uuid = {**item(record, campaign["id"], "busy", MONDAY_10), "uuid": "not-a-uuid"}
    backwards = item(
        record, campaign["id"], "busy", MONDAY_10, ended_at=iso(MONDAY_10 - timedelta(1))
    )
    results = push(agent, [good, unknown, inactive, wrong_campaign, bad_uuid, backwards])
    assert [r["status"] for r in results] == ["stored", "rejected", "stored"] + ["rejected"] * 3
    assert results[1]["errors"][0]["loc"] == ["outcome"]
    assert "未知的外呼结果代码：nonsense" in results[1]["errors"][0]["msg"]
    assert "unknown outcome code: nonsense" in results[1]["errors"][0]["msg"]
    assert results[3]["errors"][0]["loc"] == ["record_id"]
    # A center's own code acts by its meaning (busy: retried after 240 minutes), a deactivated
    # one too (it was recorded before the code went away).
    row = app.record(record)
    assert row.last_outcome == f"旧结果_{campaign['id']}"
    assert row.due_at == iso(MONDAY_10 + timedelta(minutes=242))
    assert attempts_of(app, record) == 2


def test_an_attempt_with_a_code_deactivated_meanwhile_is_recorded_with_its_meaning(
    app: ClockedServer,
) -> None:
    """An agent records an attempt offline; a manager deactivates its outcome code before the
    outbox is back online. The attempt is a call that happened: it is stored, by the code's
    meaning, not refused (which would lose it)."""
    manager, agent = app.user("manager"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], ["13800138009"])
    code = f"无人应答_{campaign['id']}"
    made = manager.http.post(
        "/taxonomy/codes/outcome",
        json={"code": code, "name_zh": "无人应答", "meaning": "no_answer"},
    )
    assert made.status_code == 201, made.text
    assert next_id(agent, campaign["id"]) == record
    offline = item(record, campaign["id"], code, MONDAY_10)  # in the agent's outbox
    off = manager.http.patch(f"/taxonomy/codes/outcome/{code}", json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False, off.text
    assert push(agent, [offline]) == [{"uuid": offline["uuid"], "status": "stored", "errors": []}]
    with app.db.read() as conn:
        stored = conn.execute(
            sa.select(campaign_attempts).where(campaign_attempts.c.uuid == offline["uuid"])
        ).one()
    assert (stored.outcome, stored.meaning) == (code, "no_answer")
    # The retry engine acted on the meaning: no answer comes back 4 hours after the call.
    row = app.record(record)
    assert row.last_outcome == code and row.status == "pending"
    assert row.due_at == iso(MONDAY_10 + timedelta(minutes=2, hours=4))


def test_a_late_attempt_does_not_undo_a_newer_one(app: ClockedServer) -> None:
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], ["13800138003"])
    newer = item(record, campaign["id"], "success", MONDAY_10 + timedelta(minutes=30))
    older = item(record, campaign["id"], "no_answer", MONDAY_10)
    assert push(b, [newer])[0]["status"] == "stored"
    assert push(a, [older])[0]["status"] == "stored"  # kept: the call happened
    row = app.record(record)
    assert row.status == "done" and row.last_outcome == "success"
    assert attempts_of(app, record) == 2


def test_an_attempt_on_a_record_another_agent_holds_keeps_their_lock(app: ClockedServer) -> None:
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], ["13800138004"])
    assert next_id(a, campaign["id"]) == record
    assert push(b, [item(record, campaign["id"], "busy", MONDAY_10)])[0]["status"] == "stored"
    row = app.record(record)
    assert row.locked_by == a.id and row.attempts_total == 1


def test_an_agreed_callback_comes_back_to_the_same_agent(app: ClockedServer) -> None:
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], ["13800138005"])
    when = china("2026-09-15", "10:00")
    assert next_id(a, campaign["id"]) == record
    pushed = push(
        a, [item(record, campaign["id"], "not_successful", MONDAY_10, callback_at=iso(when))]
    )
    assert pushed[0]["status"] == "stored"
    callbacks = a.http.get("/campaigns/callbacks").json()
    assert [(c["record_id"], c["due_at"], c["due"]) for c in callbacks] == [
        (record, iso(when), False)
    ]
    assert b.http.get("/campaigns/callbacks").json() == []
    app.clock.now = when + timedelta(minutes=1)
    assert a.http.get("/campaigns/callbacks").json()[0]["due"] is True
    assert next_id(b, campaign["id"]) is None  # not B's, ever ('agent' mode)
    app.clock.now = when + timedelta(days=1)
    assert next_id(b, campaign["id"]) is None
    assert next_id(a, campaign["id"]) == record


def test_anyone_mode_hands_a_callback_over_after_the_delay(app: ClockedServer) -> None:
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager, callback_mode="anyone", callback_handover_minutes=30)
    (record,) = app.records(campaign["id"], ["13800138006"])
    when = china("2026-09-14", "15:00")
    push(a, [item(record, campaign["id"], "busy", MONDAY_10, callback_at=iso(when))])
    app.clock.now = when + timedelta(minutes=29)
    assert next_id(b, campaign["id"]) is None
    assert b.http.get("/campaigns/callbacks", params={"mine": "false"}).json() == []
    app.clock.now = when + timedelta(minutes=31)
    open_ones = b.http.get("/campaigns/callbacks", params={"mine": "false"}).json()
    assert [(c["record_id"], c["open_to_anyone"]) for c in open_ones] == [(record, True)]
    assert next_id(b, campaign["id"]) == record


def test_a_changed_number_replaces_the_old_one_and_is_due_at_once(app: ClockedServer) -> None:
    manager, agent = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager)
    record, taken = app.records(campaign["id"], ["13800138007", "13800138008"])
    changed = item(record, campaign["id"], "number_changed", MONDAY_10, new_phone="139 0013 9007")
    assert push(agent, [changed])[0]["status"] == "stored"
    row = app.record(record)
    assert row.phone_key == "13900139007" and row.phone == "139 0013 9007"
    assert row.status == "pending" and row.due_at == iso(MONDAY_10 + timedelta(minutes=2))
    app.clock.now = MONDAY_10 + timedelta(minutes=3)  # the call ended at 10:02
    assert next_id(agent, campaign["id"]) == record  # a due retry before a fresh record
    # A new number another record of the campaign has: that record is the customer's now.
    clash = item(taken, campaign["id"], "number_changed", MONDAY_10, new_phone="13900139007")
    assert push(agent, [clash])[0]["status"] == "stored"
    assert app.record(taken).status == "closed" and app.record(taken).phone_key == "13800138008"


def test_max_attempts_exhaust_the_record(app: ClockedServer) -> None:
    manager, agent = app.user("supervisor"), app.user("agent")
    policy = {"outcomes": {"busy": {"retry": True, "delay_minutes": 10, "max_attempts": 2}}}
    campaign = app.campaign(manager, retry_policy=policy)
    (record,) = app.records(campaign["id"], ["13800138009"])
    push(agent, [item(record, campaign["id"], "busy", MONDAY_10)])
    assert app.record(record).due_at == iso(MONDAY_10 + timedelta(minutes=12))
    push(agent, [item(record, campaign["id"], "busy", MONDAY_10 + timedelta(minutes=12))])
    row = app.record(record)
    assert row.status == "exhausted" and row.due_at is None
    assert next_id(agent, campaign["id"]) is None


def test_a_record_nobody_answers_comes_back_every_4_hours_then_the_next_working_day(
    app: ClockedServer,
) -> None:
    """The retry engine and the hand-out together, the clock moved by the test: three calls on
    Friday 2026-10-09 (09:30, 13:32, 17:34), then Saturday the 10th (a 调休 working day) at
    09:00, and nothing in between."""
    manager, agent = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], ["13800138010"])
    app.clock.now = china("2026-10-09", "09:30")
    for expected_next in ("13:32", "17:34"):  # 4 hours after each call ended (2 min)
        assert next_id(agent, campaign["id"]) == record
        pushed = push(agent, [item(record, campaign["id"], "no_answer", app.clock.now)])
        assert pushed[0]["status"] == "stored"
        due = china("2026-10-09", expected_next)
        assert app.record(record).due_at == iso(due)
        app.clock.now = due - timedelta(minutes=1)
        assert next_id(agent, campaign["id"]) is None
        app.clock.now = due
    assert next_id(agent, campaign["id"]) == record
    push(agent, [item(record, campaign["id"], "no_answer", app.clock.now)])
    row = app.record(record)
    assert (row.attempts_today, row.attempts_total) == (3, 3)
    assert row.due_at == iso(china("2026-10-10", "09:00"))
    app.clock.now = china("2026-10-09", "19:59")
    assert next_id(agent, campaign["id"]) is None
    app.clock.now = china("2026-10-10", "09:00")
    assert next_id(agent, campaign["id"]) == record
