"""Supervision on the wire (issue 14, docs/supervision.md): teams, what a seat reports live, the
supervisors' board and its push stream, monitor grants and the monitoring audit. Qt-free and
server-free, so the server, sync/ (ApiClient, the board stream reader) and the window share them.

Conventions (as common/outbound.py):
- Moments are UTC ISO text as `common.timestamps.iso` writes them; "today" is the China-time day.
- Replies (`Reply`) ignore fields they do not know; inputs (`Input`) refuse unknown fields.
- The board stream is Server-Sent Events (`GET /supervision/board/stream`): event `board`
  (data: a whole `Board`, sent first and after any gap), event `seat` (data: one `BoardRow`
  that changed, including a seat turning lost), and `: ping` comments as keep-alive.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
)

from common.monitor_grants import HEADER

# A seat reports at least this often (a heartbeat when nothing changed) ...
HEARTBEAT_S = 10
# ... and the board shows it 'lost' once the server has heard nothing from it this long.
LOST_AFTER_S = 30
# The stream sends a keep-alive comment this often (proxies close silent connections).
PING_S = 15

STREAM_PATH = "/supervision/board/stream"
# Outbox kinds' endpoints (batch of items, acknowledged each): the supervisor's session reports
# and the agent's refused monitor calls.
SESSIONS_PATH = "/supervision/audit/sessions"
REJECTIONS_PATH = "/supervision/audit/rejections"

SeatState = Literal["ready", "not_ready", "after_call_work", "break", "offline"]
Direction = Literal["inbound", "outbound"]
Mode = Literal["listen", "whisper", "barge"]
# 'live': reported within LOST_AFTER_S; 'lost': it stopped reporting; 'never': no report yet.
Presence = Literal["live", "lost", "never"]
AuditKind = Literal["grant_issued", "grant_refused", "session", "rejected"]
# What the supervisor's client reports about its own monitor call.
SessionEventKind = Literal["started", "mode", "ended", "failed"]
# What the agent's engine refused (docs/supervision.md, "What the agent's engine reports").
RejectionKind = Literal["refused", "switch_refused"]
RejectionReason = Literal[
    "missing",
    "malformed",
    "bad_signature",
    "mode",
    "expired",
    "wrong_agent",
    "wrong_call",
    "wrong_supervisor",
    "replayed",
    "no_trust",
]


class Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _clean(value: Any) -> Any:
    """No NUL (PostgreSQL cannot store it) and no lone surrogate (no reply could carry it)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters / 文本不能包含空字符")
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise ValueError("text is not valid Unicode / 文本包含无效字符")
    return value


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _clean_text = field_validator("*")(_clean)


def _moment(value: datetime) -> datetime:
    """In UTC and within the years 2000-2199 (stored text sorts as time does; no overflow)."""
    try:
        moment = value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("time out of range / 时间超出范围") from exc
    if not datetime(2000, 1, 1, tzinfo=UTC) <= moment < datetime(2200, 1, 1, tzinfo=UTC):
        raise ValueError("time out of range / 时间超出范围")
    return moment


# An aware moment as ISO 8601 text. The schema gives its shape as one pattern (years 2000-2099,
# days 01-28 of any month, a zone): every string it describes is taken, and a fuzzer can make
# them from the pattern instead of throwing most generated date-times away. The validator takes
# any aware moment of 2000-2199.
MOMENT_PATTERN = (
    r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_moment),
    WithJsonSchema({"type": "string", "pattern": MOMENT_PATTERN}),
]

Uuid = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        json_schema_extra={"format": "uuid"},
    ),
]
ShortText = Annotated[str, Field(max_length=64)]
# Not blank: inputs are stripped, and the pattern tells schema readers so (a blank name would
# pass a bare min_length in the schema, then fail it once stripped).
Username = Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")]
# Where a supervisor's phone reaches a seat: its default account's address of record
# (sip:1001@pbx.example[:port]); no spaces or angle brackets (it is dialled as it is).
SipUri = Annotated[str, Field(max_length=255, pattern=r"^(sips?:[^\s<>\"]+)?$")]
# A phone number or SIP user as the seat saw it; the server keeps it masked only.
Number = Annotated[str, Field(max_length=64, pattern=r"^[0-9A-Za-z+*#_.\-]*$")]


# -- teams ------------------------------------------------------------------------------------------
class TeamMember(Reply):
    id: int
    username: str
    display_name: str = ""
    role: str


class Team(Reply):
    id: int
    name: str
    members: list[TeamMember] = []


class TeamIn(Input):
    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")]


class TeamAssignment(Input):
    """A user's team (None: no team)."""

    team_id: Annotated[int, Field(ge=1, le=2**53 - 1)] | None


# -- what a seat reports ----------------------------------------------------------------------------
class SeatCall(Input):
    """The agent's current call, as the seat knows it."""

    call_uuid: Uuid  # the call record's uuid (= a grant's call_id)
    direction: Direction
    started_at: Moment
    answered_at: Moment | None = None
    queue: ShortText = ""
    campaign: Annotated[str, Field(max_length=200)] = ""
    number: Number = ""


