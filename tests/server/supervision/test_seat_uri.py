"""Whom a supervisor's phone calls: the seat reports its SIP account (`sip_uri`), the server
keeps it with the live seat and gives it in the board row and the stream (real app over HTTP,
SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from common.supervision import Board
from tests.server.supervision.support import LiveApp, User


def _post(app: LiveApp, agent: User, sip_uri: str, state: str = "ready") -> Any:
    body = {"state": state, "state_since": "2026-09-14T02:00:00Z", "sip_uri": sip_uri}
    return agent.http.post("/supervision/seat", json=body)


def _row(app: LiveApp, reader: User, agent: User) -> Any:
    response = reader.http.get("/supervision/board")
    assert response.status_code == 200, response.text
    board = Board.model_validate(response.json())
    return next(r for r in board.agents if r.agent_id == agent.id)


def test_the_seats_sip_account_reaches_the_board_and_the_stream(app: LiveApp) -> None:
    team = app.team()
    agent = app.user("agent", team)
    leader = app.user("team_leader", team)
    watcher = app.watch(leader)
    watcher.next("board")
    assert _row(app, leader, agent).sip_uri == ""  # never reported

    assert _post(app, agent, "sip:1001@pbx.example:5060").status_code == 200
    assert _row(app, leader, agent).sip_uri == "sip:1001@pbx.example:5060"
    pushed = watcher.seat(lambda r: r.agent_id == agent.id)
    assert pushed.sip_uri == "sip:1001@pbx.example:5060"

    # The seat moved to another account (the same state otherwise): a change, pushed.
    assert _post(app, agent, "sip:1002@pbx.example").status_code == 200
    assert watcher.seat(lambda r: r.agent_id == agent.id).sip_uri == "sip:1002@pbx.example"
    assert _row(app, leader, agent).sip_uri == "sip:1002@pbx.example"


def test_a_sip_uri_that_is_not_one_is_refused(app: LiveApp) -> None:
    agent = app.user("agent", app.team())
    for bad in ("1001@pbx", "sip:1001@pbx <x>", "sip:a b@pbx", "sip:" + "1" * 260):
        assert _post(app, agent, bad).status_code == 422, bad
    assert _post(app, agent, "").status_code == 200  # no account: allowed
