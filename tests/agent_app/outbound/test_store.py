"""The agent's outbound store (Qt-free) on a real SQLite file: records and drafts keyed to the
user, an attempt and its outbox row in one transaction, the start-up check, a client killed
with SIGKILL mid-write, and callbacks coming back to the top of the worklist."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent_app.outbound.store import (
    OUTBOX_KIND,
    Attempt,
    OutboundStore,
    SurveyIncomplete,
    due_callbacks,
)
from common.timestamps import iso, now_iso
from kb.paths import DB_FILENAME
from localdb import LocalDatabase
from sync.outbox import Outbox
from sync.registry import SyncRegistry
from tests.helpers.clock import FakeClock
from tests.server.support import REPO_ROOT

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in China


class Abort(Exception):
    """Raised inside a transaction on purpose."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def parts(
    tmp_path: Path, clock: FakeClock
) -> Iterator[tuple[LocalDatabase, Outbox, OutboundStore]]:
    database = LocalDatabase(tmp_path / DB_FILENAME)
    outbox = Outbox(database)
    yield database, outbox, OutboundStore(database, outbox, clock)
    database.close()


def record(record_id: int, name: str = "张三", campaign_id: int = 1) -> dict[str, Any]:
    return {
        "id": record_id,
        "campaign_id": campaign_id,
        "name": name,
        "phone": "13800138000",
        "fields": {"楼盘": "金桂园"},
    }


def attempt(record_id: int, outcome: str = "no_answer", **extra: Any) -> Attempt:
    return Attempt(
        record_id=record_id,
        campaign_id=1,
        outcome=outcome,
        started_at=iso(NOW),
        ended_at=iso(NOW + timedelta(seconds=40)),
        **extra,
    )


def test_an_attempt_and_its_outbox_row_are_written_together(parts) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    store.take("agent1", record(7))
    store.save_draft("agent1", 7, {"q1": 5})
    uuid = store.record_attempt("agent1", attempt(7, "success", answers={"q1": 5}, note="满意"))
    [entry] = outbox.pending(OUTBOX_KIND, 10)
    assert entry.uuid == uuid
    assert entry.payload == {
        "uuid": uuid,
        "record_id": 7,
        "campaign_id": 1,
        "outcome": "success",
        "started_at": iso(NOW),
        "ended_at": iso(NOW + timedelta(seconds=40)),
        "call_uuid": "",
        "note": "满意",
        "callback_at": None,
        "new_phone": "",
        "answers": {"q1": 5},
    }
    assert store.open_records("agent1") == []  # the record left the worklist
    assert store.draft("agent1", 7) == ({}, "")  # the draft went with the attempt


def test_a_failure_inside_the_transaction_leaves_neither(parts) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    store.take("agent1", record(7))
    with pytest.raises(Abort), database.transaction():
        store.record_attempt("agent1", attempt(7))
        raise Abort
    assert store.attempts("agent1") == []
    assert outbox.count() == 0
    assert [r["id"] for r in store.open_records("agent1")] == [7]


def test_a_success_without_the_required_answers_is_refused(parts) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    store.take("agent1", record(7))
    with pytest.raises(SurveyIncomplete) as refused:
        store.record_attempt(
            "agent1", attempt(7, "成功A"), meaning="success", required_missing=["q2"]
        )
    assert refused.value.missing == ["q2"]
    assert outbox.count() == 0
    # Other outcomes need no answers.
    store.record_attempt("agent1", attempt(7, "busy"), meaning="busy", required_missing=["q2"])
    assert outbox.count() == 1


def test_records_drafts_and_callbacks_belong_to_their_user(parts) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    store.take("agent1", record(1, "张三"))
    store.take("agent2", record(2, "李四"))
    store.save_draft("agent1", 1, {"q1": "好"}, "备注")
    store.record_attempt("agent2", attempt(2, callback_at=iso(NOW + timedelta(hours=4))))
    assert [r["name"] for r in store.open_records("agent1")] == ["张三"]
    assert store.open_records("agent2") == []
    assert store.draft("agent2", 1) == ({}, "")
    assert store.draft("agent1", 1) == ({"q1": "好"}, "备注")
    assert store.callbacks("agent1") == []
    assert [c.record_id for c in store.callbacks("agent2")] == [2]
    assert store.record("agent2", 1) is None
    store.put_campaigns("agent1", [{"id": 1, "name": "回访"}])
    assert store.campaigns("agent2") == []


