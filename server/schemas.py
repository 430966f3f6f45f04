"""Request and response bodies of the API (pydantic). Limits here are the API's contract."""

from __future__ import annotations

import re
import uuid as uuidlib
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from common import outbound, passwords
from common.articles import Article, ArticleType
from server.core.text_rules import clean_name, encodable, has_lone_surrogate

Role = Literal["agent", "team_leader", "supervisor", "trainer", "manager", "admin"]
QuestionStatus = Literal["open", "claimed", "answered", "rejected", "merged"]


# Integers beyond this would overflow the databases' 64-bit columns. 2**53 - 1 rather than more:
# the largest integer a JSON double (and so every JSON tool and schema checker) holds exactly.
MAX_ID = 2**53 - 1


def _no_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL in text, and no database (nor a JSON reply) can hold a lone
    UTF-16 surrogate: refuse both here, item by item, rather than fail a whole batch later."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters / 文本不能包含空字符")
    if isinstance(value, str) and has_lone_surrogate(value):
        raise ValueError("text is not valid Unicode / 文本包含无效字符")
    if isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _check_nul = field_validator("*")(_no_nul)


def _uuid(value: str) -> str:
    return str(uuidlib.UUID(value))


# A UUID in its text form, documented as such (so generated examples are UUIDs too).
UUIDText = Annotated[
    str, AfterValidator(_uuid), WithJsonSchema({"type": "string", "format": "uuid"})
]

# A name as people see it: control and bidi-override characters are removed on the way in.
Name = Annotated[str, AfterValidator(clean_name)]


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_SECONDS = 7 * 24 * 3600.0  # no call lasts longer than a week
MAX_STATE_SECONDS = 366 * 24 * 3600.0  # a seat left logged out over a holiday is still fine


def _utc(value: datetime) -> datetime:
    """An aware moment in UTC, within years 2000-2199 (so stored text sorts as time does and
    out-of-range years cannot overflow the conversion)."""
    try:
        moment = value.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError("time out of range / 时间超出范围") from exc
    if not EARLIEST <= moment < LATEST:
        raise ValueError("time out of range / 时间超出范围")
    return moment


# The schema says what _utc enforces: an ISO 8601 time with a zone, within 2000-2199 in UTC
# (the years 2001-2198 in any zone are safely inside).
MOMENT_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^2(00[1-9]|0[1-9][0-9]|1[0-8][0-9]|19[0-8])-.*(Z|[+-][0-9]{2}:[0-9]{2})$",
}
Moment = Annotated[AwareDatetime, AfterValidator(_utc), WithJsonSchema(MOMENT_SCHEMA)]
# How far a client's clock may be from the server's for the moments it reports (an outbox
# may hold items for a while, and PC clocks drift); beyond that the moment is refused.
CLIENT_PAST = timedelta(days=366)
CLIENT_FUTURE = timedelta(days=1)


def _recent(value: datetime) -> datetime:
    moment = _utc(value)
    now = datetime.now(UTC)
    if not now - CLIENT_PAST <= moment <= now + CLIENT_FUTURE:
        raise ValueError("time is not within a year of now / 时间不在合理范围内")
    return moment


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


# A moment from a client's clock: an aware ISO 8601 time within a year of the server's now.
ClientMoment = Annotated[AwareDatetime, BeforeValidator(_empty_is_none), AfterValidator(_recent)]


class ErrorOut(BaseModel):
    """The body of every refusal: a message in Chinese and English, or a structured detail."""

    detail: Any


# -- auth and users -----------------------------------------------------------------------------
class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool = False


class LoginOut(BaseModel):
    token: str
    expires_at: str
    user: UserOut
    # The first administrator's generated password must be replaced before anything else.
    must_change_password: bool = False


class PasswordChangeIn(Strict):
    old_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH)


class UserCreate(Strict):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH)
    role: Role
    display_name: Name = Field(default="", max_length=100)


class UserPatch(Strict):
    disabled: bool | None = Field(default=None, strict=True)
    role: Role | None = None
    password: str | None = Field(
        default=None, min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH
    )
    display_name: Name | None = Field(default=None, max_length=100)


# -- questions ----------------------------------------------------------------------------------
class QuestionIn(Strict):
    uuid: str
    query: str = Field(min_length=1, max_length=2000)
    note: str = Field(default="", max_length=5000)
    closest_article_uuid: str = Field(default="", max_length=36)
    business_line: str = Field(default="", max_length=32)
    category: str = Field(default="", max_length=200)
    created_at: ClientMoment | None = None

    _check_uuid = field_validator("uuid")(_uuid)


class BatchIn(BaseModel):
    # Items are validated one by one so a bad item is refused alone (per-item acknowledgement).
    items: list[dict[str, Any]] = Field(min_length=1, max_length=500)


