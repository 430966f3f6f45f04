"""Business lines are center data (issue 11 #13): an admin or the manager adds, renames and
deactivates them over HTTP; every user reads them; each change goes to the changes feed."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from tests.server.support import Actor, Actors, Backend, all_changes

BUILT_IN = ["property", "elderly_care", "home_upgrade", "real_estate", "education", "finance"]


def _code() -> str:
    return "line_" + uuidlib.uuid4().hex[:10]


def _lines(actor: Actor) -> dict[str, dict[str, Any]]:
    response = actor.http.get("/taxonomy/business-lines")
    assert response.status_code == 200, response.text
    return {line["code"]: line for line in response.json()}


def _feed_lines(actor: Actor, since: int) -> list[dict[str, Any]]:
    changes, _ = all_changes(actor, since)
    return [c for c in changes if c["kind"] == "business_line"]


def test_the_seven_built_in_lines_are_seeded_first(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    listed = agent.http.get("/taxonomy").json()
    codes = [line["code"] for line in listed["business_lines"]]
    assert codes[:7] == [*BUILT_IN, "telecom"]
    first = listed["business_lines"][0]
    assert first["name_zh"] == "物业服务" and first["builtin"] is True and first["active"] is True


def test_an_admin_creates_a_line_and_every_client_gets_it_through_the_feed(
    server: Backend, actors: Actors
) -> None:
    admin, agent = actors("admin"), actors("agent")
    _, start = all_changes(agent)
    code = _code()
    created = admin.http.post(
        "/taxonomy/business-lines", json={"code": code, "name_zh": "电信" + code[-4:]}
    )
    assert created.status_code == 201, created.text
    line = created.json()
    assert line["active"] is True and line["builtin"] is False
    assert line["name_en"] == line["name_zh"]  # no English name given: the Chinese one
    assert _lines(agent)[code]["name_zh"] == line["name_zh"]
    fed = _feed_lines(agent, start)
    assert [c["uuid"] for c in fed] == [code]
    assert fed[0]["data"]["name_zh"] == line["name_zh"] and fed[0]["data"]["active"] is True
    # The same code, or another line's Chinese name, is refused.
    again = admin.http.post("/taxonomy/business-lines", json={"code": code, "name_zh": "别的"})
    assert again.status_code == 409
    same_name = admin.http.post(
        "/taxonomy/business-lines", json={"code": _code(), "name_zh": "物业服务"}
    )
    assert same_name.status_code == 409


def test_an_agent_or_a_supervisor_cannot_change_lines(server: Backend, actors: Actors) -> None:
    admin = actors("admin")
    code = _code()
    for role in ("agent", "supervisor", "trainer", "team_leader"):
        actor = actors(role)
        refused = actor.http.post("/taxonomy/business-lines", json={"code": code, "name_zh": "x"})
        assert refused.status_code == 403, role
        patched = actor.http.patch("/taxonomy/business-lines/telecom", json={"active": False})
        assert patched.status_code == 403, role
    assert code not in _lines(admin)
    assert _lines(admin)["telecom"]["active"] is True
    # The manager owns the knowledge base's changes (DOMAIN.md) and may add lines too.
    manager = actors("manager")
    made = manager.http.post("/taxonomy/business-lines", json={"code": code, "name_zh": code})
    assert made.status_code == 201, made.text


def test_rename_and_deactivation_reach_the_feed_and_the_line_stays_listed(
    server: Backend, actors: Actors
) -> None:
    admin, agent = actors("admin"), actors("agent")
    code = _code()
    assert (
        admin.http.post(
            "/taxonomy/business-lines", json={"code": code, "name_zh": "旧名" + code[-4:]}
        ).status_code
        == 201
    )
    _, start = all_changes(agent)
    renamed = admin.http.patch(
        f"/taxonomy/business-lines/{code}",
        json={"name_zh": "新名" + code[-4:], "name_en": "New name"},
    )
    assert renamed.status_code == 200, renamed.text
    off = admin.http.patch(f"/taxonomy/business-lines/{code}", json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    # Asking for what is already so changes nothing and writes nothing to the feed.
    assert (
        admin.http.patch(f"/taxonomy/business-lines/{code}", json={"active": False}).json()[
            "updated_at"
        ]
        == off.json()["updated_at"]
    )
    fed = _feed_lines(agent, start)
    assert [(c["data"]["name_en"], c["data"]["active"]) for c in fed] == [
        ("New name", True),
        ("New name", False),
    ]
    # A deactivated line is still listed (old articles keep its name), flagged inactive.
    listed = _lines(agent)[code]
    assert listed["active"] is False and listed["name_zh"] == "新名" + code[-4:]
    missing = admin.http.patch("/taxonomy/business-lines/no_such_line", json={"active": False})
    assert missing.status_code == 404


def test_categories_in_use_are_listed_read_only(server: Backend, actors: Actors) -> None:
    manager, agent = actors("manager"), actors("agent")
    path = "电信/宽带/" + uuidlib.uuid4().hex[:6]
    published = manager.http.post(
        "/articles",
        json={
            "type": "faq",
            "title": "宽带报修",
            "body": "拨打 10000 报修。",
            "category": path,
            "status": "published",
        },
    )
    assert published.status_code == 201, published.text
    draft_path = path + "/草稿"
    manager.http.post(
        "/articles",
        json={"type": "faq", "title": "草稿", "body": "未发布", "category": draft_path},
    )
    categories = agent.http.get("/taxonomy").json()["categories"]
    assert path in categories and draft_path not in categories
    assert categories == sorted(categories)