def test_the_start_up_check_queues_an_attempt_without_its_outbox_row(parts) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    store.take("agent1", record(7))
    uuid = store.record_attempt("agent1", attempt(7, note="关机"))
    database.execute("DELETE FROM outbox")  # as an older version's crash could have left it
    registry = SyncRegistry()
    store.register(registry)
    assert registry.push_paths[OUTBOX_KIND] == "/campaigns/attempts/batch"
    assert registry.requeue_missing() == 1
    [entry] = outbox.pending(OUTBOX_KIND, 10)
    assert (entry.uuid, entry.payload["note"]) == (uuid, "关机")
    assert registry.requeue_missing() == 0


def test_a_callback_falls_due_and_its_record_comes_to_the_top(parts, clock) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    for record_id in (1, 2, 3):
        store.take("agent1", record(record_id, f"客户{record_id}"))
    due = NOW + timedelta(hours=4)
    store.record_attempt("agent1", attempt(3, callback_at=iso(due)))
    assert [r["id"] for r in store.open_records("agent1")] == [1, 2]
    assert due_callbacks(store.callbacks("agent1"), NOW + timedelta(hours=3)) == []
    [came] = due_callbacks(store.callbacks("agent1"), due)
    assert came.record["name"] == "客户3"
    store.bring_back("agent1", [came.record_id])
    assert [r["id"] for r in store.open_records("agent1")] == [3, 1, 2]
    assert due_callbacks(store.callbacks("agent1"), due) == []  # told once


def test_the_servers_callback_list_keeps_callbacks_not_yet_sent(parts) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    store.take("agent1", record(3))
    store.record_attempt("agent1", attempt(3, callback_at=iso(NOW + timedelta(hours=4))))
    server_list = [
        {"record_id": 9, "campaign_id": 1, "name": "王五", "due_at": iso(NOW + timedelta(days=1))}
    ]
    store.put_callbacks("agent1", server_list)
    assert [c.record_id for c in store.callbacks("agent1")] == [3, 9]
    # Sent: the server's list is the truth now (it no longer lists 3: say it was reassigned).
    [entry] = outbox.pending(OUTBOX_KIND, 10)
    outbox.acknowledge([entry.uuid], {}, {})
    store.put_callbacks("agent1", server_list)
    assert [c.record_id for c in store.callbacks("agent1")] == [9]
    # 9 falls due and comes back: while the agent works it, the server's list (which still
    # names it) brings no second reminder.
    store.bring_back("agent1", [9])
    store.put_callbacks("agent1", server_list)
    assert due_callbacks(store.callbacks("agent1"), NOW + timedelta(days=1)) == []
    assert [r["id"] for r in store.open_records("agent1")] == [9]
    # Worked and sent; the server agrees a new time: that one is news again.
    store.record_attempt("agent1", attempt(9, "busy"))
    outbox.acknowledge([e.uuid for e in outbox.pending(OUTBOX_KIND, 10)], {}, {})
    moved = [{**server_list[0], "due_at": iso(NOW + timedelta(days=2))}]
    store.put_callbacks("agent1", moved)
    assert [
        c.record_id for c in due_callbacks(store.callbacks("agent1"), NOW + timedelta(days=2))
    ] == [9]


