"""Call records and state changes reach the backend through the outbox: against the real server
over HTTP on 127.0.0.1 (a `python main.py serve` subprocess on SQLite), and against a scripted
client for the races a real server makes hard to hit (no Qt)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from agent_app.seat.agent_state import AgentStateMachine
from agent_app.seat.call_log import CallLog
from agent_app.seat.state_log import AgentStateLog
from agent_app.shell.local_data import LocalData
from common.wire import ItemAck
from kb.paths import DB_FILENAME
from server.tables import agent_states, call_records
from sync.api_client import ApiClient, ApiError
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.helpers.clock import FakeClock
from tests.server.support import REPO_ROOT
from tests.sync.test_sync import Rig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path / "server")
    yield rig
    rig.close()


@pytest.fixture
def data(tmp_path: Path) -> Iterator[LocalData]:
    opened = LocalData(tmp_path / "seat")
    yield opened
    opened.close()


def worker_for(data: LocalData, client: ApiClient) -> SyncWorker:
    return SyncWorker(data.database, data.registry, client, SyncKey("test-server", "agent1"))


def server_calls(rig: Rig) -> list[Any]:
    with rig.db.read() as conn:
        return list(conn.execute(sa.select(call_records).order_by(call_records.c.id)))


def server_states(rig: Rig) -> list[Any]:
    with rig.db.read() as conn:
        return list(conn.execute(sa.select(agent_states).order_by(agent_states.c.started_at)))


def test_a_call_and_its_states_arrive_and_the_wrap_up_follows(rig: Rig, data: LocalData) -> None:
    clock = FakeClock()
    calls = CallLog(data.database, user="agent1", clock=clock, outbox=data.outbox)
    states = AgentStateLog(data.database, data.outbox)
    machine = AgentStateMachine("agent1", clock=clock)
    worker = worker_for(data, rig.client("agent1"))

    states.record(machine.set_registered(True))
    states.record(machine.set_ready())
    record = calls.record_started("inbound", "+86 138 0013 8000", queue="物业客服")
    clock.advance(4)
    calls.record_answered(record.uuid)
    states.record(machine.call_started(record.uuid))
    clock.advance(90)
    calls.record_ended(record.uuid, sip_code=200)
    states.record(machine.call_ended(record.uuid))
    worker.sync_once()  # the call as it ended, before wrap-up
    assert data.outbox.count() == 0
    [row] = server_calls(rig)
    assert (row.uuid, row.remote_number, row.talk_seconds, row.end_reason) == (
        record.uuid,
        "+8613800138000",
        90.0,
        "answered",
    )
    assert row.acw_seconds == 0 and row.wrap_up_category == ""
    first_version = row.version

    clock.advance(18)
    done = machine.finish_wrap_up()
    states.record(done)
    assert done is not None and done.ended_wrap_up == (record.uuid, 18.0)
    calls.record_wrap_up(record.uuid, "repair", "楼道灯坏了，已派单", acw_seconds=18.0)
    worker.sync_once()
    assert data.outbox.count() == 0
    [row] = server_calls(rig)  # the same record, replaced by the newer version
    assert row.version > first_version
    assert (row.wrap_up_category, row.wrap_up_note, row.acw_seconds) == (
        "repair",
        "楼道灯坏了，已派单",
        18.0,
    )

    stored = server_states(rig)
    assert [(s.state, s.on_call) for s in stored] == [
        ("not_ready", False),
        ("ready", False),
        ("ready", True),
        ("after_call_work", False),
        ("ready", False),
    ]
    assert {s.agent_id for s in stored} == {row.agent_id}
    # The supervisors' board shows where the agent is now.
    board = rig.client("boss").agent_states()
    assert [(b.agent, b.state, b.on_call) for b in board] == [("agent1", "ready", False)]
    page = rig.client("boss").calls(agent="agent1")
    assert page.total == 1 and page.items[0].handle_seconds == 108.0


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from agent_app.seat.agent_state import AgentStateMachine
    from agent_app.seat.call_log import CallLog
    from agent_app.seat.state_log import AgentStateLog
    from localdb import LocalDatabase
    store = LocalDatabase(Path(sys.argv[1]))
    calls, states = CallLog(store, user="agent1"), AgentStateLog(store)
    machine = AgentStateMachine("agent1")
    states.record(machine.set_registered(True))
    record = calls.record_started("inbound", "13800138000")
    calls.record_answered(record.uuid)
    states.record(machine.call_started(record.uuid))
    print(record.uuid, flush=True)
    sys.stdin.read()  # blocks, mid-call, until the parent kills us
    """
)


