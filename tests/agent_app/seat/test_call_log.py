"""Call records and state changes in the client's database (localdb): persistence, crash
recovery, the outbox entries they queue, and customer history (no Qt)."""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from agent_app.seat.agent_state import AgentStateMachine
from agent_app.seat.call_log import (
    DEFAULT_WRAP_UP_CATEGORIES,
    CallLog,
    end_reason_for,
)
from agent_app.seat.schema import migrations
from agent_app.seat.state_log import AgentStateLog
from common.numbers import match_key, tidy
from localdb import LocalDatabase
from sync.outbox import Outbox
from tests.helpers.clock import START, FakeClock

CUSTOMER = "13800138000"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "kb.db"


@pytest.fixture
def store(path: Path) -> Iterator[LocalDatabase]:
    s = LocalDatabase(path)
    yield s
    s.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def log(store: LocalDatabase, clock: FakeClock) -> CallLog:
    return CallLog(store, user="agent1", clock=clock)


def outbox(store: LocalDatabase) -> list[dict[str, Any]]:
    rows = store.query("SELECT uuid, kind, payload, sent_at FROM outbox ORDER BY id")
    return [{**r, "payload": json.loads(r["payload"])} for r in rows]


def answered_call(log: CallLog, clock: FakeClock, number: str = CUSTOMER) -> str:
    """Ring 5 s, talk 60 s with 20 s on hold in the middle; returns the uuid."""
    record = log.record_started("inbound", number, local_number="8001", queue="物业客服")
    clock.advance(5)
    log.record_answered(record.uuid)
    clock.advance(30)
    log.record_hold(record.uuid, True)
    clock.advance(20)
    log.record_hold(record.uuid, False)
    clock.advance(30)
    log.record_ended(record.uuid, sip_code=200)
    return record.uuid


def test_a_call_is_written_as_it_happens(log: CallLog, clock: FakeClock) -> None:
    record = log.record_started(
        "inbound", "sip:+86 138-0013-8000@pbx.local", remote_display="张先生"
    )
    assert record.remote_number == "+8613800138000"
    assert log.get(record.uuid) == record  # on disk before anything else happens
    assert outbox(log.database) == []  # nothing to send until it ends
    uuid = answered_call(log, clock)
    done = log.get(uuid)
    assert done is not None
    assert (done.talk_seconds, done.hold_seconds, done.acw_seconds) == (60.0, 20.0, 0.0)
    assert done.end_reason == "answered" and done.sip_code == 200
    assert done.answered_at == START + timedelta(seconds=5)
    assert done.handle_seconds == 80.0
    assert done.user == "agent1" and done.queue == "物业客服"


def test_records_survive_reopening_the_database(path: Path, clock: FakeClock) -> None:
    store = LocalDatabase(path)
    log = CallLog(store, user="agent1", clock=clock)
    uuid = answered_call(log, clock)
    log.record_wrap_up(uuid, "repair", "电梯不动了，已报修", acw_seconds=22.5)
    before = log.get(uuid)
    store.close()

    again = LocalDatabase(path)
    try:
        reopened = CallLog(again, user="agent1", clock=clock)
        assert reopened.get(uuid) == before
        assert [r.uuid for r in reopened.recent()] == [uuid]
        assert reopened.recover_interrupted() == []  # it ended properly
    finally:
        again.close()


def test_a_crash_mid_call_leaves_a_record_marked_interrupted(path: Path, clock: FakeClock) -> None:
    store = LocalDatabase(path)
    log = CallLog(store, user="agent1", clock=clock)
    record = log.record_started("outbound", CUSTOMER, campaign="满意度回访")
    clock.advance(8)
    log.record_answered(record.uuid)
    clock.advance(40)
    log.record_hold(record.uuid, True)  # the last thing written before the "crash"
    # No record_ended, no close: the next start opens the same file.
    clock.advance(3600)  # the app comes back an hour later
    restarted = LocalDatabase(path)
    try:
        log2 = CallLog(restarted, user="agent1", clock=clock)
        recovered = log2.recover_interrupted()
        assert [r.uuid for r in recovered] == [record.uuid]
        done = log2.get(record.uuid)
        assert done is not None and done.end_reason == "interrupted"
        # It ends when it was last known alive, not when the app came back.
        assert done.ended_at == START + timedelta(seconds=48)
        assert (done.talk_seconds, done.hold_seconds) == (40.0, 0.0)
        entries = outbox(restarted)
        assert [(e["kind"], e["payload"]["uuid"]) for e in entries] == [
            ("call_record", record.uuid)
        ]
        assert entries[0]["payload"]["end_reason"] == "interrupted"
        assert log2.recover_interrupted() == []  # once only
        # The agent may still wrap it up after the restart: sent again, newer.
        log2.record_wrap_up(record.uuid, "other", "系统中断")
        assert outbox(restarted)[-1]["payload"]["version"] > entries[0]["payload"]["version"]
    finally:
        restarted.close()
        store.close()


