"""Call records 通话记录, kept crash-safe in the one local database and sent through the outbox.

A record is written the moment a call starts, so a crash mid-call still leaves it; the next
start marks such records 'interrupted' (`recover_interrupted`). A record is sent (outbox kind
'call_record', the complete record as payload) when the call ends, and again after wrap-up:
every write raises the record's `version`, and the server keeps the highest version per uuid.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from agent_app.seat.schema import migrations
from common.codes import Code
from common.numbers import match_key, tidy
from common.timestamps import (
    Clock,
    iso,
    iso_or_none,
    parse,
    parse_or_none,
    seconds_between,
    utc_now,
)
from localdb import LocalDatabase
from sync.outbox import Outbox
from sync.registry import SyncRegistry

OUTBOX_KIND = "call_record"
PUSH_PATH = "/calls/batch"
DIRECTIONS = ("inbound", "outbound")
END_REASONS = (
    "answered",  # connected, then hung up by either side
    "missed",  # inbound, never answered here
    "rejected",  # declined (603 / the agent pressed reject)
    "busy",  # 486 / 600
    "no_answer",  # outbound, the far end never answered (408, 480, ring timeout)
    "cancelled",  # outbound, the agent hung up before an answer
    "failed",  # any other failure (4xx-6xx, network)
    "interrupted",  # the app stopped during the call (found on the next start)
)
# How the call's last transfer went: none tried, handed over, or the customer stayed.
TRANSFER_RESULTS = ("", "succeeded", "failed")
# The server's limits (server/schemas.py CallIn); longer text is cut here so a record is
# never refused for it.
TEXT_LIMITS = {
    "remote_display": 200,
    "queue": 64,
    "campaign": 64,
    "wrap_up_category": 64,
    "wrap_up_note": 2000,
    "disposition": 64,
    "recording_path": 1000,
    "end_text": 500,
}


# A wrap-up category is a configurable code with its names (the one model, common/codes.py).
WrapUpCategory = Code


DEFAULT_WRAP_UP_CATEGORIES = (
    WrapUpCategory("enquiry", "咨询", "Enquiry"),
    WrapUpCategory("complaint", "投诉", "Complaint"),
    WrapUpCategory("repair", "报修", "Repair request"),
    WrapUpCategory("transaction", "办理业务", "Transaction"),
    WrapUpCategory("callback", "回访", "Callback"),
    WrapUpCategory("other", "其他", "Other"),
)


@dataclass
class CallRecord:
    uuid: str
    direction: str  # inbound | outbound
    started_at: datetime
    local_number: str = ""  # our account / extension
    remote_number: str = ""
    remote_display: str = ""
    queue: str = ""
    campaign: str = ""
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    talk_seconds: float = 0.0  # answered to ended, hold excluded
    hold_seconds: float = 0.0
    acw_seconds: float = 0.0  # after-call work (wrap-up)
    wrap_up_category: str = ""
    wrap_up_note: str = ""
    disposition: str = ""
    end_reason: str = ""  # one of END_REASONS once ended
    sip_code: int | None = None
    recording_path: str | None = None
    transfer_result: str = ""  # one of TRANSFER_RESULTS: the last transfer's outcome
    end_text: str = ""  # the sentence the agent was shown as the call ended
    version: int = 1
    user: str = ""  # the local user; the server takes it from the session instead
    hold_since: datetime | None = None  # on hold since (while the call lasts)

    @property
    def is_final(self) -> bool:
        return self.ended_at is not None

    @property
    def handle_seconds(self) -> float:
        """This call's handle time, as AHT counts it: talk + hold + after-call work."""
        return round(self.talk_seconds + self.hold_seconds + self.acw_seconds, 3)

    def to_payload(self) -> dict[str, Any]:
        """The complete record as the server receives it (no user, no local-only fields)."""
        data = {k: v for k, v in asdict(self).items() if k not in ("user", "hold_since")}
        for name in ("started_at", "answered_at", "ended_at"):
            data[name] = iso_or_none(data[name])
        return data

    def _row(self, updated_at: datetime) -> dict[str, Any]:
        row = asdict(self)
        for name in ("started_at", "answered_at", "ended_at", "hold_since"):
            row[name] = iso_or_none(row[name])
        row["remote_key"] = match_key(self.remote_number)
        row["updated_at"] = iso(updated_at)
        return row

    @classmethod
    def _from_row(cls, row: dict[str, Any]) -> CallRecord:
        values = {f.name: row[f.name] for f in fields(cls)}
        values["started_at"] = parse(row["started_at"])
        for name in ("answered_at", "ended_at", "hold_since"):
            values[name] = parse_or_none(row[name])
        return cls(**values)


def end_reason_for(direction: str, answered: bool, sip_code: int | None) -> str:
    """The end reason from how a call went, when the phone did not say."""
    if answered:
        return "answered"
    code = sip_code or 0
    if code in (486, 600):
        return "busy"
    if code == 603:
        return "rejected"
    if direction == "inbound":
        return "missed" if code in (0, 408, 480, 487) else "failed"
    if code in (0, 408, 480):
        return "no_answer"
    return "cancelled" if code == 487 else "failed"


