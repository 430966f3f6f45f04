"""The monitoring audit: sessions as the supervisor's client reports them, monitor calls an
agent's seat refused, and reading it (the manager only, by date and user)."""

from __future__ import annotations

import uuid as uuidlib
from datetime import timedelta
from typing import Any

import pytest

from common.supervision import AuditPage
from common.timestamps import iso
from tests.server.supervision.support import LiveApp, User


def _uuid() -> str:
    return str(uuidlib.uuid4())


def _event(app: LiveApp, session: str, kind: str, agent: User, call_id: str, **fields: Any):  # type: ignore[no-untyped-def]
    return {
        "uuid": _uuid(),
        "session": session,
        "kind": kind,
        "agent": agent.username,
        "call_id": call_id,
        "at": iso(app.clock()),
        **fields,
    }


def _push(user: User, path: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = user.http.post(path, json={"items": items})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _read(reader: User, **params: str) -> AuditPage:
    response = reader.http.get("/supervision/audit", params=params)
    assert response.status_code == 200, response.text
    return AuditPage.model_validate(response.json())


def test_a_session_with_its_modes_and_duration(app: LiveApp) -> None:
    team = app.team()
    agent, supervisor = app.user("agent", team), app.user("supervisor", team)
    manager = app.user("manager")
    session, call_id = _uuid(), _uuid()
    start = app.clock()
    started = _event(app, session, "started", agent, call_id, mode="listen", grant_id="g1")
    app.clock.advance(20)
    switched = _event(app, session, "mode", agent, call_id, mode="whisper", grant_id="g2")
    app.clock.advance(15)
    barged = _event(app, session, "mode", agent, call_id, mode="barge", grant_id="g3")
    app.clock.advance(25)
    ended = _event(app, session, "ended", agent, call_id, reason="stopped")
    # Through an outbox: out of order and one sent twice.
    acks = _push(supervisor, "/supervision/audit/sessions", [switched, started, ended])
    assert [a["status"] for a in acks] == ["stored", "stored", "stored"]
    acks = _push(supervisor, "/supervision/audit/sessions", [barged, ended])
    assert [a["status"] for a in acks] == ["stored", "duplicate"]

    [entry] = _read(manager, kind="session").items
    assert (entry.actor, entry.target, entry.target_id, entry.call_id) == (
        supervisor.username,
        agent.username,
        agent.id,
        call_id,
    )
    assert entry.at == iso(start)
    assert entry.ended_at == iso(start + timedelta(seconds=60))
    assert entry.duration_s == pytest.approx(60)
    assert [(m.mode, m.at) for m in entry.modes] == [
        ("listen", iso(start)),
        ("whisper", iso(start + timedelta(seconds=20))),
        ("barge", iso(start + timedelta(seconds=35))),
    ]
    assert (entry.mode, entry.reason, entry.grant_id, entry.reported_by) == (
        "barge",
        "stopped",
        "g1",
        supervisor.username,
    )


def test_another_users_session_cannot_be_changed_and_agents_report_none(app: LiveApp) -> None:
    team = app.team()
    agent, supervisor = app.user("agent", team), app.user("supervisor", team)
    intruder = app.user("team_leader", team)
    session, call_id = _uuid(), _uuid()
    _push(
        supervisor,
        "/supervision/audit/sessions",
        [_event(app, session, "started", agent, call_id, mode="listen")],
    )
    [ack] = _push(
        intruder,
        "/supervision/audit/sessions",
        [_event(app, session, "ended", agent, call_id, reason="stopped")],
    )
    assert ack["status"] == "rejected"
    response = agent.http.post(
        "/supervision/audit/sessions",
        json={"items": [_event(app, _uuid(), "started", agent, call_id, mode="listen")]},
    )
    assert response.status_code == 403


def test_a_seat_reports_the_monitor_calls_it_refused(app: LiveApp) -> None:
    team = app.team()
    agent, supervisor = app.user("agent", team), app.user("supervisor", team)
    manager = app.user("manager")
    forged = {
        "uuid": _uuid(),
        "kind": "refused",
        "reason": "bad_signature",
        "grant_id": "abc",
        "supervisor": supervisor.username,
        "call_id": _uuid(),
        "mode": "listen",
        "remote_uri": "sip:intruder@127.0.0.1",
        "at": iso(app.clock()),
    }
    switch = {**forged, "uuid": _uuid(), "kind": "switch_refused", "reason": "replayed"}
    acks = _push(agent, "/supervision/audit/rejections", [forged, switch, forged])
    assert [a["status"] for a in acks] == ["stored", "stored", "duplicate"]
    bad = {**forged, "uuid": _uuid(), "reason": "because"}
    assert _push(agent, "/supervision/audit/rejections", [bad])[0]["status"] == "rejected"

    entries = _read(manager, kind="rejected", user=agent.username).items
    assert sorted((e.reason, e.actor, e.actor_id, e.target, e.remote_uri) for e in entries) == [
        ("bad_signature", supervisor.username, supervisor.id, agent.username, forged["remote_uri"]),
        (
            "switch:replayed",
            supervisor.username,
            supervisor.id,
            agent.username,
            forged["remote_uri"],
        ),
    ]


@pytest.mark.parametrize("role", ["agent", "team_leader", "supervisor", "trainer", "admin"])
def test_only_the_manager_reads_the_audit(app: LiveApp, role: str) -> None:
    assert app.user(role, app.team()).http.get("/supervision/audit").status_code == 403


def test_the_audit_by_date_and_user(app: LiveApp) -> None:
    team = app.team()
    agent, other = app.user("agent", team), app.user("agent", team)
    supervisor = app.user("supervisor", team)
    manager = app.user("manager")
    day_one = app.clock()
    _push(
        supervisor,
        "/supervision/audit/sessions",
        [_event(app, _uuid(), "started", agent, _uuid(), mode="listen")],
    )
    app.clock.advance(24 * 3600)
    _push(
        supervisor,
        "/supervision/audit/sessions",
        [_event(app, _uuid(), "started", other, _uuid(), mode="barge")],
    )
    assert _read(manager).total == 2
    assert [e.target for e in _read(manager, user=agent.username).items] == [agent.username]
    assert _read(manager, user=supervisor.username).total == 2
    later = _read(manager, since=iso(day_one + timedelta(hours=1)))
    assert [e.target for e in later.items] == [other.username]
    earlier = _read(manager, until=iso(day_one + timedelta(hours=1)))
    assert [e.target for e in earlier.items] == [agent.username]