class ItemAck(BaseModel):
    uuid: str
    status: Literal["stored", "duplicate", "rejected"]
    errors: list[dict[str, Any]] = []


class BatchOut(BaseModel):
    results: list[ItemAck]


def safe_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors fit to send back: where and what, never the input itself (it may be a
    password), and no text that cannot be encoded (a lone surrogate in a key)."""
    return [
        {
            "loc": [encodable(part) if isinstance(part, str) else part for part in e["loc"]],
            "msg": encodable(e["msg"]),
            "type": e.get("type", ""),
        }
        for e in errors
    ]


def rejected_ack(raw: dict[str, Any], exc: ValidationError) -> ItemAck:
    """The acknowledgement of an item that failed validation, with its field errors.

    Sent after the batch commits, so it must always encode: a bad uuid is echoed cleaned.
    """
    errors = [{"loc": e["loc"], "msg": e["msg"]} for e in safe_errors(exc.errors())]
    uuid = raw.get("uuid", "") if isinstance(raw, dict) else ""
    return ItemAck(uuid=encodable(str(uuid))[:64], status="rejected", errors=errors)


class QuestionOut(BaseModel):
    uuid: str
    agent: str
    query: str
    note: str
    closest_article_uuid: str
    business_line: str
    category: str
    status: QuestionStatus
    claimed_by: str | None
    answer: str
    answered_by: str | None
    answered_at: str | None
    reject_reason: str
    merged_into: str | None
    article_uuid: str
    created_at: str
    received_at: str
    updated_at: str
    row_version: int


class QuestionPage(BaseModel):
    items: list[QuestionOut]
    total: int


class AnswerIn(Strict):
    answer: str = Field(min_length=1, max_length=20_000)
    article_uuid: str = Field(default="", max_length=36)
    # strict: a JSON true is not a version (pydantic would take it for 1)
    expected_version: int | None = Field(default=None, ge=0, le=MAX_ID, strict=True)  # stale: 409


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)
    expected_version: int | None = Field(default=None, ge=0, le=MAX_ID, strict=True)


class MergeIn(Strict):
    into: UUIDText


class LinkIn(Strict):
    article_uuid: UUIDText


class QuestionGroup(BaseModel):
    representative: str
    members: list[str]


# -- articles -----------------------------------------------------------------------------------
class ArticleIn(Strict):
    uuid: str | None = None
    type: ArticleType
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=200_000)
    category: str = Field(default="", max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=50)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    business_line: str = Field(default="", max_length=32)
    contact_point: str = Field(default="", max_length=32)
    status: Literal["draft", "published"] = "draft"
    source_question_uuid: str = Field(default="", max_length=36)
    # For updates: the version the editor started from.
    base_version: int | None = Field(default=None, ge=0, le=MAX_ID, strict=True)

    @field_validator("uuid")
    @classmethod
    def _check_optional_uuid(cls, value: str | None) -> str | None:
        return _uuid(value) if value else None


# The one Article model, shared with the client (its workstation-only fields never serialise).
ArticleOut = Article


# -- feed ---------------------------------------------------------------------------------------
class Change(BaseModel):
    seq: int
    kind: Literal[
        "article", "article_tombstone", "question", "business_line", "center_code", "vocabulary"
    ]
    uuid: str
    data: dict[str, Any]


class ChangesOut(BaseModel):
    changes: list[Change]
    next_since: int
    has_more: bool
    server_id: str = Field(
        description="This server's instance id, made once with its database. The feed's "
        "numbers belong to it: a client that finds another id at the same address reads the "
        "feed again from 0.",
    )


# -- taxonomy -----------------------------------------------------------------------------------
# A line's code is the key articles and questions carry: letters, digits, _ and -, or Chinese
# characters (a center's import may use its own Chinese names as codes); never a '/' or space,
# so it is safe in a URL path.
LINE_CODE_PATTERN = "^[0-9A-Za-z_\\-\u3400-\u9fff]{1,32}$"
LineCode = Annotated[str, Field(min_length=1, max_length=32, pattern=LINE_CODE_PATTERN)]


def _named(value: str | None) -> str | None:
    if value is not None and not value:
        raise ValueError("a name must not be empty / 名称不能为空")
    return value


class BusinessLineIn(Strict):
    code: LineCode
    name_zh: Name = Field(min_length=1, max_length=32)
    name_en: Name = Field(default="", max_length=64)
    sort_order: int | None = Field(default=None, ge=0, le=10_000, strict=True)

    _check_name = field_validator("name_zh")(_named)


class BusinessLinePatch(Strict):
    name_zh: Name | None = Field(default=None, min_length=1, max_length=32)
    name_en: Name | None = Field(default=None, max_length=64)
    active: bool | None = Field(default=None, strict=True)
    sort_order: int | None = Field(default=None, ge=0, le=10_000, strict=True)

    _check_name = field_validator("name_zh")(_named)


class BusinessLineOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    active: bool
    sort_order: int
    builtin: bool
    updated_at: str


# The center's code lists (common/center_codes.py). Each kind has its own input model, so the
# API's schema says what each accepts: a code of a list is what records carry (letters, digits,
# _ - or Chinese, never '/' or a space); a category's code is its path ('电信/宽带': parts not
# empty, no outer spaces); an outcome means one of the seven outcomes.
CODE_PATTERN = "^[0-9A-Za-z_\\-\u3400-\u9fff]{1,64}$"
_PART = "[^/\\s\\x00-\\x1f\\x7f](?:[^/\\x00-\\x1f\\x7f]*[^/\\s\\x00-\\x1f\\x7f])?"
CATEGORY_PATTERN = f"^{_PART}(?:/{_PART})*$"
OutcomeMeaning = Literal[
    "wrong_contact",
    "empty_number",
    "number_changed",
    "busy",
    "no_answer",
    "success",
    "not_successful",
]


class CenterCodeIn(Strict):
    """A wrap-up category or a not-ready reason."""

    code: str = Field(min_length=1, max_length=64, pattern=CODE_PATTERN)
    name_zh: Name = Field(min_length=1, max_length=200)
    name_en: Name = Field(default="", max_length=200)
    sort_order: int | None = Field(default=None, ge=0, le=10_000, strict=True)

    _check_name = field_validator("name_zh")(_named)


class OutcomeCodeIn(CenterCodeIn):
    """An outbound outcome: which of the seven it means drives the retry engine."""

    meaning: OutcomeMeaning


class CategoryCodeIn(Strict):
    """A knowledge category: its code is its path; its Chinese name defaults to the path."""

    code: str = Field(min_length=1, max_length=200, pattern=CATEGORY_PATTERN)
    name_zh: Name = Field(default="", max_length=200)
    name_en: Name = Field(default="", max_length=200)
    sort_order: int | None = Field(default=None, ge=0, le=10_000, strict=True)


class CenterCodePatch(Strict):
    name_zh: Name | None = Field(default=None, min_length=1, max_length=200)
    name_en: Name | None = Field(default=None, max_length=200)
    active: bool | None = Field(default=None, strict=True)
    sort_order: int | None = Field(default=None, ge=0, le=10_000, strict=True)

    _check_name = field_validator("name_zh")(_named)


class OutcomeCodePatch(CenterCodePatch):
    meaning: OutcomeMeaning | None = None


AnyCodeIn = CenterCodeIn | OutcomeCodeIn | CategoryCodeIn
AnyCodePatch = CenterCodePatch | OutcomeCodePatch


class CenterCodeOut(BaseModel):
    kind: str
    code: str
    name_zh: str
    name_en: str
    meaning: str | None = None
    active: bool
    sort_order: int
    builtin: bool
    updated_at: str


class TaxonomyOut(BaseModel):
    """The center's business lines (inactive ones too, flagged, so old records keep their
    names), the category paths the published articles use, and the center's other code lists
    by kind (category, wrap_up, not_ready, outcome; inactive codes flagged)."""

    business_lines: list[BusinessLineOut]
    categories: list[str]
    codes: dict[str, list[CenterCodeOut]] = Field(default_factory=dict)


class SearchMissIn(Strict):
    uuid: str
    query: str = Field(min_length=1, max_length=2000)
    created_at: ClientMoment | None = None

    _check_uuid = field_validator("uuid")(_uuid)


class SearchMissOut(BaseModel):
    query: str
    times: int
    agents: int
    last_at: str


# -- calls and agent states ---------------------------------------------------------------------
Seconds = Annotated[float, Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False)]
StateSeconds = Annotated[float, Field(ge=0, le=MAX_STATE_SECONDS, allow_inf_nan=False)]
Number = Annotated[str, Field(max_length=64, pattern=r"^[0-9A-Za-z+*#_.\-]*$")]
Code = Annotated[str, Field(max_length=64)]
Direction = Literal["inbound", "outbound"]
EndReason = Literal[
    "answered", "missed", "rejected", "busy", "no_answer", "cancelled", "failed", "interrupted"
]
TransferResult = Literal["", "succeeded", "failed"]  # the call's last transfer, if any
AgentStateName = Literal["ready", "not_ready", "after_call_work", "break", "offline"]


class CallIn(Strict):
    """One call record; the agent is the session's user, never a field."""

    uuid: str
    version: int = Field(ge=1, le=MAX_ID)
    direction: Direction
    local_number: Number = ""
    remote_number: Number = ""
    remote_display: str = Field(default="", max_length=200)
    queue: Code = ""
    campaign: Code = ""
    started_at: Moment
    answered_at: Moment | None = None
    ended_at: Moment
    talk_seconds: Seconds = 0.0
    hold_seconds: Seconds = 0.0
    acw_seconds: Seconds = 0.0
    wrap_up_category: Code = ""
    wrap_up_note: str = Field(default="", max_length=2000)
    disposition: Code = ""
    end_reason: EndReason
    sip_code: int | None = Field(default=None, ge=100, le=699)
    recording_path: str | None = Field(default=None, max_length=1000)
    transfer_result: TransferResult = ""
    end_text: str = Field(default="", max_length=500)

    _check_uuid = field_validator("uuid")(_uuid)

    @model_validator(mode="after")
    def _in_order(self) -> CallIn:
        if self.answered_at is not None and not (
            self.started_at <= self.answered_at <= self.ended_at
        ):
            raise ValueError("answered_at must lie between started_at and ended_at")
        if self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at")
        return self


