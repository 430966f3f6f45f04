"""The center's wrap-up categories and not-ready reasons are server data (issue 11 #13): the
workstation mirrors them from the feed (agent_app/common/code_lists.py) and the wrap-up panel
and the state menu offer the center's active codes in its order, the built-in ones before the
first sync; a deactivated code is no longer offered but still names what carries it."""

from __future__ import annotations

import uuid as uuidlib
from pathlib import Path

import httpx

from agent_app.common.code_lists import CodeLists
from agent_app.seat.agent_state import DEFAULT_NOT_READY_REASONS, AgentState
from agent_app.seat.call_log import DEFAULT_WRAP_UP_CATEGORIES
from agent_app.seat.qt.seat import record_id
from common.codes import Code
from localdb import LocalDatabase
from tests.agent_app.phone.test_phone_bar import feed, registered
from tests.helpers.phone_events import FakeCall


def _code(kind: str, code: str, name: str, **fields: object) -> dict[str, object]:
    return {
        "kind": kind,
        "code": code,
        "name_zh": name,
        "name_en": fields.pop("name_en", name),
        "active": fields.pop("active", True),
        "sort_order": fields.pop("sort_order", 0),
        "updated_at": fields.pop("updated_at", "2026-12-06T10:00:00.000+00:00"),
        **fields,
    }


def test_the_mirror_keeps_the_centers_order_and_falls_back_before_a_sync(tmp_path: Path) -> None:
    database = LocalDatabase(tmp_path / "seatdesk.db")
    try:
        lists = CodeLists(database)
        defaults = DEFAULT_NOT_READY_REASONS
        assert lists.codes("not_ready", defaults) == defaults, "before a sync: the built-in"
        assert lists.apply(_code("not_ready", "coaching", "辅导", name_en="Coaching", sort_order=2))
        assert lists.apply(_code("not_ready", "lunch", "午餐", sort_order=1))
        assert lists.codes("not_ready", defaults) == (
            Code("lunch", "午餐", "午餐"),
            Code("coaching", "辅导", "Coaching"),
        )
        # The same state again changes nothing; an older one (a replayed page) is ignored.
        assert not lists.apply(_code("not_ready", "lunch", "午餐", sort_order=1))
        older = _code("not_ready", "lunch", "旧", updated_at="2026-12-06T09:00:00.000+00:00")
        assert not lists.apply(older)
        off = _code(
            "not_ready", "lunch", "午餐", active=False, updated_at="2026-12-06T11:00:00.000+00:00"
        )
        assert lists.apply(off)
        assert [c.code for c in lists.codes("not_ready", defaults)] == ["coaching"]
        named = lists.codes("not_ready", defaults, include_inactive=True)
        assert [c.code for c in named[:2]] == ["lunch", "coaching"], "inactive ones still name"
        # Codes the workstation used before its first sync keep their names too.
        assert {c.code for c in named} >= {c.code for c in defaults}
        # Other lists stay on their defaults; kinds this version does not know are skipped.
        assert lists.codes("wrap_up", DEFAULT_WRAP_UP_CATEGORIES) == DEFAULT_WRAP_UP_CATEGORIES
        assert not lists.apply(_code("colour", "red", "红"))
        assert lists.apply(_code("outcome", "refused", "拒访", meaning="not_successful"))
        assert lists.meanings() == {"refused": "not_successful"}
    finally:
        database.close()


def test_a_running_seat_offers_what_the_manager_sets_on_the_server(
    qtbot, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    manager = api(backend.url, backend.new_user("manager"))
    agent = logged_in_app(backend.url, backend.new_user("agent"))
    seat, bar, panel = agent.seat, agent.phone.bar, agent.phone.wrap_panel
    registered(qtbot, agent)
    tag = uuidlib.uuid4().hex[:6]
    reason, category = "coaching_" + tag, "refund_" + tag
    headers = {"Authorization": f"Bearer {manager.token}"}
    with httpx.Client(base_url=backend.url, headers=headers, timeout=30) as http:
        made = http.post(
            "/taxonomy/codes/not_ready",
            json={"code": reason, "name_zh": "辅导" + tag, "name_en": "Coaching"},
        )
        assert made.status_code == 201, made.text
        made = http.post(
            "/taxonomy/codes/wrap_up", json={"code": category, "name_zh": "退款" + tag}
        )
        assert made.status_code == 201, made.text

        # The state menu offers the new reason after the center's others, and it works.
        qtbot.waitUntil(lambda: f"not_ready:{reason}" in bar.state_actions, timeout=15_000)
        offered = [k for k in bar.state_actions if k.startswith("not_ready:")]
        seeded = [f"not_ready:{c.code}" for c in DEFAULT_NOT_READY_REASONS]
        # (The shared backend may hold other tests' reasons too: the seeded ones keep their order.)
        assert [k for k in offered if k in seeded] == seeded
        assert offered[-1] == f"not_ready:{reason}"
        bar.state_actions[f"not_ready:{reason}"].trigger()
        assert (seat.machine.state, seat.machine.reason) == (AgentState.NOT_READY, reason)
        assert bar.state_button.text() == f"● 未就绪·辅导{tag}"

        # Deactivated while the agent is in it: no longer offered, still named.
        off = http.patch(f"/taxonomy/codes/not_ready/{reason}", json={"active": False})
        assert off.status_code == 200, off.text
        qtbot.waitUntil(lambda: f"not_ready:{reason}" not in bar.state_actions, timeout=15_000)
        agent.phone.refresh()
        assert bar.state_button.text() == f"● 未就绪·辅导{tag}"

    # The wrap-up panel offers the center's categories, the new one last, and records it.
    bar.state_actions["ready"].trigger()
    call = FakeCall("13800138000")
    feed(agent, call.incoming(), call.answered(), call.ended())
    assert panel.isVisible()
    codes = [b.property("code") for b in panel.categories.buttons()]
    assert codes[: len(DEFAULT_WRAP_UP_CATEGORIES)] == [c.code for c in DEFAULT_WRAP_UP_CATEGORIES]
    assert codes[-1] == category
    panel.choose(category)
    panel.done_button.click()
    uuid = record_id(call.snap.id)

    def wrapped() -> bool:
        record = seat.call_log.get(uuid)
        return record is not None and record.wrap_up_category == category

    qtbot.waitUntil(wrapped, timeout=10_000)

    # Deactivated: the next wrap-up no longer offers it; the call history still names it.
    with httpx.Client(base_url=backend.url, headers=headers, timeout=30) as http:
        off = http.patch(f"/taxonomy/codes/wrap_up/{category}", json={"active": False})
        assert off.status_code == 200, off.text
    qtbot.waitUntil(
        lambda: category not in [c.code for c in seat.offered_wrap_up_categories()],
        timeout=15_000,
    )
    again = FakeCall("13900139000")
    feed(agent, again.incoming(), again.answered(), again.ended())
    assert panel.isVisible()
    codes = [b.property("code") for b in panel.categories.buttons()]
    assert category not in codes
    assert codes[: len(DEFAULT_WRAP_UP_CATEGORIES)] == [c.code for c in DEFAULT_WRAP_UP_CATEGORIES]
    names = {c.code: c.zh for c in seat.wrap_up_categories()}
    assert names[category] == "退款" + tag
