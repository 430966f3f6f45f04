"""Unanswered questions on this workstation (Qt-free): the ones its users asked, kept with
their outbox entry in one transaction, and the server's answers to them as the changes feed
and the login reconciliation bring them.

Questions belong to the user who asked them (`agent`); every read takes the user, so the next
person on a shared PC sees none of the previous one's. The table is this capability's own
(migration set 'seatdesk.questions' in the client's database, localdb).
"""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from common.timestamps import now_iso
from common.wire import Change
from localdb import LocalDatabase
from sync.api_client import ApiClient
from sync.outbox import Outbox
from sync.registry import SyncRegistry

OUTBOX_KIND = "question"
PUSH_PATH = "/questions/batch"
FEED_KIND = "question"
RECONCILE_PAGE = 500  # the server's largest page

migrations = Migrations("seatdesk.questions")

_COLUMNS = {
    "note": "TEXT NOT NULL DEFAULT ''",
    "closest_article_uuid": "TEXT NOT NULL DEFAULT ''",
    "business_line": "TEXT NOT NULL DEFAULT ''",
    "agent": "TEXT NOT NULL DEFAULT ''",
    "status": "TEXT NOT NULL DEFAULT 'open'",
    "answer": "TEXT NOT NULL DEFAULT ''",
    "answer_article_uuid": "TEXT NOT NULL DEFAULT ''",
    "answered_by": "TEXT NOT NULL DEFAULT ''",
    "answered_at": "TEXT NOT NULL DEFAULT ''",
    "reject_reason": "TEXT NOT NULL DEFAULT ''",
    "merged_into": "TEXT NOT NULL DEFAULT ''",
    "unread": "INTEGER NOT NULL DEFAULT 0",
}


