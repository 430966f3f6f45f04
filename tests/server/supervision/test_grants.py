"""Monitor grants: signed for a team leader, supervisor or manager and their own team's live
call only, verifiable with the published key; every refusal audited (who, whom, why)."""

from __future__ import annotations

import pytest

from common.monitor_grants import GrantError, SeenGrants, public_key_from_text, verify_grant
from common.supervision import AuditPage, GrantReply
from tests.server.supervision.support import LiveApp, User


def _key(app: LiveApp, user: User):  # type: ignore[no-untyped-def]
    response = user.http.get("/supervision/public-key")
    assert response.status_code == 200, response.text
    return public_key_from_text(response.json()["public_key"])


def _ask(user: User, agent: User, call_id: str, mode: str = "listen"):  # type: ignore[no-untyped-def]
    return user.http.post(
        "/supervision/grants", json={"agent": agent.username, "call_id": call_id, "mode": mode}
    )


def _audit(app: LiveApp, **params: str) -> AuditPage:
    manager = app.user("manager")
    response = manager.http.get("/supervision/audit", params=params)
    assert response.status_code == 200, response.text
    return AuditPage.model_validate(response.json())


@pytest.fixture
def floor(app: LiveApp) -> dict[str, object]:
    """Team A: an agent on a call, its leader and supervisor; team B's supervisor."""
    team_a, team_b = app.team("A组"), app.team("B组")
    agent = app.user("agent", team_a)
    call = app.call(started_s_ago=30)
    assert app.report(agent, "ready", call=call).status_code == 200
    return {
        "agent": agent,
        "call_id": call["call_uuid"],
        "leader": app.user("team_leader", team_a),
        "supervisor": app.user("supervisor", team_a),
        "other_supervisor": app.user("supervisor", team_b),
    }


@pytest.mark.parametrize("role", ["team_leader", "supervisor", "manager"])
def test_a_grant_for_the_own_teams_live_call_verifies_with_the_public_key(
    app: LiveApp, floor: dict[str, object], role: str
) -> None:
    agent, call_id = floor["agent"], str(floor["call_id"])
    assert isinstance(agent, User)
    asker = {"team_leader": floor["leader"], "supervisor": floor["supervisor"]}.get(role) or (
        app.user("manager")  # the manager has no team and covers every one
    )
    assert isinstance(asker, User)
    response = _ask(asker, agent, call_id, "whisper")
    assert response.status_code == 200, response.text
    reply = GrantReply.model_validate(response.json())
    assert (reply.agent, reply.call_id, reply.mode, reply.header) == (
        agent.username,
        call_id,
        "whisper",
        "X-SeatDesk-Grant",
    )
    now = app.clock().timestamp()
    # The agent's seat fetches the key (any logged-in user may) and verifies.
    grant = verify_grant(
        _key(app, agent),
        reply.grant,
        agent=agent.username,
        call_id=call_id,
        now=now,
        seen_ids=SeenGrants(),
    )
    assert (grant.supervisor, grant.supervisor_id, grant.agent_id) == (
        asker.username,
        str(asker.id),
        str(agent.id),
    )
    assert 0 < grant.expires_at - grant.issued_at <= 120
    assert grant.issued_at == int(now)
    issued = _audit(app, kind="grant_issued", user=asker.username).items
    assert [(e.actor, e.target, e.call_id, e.grant_id, e.mode) for e in issued] == [
        (asker.username, agent.username, call_id, reply.grant_id, "whisper")
    ]


def test_a_tampered_grant_does_not_verify_and_the_key_stays_the_same(
    app: LiveApp, floor: dict[str, object]
) -> None:
    agent, supervisor = floor["agent"], floor["supervisor"]
    assert isinstance(agent, User) and isinstance(supervisor, User)
    reply = _ask(supervisor, agent, str(floor["call_id"])).json()
    payload, _, signature = reply["grant"].partition(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    with pytest.raises(GrantError) as refused:
        verify_grant(
            _key(app, agent),
            forged,
            agent=agent.username,
            call_id=str(floor["call_id"]),
            now=app.clock().timestamp(),
        )
    assert refused.value.reason in ("bad_signature", "malformed")
    # The key is made once and kept: asked again, the same.
    assert _key(app, agent) == _key(app, supervisor)


@pytest.mark.parametrize(
    ("who", "call", "status", "reason"),
    [
        ("agent_role", "live", 403, "role"),
        ("other_supervisor", "live", 403, "other_team"),
        ("supervisor", "other", 409, "no_call"),
        ("supervisor", "nobody", 404, "no_agent"),
    ],
)
def test_refusals_are_answered_and_audited(
    app: LiveApp, floor: dict[str, object], who: str, call: str, status: int, reason: str
) -> None:
    agent = floor["agent"]
    assert isinstance(agent, User)
    asker = app.user("agent", None) if who == "agent_role" else floor[who]
    assert isinstance(asker, User)
    call_id = str(floor["call_id"]) if call == "live" else app.call()["call_uuid"]
    target = agent
    if call == "nobody":
        target = User(0, "no-such-agent", "agent", "", agent.http)
    response = _ask(asker, target, call_id)
    assert response.status_code == status, response.text
    assert "grant" not in response.json()
    entries = _audit(app, kind="grant_refused", user=asker.username).items
    assert [(e.actor, e.target, e.call_id, e.reason) for e in entries] == [
        (asker.username, target.username, call_id, reason)
    ]
    assert entries[0].target_id == (None if call == "nobody" else agent.id)


def test_no_grant_for_a_seat_that_went_lost_or_ended_the_call(
    app: LiveApp, floor: dict[str, object]
) -> None:
    agent, supervisor, call_id = floor["agent"], floor["supervisor"], str(floor["call_id"])
    assert isinstance(agent, User) and isinstance(supervisor, User)
    app.clock.advance(31)
    assert _ask(supervisor, agent, call_id).status_code == 409
    app.report(agent, "after_call_work")  # back, the call over
    assert _ask(supervisor, agent, call_id).status_code == 409
    reasons = [e.reason for e in _audit(app, kind="grant_refused").items]
    assert reasons == ["no_call", "lost"]  # newest first


def test_a_grant_request_is_validated(app: LiveApp, floor: dict[str, object]) -> None:
    supervisor = floor["supervisor"]
    assert isinstance(supervisor, User)
    bad = supervisor.http.post(
        "/supervision/grants",
        json={"agent": "x", "call_id": str(floor["call_id"]), "mode": "record"},
    )
    assert bad.status_code == 422
