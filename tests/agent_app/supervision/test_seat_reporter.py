"""The seat reporter against a real server process: a state change and a call reach the board
at once, heartbeats keep coming, a server that goes away is tried again at the next heartbeat
(not in a loop, nothing queued), and once it is back the board shows the seat as it is now,
including what changed while the server was away."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.supervision.seat_reporter import SeatReporter, seat_call, seat_uri
from common.monitor_grants import call_uuid
from common.supervision import BoardRow
from tests.agent_app.supervision.conftest import Person, ServerCenter
from tests.helpers.waiting import wait_until

BEAT_S = 0.4


def row_of(watcher: Person, agent: Person) -> BoardRow | None:
    try:
        board = watcher.client.board()
    except Exception:
        return None
    return next((r for r in board.agents if r.agent == agent.username), None)


def snapshot(state: str, answered: bool = True) -> ev.CallSnapshot:
    now = time.time()
    return ev.CallSnapshot(
        id="5f0c5b1fa3a54a6b8f0e2d1c3b4a5968",
        account_id="main",
        direction=ev.INBOUND,
        remote_uri="sip:13800138000@pbx",
        remote_number="13800138000",
        remote_display="",
        state=state,
        started_at=now - 3,
        answered_at=now - 2 if answered else None,
        headers={"x-queue": "billing"},
    )


def test_reports_changes_and_heartbeats_and_outlives_the_server(
    server_process: ServerCenter,
) -> None:
    center = server_process
    team = center.team("一组")
    agent = center.person("agent", team)
    manager = center.person("manager")
    reporter = SeatReporter(agent.client.report_seat, heartbeat_s=BEAT_S, stop_wait_s=5)
    since = datetime.now(UTC)
    reporter.state_changed("ready", "", since)
    reporter.start()
    try:
        wait_until(
            lambda: (r := row_of(manager, agent)) is not None and r.state == "ready",
            10,
            "ready on the board",
        )
        # A call: at once, with the number masked and the queue it came from.
        reporter.call_event(ev.CallEvent("state", snapshot(ev.ACTIVE)))
        wait_until(
            lambda: (r := row_of(manager, agent)) is not None and r.call is not None,
            10,
            "the call on the board",
        )
        row = row_of(manager, agent)
        assert row is not None and row.call is not None
        assert row.call.call_uuid == call_uuid("5f0c5b1fa3a54a6b8f0e2d1c3b4a5968")
        assert row.call.number == "138****8000" and row.call.queue == "billing"
        assert row.call.direction == "inbound"
        # A hold changes nothing the board shows: no report for it.
        sent = reporter.events_sent
        held = snapshot(ev.HELD)
        reporter.call_event(ev.CallEvent("hold", held))
        assert reporter.events_sent == sent
        # Heartbeats keep coming while nothing changes.
        beats = reporter.heartbeats_sent
        wait_until(lambda: reporter.heartbeats_sent >= beats + 2, 10, "heartbeats")

        # The server goes away: the reporter keeps living, tries once per heartbeat.
        center.process.stop(kill=True)
        failures = reporter.failures
        reporter.call_event(ev.CallEvent("state", snapshot(ev.ENDED)))
        reporter.state_changed("not_ready", "training", datetime.now(UTC))
        wait_until(lambda: reporter.failures >= failures + 2, 10, "failed tries")
        assert not reporter.online and reporter.running
        tried, beats = reporter.failures, reporter.beats
        wait_until(lambda: reporter.beats >= beats + 3, 10 + BEAT_S * 3, "three heartbeats")
        # About one try per heartbeat (never a tight loop): 3 beats, a few tries at most.
        assert reporter.failures - tried <= 4

        # Back: the next heartbeat brings the seat as it is now.
        center.process.start()
        wait_until(lambda: reporter.online, 15, "a report taken again")
        row = row_of(manager, agent)
        assert row is not None
        assert (row.state, row.reason, row.call) == ("not_ready", "training", None)
        assert row.presence == "live"

        # Stopping sends what is unsent: the agent going offline.
        reporter.state_changed("offline")
        reporter.stop()
        assert not reporter.running
        row = row_of(manager, agent)
        assert row is not None and row.state == "offline"
    finally:
        reporter.stop()


def test_the_seat_uri_and_the_call_as_the_wire_has_them() -> None:
    config = PhoneConfig(
        accounts=[
            AccountConfig(id="a", user="1001", domain="pbx.local", enabled=False),
            AccountConfig(id="b", user="1002", domain="pbx.local:5070", default=True),
        ]
    )
    assert seat_uri(config) == "sip:1002@pbx.local:5070"
    assert seat_uri(PhoneConfig()) == ""
    # Not something the wire takes: nothing (a report must not fail on it).
    odd = PhoneConfig(accounts=[AccountConfig(id="c", user="a b", domain="pbx.local")])
    assert seat_uri(odd) == ""
    # The report carries it: whom the supervisor's phone calls.
    reporter = SeatReporter(lambda _report: None)
    assert reporter.report().sip_uri == ""
    reporter.sip_uri = seat_uri(config)
    report = reporter.report("heartbeat")
    assert report.sip_uri == "sip:1002@pbx.local:5070"
    assert report.model_dump(mode="json")["sip_uri"] == "sip:1002@pbx.local:5070"
    call = seat_call(snapshot(ev.RINGING_IN, answered=False))
    assert call.answered_at is None and call.number == "138****8000"
