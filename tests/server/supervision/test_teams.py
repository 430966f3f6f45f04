"""Teams: an admin makes, renames and fills them; a manager may read them; nobody else."""

from __future__ import annotations

import pytest

from common.supervision import Team
from tests.server.supervision.support import LiveApp


def test_an_admin_makes_renames_and_fills_teams(app: LiveApp) -> None:
    admin = app.user("admin")
    agent, leader = app.user("agent"), app.user("team_leader")
    made = admin.http.post("/teams", json={"name": "  投诉组 "})
    assert made.status_code == 201, made.text
    team = Team.model_validate(made.json())
    assert (team.name, team.members) == ("投诉组", [])
    assert admin.http.post("/teams", json={"name": "投诉组"}).status_code == 409
    for user in (agent, leader):
        moved = admin.http.put(f"/teams/members/{user.id}", json={"team_id": team.id})
        assert moved.status_code == 200, moved.text
    renamed = admin.http.patch(f"/teams/{team.id}", json={"name": "投诉一组"})
    assert renamed.status_code == 200
    listed = [Team.model_validate(t) for t in app.user("manager").http.get("/teams").json()]
    [found] = [t for t in listed if t.id == team.id]
    assert found.name == "投诉一组"
    assert sorted(m.username for m in found.members) == sorted([agent.username, leader.username])

    # Out of the team again: the leader no longer sees the agent.
    assert admin.http.put(f"/teams/members/{agent.id}", json={"team_id": None}).status_code == 200
    app.report(agent, "ready")
    board = leader.http.get("/supervision/board").json()
    assert board["agents"] == []


def test_unknown_teams_and_users(app: LiveApp) -> None:
    admin = app.user("admin")
    assert admin.http.patch("/teams/999", json={"name": "x"}).status_code == 404
    assert admin.http.put("/teams/members/999999", json={"team_id": None}).status_code == 404
    user = app.user("agent")
    assert admin.http.put(f"/teams/members/{user.id}", json={"team_id": 999}).status_code == 404
    assert admin.http.post("/teams", json={"name": ""}).status_code == 422


@pytest.mark.parametrize("role", ["agent", "team_leader", "supervisor", "trainer"])
def test_other_roles_neither_read_nor_change_teams(app: LiveApp, role: str) -> None:
    user = app.user(role)
    assert user.http.get("/teams").status_code == 403
    assert user.http.post("/teams", json={"name": "x"}).status_code == 403


def test_the_manager_reads_but_does_not_change_teams(app: LiveApp) -> None:
    manager = app.user("manager")
    assert manager.http.get("/teams").status_code == 200
    assert manager.http.post("/teams", json={"name": "x"}).status_code == 403
