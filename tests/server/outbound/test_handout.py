"""The record hand-out over HTTP on SQLite and PostgreSQL, with the app's clock moved by the
test: the order (callbacks, calling hours, DNC, due records), locks (held, renewed, released,
expired), masking, and agents asking at the same moment never getting the same record."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from common.timestamps import iso
from tests.server.outbound.clocked import MONDAY_10, ClockedServer, User


def china(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00").astimezone(UTC)


def next_of(user: User, campaign_id: int) -> dict[str, Any]:
    response = user.http.post(f"/campaigns/{campaign_id}/next")
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


def next_id(user: User, campaign_id: int) -> int | None:
    record = next_of(user, campaign_id)["record"]
    return None if record is None else int(record["id"])


def phones(count: int, start: int = 0) -> list[str]:
    return [f"1380013{start + i:04d}" for i in range(count)]


def test_records_are_handed_out_in_list_order_and_locked(app: ClockedServer) -> None:
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager)
    ids = app.records(campaign["id"], phones(3))
    first = next_of(a, campaign["id"])["record"]
    assert first["id"] == ids[0]
    assert first["locked_by"] == a.id
    assert first["locked_until"] == iso(MONDAY_10 + timedelta(minutes=15))
    assert first["fields"] == {"楼盘": "阳光花园"} and first["name"] == "客户1"
    assert next_id(b, campaign["id"]) == ids[1]
    # Asking again gives the record the agent holds, not another one.
    assert next_id(a, campaign["id"]) == ids[0]
    assert app.record(ids[2]).locked_by is None


def test_due_retries_come_oldest_first_before_records_never_tried(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    fresh, one_hour, two_hours, later = app.records(campaign["id"], phones(4, 100))
    app.set_record(one_hour, due_at=iso(MONDAY_10 - timedelta(hours=1)))
    app.set_record(two_hours, due_at=iso(MONDAY_10 - timedelta(hours=2)))
    app.set_record(later, due_at=iso(MONDAY_10 + timedelta(hours=1)))
    got = [next_id(app.user("agent"), campaign["id"]) for _ in range(4)]
    assert got == [two_hours, one_hour, fresh, None]
    for worked in (two_hours, one_hour, fresh):
        app.set_record(worked, status="done")
    app.clock.advance(3600)
    assert next_id(app.user("agent"), campaign["id"]) == later


def test_callbacks_first_own_then_open_to_anyone(app: ClockedServer) -> None:
    manager, a, b, c = (
        app.user("supervisor"),
        app.user("agent"),
        app.user("agent"),
        app.user("agent"),
    )
    campaign = app.campaign(manager, callback_mode="anyone", callback_handover_minutes=30)
    fresh, a_own, b_open, b_kept = app.records(campaign["id"], phones(4, 200))
    earlier = iso(MONDAY_10 - timedelta(hours=1))
    app.set_record(a_own, callback_agent_id=a.id, due_at=iso(MONDAY_10 - timedelta(minutes=5)))
    app.set_record(
        b_open,
        callback_agent_id=b.id,
        due_at=earlier,
        callback_open_at=iso(MONDAY_10 - timedelta(minutes=30)),
    )
    # B's other callback opens to anyone only in 10 minutes.
    app.set_record(
        b_kept,
        callback_agent_id=b.id,
        due_at=earlier,
        callback_open_at=iso(MONDAY_10 + timedelta(minutes=10)),
    )
    assert next_id(a, campaign["id"]) == a_own  # own callback before anything else
    assert next_id(c, campaign["id"]) == b_open  # handed over: before the fresh record
    assert next_id(app.user("agent"), campaign["id"]) == fresh
    assert next_id(app.user("agent"), campaign["id"]) is None
    assert next_id(b, campaign["id"]) == b_kept  # still B's own


def test_outside_hours_and_on_holidays_only_callbacks_are_handed_out(app: ClockedServer) -> None:
    manager, a = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager)
    fresh, callback = app.records(campaign["id"], phones(2, 300))
    app.clock.now = china("2026-09-14", "12:30")  # lunch break
    app.set_record(callback, callback_agent_id=a.id, due_at=iso(china("2026-09-14", "12:15")))
    assert next_of(app.user("agent"), campaign["id"]) == {"record": None, "reason": "outside_hours"}
    assert next_id(a, campaign["id"]) == callback
    app.clock.now = china("2026-10-01", "10:00")  # National Day
    assert next_of(app.user("agent"), campaign["id"])["reason"] == "closed_day"
    app.clock.now = china("2026-09-19", "10:00")  # an ordinary Saturday
    assert next_of(app.user("agent"), campaign["id"])["reason"] == "closed_day"
    app.clock.now = china("2026-09-20", "10:00")  # Sunday, a 调休 working day
    assert next_id(app.user("agent"), campaign["id"]) == fresh


def test_a_centers_override_closes_the_day(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    app.records(campaign["id"], phones(1, 350))
    put = manager.http.put(
        "/campaigns/calendar",
        json={"overrides": [{"day": "2026-09-14", "kind": "closed", "note": "停电"}]},
    )
    assert put.status_code == 200, put.text
    assert put.json()["overrides"] == [{"day": "2026-09-14", "kind": "closed", "note": "停电"}]
    try:
        assert next_of(app.user("agent"), campaign["id"])["reason"] == "closed_day"
    finally:
        assert manager.http.put("/campaigns/calendar", json={"overrides": []}).status_code == 200
    assert next_of(app.user("agent"), campaign["id"])["record"] is not None


def test_do_not_call_numbers_are_marked_and_skipped(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    other = app.campaign(manager)
    listed, campaign_listed, elsewhere, free = app.records(campaign["id"], phones(4, 400))
    # Written differently from the record: one key.
    added = manager.http.post("/campaigns/dnc", json={"phone": "+86 138-0013-0400"})
    assert added.status_code == 201, added.text
    assert added.json()["phone_key"] == "13800130400" and added.json()["campaign_id"] is None
    own = {"phone": "13800130401", "campaign_id": campaign["id"], "reason": "客户要求"}
    assert manager.http.post("/campaigns/dnc", json=own).status_code == 201
    # Another campaign's list does not apply here.
    not_here = {"phone": "13800130402", "campaign_id": other["id"]}
    assert manager.http.post("/campaigns/dnc", json=not_here).status_code == 201
    assert next_id(app.user("agent"), campaign["id"]) == elsewhere
    assert next_id(app.user("agent"), campaign["id"]) == free
    assert app.record(listed).status == "dnc"
    assert app.record(campaign_listed).status == "dnc"
    listing = manager.http.get("/campaigns/dnc", params={"campaign_id": campaign["id"]})
    assert [item["phone_key"] for item in listing.json()] == ["13800130401"]
    bad = manager.http.post("/campaigns/dnc", json={"phone": "12345"})
    assert bad.status_code == 422 and "不是有效的电话号码" in bad.text
    removed = manager.http.delete(f"/campaigns/dnc/{added.json()['id']}")
    assert removed.status_code == 204
    assert manager.http.delete(f"/campaigns/dnc/{added.json()['id']}").status_code == 404


def test_an_expired_lock_returns_the_record(app: ClockedServer) -> None:
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], phones(1, 500))
    assert next_id(a, campaign["id"]) == record
    app.clock.advance(14 * 60)
    assert next_of(b, campaign["id"]) == {"record": None, "reason": "empty"}
    app.clock.advance(2 * 60)  # 16 minutes: A's client crashed and never renewed
    assert next_id(b, campaign["id"]) == record
    # A can neither keep it nor take it from B by releasing.
    renew = a.http.post(f"/campaigns/records/{record}/renew")
    assert renew.status_code == 409 and "不归您处理" in renew.text
    assert a.http.post(f"/campaigns/records/{record}/release").status_code == 200
    assert app.record(record).locked_by == b.id


def test_renewing_keeps_the_lock_and_release_gives_it_back(app: ClockedServer) -> None:
    manager, a, b = app.user("supervisor"), app.user("agent"), app.user("agent")
    campaign = app.campaign(manager)
    (record,) = app.records(campaign["id"], phones(1, 600))
    assert next_id(a, campaign["id"]) == record
    app.clock.advance(10 * 60)
    renewed = a.http.post(f"/campaigns/records/{record}/renew")
    assert renewed.status_code == 200
    assert renewed.json()["locked_until"] == iso(app.clock.now + timedelta(minutes=15))
    app.clock.advance(10 * 60)  # 20 minutes after the hand-out, 10 after the renewal
    assert next_id(b, campaign["id"]) is None
    released = a.http.post(f"/campaigns/records/{record}/release")
    assert released.json() == {"record_id": record, "locked_until": None}
    assert next_id(b, campaign["id"]) == record
    assert a.http.post("/campaigns/records/999999/renew").status_code == 404


def test_paused_campaigns_hand_out_nothing(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    app.records(campaign["id"], phones(1, 700))
    paused = manager.http.patch(f"/campaigns/{campaign['id']}", json={"status": "paused"})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert next_of(manager, campaign["id"]) == {"record": None, "reason": "not_active"}
    assert manager.http.post("/campaigns/999999/next").status_code == 404


def test_numbers_are_masked_for_agents_when_the_campaign_says_so(app: ClockedServer) -> None:
    manager, agent = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager, mask_numbers=True)
    app.records(campaign["id"], ["13800138000", "13900139000"])
    record = next_of(agent, campaign["id"])["record"]
    assert record["phone"] == "138****8000" and record["phone_masked"] is True
    assert record["dial_number"] == "13800138000"  # what the softphone dials
    unmasked = next_of(manager, campaign["id"])["record"]
    assert unmasked["phone"] == "13900139000" and unmasked["phone_masked"] is False


def test_agents_asking_at_once_never_get_the_same_record(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    ids = app.records(campaign["id"], phones(16, 800))
    agents = [app.user("agent") for _ in range(24)]
    barrier = threading.Barrier(len(agents))
    got: dict[int, int | None] = {}
    errors: list[BaseException] = []

    def ask(agent: User) -> None:
        try:
            barrier.wait(30)
            got[agent.id] = next_id(agent, campaign["id"])
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    handed = [record for record in got.values() if record is not None]
    assert len(handed) == len(set(handed)) == 16  # each record to one agent
    assert set(handed) == set(ids)
    assert sum(record is None for record in got.values()) == 8
    for agent_id, record in got.items():
        if record is not None:
            assert app.record(record).locked_by == agent_id


def test_a_disabled_agents_callbacks_and_records_go_to_the_others(app: ClockedServer) -> None:
    """In 'agent' mode a callback waits for the agent who agreed it; when an admin disables
    that agent (they left the center), it opens to anyone at once, and the record they held
    is free at once instead of 15 minutes later."""
    admin, manager = app.user("admin"), app.user("supervisor")
    leaver, colleague = app.user("agent"), app.user("agent")
    campaign = app.campaign(manager, callback_mode="agent")
    [callback, other] = app.records(campaign["id"], phones(2, 600))
    # The users service stamps with the real clock: the hand-out's clock follows it here.
    app.clock.now = datetime.now(UTC).replace(microsecond=0)
    due = iso(app.clock.now - timedelta(minutes=5))
    app.set_record(callback, callback_agent_id=leaver.id, due_at=due)
    app.set_record(other, callback_agent_id=leaver.id, due_at=due)
    assert next_id(leaver, campaign["id"]) == callback  # held by the leaver now
    assert next_id(colleague, campaign["id"]) is None  # both are the leaver's alone
    reply = admin.http.patch(f"/users/{leaver.id}", json={"disabled": True})
    assert reply.status_code == 200, reply.text
    # After the users service stamped the hand-over with the real clock.
    app.clock.now = datetime.now(UTC) + timedelta(seconds=1)
    taken = {next_id(colleague, campaign["id"]), next_id(app.user("agent"), campaign["id"])}
    assert taken == {callback, other}
    assert app.record(other).callback_open_at is not None