class CallOut(BaseModel):
    uuid: str
    agent: str
    version: int
    direction: Direction
    local_number: str
    remote_number: str
    remote_display: str
    queue: str
    campaign: str
    started_at: str
    answered_at: str | None
    ended_at: str
    talk_seconds: float
    hold_seconds: float
    acw_seconds: float
    handle_seconds: float  # talk + hold + after-call work, as AHT counts it
    wrap_up_category: str
    wrap_up_note: str
    disposition: str
    end_reason: str
    sip_code: int | None
    recording_path: str | None
    transfer_result: str
    end_text: str
    received_at: str
    updated_at: str


class CallPage(BaseModel):
    items: list[CallOut]
    total: int


class AgentStateIn(Strict):
    """One change of an agent's state (agent_app/seat/agent_state.py StateChange)."""

    uuid: str
    state: AgentStateName
    reason: Code = ""
    on_call: bool = False
    call_uuid: str = Field(default="", max_length=36)
    started_at: Moment
    previous_state: AgentStateName
    previous_reason: Code = ""
    previous_on_call: bool = False
    previous_started_at: Moment
    previous_seconds: StateSeconds = 0.0

    _check_uuid = field_validator("uuid")(_uuid)

    @field_validator("call_uuid")
    @classmethod
    def _check_call_uuid(cls, value: str) -> str:
        return _uuid(value) if value else ""

    @model_validator(mode="after")
    def _in_order(self) -> AgentStateIn:
        if self.previous_started_at > self.started_at:
            raise ValueError("previous_started_at must not be after started_at")
        return self