class SeatReport(Input):
    """`POST /supervision/seat`: a state change or call change as it happens ('event'), or a
    heartbeat every HEARTBEAT_S seconds; either carries the seat's whole present state."""

    kind: Literal["event", "heartbeat"] = "event"
    state: SeatState
    reason: ShortText = ""
    state_since: Moment
    call: SeatCall | None = None
    # The seat's default SIP account (sip:<user>@<domain>): whom a supervisor's phone calls
    # ('' when the seat has none; the board then falls back to the agent's user name).
    sip_uri: SipUri = ""


class SeatAck(Reply):
    at: str  # the server's time
    heartbeat_s: int = HEARTBEAT_S
    lost_after_s: int = LOST_AFTER_S


# -- the board --------------------------------------------------------------------------------------
class BoardCall(Reply):
    call_uuid: str
    direction: str
    started_at: str
    answered_at: str | None = None
    queue: str = ""
    campaign: str = ""
    number: str = ""  # masked (138****8000)
    duration_s: float = 0.0  # at the board's `at`


class BoardRow(Reply):
    agent_id: int
    agent: str  # username
    display_name: str = ""
    role: str = "agent"
    team_id: int | None = None
    team: str = ""
    presence: Presence = "never"
    state: str = ""  # '' while the seat never reported
    reason: str = ""
    state_since: str | None = None
    state_seconds: float = 0.0  # at the board's (or the event's) `at`
    last_seen: str | None = None
    sip_uri: str = ""  # the seat's SIP account as it last reported it ('' : none reported)
    call: BoardCall | None = None
    # Today (China time): calls answered, their average handling time (talk + hold + wrap-up)
    # and the time spent in after-call work (finished periods, plus the current one).
    calls_today: int = 0
    aht_today_s: float = 0.0
    acw_today_s: float = 0.0
    at: str = ""  # when the row was built (server time)


class Board(Reply):
    at: str
    lost_after_s: int = LOST_AFTER_S
    teams: list[Team] = []
    agents: list[BoardRow] = []


class BoardEvent(Reply):
    """One event of the board stream: `kind` 'board' with `board`, or 'seat' with `seat`."""

    kind: Literal["board", "seat"]
    board: Board | None = None
    seat: BoardRow | None = None


# -- grants -----------------------------------------------------------------------------------------
class GrantRequest(Input):
    agent: Username  # the agent's username
    call_id: Uuid  # the call the agent's live seat shows up
    mode: Mode


class GrantReply(Reply):
    grant: str  # the header value
    header: str = HEADER
    grant_id: str
    agent: str
    call_id: str
    mode: str
    expires_at: int  # Unix seconds


class PublicKeyReply(Reply):
    algorithm: str = "Ed25519"
    public_key: str  # raw key, base64url (common.monitor_grants.public_key_from_text)
    # The center's policy (SupervisionPolicy.show_monitored), handed to every seat at login.
    show_monitored: bool = False


# -- the center's policy ----------------------------------------------------------------------------
class SupervisionPolicy(Reply):
    """`GET /supervision/policy`. `show_monitored`: the agent's window says 本通话正在被监听/督导
    while a supervisor monitors the call (default off: the agent is not told)."""

    show_monitored: bool = False
    updated_at: str | None = None  # None: never changed (the default)


class SupervisionPolicyIn(Input):
    """`PUT /supervision/policy` (admin or manager). Strictly true or false (not 0 or "yes")."""

    show_monitored: StrictBool


# -- audit ------------------------------------------------------------------------------------------
class MonitorSessionEvent(Input):
    """The supervisor's client about its monitor call (outbox item of
    `POST /supervision/audit/sessions`): one per start, mode switch, end or failure, each with
    its own uuid; `session` ties them together."""

    uuid: Uuid
    session: Uuid
    kind: SessionEventKind
    agent: Username
    call_id: Uuid
    grant_id: Annotated[str, Field(max_length=64)] = ""
    mode: Mode | Literal[""] = ""
    at: Moment
    reason: ShortText = ""  # ended: stopped / call_ended / shutdown; failed: the SIP code


class MonitorRejection(Input):
    """The agent's client: its engine refused a monitor INVITE or a mode switch (outbox item of
    `POST /supervision/audit/rejections`). The grant's fields are what it claimed, unverified."""

    uuid: Uuid
    kind: RejectionKind
    reason: RejectionReason
    grant_id: Annotated[str, Field(max_length=64)] = ""
    supervisor: ShortText = ""
    call_id: ShortText = ""
    mode: ShortText = ""
    remote_uri: Annotated[str, Field(max_length=255)] = ""
    at: Moment


class ModeSpan(Reply):
    mode: str
    at: str


class AuditEntry(Reply):
    id: int
    kind: str  # AuditKind
    actor: str = ""  # who: the supervisor (the requester; for 'rejected', the claimed one)
    actor_id: int | None = None
    target: str = ""  # whom: the agent
    target_id: int | None = None
    call_id: str = ""
    grant_id: str = ""
    mode: str = ""
    reason: str = ""
    remote_uri: str = ""
    at: str  # when it happened (a session: when it started)
    ended_at: str | None = None
    duration_s: float | None = None
    modes: list[ModeSpan] = []
    reported_by: str = ""  # whose client reported it (sessions, rejections)


class AuditPage(Reply):
    items: list[AuditEntry]
    total: int
