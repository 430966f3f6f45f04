"""A data folder made before the database was split by capability (one 'seatdesk.kb' migration
set created every table) still opens, keeps every row, and gets the new sets' changes."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from agent_app.authoring import drafts
from agent_app.common import code_lists
from agent_app.outbound import store as outbound_store
from agent_app.questions import store as questions_store
from agent_app.seat import schema as seat_schema
from agent_app.shell.local_data import LocalData
from kb import migrations as kb_migrations
from kb.paths import DB_FILENAME
from sync import schema as sync_schema
from tests.localdb import legacy_schema

# The migration sets the client's stores bring, in the order LocalData opens them.
EVERY_SET = [
    sync_schema.migrations,
    kb_migrations.migrations,
    questions_store.migrations,
    outbound_store.migrations,
    seat_schema.migrations,
    drafts.migrations,
    code_lists.migrations,
]

QUESTION = "00000000-0000-4000-8000-0000000000a1"
UNSENT_QUESTION = "00000000-0000-4000-8000-0000000000a2"
CALL = "00000000-0000-4000-8000-0000000000c1"
STATE = "00000000-0000-4000-8000-0000000000d1"
ARTICLE = "00000000-0000-4000-8000-0000000000e1"
T = "2026-05-01T02:03:04.000+00:00"


def make_old_folder(folder: Path) -> None:
    """What the release at 5d035cd left on disk, including one question its outbox bug lost."""
    folder.mkdir(parents=True)
    db = Database(folder / DB_FILENAME)
    legacy_schema.migrations.apply(db)
    db.table("articles").insert(
        {
            "uuid": ARTICLE,
            "type": "faq",
            "title": "宽带报修",
            "body": "先重启光猫。",
            "created_at": T,
            "updated_at": T,
            "seq": 1,
        }
    )
    db.table("meta").insert_all(
        [{"key": "article_seq", "value": "1"}, {"key": "sync_checkpoint", "value": "57"}]
    )
    for uuid, query in ((QUESTION, "宽带能开专票吗"), (UNSENT_QUESTION, "物业费怎么交")):
        db.table("unanswered_questions").insert(
            {
                "uuid": uuid,
                "query": query,
                "agent": "agent1",
                "status": "open",
                "created_at": T,
                "updated_at": T,
            }
        )
    # The first question has its outbox row (sent); the second lost it, as issue 11 #1 found.
    db.table("outbox").insert(
        {
            "uuid": QUESTION,
            "kind": "question",
            "payload": json.dumps({"uuid": QUESTION}),
            "created_at": T,
            "sent_at": T,
        }
    )
    db.table("call_records").insert(
        {
            "uuid": CALL,
            "user": "agent1",
            "direction": "inbound",
            "remote_number": "13800138000",
            "remote_key": "13800138000",
            "started_at": T,
            "ended_at": T,
            "end_reason": "missed",
            "version": 2,
            "updated_at": T,
        }
    )
    db.table("outbox").insert(
        {
            "uuid": f"{CALL}#2",
            "kind": "call_record",
            "payload": json.dumps({"uuid": CALL}),
            "created_at": T,
        }
    )
    db.table("agent_states").insert(
        {
            "uuid": STATE,
            "user": "agent1",
            "state": "ready",
            "started_at": T,
            "previous_state": "offline",
            "previous_started_at": T,
        }
    )
    db.table("outbox").insert(
        {
            "uuid": STATE,
            "kind": "agent_state",
            "payload": json.dumps({"uuid": STATE}),
            "created_at": T,
        }
    )
    db.close()


def test_an_old_data_folder_opens_with_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "seat"
    make_old_folder(folder)

    data = LocalData(folder)
    try:
        # Every capability's set is in use on the old file, and each is wholly applied: the
        # old kb set got its later migrations, the newer sets made their tables beside the
        # old ones.
        assert data.database.schemas == [s.name for s in EVERY_SET]
        with data.database.read() as db:
            assert {s.name: [m.name for m in s.pending(db)] for s in EVERY_SET} == {
                s.name: [] for s in EVERY_SET
            }
        (article,) = data.kb.store.articles()
        assert article.title == "宽带报修"
        assert (article.external_id, article.attachments) == ("", [])  # kb m006, m008
        assert data.kb.store.max_seq() == 1
        questions = {q["uuid"]: q for q in data.questions.for_user("agent1")}
        assert set(questions) == {QUESTION, UNSENT_QUESTION}
        assert questions[QUESTION]["from_server"] == 0  # the new column, with its default
        (call,) = data.calls.recent(user="agent1")
        assert (call.uuid, call.end_reason, call.version) == (CALL, "missed", 2)
        (state,) = data.states.history("agent1")
        assert state.uuid == STATE
        # The start-up check queued the question that had lost its outbox row, and nothing else.
        pending = {e.uuid: e.kind for e in data.outbox.pending("question", 10)}
        assert pending == {UNSENT_QUESTION: "question"}
        assert data.outbox.count() == 3  # + the call's and the state's, still waiting
        assert data.outbox.missing("unanswered_questions") == []
    finally:
        data.close()

    # Opened again: nothing re-runs, nothing is queued twice.
    again = LocalData(folder)
    try:
        assert again.outbox.count() == 3
        assert len(again.questions.for_user("agent1")) == 2
    finally:
        again.close()
