"""The agent's outbound work on this workstation (Qt-free): the campaign records handed to each
user, the attempts recorded on them, survey answers saved as they are typed, and the user's
callbacks (the reminder list), so an agent can finish a record and record its outcome offline.

Everything belongs to one user: every read and write takes the user name, so the next person
on a shared PC never sees the previous one's records, drafts or callbacks (issue 11, hot-desking).
An attempt and its outbox entry (kind 'campaign_attempt') are written in one transaction; the
start-up check queues again any attempt that lacks its entry. The tables are this capability's
own (migration set 'seatdesk.outbound' in the client's database).
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from common.timestamps import Clock, iso, parse_or_none, utc_now
from localdb import LocalDatabase
from sync.outbox import Outbox
from sync.registry import SyncRegistry

OUTBOX_KIND = "campaign_attempt"
PUSH_PATH = "/campaigns/attempts/batch"
SUCCESS = "success"
# A user's attempts the server may not have had when it answered a question asked at a given
# time (parameters: user, asked_at): not sent yet, or sent after it was asked. Both the
# record hand-out and the callback list must not take the server's word over them.
_UNSENT_SINCE = (
    "outbound_attempts a JOIN outbox o ON o.uuid = a.uuid WHERE a.user = ? AND o.rejected = ''"
    " AND (o.sent_at IS NULL OR o.sent_at >= ?)"
)

migrations = Migrations("seatdesk.outbound")


@migrations()
def m001_outbound(db: Database) -> None:
    # A record as the server handed it out (`data`: its JSON), per user. `state` 'open' is on
    # the worklist; 'done' once an outcome is recorded here; 'callback' when an agreed callback
    # is waiting (it comes back to 'open', at the top, when it falls due).
    db.execute(
        """
        CREATE TABLE outbound_records (
            user TEXT NOT NULL,
            record_id INTEGER NOT NULL,
            campaign_id INTEGER NOT NULL,
            data TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open',
            due_at TEXT NOT NULL DEFAULT '',
            handed_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user, record_id)
        )
        """
    )
    db.execute("CREATE INDEX outbound_records_state ON outbound_records(user, state, due_at)")
    # The campaigns as last seen (calling hours, masking, survey, script): offline the pane
    # still shows and checks what it needs.
    db.execute(
        """
        CREATE TABLE outbound_campaigns (
            user TEXT NOT NULL,
            campaign_id INTEGER NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user, campaign_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE outbound_surveys (
            uuid TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE outbound_attempts (
            uuid TEXT PRIMARY KEY,
            user TEXT NOT NULL,
            record_id INTEGER NOT NULL,
            campaign_id INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            call_uuid TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            callback_at TEXT,
            new_phone TEXT NOT NULL DEFAULT '',
            answers TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX outbound_attempts_user ON outbound_attempts(user, created_at)")
    # Survey answers as they are given, so a crash or a logout mid-survey keeps them.
    db.execute(
        """
        CREATE TABLE outbound_drafts (
            user TEXT NOT NULL,
            record_id INTEGER NOT NULL,
            answers TEXT NOT NULL DEFAULT '{}',
            note TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user, record_id)
        )
        """
    )
    # The user's callbacks (the server's list, plus those agreed here and not yet sent):
    # the reminders work from this table, offline too. `notified` once the agent was told.
    db.execute(
        """
        CREATE TABLE outbound_callbacks (
            user TEXT NOT NULL,
            record_id INTEGER NOT NULL,
            campaign_id INTEGER NOT NULL,
            due_at TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            notified INTEGER NOT NULL DEFAULT 0,
            local INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user, record_id)
        )
        """
    )
    db.execute("CREATE INDEX outbound_callbacks_due ON outbound_callbacks(user, due_at)")


class SurveyIncomplete(ValueError):
    """A 'success' needs the survey's required answers; `missing` names the questions."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(", ".join(missing))


@dataclass(frozen=True)
class Attempt:
    """What the agent recorded on one record: an outcome code (the center's), the call's
    times, and whatever the outcome needs (a callback time, a new number)."""

    record_id: int
    campaign_id: int
    outcome: str
    started_at: str
    ended_at: str
    call_uuid: str = ""
    note: str = ""
    callback_at: str | None = None
    new_phone: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Callback:
    record_id: int
    campaign_id: int
    due_at: datetime
    record: dict[str, Any]
    notified: bool


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else {}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _record_id(record: dict[str, Any]) -> int:
    return int(record["id"])


class OutboundStore:
    def __init__(self, database: LocalDatabase, outbox: Outbox, clock: Clock = utc_now) -> None:
        self.database = database
        self.outbox = outbox
        self.clock = clock
        database.use(migrations)

    def register(self, registry: SyncRegistry) -> None:
        """Attempts go up through the outbox; a crash between writes loses none of them."""
        registry.outbox_kind(OUTBOX_KIND, PUSH_PATH)
        registry.requeue_check(self.requeue_missing)

    # -- campaigns and surveys (as the server last gave them) ----------------------------------
    def put_campaigns(self, user: str, campaigns: list[dict[str, Any]]) -> None:
        """The campaigns the server lists for `user` now; ones it no longer lists are dropped."""
        now = iso(self.clock())
        with self.database.transaction() as db:
            db.execute("DELETE FROM outbound_campaigns WHERE user = ?", [user])
            for campaign in campaigns:
                db.table("outbound_campaigns").insert(
                    {
                        "user": user,
                        "campaign_id": int(campaign["id"]),
                        "data": _dumps(campaign),
                        "updated_at": now,
                    }
                )

    def campaigns(self, user: str) -> list[dict[str, Any]]:
        rows = self.database.query(
            "SELECT data FROM outbound_campaigns WHERE user = ? ORDER BY campaign_id", [user]
        )
        return [_loads(r["data"]) for r in rows]

    def campaign(self, user: str, campaign_id: int) -> dict[str, Any] | None:
        rows = self.database.query(
            "SELECT data FROM outbound_campaigns WHERE user = ? AND campaign_id = ?",
            [user, campaign_id],
        )
        return _loads(rows[0]["data"]) if rows else None

    def put_survey(self, survey: dict[str, Any]) -> None:
        """A survey definition (center data, the same for every user)."""
        with self.database.transaction() as db:
            db.table("outbound_surveys").upsert(
                {
                    "uuid": str(survey["uuid"]),
                    "data": _dumps(survey),
                    "updated_at": iso(self.clock()),
                },
                pk="uuid",
            )

    def survey(self, uuid: str) -> dict[str, Any] | None:
        rows = self.database.query("SELECT data FROM outbound_surveys WHERE uuid = ?", [uuid])
        return _loads(rows[0]["data"]) if rows else None

    # -- records ----------------------------------------------------------------------------
    def take(self, user: str, record: dict[str, Any], asked_at: str = "") -> bool:
        """Keep a record the server handed to `user` (it stays until an outcome is recorded).
        A record handed again (a callback, a lock renewed) is brought up to date and reopened.

        False, and nothing changes, when this user's attempt on the record may not have
        reached the server when it answered: not sent yet, or sent after the record was asked
        for at `asked_at` (the outbox's clock: real UTC time). The server still saw the record
        locked to them and handed it back, but it was just worked; ask again once the outbox
        has sent the attempt."""
        now = iso(self.clock())
        with self.database.transaction() as db:
            unsent = db.execute(
                f"SELECT 1 FROM {_UNSENT_SINCE} AND a.record_id = ?",
                [user, asked_at or "9999", _record_id(record)],
            ).fetchone()
            if unsent is not None:
                return False
            db.execute(
                """
                INSERT INTO outbound_records
                    (user, record_id, campaign_id, data, state, due_at, handed_at, updated_at)
                VALUES (?, ?, ?, ?, 'open', '', ?, ?)
                ON CONFLICT (user, record_id) DO UPDATE SET
                    data = excluded.data, campaign_id = excluded.campaign_id, state = 'open',
                    due_at = '', handed_at = excluded.handed_at, updated_at = excluded.updated_at
                """,
                [user, _record_id(record), int(record["campaign_id"]), _dumps(record), now, now],
            )
            # Handed out again (its callback came back): the reminder has done its work.
            db.execute(
                "DELETE FROM outbound_callbacks WHERE user = ? AND record_id = ?",
                [user, _record_id(record)],
            )
        return True

    def open_records(self, user: str) -> list[dict[str, Any]]:
        """`user`'s worklist: records being worked, callbacks that came back first (the latest
        to fall due at the very top), then the others in the order they were handed out."""
        rows = self.database.query(
            """
            SELECT data, due_at FROM outbound_records WHERE user = ? AND state = 'open'
            ORDER BY due_at = '', due_at DESC, handed_at, record_id
            """,
            [user],
        )
        return [{**_loads(r["data"]), "_came_back_at": r["due_at"]} for r in rows]

    def record(self, user: str, record_id: int) -> dict[str, Any] | None:
        rows = self.database.query(
            "SELECT data, state FROM outbound_records WHERE user = ? AND record_id = ?",
            [user, record_id],
        )
        if not rows:
            return None
        return {**_loads(rows[0]["data"]), "_state": rows[0]["state"]}

    def drop(self, user: str, record_id: int) -> None:
        """Forget a record handed back to the server (released without an attempt)."""
        with self.database.transaction() as db:
            db.execute(
                "DELETE FROM outbound_records WHERE user = ? AND record_id = ?", [user, record_id]
            )
            db.execute(
                "DELETE FROM outbound_drafts WHERE user = ? AND record_id = ?", [user, record_id]
            )

    # -- survey drafts ------------------------------------------------------------------------
    def save_draft(
        self, user: str, record_id: int, answers: dict[str, Any], note: str = ""
    ) -> None:
        with self.database.transaction() as db:
            db.table("outbound_drafts").upsert(
                {
                    "user": user,
                    "record_id": record_id,
                    "answers": _dumps(answers),
                    "note": note,
                    "updated_at": iso(self.clock()),
                },
                pk=("user", "record_id"),
            )

    def draft(self, user: str, record_id: int) -> tuple[dict[str, Any], str]:
        """(answers, note) saved for the record, empty when none."""
        rows = self.database.query(
            "SELECT answers, note FROM outbound_drafts WHERE user = ? AND record_id = ?",
            [user, record_id],
        )
        if not rows:
            return {}, ""
        return dict(_loads(rows[0]["answers"])), str(rows[0]["note"])

    # -- outcomes -----------------------------------------------------------------------------
    def record_attempt(
        self,
        user: str,
        attempt: Attempt,
        meaning: str = "",
        required_missing: list[str] | None = None,
    ) -> str:
        """Keep an attempt and queue it for the server, in one transaction; returns its uuid.

        `meaning`: which of the seven outcomes the center's code stands for (the code itself
        when empty). `required_missing`: the survey's required questions left unanswered (the
        survey runner says which); a success with any is refused (SurveyIncomplete) and nothing
        is written. The record leaves the worklist; an agreed callback goes onto the reminder
        list."""
        if (meaning or attempt.outcome) == SUCCESS and required_missing:
            raise SurveyIncomplete(required_missing)
        attempt_uuid = str(uuidlib.uuid4())
        row = {
            "uuid": attempt_uuid,
            "user": user,
            "record_id": attempt.record_id,
            "campaign_id": attempt.campaign_id,
            "outcome": attempt.outcome,
            "started_at": attempt.started_at,
            "ended_at": attempt.ended_at,
            "call_uuid": attempt.call_uuid,
            "note": attempt.note,
            "callback_at": attempt.callback_at,
            "new_phone": attempt.new_phone,
            "answers": _dumps(attempt.answers),
            "created_at": iso(self.clock()),
        }
        # The attempt, its outbox entry and the record leaving the list commit together: a
        # crash keeps all of them or none.
        with self.database.transaction() as db:
            db.table("outbound_attempts").insert(row)
            self.outbox.enqueue(OUTBOX_KIND, attempt_uuid, _payload(row))
            record = self.record(user, attempt.record_id) or {}
            record.pop("_state", None)
            db.execute(
                "UPDATE outbound_records SET state = ?, due_at = ?, updated_at = ? "
                "WHERE user = ? AND record_id = ?",
                [
                    "callback" if attempt.callback_at else "done",
                    attempt.callback_at or "",
                    row["created_at"],
                    user,
                    attempt.record_id,
                ],
            )
            db.execute(
                "DELETE FROM outbound_drafts WHERE user = ? AND record_id = ?",
                [user, attempt.record_id],
            )
            if attempt.callback_at:
                db.table("outbound_callbacks").upsert(
                    {
                        "user": user,
                        "record_id": attempt.record_id,
                        "campaign_id": attempt.campaign_id,
                        "due_at": attempt.callback_at,
                        "data": _dumps(record),
                        "notified": 0,
                        "local": 1,
                    },
                    pk=("user", "record_id"),
                )
            else:
                db.execute(
                    "DELETE FROM outbound_callbacks WHERE user = ? AND record_id = ?",
                    [user, attempt.record_id],
                )
        return attempt_uuid

    def attempts(self, user: str) -> list[dict[str, Any]]:
        rows = self.database.query(
            "SELECT * FROM outbound_attempts WHERE user = ? ORDER BY created_at, uuid", [user]
        )
        for row in rows:
            row["answers"] = _loads(row["answers"])
        return rows

    # -- callbacks (the reminder list) --------------------------------------------------------
    def put_callbacks(self, user: str, callbacks: list[dict[str, Any]], asked_at: str = "") -> None:
        """The server's list of `user`'s callbacks (common.outbound.Callback as dicts), as
        asked for at `asked_at` (the outbox's clock: real UTC time).

        Callbacks agreed here whose attempt the list cannot know yet are kept: not sent, or
        sent after the list was asked for. A record this user is working again is not put
        back."""
        with self.database.transaction() as db:
            unsent = {
                r["record_id"]
                for r in db.query(
                    f"SELECT a.record_id FROM {_UNSENT_SINCE}", [user, asked_at or "9999"]
                )
            }
            working = {
                r["record_id"]
                for r in db.query(
                    "SELECT record_id FROM outbound_records WHERE user = ? AND state = 'open'",
                    [user],
                )
            }
            notified = {
                r["record_id"]: (r["due_at"], r["notified"])
                for r in db.query(
                    "SELECT record_id, due_at, notified FROM outbound_callbacks WHERE user = ?",
                    [user],
                )
            }
            for gone in set(notified) - unsent:
                db.execute(
                    "DELETE FROM outbound_callbacks WHERE user = ? AND record_id = ?",
                    [user, gone],
                )
            for item in callbacks:
                record_id = int(item.get("record_id") or item["id"])
                due = item.get("due_at")
                if not due or record_id in unsent or record_id in working:
                    continue
                before = notified.get(record_id)
                db.table("outbound_callbacks").upsert(
                    {
                        "user": user,
                        "record_id": record_id,
                        "campaign_id": int(item["campaign_id"]),
                        "due_at": due,
                        "data": _dumps(item),
                        # Already told about this very time: not again after each refresh.
                        "notified": 1 if before and before == (due, 1) else 0,
                        "local": 0,
                    },
                    pk=("user", "record_id"),
                )

    def callbacks(self, user: str) -> list[Callback]:
        """`user`'s callbacks, soonest first."""
        rows = self.database.query(
            "SELECT * FROM outbound_callbacks WHERE user = ? ORDER BY due_at, record_id", [user]
        )
        out: list[Callback] = []
        for row in rows:
            due = parse_or_none(row["due_at"])
            if due is None:
                continue
            out.append(
                Callback(
                    row["record_id"],
                    row["campaign_id"],
                    due,
                    dict(_loads(row["data"])),
                    bool(row["notified"]),
                )
            )
        return out

    def bring_back(self, user: str, record_ids: list[int]) -> list[dict[str, Any]]:
        """Callbacks that fell due: their records go back onto the worklist, at the top, and
        the reminder is marked given. Returns the records (for the toast)."""
        back: list[dict[str, Any]] = []
        now = iso(self.clock())
        with self.database.transaction() as db:
            for record_id in record_ids:
                rows = list(
                    db.query(
                        "SELECT * FROM outbound_callbacks WHERE user = ? AND record_id = ?",
                        [user, record_id],
                    )
                )
                if not rows:
                    continue
                callback = rows[0]
                record = dict(_loads(callback["data"]))
                record.pop("record_id", None)
                record["id"] = record_id
                record.setdefault("campaign_id", callback["campaign_id"])
                db.execute(
                    """
                    INSERT INTO outbound_records
                        (user, record_id, campaign_id, data, state, due_at, handed_at, updated_at)
                    VALUES (?, ?, ?, ?, 'open', ?, ?, ?)
                    ON CONFLICT (user, record_id) DO UPDATE SET
                        state = 'open', due_at = excluded.due_at, updated_at = excluded.updated_at
                    """,
                    [
                        user,
                        record_id,
                        callback["campaign_id"],
                        _dumps(record),
                        callback["due_at"],
                        now,
                        now,
                    ],
                )
                db.execute(
                    "UPDATE outbound_callbacks SET notified = 1 WHERE user = ? AND record_id = ?",
                    [user, record_id],
                )
                back.append(record)
        return back

    # -- sync ---------------------------------------------------------------------------------
    def requeue_missing(self) -> int:
        """Queue again every attempt that has no outbox entry (the start-up check)."""
        with self.database.transaction():
            missing = self.outbox.missing("outbound_attempts")
            for attempt_uuid in missing:
                rows = self.database.query(
                    "SELECT * FROM outbound_attempts WHERE uuid = ?", [attempt_uuid]
                )
                if rows:
                    self.outbox.enqueue(OUTBOX_KIND, attempt_uuid, _payload(rows[0]))
        return len(missing)


def due_callbacks(callbacks: list[Callback], now: datetime) -> list[Callback]:
    """The callbacks whose time has come and that the agent has not been told about."""
    return [c for c in callbacks if not c.notified and c.due_at <= now]


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    """What the server receives for an attempt (docs/outbound.md, 'Sync'); the server takes the
    agent from the session."""
    return {
        "record_id": row["record_id"],
        "campaign_id": row["campaign_id"],
        "outcome": row["outcome"],
        "started_at": row["started_at"],
        "ended_at": row["ended_at"],
        "call_uuid": row["call_uuid"],
        "note": row["note"],
        "callback_at": row["callback_at"],
        "new_phone": row["new_phone"],
        "answers": _loads(row["answers"]) if isinstance(row["answers"], str) else row["answers"],
    }