def test_recovery_leaves_this_processs_live_calls_alone(log: CallLog) -> None:
    live = log.record_started("inbound", CUSTOMER)
    assert log.recover_interrupted() == []
    assert log.get(live.uuid) is not None and log.get(live.uuid).ended_at is None  # type: ignore[union-attr]


def test_the_record_is_sent_at_the_end_and_again_after_wrap_up(
    log: CallLog, clock: FakeClock
) -> None:
    uuid = answered_call(log, clock)
    [sent_at_end] = outbox(log.database)
    assert sent_at_end["kind"] == "call_record"
    payload = sent_at_end["payload"]
    assert payload["uuid"] == uuid and sent_at_end["uuid"] == f"{uuid}#{payload['version']}"
    assert "user" not in payload and "hold_since" not in payload
    assert payload["started_at"] == "2025-03-03T01:00:00.000+00:00"
    assert payload["wrap_up_category"] == ""
    # Wrap-up before the first version was sent: it replaces it in the outbox.
    log.record_wrap_up(uuid, "complaint", "客户投诉噪音", acw_seconds=30.0, disposition="resolved")
    [entry] = outbox(log.database)
    assert entry["payload"]["version"] > payload["version"]
    assert (entry["payload"]["wrap_up_category"], entry["payload"]["acw_seconds"]) == (
        "complaint",
        30.0,
    )
    assert entry["payload"]["disposition"] == "resolved"
    # Once a version has been sent, a later change is a new entry beside it.
    log.outbox.acknowledge([entry["uuid"]], {}, {})
    log.record_wrap_up(uuid, "complaint", "客户投诉噪音，已联系物业")
    entries = outbox(log.database)
    assert [e["sent_at"] is not None for e in entries] == [True, False]
    assert log.outbox.count() == 1


def test_ending_twice_changes_nothing(log: CallLog, clock: FakeClock) -> None:
    uuid = answered_call(log, clock)
    first = log.get(uuid)
    clock.advance(10)
    assert log.record_ended(uuid, end_reason="failed") == first
    assert log.record_answered(uuid) == first
    assert log.record_hold(uuid, True) == first
    assert len(outbox(log.database)) == 1


def test_missed_and_failed_calls(log: CallLog, clock: FakeClock) -> None:
    missed = log.record_started("inbound", CUSTOMER)
    clock.advance(20)
    done = log.record_ended(missed.uuid, sip_code=487)
    assert (done.end_reason, done.talk_seconds, done.hold_seconds) == ("missed", 0.0, 0.0)
    busy = log.record_started("outbound", "02161234567")
    assert log.record_ended(busy.uuid, sip_code=486).end_reason == "busy"
    told = log.record_started("outbound", "02161234567")
    assert log.record_ended(told.uuid, end_reason="cancelled").end_reason == "cancelled"
    with pytest.raises(ValueError):
        log.record_ended(told.uuid, end_reason="exploded")
    with pytest.raises(ValueError):
        log.record_started("sideways", CUSTOMER)
    with pytest.raises(KeyError):
        log.record_answered(str(uuidlib.uuid4()))