def test_a_call_cut_short_by_a_kill_arrives_as_interrupted(rig: Rig, tmp_path: Path) -> None:
    data = tmp_path / "killed-seat"
    data.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data / DB_FILENAME)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        uuid = child.stdout.readline().strip()  # type: ignore[union-attr]
    finally:
        child.kill()  # SIGKILL: no cleanup, no flush
        child.wait(10)
        child.stdin.close()  # type: ignore[union-attr]
        child.stdout.close()  # type: ignore[union-attr]
    assert len(uuid) == 36

    local = LocalData(data)  # the next start, on the same file
    try:
        assert local.outbox.count() == 2  # the two state changes; the call is not final yet
        recovered = CallLog(local.database, user="agent1").recover_interrupted()
        assert [r.uuid for r in recovered] == [uuid]
        worker_for(local, rig.client("agent1")).sync_once()
        assert local.outbox.count() == 0
    finally:
        local.close()
    [row] = server_calls(rig)
    assert (row.uuid, row.end_reason) == (uuid, "interrupted")
    assert [s.on_call for s in server_states(rig)] == [False, True]


# -- the outbox under a scripted client -----------------------------------------------------------
class ScriptedClient:
    """Stands in for ApiClient.push: acknowledges everything, optionally doing something while
    the request is "in flight", or refusing one kind as a whole."""

    def __init__(self) -> None:
        self.pushed: list[tuple[str, list[dict[str, Any]]]] = []
        self.during: Any = None
        self.refuse: set[str] = set()

    def push(self, path: str, items: list[dict[str, Any]]) -> list[ItemAck]:
        self.pushed.append((path, items))
        if path in self.refuse:
            raise ApiError(404, "Not Found")
        if self.during is not None:
            during, self.during = self.during, None
            during()
        return [ItemAck(uuid=i["uuid"], status="stored") for i in items]


def test_a_wrap_up_written_while_the_end_is_being_sent_is_not_lost(data: LocalData) -> None:
    clock = FakeClock()
    calls = CallLog(data.database, user="agent1", clock=clock, outbox=data.outbox)
    record = calls.record_started("inbound", "13800138000")
    calls.record_answered(record.uuid)
    clock.advance(30)
    calls.record_ended(record.uuid)
    client = ScriptedClient()
    # The wrap-up is saved after the worker read the outbox, before the server answered.
    client.during = lambda: calls.record_wrap_up(record.uuid, "enquiry", "问物业费", 12.0)
    worker = worker_for(data, client)  # type: ignore[arg-type]
    worker.push_pending()
    versions = [(items[0]["version"], items[0]["wrap_up_category"]) for _, items in client.pushed]
    assert len(versions) == 2
    assert versions[0][1] == "" and versions[1][1] == "enquiry"
    assert versions[1][0] > versions[0][0]
    assert data.outbox.count() == 0


def test_a_kind_the_server_refuses_does_not_hold_up_the_others(data: LocalData) -> None:
    calls = CallLog(data.database, user="agent1", outbox=data.outbox)
    record = calls.record_started("outbound", "02161234567")
    calls.record_ended(record.uuid, sip_code=486)
    qid = data.questions.record("电梯年检什么时候做", agent="agent1")
    client = ScriptedClient()
    client.refuse = {"/calls/batch"}  # e.g. a server from before /calls/batch existed
    worker = worker_for(data, client)  # type: ignore[arg-type]
    worker.push_pending()
    assert {path for path, _ in client.pushed} == {"/calls/batch", "/questions/batch"}
    assert data.outbox.kinds_pending() == ["call_record"]
    pending = data.outbox.pending("call_record", 10)
    assert pending[0].payload["uuid"] == record.uuid
    error = data.database.scalar("SELECT last_error FROM outbox WHERE kind = 'call_record'")
    assert "Not Found" in error
    assert qid
    client.refuse = set()
    worker.push_pending()
    assert data.outbox.count() == 0
