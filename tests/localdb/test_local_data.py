"""The app's local data put together: the start-up check re-queues any local record that lacks
its outbox entry, searches that found nothing are queued with the search, and reads are one
user's."""

from __future__ import annotations

from pathlib import Path

from agent_app.seat.agent_state import AgentStateMachine, StateConfig
from agent_app.shell.local_data import LocalData
from common.articles import Article


def test_start_up_requeues_records_that_lost_their_outbox_entry(tmp_path: Path) -> None:
    folder = tmp_path / "seat"
    data = LocalData(folder)
    try:
        asked = data.questions.record("宽带能开专票吗", agent="agent1")
        started = data.calls.record_started("inbound", "13800138000", user="agent1")
        data.calls.record_ended(started.uuid, end_reason="missed")
        change = AgentStateMachine("agent1", StateConfig()).set_registered(True)
        assert change is not None
        data.states.record(change)
        # An answer that arrived from the server for a question asked elsewhere: never sent.
        data.questions.put_state(
            {
                "uuid": "00000000-0000-4000-8000-00000000000b",
                "query": "别处问的",
                "agent": "agent1",
                "status": "answered",
                "answer": "好的",
            }
        )
        # What a crash between two writes left in older releases: rows without their entries.
        data.database.execute("DELETE FROM outbox")
    finally:
        data.close()

    reopened = LocalData(folder)
    try:
        kinds = sorted(reopened.outbox.kinds_pending())
        assert kinds == ["agent_state", "call_record", "question"]
        assert [e.uuid for e in reopened.outbox.pending("question", 10)] == [asked]
        (call_entry,) = reopened.outbox.pending("call_record", 10)
        assert call_entry.payload["uuid"] == started.uuid
        assert call_entry.payload["end_reason"] == "missed"
        assert [e.uuid for e in reopened.outbox.pending("agent_state", 10)] == [change.uuid]
    finally:
        reopened.close()


def test_a_search_that_found_nothing_is_queued_with_it(tmp_path: Path) -> None:
    data = LocalData(tmp_path / "seat")
    try:
        data.kb.save_article(
            Article(
                uuid="00000000-0000-4000-8000-000000000001",
                type="faq",
                title="宽带报修",
                body="先重启光猫。",
            )
        )
        data.kb.ensure_index()
        data.kb.search("火星漫游资费", log_source="gui")
        data.kb.search("宽带报修", log_source="gui")
        (miss,) = data.outbox.pending("search_miss", 10)
        assert miss.payload["query"] == "火星漫游资费"
    finally:
        data.close()


def test_reads_are_one_users(tmp_path: Path) -> None:
    data = LocalData(tmp_path / "seat")
    try:
        data.questions.record("甲的问题", agent="agent1")
        data.questions.record("乙的问题", agent="agent2")
        first = data.calls.record_started("inbound", "13800138000", user="agent1")
        data.calls.record_started("inbound", "13800138000", user="agent2")
        assert [q["query"] for q in data.questions.for_user("agent1")] == ["甲的问题"]
        assert [c.uuid for c in data.calls.recent(user="agent1")] == [first.uuid]
        assert [c.uuid for c in data.calls.history_for("138 0013 8000", user="agent1")] == [
            first.uuid
        ]
        assert data.questions.for_user("agent3") == []
    finally:
        data.close()