@migrations()
def m001_unanswered_questions(db: Database) -> None:
    # A data folder from before the split already has the table (made by 'seatdesk.kb'), with
    # or without the columns its m004 added: create it when missing, add what it lacks.
    columns = ",\n".join(f"{name} {kind}" for name, kind in _COLUMNS.items())
    db.execute(
        f"""
        CREATE TABLE IF NOT EXISTS unanswered_questions (
            uuid TEXT PRIMARY KEY,
            query TEXT NOT NULL,
            {columns},
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    present = set(db.table("unanswered_questions").columns_dict)
    for name, kind in _COLUMNS.items():
        if name not in present:
            db.execute(f"ALTER TABLE unanswered_questions ADD COLUMN {name} {kind}")


@migrations()
def m002_origin(db: Database) -> None:
    # Questions asked on another workstation arrive from the server: they never need sending,
    # so the start-up check must not queue them. Older rows were all asked here.
    db.execute("ALTER TABLE unanswered_questions ADD COLUMN from_server INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "CREATE INDEX IF NOT EXISTS unanswered_questions_agent "
        "ON unanswered_questions(agent, created_at)"
    )


class QuestionStore:
    def __init__(self, database: LocalDatabase, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox
        database.use(migrations)

    def register(self, registry: SyncRegistry) -> None:
        """Questions go up through the outbox, answers come down the feed, and a login
        reconciles the user's own questions with the server."""
        registry.outbox_kind(OUTBOX_KIND, PUSH_PATH)
        registry.feed_kind(FEED_KIND, lambda change: self.put_state(change.data))
        registry.requeue_check(self.requeue_missing)
        registry.reconciler(self.reconcile)

    # -- writes ---------------------------------------------------------------------------------
    def record(
        self,
        query: str,
        note: str = "",
        closest_article_uuid: str = "",
        business_line: str = "",
        agent: str = "",
    ) -> str:
        """Keep a question the knowledge base could not answer; returns its UUID."""
        qid = str(uuidlib.uuid4())
        now = now_iso()
        row = {
            "uuid": qid,
            "query": query,
            "note": note,
            "closest_article_uuid": closest_article_uuid,
            "business_line": business_line,
            "agent": agent,
            "status": "open",
            "created_at": now,
            "updated_at": now,
        }
        # The question and its outbox entry commit together: a crash keeps both or neither.
        with self.database.transaction() as db:
            db.table("unanswered_questions").insert(row)
            self.outbox.enqueue(OUTBOX_KIND, qid, _payload(row))
        return qid

    def put_state(self, data: dict[str, Any]) -> bool:
        """Mirror the server's state of one of this PC's users' questions; True when newly
        answered or rejected. A question asked on another workstation is added."""
        fields = {
            "status": data.get("status", "open"),
            "answer": data.get("answer") or "",
            "answer_article_uuid": data.get("article_uuid") or "",
            "answered_by": data.get("answered_by") or "",
            "answered_at": data.get("answered_at") or "",
            "reject_reason": data.get("reject_reason") or "",
            "merged_into": data.get("merged_into") or "",
            "updated_at": now_iso(),
        }
        with self.database.transaction() as db:
            rows = list(
                db.query(
                    "SELECT answer, status, agent FROM unanswered_questions WHERE uuid = ?",
                    [data["uuid"]],
                )
            )
            before = rows[0] if rows else None
            news = bool(fields["answer"]) and (
                before is None or before["answer"] != fields["answer"]
            )
            news = news or (
                fields["status"] == "rejected" and (before or {}).get("status") != "rejected"
            )
            fields["unread"] = 1 if news else 0
            if before is None:
                db.table("unanswered_questions").insert(
                    {
                        "uuid": data["uuid"],
                        "query": data.get("query", ""),
                        "note": data.get("note", ""),
                        "closest_article_uuid": data.get("closest_article_uuid", ""),
                        "business_line": data.get("business_line", ""),
                        "agent": data.get("agent", ""),
                        "created_at": data.get("created_at") or now_iso(),
                        "from_server": 1,
                        **fields,
                    }
                )
            else:
                if not news:
                    fields.pop("unread")
                if not before["agent"] and data.get("agent"):
                    fields["agent"] = data["agent"]  # asked before anyone logged in
                sets = ", ".join(f"{k} = ?" for k in fields)
                db.execute(
                    f"UPDATE unanswered_questions SET {sets} WHERE uuid = ?",
                    [*fields.values(), data["uuid"]],
                )
            return news

    def claim_unowned(self, user: str) -> int:
        """Questions asked while nobody was logged in go up with the next session, so the
        server files them under that user: here too."""
        return self.database.execute(
            "UPDATE unanswered_questions SET agent = ? WHERE agent = ''", [user]
        )

    def mark_read(self, user: str) -> None:
        self.database.execute(
            "UPDATE unanswered_questions SET unread = 0 WHERE unread = 1 AND agent = ?", [user]
        )

    # -- reads (always one user's) ------------------------------------------------------------
    def unread_answers(self, user: str) -> int:
        return int(
            self.database.scalar(
                "SELECT count(*) FROM unanswered_questions WHERE unread = 1 AND agent = ?", [user]
            )
        )

    def for_user(self, user: str, status: str | None = None) -> list[dict[str, Any]]:
        """`user`'s questions, newest first (with `status`, only those)."""
        sql = "SELECT * FROM unanswered_questions WHERE agent = ?"
        params: list[Any] = [user]
        if status:
            sql += " AND status = ?"
            params.append(status)
        return self.database.query(sql + " ORDER BY created_at DESC", params)

    def get(self, uuid: str) -> dict[str, Any] | None:
        rows = self.database.query("SELECT * FROM unanswered_questions WHERE uuid = ?", [uuid])
        return rows[0] if rows else None

    # -- sync -----------------------------------------------------------------------------------
    def requeue_missing(self) -> int:
        """Queue again every question asked here that has no outbox entry (the start-up check)."""
        with self.database.transaction():
            missing = self.outbox.missing("unanswered_questions", where="from_server = 0")
            for uuid in missing:
                row = self.get(uuid)
                if row is not None:
                    self.outbox.enqueue(OUTBOX_KIND, uuid, _payload(row))
        return len(missing)

    def reconcile(self, client: ApiClient, user: str) -> list[Change]:
        """The user's questions as the server has them now: the answers that are news."""
        self.claim_unowned(user)
        news: list[Change] = []
        offset = 0
        while True:
            page = client.questions(agent=user, limit=RECONCILE_PAGE, offset=offset)
            with self.database.transaction():
                for question in page.items:
                    data = question.model_dump()
                    if self.put_state(data):
                        news.append(Change(seq=0, kind=FEED_KIND, uuid=question.uuid, data=data))
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return news


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    """What the server receives for a question (it takes the agent from the session)."""
    payload = {k: row[k] for k in ("query", "note", "closest_article_uuid", "business_line")}
    payload["created_at"] = row["created_at"]
    return payload