@pytest.mark.parametrize(
    ("direction", "answered", "code", "reason"),
    [
        ("inbound", True, 200, "answered"),
        ("inbound", False, None, "missed"),
        ("inbound", False, 487, "missed"),
        ("inbound", False, 603, "rejected"),
        ("inbound", False, 500, "failed"),
        ("outbound", False, 486, "busy"),
        ("outbound", False, 600, "busy"),
        ("outbound", False, 480, "no_answer"),
        ("outbound", False, 408, "no_answer"),
        ("outbound", False, 487, "cancelled"),
        ("outbound", False, 404, "failed"),
        ("outbound", False, 603, "rejected"),
    ],
)
def test_end_reason_from_the_sip_code(
    direction: str, answered: bool, code: int | None, reason: str
) -> None:
    assert end_reason_for(direction, answered, code) == reason


def test_the_phones_own_hold_count_wins(log: CallLog, clock: FakeClock) -> None:
    record = log.record_started("inbound", CUSTOMER)
    log.record_answered(record.uuid)
    clock.advance(100)
    done = log.record_ended(record.uuid, hold_seconds=15.0, recording_path="/rec/a.wav")
    assert (done.talk_seconds, done.hold_seconds) == (85.0, 15.0)
    assert done.recording_path == "/rec/a.wav"


def test_a_failed_transfer_is_kept_mid_call_and_sent_with_the_end(
    path: Path, clock: FakeClock
) -> None:
    store = LocalDatabase(path)
    log = CallLog(store, user="agent1", clock=clock)
    record = log.record_started("inbound", CUSTOMER)
    log.record_answered(record.uuid)
    clock.advance(30)
    log.record_transfer(record.uuid, "failed")
    assert outbox(store) == []  # the call goes on: sent when it ends
    store.close()  # the app is killed with the customer still on the line

    restarted = LocalDatabase(path)
    try:
        log2 = CallLog(restarted, user="agent1", clock=clock)
        [recovered] = log2.recover_interrupted()
        assert (recovered.transfer_result, recovered.end_reason) == ("failed", "interrupted")
        assert outbox(restarted)[-1]["payload"]["transfer_result"] == "failed"
    finally:
        restarted.close()


def test_the_end_keeps_the_transfer_and_the_text_the_agent_saw(log: CallLog) -> None:
    record = log.record_started("inbound", CUSTOMER)
    log.record_answered(record.uuid)
    log.record_transfer(record.uuid, "failed")
    done = log.record_ended(record.uuid, end_text="对方无应答，通话已断开\x00" + "长" * 600)
    assert done.transfer_result == "failed"  # None: what record_transfer left
    assert done.end_text.startswith("对方无应答，通话已断开") and len(done.end_text) == 500
    [sent] = outbox(log.database)
    assert (sent["payload"]["transfer_result"], sent["payload"]["end_text"]) == (
        "failed",
        done.end_text,
    )
    assert log.record_transfer(record.uuid, "succeeded").transfer_result == "failed"  # ended
    other = log.record_started("outbound", CUSTOMER)
    assert log.record_ended(other.uuid, transfer_result="succeeded").transfer_result == "succeeded"
    with pytest.raises(ValueError):
        log.record_transfer(other.uuid, "maybe")


def test_text_the_server_would_refuse_is_made_acceptable(log: CallLog, clock: FakeClock) -> None:
    record = log.record_started(
        "inbound", "1" * 100, remote_display="名" * 500 + "\x00", queue="q" * 100
    )
    assert len(record.remote_number) == 64
    assert len(record.remote_display) == 200 and "\x00" not in record.remote_display
    assert len(record.queue) == 64
    log.record_ended(record.uuid)
    done = log.record_wrap_up(record.uuid, "other", "备注\x00" * 2000)
    assert len(done.wrap_up_note) == 2000 and "\x00" not in done.wrap_up_note