class AgentStateOut(BaseModel):
    uuid: str
    agent: str
    display_name: str
    state: AgentStateName
    reason: str
    on_call: bool
    call_uuid: str
    started_at: str
    previous_state: AgentStateName
    previous_reason: str
    previous_on_call: bool
    previous_started_at: str
    previous_seconds: float
    received_at: str


class AgentStatePage(BaseModel):
    items: list[AgentStateOut]
    total: int


# -- outbound campaigns (issue 12): common/outbound.py's inputs under the API's text rules -------
class CampaignCreate(outbound.CampaignIn, Strict):
    pass


class CampaignChange(outbound.CampaignPatch, Strict):
    pass


class DncCreate(outbound.DncIn, Strict):
    pass


class SurveyWrite(outbound.SurveyIn, Strict):
    pass


def _written_day(value: Any) -> Any:
    """A day on the wire is text 'YYYY-MM-DD' in 2000-2199 (never a number, which pydantic
    would read as a timestamp, nor a date-time); a real calendar day is then up to `date`."""
    if isinstance(value, str) and not re.fullmatch(outbound.DAY_PATTERN, value):
        raise ValueError(
            "a day is written YYYY-MM-DD (2000-2199) / 日期须为 YYYY-MM-DD（2000-2199 年）"
        )
    if not isinstance(value, str | date):
        raise ValueError("a day is text YYYY-MM-DD / 日期须为 YYYY-MM-DD 文本")
    return value


# A China-time day: a real calendar day (2026-02-30 is refused by the schema, not by a service),
# documented as format 'date' with the year range of DAY_PATTERN.
ChinaDay = Annotated[
    date,
    BeforeValidator(_written_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": outbound.DAY_PATTERN}),
]


class HolidayOverrideWrite(Strict):
    """One day of PUT /campaigns/calendar (common/outbound.py HolidayOverride, its day a date)."""

    day: ChinaDay
    kind: Literal["closed", "workday"]
    note: str = Field(default="", max_length=500)

    def wire(self) -> outbound.HolidayOverride:
        return outbound.HolidayOverride(day=self.day.isoformat(), kind=self.kind, note=self.note)


class CalendarWrite(Strict):
    """PUT /campaigns/calendar: the whole override list (common/outbound.py CalendarIn)."""

    overrides: list[HolidayOverrideWrite] = Field(default=[], max_length=2000)