class CallLog:
    """The seat's call records in the client's database (localdb), sent through sync's outbox."""

    def __init__(
        self,
        database: LocalDatabase,
        user: str = "",
        clock: Clock = utc_now,
        categories: tuple[WrapUpCategory, ...] = DEFAULT_WRAP_UP_CATEGORIES,
        outbox: Outbox | None = None,
    ) -> None:
        database.use(migrations)
        self.database = database
        self.outbox = outbox if outbox is not None else Outbox(database)
        self.user = user
        self.clock = clock
        self.categories = categories
        self._live: set[str] = set()  # started by this process: never 'interrupted'

    def wrap_up_categories(self) -> tuple[WrapUpCategory, ...]:
        return self.categories

    # -- writes ---------------------------------------------------------------------------------
    def record_started(
        self,
        direction: str,
        remote_number: str,
        *,
        local_number: str = "",
        remote_display: str = "",
        queue: str = "",
        campaign: str = "",
        uuid: str | None = None,
        at: datetime | None = None,
        user: str | None = None,
    ) -> CallRecord:
        """Write the record as the call starts (rings in, or is dialed)."""
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}")
        record = CallRecord(
            uuid=str(uuidlib.UUID(uuid)) if uuid else str(uuidlib.uuid4()),
            direction=direction,
            started_at=at or self.clock(),
            local_number=tidy(local_number),
            remote_number=tidy(remote_number),
            remote_display=remote_display,
            queue=queue,
            campaign=campaign,
            user=self.user if user is None else user,
        )
        _clip(record)
        with self.database.transaction() as db:
            db.table("call_records").insert(record._row(self.clock()))
        self._live.add(record.uuid)
        return record

    def record_answered(self, uuid: str, at: datetime | None = None) -> CallRecord:
        with self.database.transaction():
            record = self._load(uuid)
            if record.answered_at is None and not record.is_final:
                record.answered_at = max(at or self.clock(), record.started_at)
                self._save(record)
            return record

    def record_hold(self, uuid: str, held: bool, at: datetime | None = None) -> CallRecord:
        """The call went on hold (held=True) or came back; hold time adds up from these."""
        with self.database.transaction():
            record = self._load(uuid)
            if record.is_final or held == (record.hold_since is not None):
                return record
            moment = at or self.clock()
            if held:
                record.hold_since = moment
            else:
                record.hold_seconds += _since(record.hold_since, moment)
                record.hold_since = None
            self._save(record)
            return record

    def record_transfer(self, uuid: str, result: str) -> CallRecord:
        """A transfer of this call went through or failed. A failure while the call goes on
        is kept at once (sent with the record when the call ends), so a crash mid-call still
        leaves it; a later transfer's outcome replaces it."""
        _check_transfer(result)
        with self.database.transaction():
            record = self._load(uuid)
            if not record.is_final and record.transfer_result != result:
                record.transfer_result = result
                self._save(record)
            return record

    def record_ended(
        self,
        uuid: str,
        *,
        end_reason: str | None = None,
        sip_code: int | None = None,
        at: datetime | None = None,
        hold_seconds: float | None = None,
        recording_path: str | None = None,
        transfer_result: str | None = None,
        end_text: str = "",
    ) -> CallRecord:
        """The call is over: talk and hold time are worked out, and the record is sent.
        `hold_seconds` overrides the hold time added up from record_hold (when the phone
        counted it itself); `transfer_result` (None: as record_transfer left it) and
        `end_text`, what the agent was shown, are kept with it. Ending an ended record
        changes nothing."""
        if end_reason is not None and end_reason not in END_REASONS:
            raise ValueError(f"end_reason must be one of {END_REASONS}")
        if transfer_result is not None:
            _check_transfer(transfer_result)
        with self.database.transaction():
            record = self._load(uuid)
            if record.is_final:
                return record
            ended = max(at or self.clock(), record.started_at)
            record.sip_code = sip_code if sip_code and 100 <= sip_code <= 699 else None
            record.end_reason = end_reason or end_reason_for(
                record.direction, record.answered_at is not None, sip_code
            )
            if recording_path:
                record.recording_path = recording_path
            if transfer_result is not None:
                record.transfer_result = transfer_result
            record.end_text = end_text
            _clip(record)
            self._finish(record, ended, hold_seconds)
            self._save(record, send=True)
        self._live.discard(uuid)
        return record

    def record_wrap_up(
        self,
        uuid: str,
        category: str,
        note: str = "",
        acw_seconds: float = 0.0,
        disposition: str | None = None,
    ) -> CallRecord:
        """The agent's wrap-up: category, note, time spent (and the disposition, if any).
        Sent again as a newer version of the record."""
        with self.database.transaction():
            record = self._load(uuid)
            record.wrap_up_category = category
            record.wrap_up_note = note
            record.acw_seconds = round(max(0.0, acw_seconds), 3)
            if disposition is not None:
                record.disposition = disposition
            _clip(record)
            self._save(record, send=record.is_final)
            return record

    def recover_interrupted(self) -> list[CallRecord]:
        """Close the records of calls the app never saw end (it crashed or was killed): they end
        'interrupted' at the last moment they were written, and are sent. Call at start-up."""
        recovered = []
        with self.database.transaction() as db:
            rows = list(db.query("SELECT * FROM call_records WHERE ended_at IS NULL"))
            for row in rows:
                record = CallRecord._from_row(row)
                if record.uuid in self._live:
                    continue
                last = max(
                    t
                    for t in (
                        parse(row["updated_at"]),
                        record.started_at,
                        record.answered_at,
                        record.hold_since,
                    )
                    if t is not None
                )
                record.end_reason = "interrupted"
                self._finish(record, last, None)
                self._save(record, send=True)
                recovered.append(record)
        return recovered

    # -- reads ----------------------------------------------------------------------------------
    def get(self, uuid: str) -> CallRecord | None:
        rows = self.database.query("SELECT * FROM call_records WHERE uuid = ?", [uuid])
        return CallRecord._from_row(rows[0]) if rows else None

    def recent(self, limit: int = 50, user: str | None = None) -> list[CallRecord]:
        """The call history, newest first: `user`'s (the app always passes the logged-in
        user, so a shared PC shows nobody else's calls); None, every user's (tools, tests)."""
        sql = "SELECT * FROM call_records"
        params: list[Any] = []
        if user is not None:
            sql += " WHERE user = ?"
            params.append(user)
        return self._query(sql + " ORDER BY started_at DESC LIMIT ?", [*params, limit])

    def history_for(
        self, number: str, limit: int = 20, exclude_uuid: str = "", user: str | None = None
    ) -> list[CallRecord]:
        """Past calls with this customer (the number in any format), newest first: `user`'s
        (None, every user's)."""
        key = match_key(number)
        if not key:
            return []
        sql = "SELECT * FROM call_records WHERE remote_key = ? AND uuid != ?"
        params: list[Any] = [key, exclude_uuid]
        if user is not None:
            sql += " AND user = ?"
            params.append(user)
        return self._query(sql + " ORDER BY started_at DESC LIMIT ?", [*params, limit])

    # -- sync -----------------------------------------------------------------------------------
    def register(self, registry: SyncRegistry) -> None:
        registry.outbox_kind(OUTBOX_KIND, PUSH_PATH)
        registry.requeue_check(self.requeue_missing)

    def requeue_missing(self) -> int:
        """Queue again every ended call whose record has no outbox entry at all (the start-up
        check); the server keeps the highest version, so its current one is enough."""
        with self.database.transaction():
            missing = self.outbox.missing(
                "call_records", where="ended_at IS NOT NULL", versioned=True
            )
            for uuid in missing:
                record = self.get(uuid)
                if record is not None:
                    self.outbox.enqueue_version(
                        OUTBOX_KIND, record.uuid, record.version, record.to_payload()
                    )
        return len(missing)

    # -- internals ------------------------------------------------------------------------------
    def _query(self, sql: str, params: list[Any]) -> list[CallRecord]:
        return [CallRecord._from_row(r) for r in self.database.query(sql, params)]

    def _load(self, uuid: str) -> CallRecord:
        record = self.get(uuid)
        if record is None:
            raise KeyError(f"no call record {uuid}")
        return record

    def _finish(self, record: CallRecord, ended: datetime, hold_seconds: float | None) -> None:
        if record.hold_since is not None:
            record.hold_seconds += _since(record.hold_since, ended)
            record.hold_since = None
        if hold_seconds is not None:
            record.hold_seconds = max(0.0, hold_seconds)
        record.ended_at = ended
        if record.answered_at is None:
            record.hold_seconds = 0.0
            record.talk_seconds = 0.0
        else:
            connected = seconds_between(record.answered_at, ended)
            record.hold_seconds = round(min(record.hold_seconds, connected), 3)
            record.talk_seconds = round(connected - record.hold_seconds, 3)

    def _save(self, record: CallRecord, send: bool = False) -> None:
        """Write the record's next version; with send, queue it for the server in the same
        transaction (the caller holds it)."""
        record.version += 1
        with self.database.transaction() as db:
            db.table("call_records").upsert(record._row(self.clock()), pk="uuid")
            if send:
                self.outbox.enqueue_version(
                    OUTBOX_KIND, record.uuid, record.version, record.to_payload()
                )


def _since(start: datetime | None, end: datetime) -> float:
    return 0.0 if start is None else seconds_between(start, end)


def _check_transfer(result: str) -> None:
    if result not in TRANSFER_RESULTS:
        raise ValueError(f"transfer_result must be one of {TRANSFER_RESULTS}")


def _clip(record: CallRecord) -> None:
    """Text the server would refuse is made acceptable: NUL characters dropped, cut to length."""
    for name, limit in TEXT_LIMITS.items():
        value = getattr(record, name)
        if isinstance(value, str):
            setattr(record, name, value.replace("\x00", "")[:limit])