def test_history_for_a_customer_in_any_number_format(log: CallLog, clock: FakeClock) -> None:
    first = answered_call(log, clock, "13800138000")
    clock.advance(60)
    second = answered_call(log, clock, "+86 138-0013-8000")
    clock.advance(60)
    answered_call(log, clock, "13900139000")  # someone else
    clock.advance(60)
    landline = answered_call(log, clock, "(010) 6552-9988")
    clock.advance(60)
    current = log.record_started("inbound", "sip:008613800138000@pbx")

    found = log.history_for("tel:+8613800138000")
    assert [r.uuid for r in found] == [current.uuid, second, first]  # newest first
    assert [r.uuid for r in log.history_for(CUSTOMER, exclude_uuid=current.uuid)] == [
        second,
        first,
    ]
    assert [r.uuid for r in log.history_for(CUSTOMER, limit=1)] == [current.uuid]
    assert [r.uuid for r in log.history_for("+86 10 65529988")] == [landline]
    assert log.history_for("anonymous") == []
    assert log.history_for("") == []
    assert len(log.recent(limit=3)) == 3
    assert log.recent(user="someone else") == []


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("13800138000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("sip:13800138000@10.0.0.1:5060;transport=udp", "13800138000"),
        ("<sip:+8613800138000@pbx>", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("010-65529988", "01065529988"),
        ("+86 10 6552 9988", "01065529988"),
        ("0086-10-65529988", "01065529988"),
        ("010-65529988 转 123", "01065529988"),
        ("95598", "95598"),
        ("+1 415 555 0100", "0014155550100"),
        ("anonymous", ""),
        ("", ""),
    ],
)
def test_match_key(raw: str, key: str) -> None:
    assert match_key(raw) == key


def test_tidy_keeps_what_a_number_may_carry() -> None:
    assert tidy(" 138-0013 (8000) ") == "13800138000"
    assert tidy("sip:alice.smith@pbx") == "alice.smith"
    assert tidy("*72#") == "*72#"
    assert tidy("１３８") == "138"


def test_wrap_up_categories(log: CallLog) -> None:
    codes = [c.code for c in log.wrap_up_categories()]
    assert codes == ["enquiry", "complaint", "repair", "transaction", "callback", "other"]
    assert [c.zh for c in DEFAULT_WRAP_UP_CATEGORIES][:3] == ["咨询", "投诉", "报修"]


def test_state_changes_are_kept_and_queued_together(store: LocalDatabase, clock: FakeClock) -> None:
    states = AgentStateLog(store)
    machine = AgentStateMachine("agent1", clock=clock)
    call_uuid = str(uuidlib.uuid4())
    clock.advance(5)
    states.record(machine.set_registered(True))
    clock.advance(5)
    states.record(machine.set_ready())
    states.record(machine.set_ready())  # no change: nothing recorded
    clock.advance(5)
    states.record(machine.call_started(call_uuid))
    history = states.history("agent1")
    assert [c.state.value for c in history] == ["ready", "ready", "not_ready"]
    assert history[0].on_call and history[0].call_uuid == call_uuid
    assert states.last("agent1") == history[0]
    assert states.last("nobody") is None
    entries = outbox(store)
    assert [e["kind"] for e in entries] == ["agent_state"] * 3
    assert [e["uuid"] for e in entries] == [c.uuid for c in reversed(history)]
    assert entries[-1]["payload"] == history[0].to_payload()
    states.record(machine.call_ended(call_uuid))
    states.record(machine.finish_wrap_up())
    with pytest.raises(ValueError):  # a call must be named by its record's uuid
        states.record(machine.call_started("engine-call-7"))


def test_a_failed_write_leaves_neither_row_nor_outbox_entry(
    store: LocalDatabase, clock: FakeClock
) -> None:
    states = AgentStateLog(store)
    machine = AgentStateMachine("agent1", clock=clock)
    change = machine.set_registered(True)
    states.record(change)
    with pytest.raises(Exception, match="UNIQUE"):
        states.record(change)  # the same uuid again: the row insert fails
    assert len(states.history()) == 1
    assert Outbox(store).count() == 1


def test_a_data_folder_from_before_the_transfer_column_keeps_its_calls(
    path: Path, clock: FakeClock
) -> None:
    """The seat's migration m003 adds the columns to a file that has calls already."""
    old = Database(path)
    migrations.apply(old, stop_before="m003_transfer_and_end_text")
    old["call_records"].insert(
        {
            "uuid": str(uuidlib.uuid4()),
            "direction": "inbound",
            "started_at": "2025-03-03T01:00:00+00:00",
        }
        | {"updated_at": "2025-03-03T01:00:00+00:00", "ended_at": "2025-03-03T01:01:00+00:00"}
    )
    old.close()
    store = LocalDatabase(path)
    try:
        [kept] = CallLog(store, user="", clock=clock).recent()
        assert (kept.transfer_result, kept.end_text) == ("", "")
    finally:
        store.close()
