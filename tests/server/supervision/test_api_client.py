"""The client's side of supervision against the embedded backend (the desktop's own, SQLite,
run without a lifespan: the board hub starts with the first stream): ApiClient's typed methods
and the board stream, as the desktop will use them."""

from __future__ import annotations

import queue
import threading
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.demo_accounts import DEMO_PASSWORD
from common.monitor_grants import public_key_from_text, verify_grant
from common.supervision import (
    BoardEvent,
    MonitorRejection,
    MonitorSessionEvent,
    SeatCall,
    SeatReport,
)
from common.timestamps import utc_now
from sync.api_client import ApiClient, ApiError
from sync.board_stream import BoardStream
from tests.helpers.backend import TestBackend, admin_password


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[TestBackend]:
    running = TestBackend(tmp_path)
    running.start()
    yield running
    running.stop()


def _client(backend: TestBackend, username: str, password: str = DEMO_PASSWORD) -> ApiClient:
    client = ApiClient(backend.url)
    client.login(username, password)
    return client


def test_the_supervision_calls_of_the_desktop(backend: TestBackend, tmp_path: Path) -> None:
    agent_name = backend.new_user("agent")  # also has the admin choose a password
    admin = _client(backend, "admin", admin_password(tmp_path))
    agent, leader = _client(backend, agent_name), _client(backend, "leader")
    manager = _client(backend, "manager")
    clients = [admin, agent, leader, manager]
    events: queue.Queue[BoardEvent] = queue.Queue()
    stream = BoardStream(backend.url, leader.token)
    reader = threading.Thread(target=lambda: [events.put(e) for e in stream.events()])
    try:
        team = admin.create_team("一组")
        assert admin.rename_team(team.id, "投诉一组").name == "投诉一组"
        for client in (agent, leader):
            assert admin.assign_team(client.me().id, team.id).username == client.me().username
        [found] = [t for t in manager.teams() if t.id == team.id]
        assert {m.username for m in found.members} == {agent_name, "leader"}

        reader.start()
        assert events.get(timeout=15).kind == "board"
        call_id = str(uuidlib.uuid4())
        ack = agent.report_seat(
            SeatReport(
                state="ready",
                state_since=utc_now(),
                call=SeatCall(
                    call_uuid=call_id,
                    direction="outbound",
                    started_at=utc_now(),
                    number="02088886666",
                ),
            )
        )
        assert (ack.heartbeat_s, ack.lost_after_s) == (10, 30)
        pushed = events.get(timeout=15)
        assert pushed.seat is not None and pushed.seat.agent == agent_name
        row = next(r for r in leader.board().agents if r.agent == agent_name)
        assert row.call is not None and row.call.number == "020****6666"

        reply = leader.request_grant(agent_name, call_id, "listen")
        key = public_key_from_text(agent.monitor_public_key())
        assert verify_grant(key, reply.grant, agent=agent_name, call_id=call_id).mode == "listen"
        with pytest.raises(ApiError) as refused:
            agent.request_grant(agent_name, call_id, "listen")
        assert refused.value.status == 403

        session = str(uuidlib.uuid4())
        acks = leader.report_monitor_sessions(
            [
                MonitorSessionEvent(
                    uuid=str(uuidlib.uuid4()),
                    session=session,
                    kind="started",
                    agent=agent_name,
                    call_id=call_id,
                    grant_id=reply.grant_id,
                    mode="listen",
                    at=utc_now(),
                )
            ]
        )
        assert [a.status for a in acks] == ["stored"]
        acks = agent.report_monitor_rejections(
            [
                MonitorRejection(
                    uuid=str(uuidlib.uuid4()),
                    kind="refused",
                    reason="replayed",
                    grant_id=reply.grant_id,
                    supervisor="leader",
                    call_id=call_id,
                    mode="listen",
                    at=utc_now(),
                )
            ]
        )
        assert [a.status for a in acks] == ["stored"]
        page = manager.monitor_audit(user=agent_name)
        assert sorted(e.kind for e in page.items) == [
            "grant_issued",
            "grant_refused",
            "rejected",
            "session",
        ]
        with pytest.raises(ApiError):
            leader.monitor_audit()
    finally:
        stream.close()
        if reader.is_alive():
            reader.join(timeout=10)
        for client in clients:
            client.close()
