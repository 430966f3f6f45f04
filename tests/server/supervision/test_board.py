"""The supervisors' board: what seats report, today's figures, lost seats, and the push stream
(the real app over HTTP with a test clock, SQLite and PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from common.supervision import Board
from tests.server.supervision.support import MONDAY_10, LiveApp


def _board(app: LiveApp, user) -> Board:  # type: ignore[no-untyped-def]
    response = user.http.get("/supervision/board")
    assert response.status_code == 200, response.text
    return Board.model_validate(response.json())


def test_a_report_shows_on_the_board_with_its_call_masked(app: LiveApp) -> None:
    team = app.team("一组")
    agent = app.user("agent", team)
    leader = app.user("team_leader", team)
    call = app.call(started_s_ago=65, number="13912345678", campaign="回访")
    assert (
        app.report(agent, "not_ready", reason="meeting", since_s=20, call=call).status_code == 200
    )

    row = next(r for r in _board(app, leader).agents if r.agent_id == agent.id)
    assert (row.presence, row.state, row.reason, row.team) == (
        "live",
        "not_ready",
        "meeting",
        "一组",
    )
    assert row.state_seconds == pytest.approx(20)
    assert row.call is not None
    assert row.call.call_uuid == call["call_uuid"]
    assert row.call.number == "139****5678"  # never the whole number
    assert (row.call.queue, row.call.campaign, row.call.direction) == ("售后", "回访", "inbound")
    assert row.call.duration_s == pytest.approx(65)

    app.clock.advance(5)
    assert app.report(agent, "ready").status_code == 200  # the call ended
    row = next(r for r in _board(app, leader).agents if r.agent_id == agent.id)
    assert (row.state, row.reason, row.call) == ("ready", "", None)


def test_todays_figures_from_call_records_and_state_changes(app: LiveApp) -> None:
    """China-time day: 2026-09-14 begins at 2026-09-13 16:00 UTC."""
    team = app.team()
    agent = app.user("agent", team)
    manager = app.user("manager")
    midnight = MONDAY_10 - timedelta(hours=10)
    app.call_record(agent, midnight + timedelta(minutes=30), talk=100, hold=20, acw=30)
    app.call_record(agent, MONDAY_10 - timedelta(hours=1), talk=200, acw=40)
    app.call_record(agent, MONDAY_10 - timedelta(minutes=10), talk=60, acw=20)
    app.call_record(agent, MONDAY_10 - timedelta(minutes=5), talk=0, answered=False)  # missed
    app.call_record(agent, midnight - timedelta(hours=1), talk=500)  # yesterday in China
    app.left_wrap_up(agent, midnight + timedelta(minutes=40), 30)
    app.left_wrap_up(agent, MONDAY_10 - timedelta(minutes=50), 40)
    app.left_wrap_up(agent, midnight - timedelta(minutes=5), 99)  # yesterday
    app.report(agent, "after_call_work", since_s=12)  # wrapping up for 12 s now

    row = next(r for r in _board(app, manager).agents if r.agent_id == agent.id)
    assert row.calls_today == 3
    assert row.aht_today_s == pytest.approx((150 + 240 + 80) / 3, abs=0.1)
    assert row.acw_today_s == pytest.approx(30 + 40 + 12)


def test_a_seat_silent_for_30_s_turns_lost_on_the_board_and_in_the_stream(app: LiveApp) -> None:
    team = app.team()
    agent = app.user("agent", team)
    supervisor = app.user("supervisor", team)
    app.report(agent, "ready")
    watcher = app.watch(supervisor)
    first = watcher.next("board").board
    assert first is not None
    assert next(r for r in first.agents if r.agent_id == agent.id).presence == "live"

    app.clock.advance(20)
    app.report(agent, "ready", since_s=20, kind="heartbeat")  # a heartbeat keeps it live
    app.clock.advance(25)
    assert next(r for r in _board(app, supervisor).agents if r.agent_id == agent.id).presence == (
        "live"
    )
    assert not [r for r in watcher.seats_now() if r.presence == "lost"]

    app.clock.advance(6)  # 31 s since the heartbeat
    assert next(r for r in _board(app, supervisor).agents if r.agent_id == agent.id).presence == (
        "lost"
    )
    lost = watcher.seat(lambda r: r.agent_id == agent.id)
    assert (lost.presence, lost.state) == ("lost", "ready")

    app.report(agent, "ready", since_s=51, kind="heartbeat")  # back
    back = watcher.seat(lambda r: r.agent_id == agent.id)
    assert back.presence == "live"


def test_the_stream_pushes_changes_of_the_own_team_only(app: LiveApp) -> None:
    mine, other = app.team(), app.team()
    agent = app.user("agent", mine)
    stranger = app.user("agent", other)
    supervisor = app.user("supervisor", mine)
    manager = app.user("manager")
    team_view = app.watch(supervisor)
    center_view = app.watch(manager)
    board = team_view.next("board").board
    assert board is not None
    assert {r.agent_id for r in board.agents} == {agent.id}
    assert [t.id for t in board.teams] == [mine]
    center_view.next("board")

    app.report(stranger, "break")
    app.report(agent, "not_ready", reason="training")
    row = team_view.seat(lambda r: True)
    assert (row.agent_id, row.state, row.reason) == (agent.id, "not_ready", "training")
    seen_by_manager = {
        center_view.seat(lambda r: True).agent_id,
        center_view.seat(lambda r: True).agent_id,
    }
    assert seen_by_manager == {agent.id, stranger.id}
    assert not [r for r in team_view.seats_now() if r.agent_id == stranger.id]


def test_an_unchanged_heartbeat_is_not_pushed(app: LiveApp) -> None:
    team = app.team()
    agent = app.user("agent", team)
    watcher = app.watch(app.user("team_leader", team))
    watcher.next("board")
    app.report(agent, "ready")
    watcher.seat(lambda r: r.agent_id == agent.id)
    app.clock.advance(10)
    app.report(agent, "ready", since_s=10, kind="heartbeat")  # the same state since then
    app.report(agent, "break")  # the next change is the next event
    assert watcher.seat(lambda r: True).state == "break"


@pytest.mark.parametrize("role", ["agent", "trainer", "admin"])
def test_only_leaders_supervisors_and_managers_read_the_board(app: LiveApp, role: str) -> None:
    user = app.user(role, app.team())
    assert user.http.get("/supervision/board").status_code == 403
    assert user.http.get("/supervision/board/stream").status_code == 403


def test_a_supervisor_without_a_team_sees_no_agents(app: LiveApp) -> None:
    agent = app.user("agent", app.team())
    app.report(agent, "ready")
    board = _board(app, app.user("supervisor"))
    assert (board.agents, board.teams) == ([], [])


def test_a_report_is_validated(app: LiveApp) -> None:
    agent = app.user("agent", app.team())
    bad = agent.http.post(
        "/supervision/seat",
        json={"state": "sleeping", "state_since": "2026-09-14T02:00:00Z"},
    )
    assert bad.status_code == 422
    naive = agent.http.post(
        "/supervision/seat", json={"state": "ready", "state_since": "2026-09-14T02:00:00"}
    )
    assert naive.status_code == 422


def test_a_team_change_reloads_open_boards_with_the_new_teams(app: LiveApp) -> None:
    mine, other = app.team(), app.team()
    agent = app.user("agent", other)
    supervisor = app.user("supervisor", mine)
    admin = app.user("admin")
    app.report(agent, "ready")
    watcher = app.watch(supervisor)
    first = watcher.next("board").board
    assert first is not None and first.agents == []

    moved = admin.http.put(f"/teams/members/{agent.id}", json={"team_id": mine})
    assert moved.status_code == 200
    board = watcher.next("board").board
    assert board is not None
    assert [(r.agent_id, r.state) for r in board.agents] == [(agent.id, "ready")]
    app.report(agent, "break")  # and its changes come now
    assert watcher.seat(lambda r: r.agent_id == agent.id).state == "break"

    # The supervisor moves to the other team: the board follows them.
    assert (
        admin.http.put(f"/teams/members/{supervisor.id}", json={"team_id": other}).status_code
        == 200
    )
    board = watcher.next("board").board
    assert board is not None and board.agents == [] and [t.id for t in board.teams] == [other]


def test_reports_of_one_seat_arriving_together_are_all_kept(app: LiveApp) -> None:
    agent = app.user("agent", app.team())
    manager = app.user("manager")
    states = ["ready", "not_ready", "break", "after_call_work"] * 4
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda s: app.report(agent, s).status_code, states))
    assert codes == [200] * len(states)
    rows = [r for r in _board(app, manager).agents if r.agent_id == agent.id]
    assert len(rows) == 1 and rows[0].state in states
