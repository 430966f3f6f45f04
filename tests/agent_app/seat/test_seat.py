"""The seat glue (agent_app/seat/qt/seat.py) fed with the phone engine's events: what the call
record keeps of a transfer and of how the call ended, and that it reaches the real server over
HTTP (a `python main.py serve` subprocess on SQLite, 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from agent_app.phone.messages import tr
from agent_app.seat.agent_state import StateConfig
from agent_app.seat.call_log import CallRecord
from agent_app.seat.qt.seat import SeatController, record_id
from agent_app.shell.local_data import LocalData
from agent_app.shell.taskman import TaskManager
from server.tables import call_records
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.helpers.phone_events import FakeCall
from tests.sync.test_sync import Rig

CUSTOMER = "13800138000"


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path / "server")
    yield rig
    rig.close()


@pytest.fixture
def seat(tmp_path: Path, qapp) -> Iterator[tuple[SeatController, LocalData]]:
    data = LocalData(tmp_path / "seat")
    taskman = TaskManager()
    controller = SeatController(taskman, StateConfig(), user="agent1")
    controller.set_store(data.database, data.outbox)
    yield controller, data
    controller.shutdown()
    taskman.shutdown()
    data.close()


def record_of(qtbot, controller: SeatController, call: FakeCall, ready) -> CallRecord:
    """The call's record once `ready(record)` holds (the writes run on the db executor)."""
    rid = record_id(call.snap.id)
    log = controller.call_log
    assert log is not None

    def written() -> bool:
        record = log.get(rid)
        return record is not None and bool(ready(record))

    qtbot.waitUntil(written, timeout=10_000)
    record = log.get(rid)
    assert record is not None
    return record


def call_rows(rig: Rig) -> list[sa.Row]:
    with rig.db.read() as conn:
        return list(conn.execute(sa.select(call_records).order_by(call_records.c.started_at)))


def test_a_failed_transfer_is_recorded_and_reaches_the_server(
    qtbot, rig: Rig, seat: tuple[SeatController, LocalData]
) -> None:
    controller, data = seat
    controller.registration(True)
    assert controller.choose("ready")
    call = FakeCall(CUSTOMER)
    failure = tr("transfer_failed", reason=tr("no_response"))
    for event in (
        call.incoming(),
        call.answered(),
        call.action("transfer_pending", pending="transfer"),
        call.action("transfer_failed", pending="", transfer_result="failed", notice=failure),
    ):
        controller.call_event(event, "8001")
    # Kept while the customer is still on the line: a crash now would not lose it.
    live = record_of(qtbot, controller, call, lambda r: r.transfer_result == "failed")
    assert live.ended_at is None
    assert "call_record" not in {r["kind"] for r in data.database.query("SELECT kind FROM outbox")}

    # The agent talks on and hangs up; the engine's end text goes with the record.
    ended = call.ended()
    ended.call.end_text = "通话已结束"
    controller.call_event(ended, "8001")
    done = record_of(qtbot, controller, call, lambda r: r.is_final)
    assert (done.transfer_result, done.end_text, done.end_reason) == (
        "failed",
        "通话已结束",
        "answered",
    )

    worker = SyncWorker(
        data.database, data.registry, rig.client("agent1"), SyncKey("test-server", "agent1")
    )
    worker.sync_once()
    [row] = call_rows(rig)
    assert (row.uuid, row.transfer_result, row.end_text) == (done.uuid, "failed", "通话已结束")
    page = rig.client("boss").calls(agent="agent1")
    assert (page.items[0].transfer_result, page.items[0].end_text) == ("failed", "通话已结束")


def test_a_transfer_that_went_through_replaces_an_earlier_failure(
    qtbot, seat: tuple[SeatController, LocalData]
) -> None:
    controller, _data = seat
    call = FakeCall(CUSTOMER)
    for event in (
        call.incoming(),
        call.answered(),
        call.action("transfer_failed", transfer_result="failed"),
    ):
        controller.call_event(event)
    record_of(qtbot, controller, call, lambda r: r.transfer_result == "failed")
    controller.call_event(call.action("transfer_succeeded", transfer_result="succeeded"))
    ended = call.ended()
    ended.call.end_text = tr("transfer_done")
    controller.call_event(ended)
    done = record_of(qtbot, controller, call, lambda r: r.is_final)
    assert (done.transfer_result, done.end_text) == ("succeeded", tr("transfer_done"))


def test_a_hold_that_failed_is_no_transfer(qtbot, seat: tuple[SeatController, LocalData]) -> None:
    controller, _data = seat
    call = FakeCall(CUSTOMER)
    for event in (call.incoming(), call.answered(), call.action("hold_failed")):
        controller.call_event(event)
    ended = call.ended()
    ended.call.end_text = tr("dropped_no_response")
    controller.call_event(ended)
    done = record_of(qtbot, controller, call, lambda r: r.is_final)
    assert (done.transfer_result, done.end_text) == ("", tr("dropped_no_response"))
