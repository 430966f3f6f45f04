"""Business lines and the center's other code lists are center data (issue 11 #13): an admin or
the manager adds, renames and deactivates them over HTTP; every user reads them; each change
goes to the changes feed; an article's business line and category are checked against them."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

import pytest

from server.core.identity import CurrentUser
from server.core.security import stamp
from server.schemas import CenterCodeIn
from server.services import taxonomy as taxonomy_service
from server.services.errors import Invalid, NotFound
from server.tables import articles
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


# -- the other code lists (category, wrap_up, not_ready, outcome) -------------------------------
def _codes(actor: Actor, kind: str) -> dict[str, dict[str, Any]]:
    response = actor.http.get("/taxonomy")
    assert response.status_code == 200, response.text
    return {c["code"]: c for c in response.json()["codes"][kind]}


def _feed_codes(actor: Actor, since: int) -> list[dict[str, Any]]:
    changes, _ = all_changes(actor, since)
    return [c for c in changes if c["kind"] == "center_code"]


def _article(**fields: Any) -> dict[str, Any]:
    return {"type": "faq", "title": "宽带报修", "body": "拨打 10000 报修。", **fields}


def test_the_seeded_lists_come_with_the_taxonomy_in_order(server: Backend, actors: Actors) -> None:
    codes = actors("agent").http.get("/taxonomy").json()["codes"]
    assert set(codes) >= {"category", "wrap_up", "not_ready", "outcome"}
    assert [c["code"] for c in codes["not_ready"]][:4] == [
        "training",
        "meeting",
        "paperwork",
        "other",
    ]
    assert codes["wrap_up"][0]["name_zh"] == "咨询" and codes["wrap_up"][0]["builtin"] is True
    meanings = {c["code"]: c["meaning"] for c in codes["outcome"]}
    assert meanings["busy"] == "busy" and meanings["success"] == "success"


def test_an_admin_adds_a_wrap_up_code_and_the_feed_carries_it(
    server: Backend, actors: Actors
) -> None:
    admin, agent = actors("admin"), actors("agent")
    _, start = all_changes(agent)
    code = _code()
    made = admin.http.post(
        "/taxonomy/codes/wrap_up", json={"code": code, "name_zh": "退订" + code[-4:]}
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["kind"] == "wrap_up" and body["active"] is True and body["builtin"] is False
    assert body["name_en"] == body["name_zh"] and body["meaning"] is None
    listed = list(_codes(agent, "wrap_up"))
    assert listed[-1] == code, "a new code goes after the others"
    fed = _feed_codes(agent, start)
    assert len(fed) == 1 and fed[0]["data"]["code"] == code
    assert fed[0]["data"]["kind"] == "wrap_up"
    # The same code, or another code's Chinese name in the same list, is refused.
    again = admin.http.post("/taxonomy/codes/wrap_up", json={"code": code, "name_zh": "别的"})
    assert again.status_code == 409
    same_name = admin.http.post(
        "/taxonomy/codes/wrap_up", json={"code": _code(), "name_zh": "咨询"}
    )
    assert same_name.status_code == 409
    # ...but another list may use the name.
    other_list = admin.http.post(
        "/taxonomy/codes/not_ready", json={"code": code, "name_zh": "退订" + code[-4:]}
    )
    assert other_list.status_code == 201, other_list.text


def test_only_an_admin_or_the_manager_changes_the_codes(server: Backend, actors: Actors) -> None:
    code = _code()
    for role in ("agent", "supervisor", "trainer", "team_leader"):
        actor = actors(role)
        refused = actor.http.post("/taxonomy/codes/not_ready", json={"code": code, "name_zh": "x"})
        assert refused.status_code == 403, role
        patched = actor.http.patch("/taxonomy/codes/not_ready/meeting", json={"active": False})
        assert patched.status_code == 403, role
    manager = actors("manager")
    assert code not in _codes(manager, "not_ready")
    assert _codes(manager, "not_ready")["meeting"]["active"] is True
    made = manager.http.post(
        "/taxonomy/codes/not_ready", json={"code": code, "name_zh": "辅导" + code[-4:]}
    )
    assert made.status_code == 201, made.text


def test_rename_reorder_deactivate_and_reactivate_a_code(server: Backend, actors: Actors) -> None:
    admin, agent = actors("admin"), actors("agent")
    code = _code()
    made = admin.http.post(
        "/taxonomy/codes/not_ready", json={"code": code, "name_zh": "旧" + code[-4:]}
    )
    assert made.status_code == 201, made.text
    _, start = all_changes(agent)
    path = f"/taxonomy/codes/not_ready/{code}"
    renamed = admin.http.patch(path, json={"name_zh": "新" + code[-4:], "name_en": "Coaching"})
    assert renamed.status_code == 200, renamed.text
    moved = admin.http.patch(path, json={"sort_order": 0})
    assert moved.status_code == 200 and moved.json()["sort_order"] == 0
    off = admin.http.patch(path, json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    # Nothing changes: no feed entry.
    assert (
        admin.http.patch(path, json={"active": False}).json()["updated_at"]
        == (off.json()["updated_at"])
    )
    on = admin.http.patch(path, json={"active": True})
    assert on.json()["active"] is True
    fed = _feed_codes(agent, start)
    assert [(c["data"]["name_en"], c["data"]["sort_order"], c["data"]["active"]) for c in fed] == [
        ("Coaching", fed[0]["data"]["sort_order"], True),
        ("Coaching", 0, True),
        ("Coaching", 0, False),
        ("Coaching", 0, True),
    ]
    # An inactive code stays listed (old records keep their names); nothing is ever deleted.
    admin.http.patch(path, json={"active": False})
    listed = _codes(agent, "not_ready")[code]
    assert listed["active"] is False and listed["name_zh"] == "新" + code[-4:]
    assert admin.http.delete(path).status_code == 405
    assert (
        admin.http.patch("/taxonomy/codes/not_ready/nope_x", json={"active": False}).status_code
        == 404
    )


def test_outcomes_must_mean_one_of_the_seven(server: Backend, actors: Actors) -> None:
    admin = actors("admin")
    code = _code()
    url = "/taxonomy/codes/outcome"
    missing = admin.http.post(url, json={"code": code, "name_zh": "拒访" + code[-4:]})
    assert missing.status_code == 422 and "meaning" in missing.text
    wrong = admin.http.post(url, json={"code": code, "name_zh": "拒访", "meaning": "maybe"})
    assert wrong.status_code == 422
    made = admin.http.post(
        url, json={"code": code, "name_zh": "拒访" + code[-4:], "meaning": "not_successful"}
    )
    assert made.status_code == 201 and made.json()["meaning"] == "not_successful"
    changed = admin.http.patch(f"{url}/{code}", json={"meaning": "wrong_contact"})
    assert changed.status_code == 200 and changed.json()["meaning"] == "wrong_contact"
    assert admin.http.patch(f"{url}/{code}", json={"meaning": "later"}).status_code == 422
    # Other lists carry no meaning.
    meant = admin.http.post(
        "/taxonomy/codes/wrap_up", json={"code": _code(), "name_zh": "x" + code, "meaning": "busy"}
    )
    assert meant.status_code == 422


def test_codes_of_the_wrong_form_or_kind_are_refused(server: Backend, actors: Actors) -> None:
    admin = actors("admin")
    spaced = admin.http.post("/taxonomy/codes/wrap_up", json={"code": "a b", "name_zh": "空格"})
    assert spaced.status_code == 422
    slash = admin.http.post("/taxonomy/codes/not_ready", json={"code": "a/b", "name_zh": "斜杠"})
    assert slash.status_code == 422
    nameless = admin.http.post("/taxonomy/codes/wrap_up", json={"code": _code()})
    assert nameless.status_code == 422
    empty_part = admin.http.post("/taxonomy/codes/category", json={"code": "电信//宽带"})
    assert empty_part.status_code == 422
    unknown_kind = admin.http.post("/taxonomy/codes/colours", json={"code": "red", "name_zh": "红"})
    assert unknown_kind.status_code == 422
    # A control character in the path never reaches the database (PostgreSQL refuses NUL).
    nul = admin.http.patch("/taxonomy/codes/wrap_up/a%00b", json={"active": False})
    assert nul.status_code == 422, nul.text


def test_a_category_path_is_a_code_and_articles_keep_the_list_complete(
    server: Backend, actors: Actors
) -> None:
    admin, manager = actors("admin"), actors("manager")
    root = "电信" + uuidlib.uuid4().hex[:6]
    made = admin.http.post("/taxonomy/codes/category", json={"code": root + "/宽带"})
    assert made.status_code == 201, made.text
    assert made.json()["name_zh"] == root + "/宽带"
    # A path no list can hold stays the article's free text: accepted, not listed.
    odd = root + "//散"
    assert manager.http.post("/articles", json=_article(category=odd)).status_code == 201
    assert odd not in _codes(admin, "category")
    # An article filed under a path the list lacks adds it (drafts too).
    new_path = root + "/固话"
    created = manager.http.post("/articles", json=_article(category=new_path))
    assert created.status_code == 201, created.text
    listed = _codes(admin, "category")
    assert listed[new_path]["active"] is True and listed[new_path]["updated_at"]
    # A path holding '/' is changed through its own URL.
    renamed = admin.http.patch(f"/taxonomy/codes/category/{new_path}", json={"name_en": "Landline"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["code"] == new_path and renamed.json()["name_en"] == "Landline"
    # A deactivated category is refused for an article that did not have it...
    assert (
        admin.http.patch(f"/taxonomy/codes/category/{new_path}", json={"active": False}).status_code
        == 200
    )
    refused = manager.http.post("/articles", json=_article(category=new_path))
    assert refused.status_code == 422 and "已停用" in refused.text
    # ...while the article filed there stays editable.
    article = created.json()
    kept = manager.http.put(
        f"/articles/{article['uuid']}",
        json=_article(category=new_path, title="宽带报修（新）", base_version=article["version"]),
    )
    assert kept.status_code == 200, kept.text


def test_paths_older_articles_use_are_listed_and_registered_when_changed(
    server: Backend, actors: Actors
) -> None:
    admin, agent = actors("admin"), actors("agent")
    path = "历史/" + uuidlib.uuid4().hex[:6]
    # An article from before the lists existed: written straight into the table.
    with server.db.write() as conn:
        conn.execute(
            articles.insert().values(
                uuid=str(uuidlib.uuid4()),
                type="faq",
                title="旧文章",
                body="旧的正文",
                category=path,
                status="draft",
                version=1,
                created_at=stamp(),
                updated_at=stamp(),
            )
        )
    _, start = all_changes(agent)
    listed = _codes(admin, "category")[path]
    assert listed["active"] is True and listed["updated_at"] == "", "listed, not registered"
    assert _feed_codes(agent, start) == [], "a read writes nothing"
    off = admin.http.patch(f"/taxonomy/codes/category/{path}", json={"active": False})
    assert off.status_code == 200, off.text
    assert off.json()["active"] is False and off.json()["updated_at"]
    fed = _feed_codes(agent, start)
    assert [(c["data"]["code"], c["data"]["active"]) for c in fed] == [(path, True), (path, False)]


def test_an_article_with_an_unknown_or_deactivated_line_is_refused(
    server: Backend, actors: Actors
) -> None:
    admin, manager = actors("admin"), actors("manager")
    unknown = manager.http.post("/articles", json=_article(business_line="no_such_line"))
    assert unknown.status_code == 422
    # Shaped like the API's own 422 (a list of field errors), in both languages.
    (error,) = unknown.json()["detail"]
    assert error["loc"] == ["body", "business_line"]
    assert "未知的业务线" in error["msg"] and "no_such_line" in error["msg"]
    code = _code()
    assert (
        admin.http.post(
            "/taxonomy/business-lines", json={"code": code, "name_zh": "物业" + code[-4:]}
        ).status_code
        == 201
    )
    made = manager.http.post("/articles", json=_article(business_line=code))
    assert made.status_code == 201, made.text
    article = made.json()
    assert (
        admin.http.patch(f"/taxonomy/business-lines/{code}", json={"active": False}).status_code
        == 200
    )
    refused = manager.http.post("/articles", json=_article(business_line=code))
    assert refused.status_code == 422 and "已停用" in refused.text
    # The article that has the line keeps it and stays editable...
    edited = manager.http.put(
        f"/articles/{article['uuid']}",
        json=_article(business_line=code, body="新的正文", base_version=article["version"]),
    )
    assert edited.status_code == 200, edited.text
    # ...but an article moved onto the deactivated line is refused, and onto an unknown one.
    other = manager.http.post("/articles", json=_article(business_line="telecom")).json()
    moved = manager.http.put(
        f"/articles/{other['uuid']}",
        json=_article(business_line=code, base_version=other["version"]),
    )
    assert moved.status_code == 422
    to_unknown = manager.http.put(
        f"/articles/{other['uuid']}",
        json=_article(business_line="nowhere", base_version=other["version"]),
    )
    assert to_unknown.status_code == 422
    assert manager.http.get(f"/articles/{other['uuid']}").json()["business_line"] == "telecom"
    # No line at all is fine.
    assert manager.http.post("/articles", json=_article()).status_code == 201


def test_the_service_checks_what_the_api_schema_also_refuses(
    server: Backend, actors: Actors
) -> None:
    """For callers without the API's schema (the command line, scripts): the same refusals."""
    admin = actors("admin")
    user = CurrentUser(admin.id, admin.username, admin.username, "admin")
    cases = [
        ("wrap_up", CenterCodeIn.model_construct(code="a/b", name_zh="x", name_en=""), "code"),
        ("wrap_up", CenterCodeIn.model_construct(code=_code(), name_zh="", name_en=""), "name_zh"),
        ("outcome", CenterCodeIn.model_construct(code=_code(), name_zh="y", name_en=""), "meaning"),
        ("colour", CenterCodeIn.model_construct(code="red", name_zh="红", name_en=""), None),
    ]
    for kind, body, field in cases:
        with pytest.raises((Invalid, NotFound)) as refused, server.db.write() as conn:
            taxonomy_service.create_code(conn, kind, body, user)
        if field is None:
            assert isinstance(refused.value, NotFound)
        else:
            assert refused.value.detail[0]["loc"] == ["body", field]
