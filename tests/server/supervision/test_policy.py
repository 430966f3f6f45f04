"""The center's policy on telling the agent that a call is monitored: off by default, changed
by an admin or the manager only, handed to every seat with the grant key (real app over HTTP,
SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from common.supervision import PublicKeyReply, SupervisionPolicy
from tests.server.supervision.support import LiveApp, User


def _policy(user: User) -> SupervisionPolicy:
    response = user.http.get("/supervision/policy")
    assert response.status_code == 200, response.text
    return SupervisionPolicy.model_validate(response.json())


def _key_reply(user: User) -> PublicKeyReply:
    response = user.http.get("/supervision/public-key")
    assert response.status_code == 200, response.text
    return PublicKeyReply.model_validate(response.json())


def test_off_by_default_and_the_manager_turns_it_on_for_every_seat(app: LiveApp) -> None:
    agent = app.user("agent", app.team())
    manager = app.user("manager")
    assert _policy(agent) == SupervisionPolicy(show_monitored=False, updated_at=None)
    assert _key_reply(agent).show_monitored is False

    changed = manager.http.put("/supervision/policy", json={"show_monitored": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["show_monitored"] is True
    assert _policy(agent).show_monitored is True
    assert _key_reply(agent).show_monitored is True  # what the seat reads at login

    admin = app.user("admin")
    assert admin.http.put("/supervision/policy", json={"show_monitored": False}).status_code == 200
    assert _key_reply(agent).show_monitored is False


@pytest.mark.parametrize("role", ["agent", "team_leader", "supervisor", "trainer"])
def test_only_an_admin_or_the_manager_changes_it(app: LiveApp, role: str) -> None:
    user = app.user(role, app.team())
    refused = user.http.put("/supervision/policy", json={"show_monitored": True})
    assert refused.status_code == 403
    assert _policy(user).show_monitored is False


def test_a_change_is_validated(app: LiveApp) -> None:
    manager = app.user("manager")
    bodies = (
        {},
        {"show_monitored": "maybe"},
        {"show_monitored": 0},  # strictly a boolean (as the schema says)
        {"show_monitored": True, "other": 1},
    )
    for body in bodies:
        assert manager.http.put("/supervision/policy", json=body).status_code == 422, body