WORKING_CLIENT = """
import sys, threading
from pathlib import Path
from agent_app.outbound.store import Attempt, OutboundStore
from localdb import LocalDatabase
from sync.outbox import Outbox
database = LocalDatabase(Path(sys.argv[1]))
outbox = Outbox(database)
store = OutboundStore(database, outbox)

def read_forever() -> None:  # the views and the sync thread, reading all the time
    while True:
        store.open_records("agent1")
        store.callbacks("agent1")
        outbox.count()

threading.Thread(target=read_forever, daemon=True).start()
i = int(sys.argv[2])
while True:
    store.take("agent1", {"id": i, "campaign_id": 1, "name": f"客户{i}", "phone": "13800138000"})
    store.save_draft("agent1", i, {"q1": i})
    store.record_attempt("agent1", Attempt(i, 1, "no_answer", "2026-03-02T02:00:00.000+00:00",
                         "2026-03-02T02:01:00.000+00:00", answers={"q1": i}))
    i += 1
    if i % 20 == 0:
        print(i, flush=True)
"""


def test_kill_9_mid_write_leaves_no_attempt_without_its_outbox_row(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    start = 0
    for _ in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", WORKING_CLIENT, str(path), str(start)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            for line in child.stdout:
                if int(line) >= start + 40:
                    break
        finally:
            child.kill()  # SIGKILL: no cleanup, no flush, mid-transaction
            child.wait(30)
            child.stdout.close()  # type: ignore[union-attr]
        start += 100_000  # the next run's records never collide with a half-written one

    # Checked without the start-up check, which would re-queue what the crash lost.
    database = LocalDatabase(path)
    try:
        outbox = Outbox(database)
        store = OutboundStore(database, outbox)
        made = store.attempts("agent1")
        assert len(made) >= 4 * 40
        assert outbox.missing("outbound_attempts") == []
        assert outbox.count() == len(made)
        # Every attempt's record left the list with it: none both done and still open.
        done = {a["record_id"] for a in made}
        assert not done & {r["id"] for r in store.open_records("agent1")}
    finally:
        database.close()


def test_a_record_handed_back_before_its_attempt_was_sent_is_not_reopened(parts) -> None:  # type: ignore[no-untyped-def]
    # The server hands its lock holder the same record again until the attempt arrives.
    database, outbox, store = parts
    assert store.take("agent1", record(7))
    store.record_attempt("agent1", attempt(7, "busy"))
    assert not store.take("agent1", record(7))
    assert store.open_records("agent1") == []
    outbox.acknowledge([e.uuid for e in outbox.pending(OUTBOX_KIND, 10)], {}, {})
    assert store.take("agent1", record(7))  # handed out again later (a retry): a new round
    assert [r["id"] for r in store.open_records("agent1")] == [7]


def test_a_record_handed_back_while_its_attempt_was_being_sent_is_not_reopened(parts) -> None:  # type: ignore[no-untyped-def]
    # The next record is asked for; meanwhile the outbox sends the attempt, so the server's
    # answer (the same record, still locked) predates it. Asked after, the answer counts.
    database, outbox, store = parts
    assert store.take("agent1", record(7))
    store.record_attempt("agent1", attempt(7, "busy"))
    asked_at = now_iso()
    outbox.acknowledge([e.uuid for e in outbox.pending(OUTBOX_KIND, 10)], {}, {})
    assert not store.take("agent1", record(7), asked_at)
    assert store.open_records("agent1") == []
    later = iso(datetime.now(UTC) + timedelta(seconds=1))
    assert store.take("agent1", record(7), later)
    assert [r["id"] for r in store.open_records("agent1")] == [7]


def test_a_callback_list_asked_for_before_the_attempt_arrived_does_not_drop_it(parts) -> None:  # type: ignore[no-untyped-def]
    database, outbox, store = parts
    store.take("agent1", record(3))
    store.record_attempt("agent1", attempt(3, callback_at=iso(NOW + timedelta(hours=4))))
    asked_at = now_iso()  # the list is asked for; meanwhile the outbox sends the attempt
    outbox.acknowledge([e.uuid for e in outbox.pending(OUTBOX_KIND, 10)], {}, {})
    store.put_callbacks("agent1", [], asked_at)  # a list from before the attempt arrived
    assert [c.record_id for c in store.callbacks("agent1")] == [3]
    later = iso(datetime.now(UTC) + timedelta(seconds=1))
    store.put_callbacks("agent1", [], later)  # asked after it arrived: the server's word counts
    assert store.callbacks("agent1") == []
