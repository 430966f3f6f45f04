"""Every endpoint checks the role on the server side."""

from __future__ import annotations

import pytest

from tests.server.support import Actors, Backend, ask, new_uuid


def test_agent_cannot_handle_questions(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    mine = ask(agent, "信用卡怎么挂失")
    other = ask(agent, "信用卡补卡要多久")
    attempts = {
        "claim": None,
        "answer": {"answer": "拨打客服热线"},
        "reject": {"reason": "重复"},
        "merge": {"into": other},
        "link": {"article_uuid": new_uuid()},
    }
    for action, body in attempts.items():
        response = agent.http.post(f"/questions/{mine}/{action}", json=body)
        assert response.status_code == 403, (action, response.text)
        assert "权限" in response.json()["detail"]
    # Nothing changed.
    assert agent.http.get(f"/questions/{mine}").json()["status"] == "open"
    assert agent.http.get("/questions/groups").status_code == 403


@pytest.mark.parametrize("role", ["team_leader", "supervisor", "manager", "admin"])
def test_handlers_may_claim(server: Backend, actors: Actors, role: str) -> None:
    agent = actors("agent")
    uuid = ask(agent, "积分怎么兑换")
    handler = actors(role)
    response = handler.http.post(f"/questions/{uuid}/claim")
    assert response.status_code == 200, response.text
    assert response.json()["claimed_by"] == handler.username


def test_trainer_cannot_handle_questions(server: Backend, actors: Actors) -> None:
    uuid = ask(actors("agent"), "积分怎么兑换")
    trainer = actors("trainer")
    assert trainer.http.post(f"/questions/{uuid}/claim").status_code == 403
    assert trainer.http.post(f"/questions/{uuid}/answer", json={"answer": "x"}).status_code == 403


def test_agent_sees_only_own_questions(server: Backend, actors: Actors) -> None:
    line = "roles-" + new_uuid()[:8]
    a, b = actors("agent"), actors("agent")
    qa = ask(a, "话费怎么查询", business_line=line)
    qb = ask(b, "流量怎么查询", business_line=line)
    mine = a.http.get("/questions", params={"business_line": line})
    assert mine.status_code == 200
    assert [q["uuid"] for q in mine.json()["items"]] == [qa]
    assert mine.json()["total"] == 1
    assert a.http.get("/questions", params={"agent": a.username}).status_code == 200
    refused = a.http.get("/questions", params={"agent": b.username})
    assert refused.status_code == 403
    assert "只能查看自己的问题" in refused.json()["detail"]
    assert a.http.get(f"/questions/{qb}").status_code == 403
    assert a.http.get(f"/questions/{qa}").status_code == 200


def test_supervisor_sees_everyones_questions(server: Backend, actors: Actors) -> None:
    line = "roles-" + new_uuid()[:8]
    a, b = actors("agent"), actors("agent")
    qa = ask(a, "话费怎么查询", business_line=line)
    qb = ask(b, "流量怎么查询", business_line=line)
    supervisor = actors("supervisor")
    listed = supervisor.http.get("/questions", params={"business_line": line}).json()
    assert {q["uuid"] for q in listed["items"]} == {qa, qb}
    only_b = supervisor.http.get("/questions", params={"business_line": line, "agent": b.username})
    assert [q["uuid"] for q in only_b.json()["items"]] == [qb]
    assert supervisor.http.get(f"/questions/{qa}").json()["agent"] == a.username


@pytest.mark.parametrize("role", ["agent", "team_leader", "supervisor", "trainer", "manager"])
def test_user_admin_is_admin_only(server: Backend, actors: Actors, role: str) -> None:
    someone = actors(role)
    assert someone.http.get("/users").status_code == 403
    created = someone.http.post(
        "/users",
        json={"username": "x" + new_uuid()[:8], "password": "long-enough", "role": "admin"},
    )
    assert created.status_code == 403
    assert someone.http.patch(f"/users/{someone.id}", json={"role": "admin"}).status_code == 403
    assert someone.http.get("/auth/me").json()["role"] == role


def test_admin_creates_lists_and_disables_users(server: Backend, actors: Actors) -> None:
    admin = actors("admin")
    name = "new." + new_uuid()[:8]
    body = {
        "username": name,
        "password": "long-enough-pw",
        "role": "trainer",
        "display_name": "培训师甲",
    }
    created = admin.http.post("/users", json=body)
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["username"] == name and user["role"] == "trainer" and user["disabled"] is False
    duplicate = admin.http.post("/users", json=body)
    assert duplicate.status_code == 409
    assert "用户名已存在" in duplicate.json()["detail"]
    assert name in [u["username"] for u in admin.http.get("/users").json()]
    # The new user logs in with the password the admin set.
    assert server.login(name, "long-enough-pw").status_code == 200
    disabled = admin.http.patch(f"/users/{user['id']}", json={"disabled": True})
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    assert server.login(name, "long-enough-pw").status_code != 200
    assert admin.http.patch("/users/999999999", json={"disabled": True}).status_code == 404
    # Bad new users are refused by validation.
    for bad in (
        {**body, "username": "has space"},
        {**body, "username": name + "2", "password": "short"},
        {**body, "username": name + "3", "role": "root"},
    ):
        assert admin.http.post("/users", json=bad).status_code == 422, bad


def test_admin_cannot_lock_themself_out(server: Backend, actors: Actors) -> None:
    admin = actors("admin")
    assert admin.http.patch(f"/users/{admin.id}", json={"disabled": True}).status_code == 400
    assert admin.http.patch(f"/users/{admin.id}", json={"role": "agent"}).status_code == 400
    assert admin.http.get("/users").status_code == 200


def _article(**fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "type": "faq",
        "title": "宽带报装流程",
        "body": "先登记，再上门安装。",
    }
    body.update(fields)
    return body


def test_trainer_drafts_but_does_not_publish(server: Backend, actors: Actors) -> None:
    trainer = actors("trainer")
    draft = trainer.http.post("/articles", json=_article())
    assert draft.status_code == 201, draft.text
    assert draft.json()["status"] == "draft"
    uuid = draft.json()["uuid"]
    assert trainer.http.post(f"/articles/{uuid}/publish").status_code == 403
    assert trainer.http.post("/articles", json=_article(status="published")).status_code == 403
    update = _article(status="published", base_version=1)
    assert trainer.http.put(f"/articles/{uuid}", json=update).status_code == 403
    assert trainer.http.delete(f"/articles/{uuid}").status_code == 403
    manager = actors("manager")
    published = manager.http.post(f"/articles/{uuid}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"


@pytest.mark.parametrize("role", ["agent", "team_leader"])
def test_agents_and_leaders_cannot_write_articles(
    server: Backend, actors: Actors, role: str
) -> None:
    someone = actors(role)
    assert someone.http.post("/articles", json=_article()).status_code == 403
    assert someone.http.get("/articles").status_code == 403
