"""Outbound campaigns on the wire (issue 12, docs/outbound.md): the models the server replies
with and accepts, the client's API methods return and its outbox sends, and the seven built-in
outcomes. Qt-free and server-free, so the server, the sync layer and the window share them.

Conventions:
- Moments are UTC ISO text as `common.timestamps.iso` writes them ('2026-10-08T01:00:00.000+00:00').
  Days ('2026-10-08') and clock times ('09:00') are China time (Asia/Shanghai).
- Replies (`Reply` subclasses) ignore fields they do not know, so a newer server does not break
  an older client; inputs (`Input` subclasses) refuse unknown fields, so a typo is an error.
- Outcome codes are the center's (table center_codes, kind 'outcome'); each stands for one of the
  seven MEANINGS, and the retry engine, the report and the progress act on the meaning.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

from common.center_codes import OUTCOME_MEANINGS
from common.codes import Code
from common.numbers import list_phone


class Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# A survey's or an article's uuid in an input: canonical 8-4-4-4-12 hex. UUID_OR_EMPTY: a
# reference that may be left empty ("" = none).
UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
UUID_OR_EMPTY = "^$|" + UUID_PATTERN


def _list_phone_pattern() -> str:
    """The phones common.numbers.list_phone accepts, as one regular expression for the OpenAPI
    document (so a fuzzer, and any client, knows which numbers the server takes).

    It says rules 3 and 4 of the list import on the written forms people type: ASCII or
    full-width digits, spaces (also no-break and ideographic) and dashes anywhere in a mobile,
    an optional +86/0086 before it; spaces anywhere in a landline, an optional dash after the
    area code, an extension after 转, a dash or ext. Every text it matches is a number
    list_phone accepts (tests/server/outbound/test_schema_constraints.py checks this); the few
    forms it leaves out are the exotic NFKC ones (circled or mathematical digits).
    """
    spaces = " \u00a0\u3000"
    dashes = "\\-\u2010-\u2015\u2212\uff0d"
    gap = f"[{spaces}{dashes}]*"  # mobile: spaces and dashes are dropped
    space = f"[{spaces}]*"  # landline: spaces are dropped, dashes mean something
    dash = f"[{dashes}]"
    digit = "[0-9\uff10-\uff19]"

    def one(d: int) -> str:  # the digit d, ASCII or full-width
        return f"[{d}{chr(0xFF10 + d)}]"

    country = (
        f"(?:[+\uff0b]{gap}{one(8)}{gap}{one(6)}{gap}"
        f"|{one(0)}{gap}{one(0)}{gap}{one(8)}{gap}{one(6)}{gap})"
    )
    mobile = f"{gap}{country}?{one(1)}{gap}[3-9\uff13-\uff19]{gap}(?:{digit}{gap}){{9}}"
    landline = (
        f"{space}{one(0)}{space}(?:{digit}{space}){{2,3}}(?:{dash}{space})?"
        f"(?:{digit}{space}){{7,8}}"
        f"(?:(?:转|{dash}|[eE][xX][tT]){space}(?:{digit}{space})+)?"
    )
    return f"^(?:{mobile}|{landline})$"


LIST_PHONE_PATTERN = _list_phone_pattern()
_LIST_PHONE = re.compile(LIST_PHONE_PATTERN)


# -- outcomes -------------------------------------------------------------------------------------
# The seven outcomes of DOMAIN.md. As built-in codes their code is their meaning; a center's
# own outcome codes (center_codes, kind 'outcome') each name one of these meanings. One list:
# common/center_codes.py's OUTCOME_MEANINGS (the taxonomy's), here as Codes.
OUTCOMES: tuple[Code, ...] = tuple(
    Code(meaning, zh, en) for meaning, (zh, en) in OUTCOME_MEANINGS.items()
)
MEANINGS: tuple[str, ...] = tuple(code.code for code in OUTCOMES)
Meaning = Literal[
    "wrong_contact",
    "empty_number",
    "number_changed",
    "busy",
    "no_answer",
    "success",
    "not_successful",
]
assert set(get_args(Meaning)) == set(MEANINGS)  # the Literal spells the same seven

# A contact: the listed customer was reached and spoke with the agent (the report's contact
# rate). A wrong contact or a number-changed notice reached someone, but not the customer.
CONTACT_MEANINGS: frozenset[str] = frozenset({"success", "not_successful"})
SUCCESS_MEANINGS: frozenset[str] = frozenset({"success"})


def outcome_meaning(code: str) -> str | None:
    """The meaning of a BUILT-IN outcome code (None for a center's own code: ask the server's
    center_codes, or the client's synced copy of it)."""
    return code if code in MEANINGS else None


# -- calendar and policy --------------------------------------------------------------------------
HHMM_PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
_HHMM = re.compile(HHMM_PATTERN)
# "09:00": a China-time clock time; "24:00" ends a window at midnight.
ClockTime = Annotated[str, Field(pattern=HHMM_PATTERN)]
Window = tuple[ClockTime, ClockTime]  # ("09:00", "12:00"): from, until (exclusive)
WORKDAY_WINDOWS: list[Window] = [("09:00", "12:00"), ("13:30", "20:00")]


def _default_days() -> list[list[Window]]:
    return [list(WORKDAY_WINDOWS) for _ in range(5)] + [[], []]


class CallingHours(BaseModel):
    """When a campaign may call, per weekday: `days[0]` is Monday ... `days[6]` Sunday, each a
    list of (from, until) "HH:MM" windows in China time, in order and not overlapping.

    Default: Monday to Friday 09:00-12:00 and 13:30-20:00, no calls on Saturday and Sunday. A
    statutory holiday is closed whatever its weekday; a 调休 working weekend day uses Monday's
    windows (server/services/outbound/calendar.py).
    """

    model_config = ConfigDict(extra="forbid")

    days: list[list[Window]] = Field(default_factory=_default_days, min_length=7, max_length=7)

    @field_validator("days")
    @classmethod
    def _windows_in_order(cls, days: list[list[Window]]) -> list[list[Window]]:
        for day in days:
            previous_end = ""
            for start, end in day:
                if not _HHMM.match(start) or not _HHMM.match(end):
                    raise ValueError("a window is two 'HH:MM' times / 时段须为两个“时:分”时间")
                if start >= end:
                    raise ValueError("a window ends after it starts / 时段的结束须晚于开始")
                if start < previous_end:
                    raise ValueError(
                        "windows are in order and do not overlap / 时段须按顺序且不能重叠"
                    )
                previous_end = end
        return days


class OutcomeRetry(BaseModel):
    """What happens after an attempt with one outcome meaning (no callback time agreed).

    retry: the record comes back (else it is finished: 'done' after a contact, 'closed' after
    a wrong contact or an empty number); delay_minutes: how long after the attempt (None: the
    campaign's no_time_retry_minutes, 240 by default); max_attempts: attempts on the record in
    all, after which a retry outcome closes it as 'exhausted'.
    """

    model_config = ConfigDict(extra="forbid")

    retry: StrictBool
    delay_minutes: StrictInt | None = Field(default=None, ge=0, le=60 * 24 * 60)
    max_attempts: StrictInt = Field(default=9, ge=1, le=1000)


def _default_outcomes() -> dict[Meaning, OutcomeRetry]:
    return {
        "wrong_contact": OutcomeRetry(retry=False),
        "empty_number": OutcomeRetry(retry=False),
        # The new number is due again at once (delay 0).
        "number_changed": OutcomeRetry(retry=True, delay_minutes=0),
        "busy": OutcomeRetry(retry=True),
        "no_answer": OutcomeRetry(retry=True),
        "success": OutcomeRetry(retry=False),
        "not_successful": OutcomeRetry(retry=False),
    }


class RetryPolicy(BaseModel):
    """A campaign's retry policy per outcome MEANING (not per center code). A meaning left out
    follows the default here: busy and no answer come back after the campaign's
    no_time_retry_minutes (240), a number change is due again at once, the rest finish."""

    model_config = ConfigDict(extra="forbid")

    outcomes: dict[Meaning, OutcomeRetry] = Field(default_factory=_default_outcomes)

    @field_validator("outcomes")
    @classmethod
    def _with_defaults(cls, outcomes: dict[Meaning, OutcomeRetry]) -> dict[Meaning, OutcomeRetry]:
        merged = _default_outcomes()
        merged.update(outcomes)
        return merged

    def for_meaning(self, meaning: str) -> OutcomeRetry:
        for key, rule in self.outcomes.items():
            if key == meaning:
                return rule
        return next(rule for key, rule in _default_outcomes().items() if key == meaning)


# -- campaigns ------------------------------------------------------------------------------------
CampaignStatus = Literal["active", "paused", "closed"]
CallbackMode = Literal["agent", "anyone"]


class CampaignIn(Input):
    """POST /campaigns: a new campaign. Every field but the name has a default."""

    name: str = Field(min_length=1, max_length=200)
    business_line: str = Field(default="", max_length=32)
    script_article_uuid: str = Field(default="", max_length=36)  # a KB article: the call script
    survey_uuid: str = Field(default="", max_length=36, pattern=UUID_OR_EMPTY)  # a survey
    calling_hours: CallingHours = Field(default_factory=CallingHours)
    retry_policy: RetryPolicy = Field(default_factory=RetryPolicy)
    max_attempts_per_day: StrictInt = Field(default=3, ge=1, le=100)
    no_time_retry_minutes: StrictInt = Field(default=240, ge=1, le=60 * 24 * 30)
    callback_mode: CallbackMode = "agent"
    # 'anyone' mode: a callback its agent has not taken opens to everyone this long after due.
    callback_handover_minutes: StrictInt = Field(default=60, ge=0, le=60 * 24 * 30)
    mask_numbers: StrictBool = False  # agents see 138****8000 (the softphone still dials it)
    status: CampaignStatus = "active"


class CampaignPatch(Input):
    """PATCH /campaigns/{id}: the fields to change (absent: unchanged)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    business_line: str | None = Field(default=None, max_length=32)
    script_article_uuid: str | None = Field(default=None, max_length=36)
    survey_uuid: str | None = Field(default=None, max_length=36, pattern=UUID_OR_EMPTY)
    calling_hours: CallingHours | None = None
    retry_policy: RetryPolicy | None = None
    max_attempts_per_day: StrictInt | None = Field(default=None, ge=1, le=100)
    no_time_retry_minutes: StrictInt | None = Field(default=None, ge=1, le=60 * 24 * 30)
    callback_mode: CallbackMode | None = None
    callback_handover_minutes: StrictInt | None = Field(default=None, ge=0, le=60 * 24 * 30)
    mask_numbers: StrictBool | None = None
    status: CampaignStatus | None = None


class Campaign(Reply):
    """A campaign as GET /campaigns lists it. `records_total` and `records_left` (records still
    'pending') are filled for supervisors, managers and admins; agents get 0 (not counted)."""

    id: int
    name: str
    business_line: str = ""
    script_article_uuid: str = ""
    survey_uuid: str = ""
    calling_hours: CallingHours = Field(default_factory=CallingHours)
    retry_policy: RetryPolicy = Field(default_factory=RetryPolicy)
    max_attempts_per_day: int = 3
    no_time_retry_minutes: int = 240
    callback_mode: str = "agent"
    callback_handover_minutes: int = 60
    mask_numbers: bool = False
    status: str = "active"
    created_at: str = ""
    updated_at: str = ""
    created_by: int | None = None
    records_total: int = 0
    records_left: int = 0
    # The center's calendar overrides from today on (shared by every campaign; GET /campaigns
    # only): the window's callback picker keeps to the days the center closed or opened.
    holiday_overrides: list[HolidayOverride] = []


# -- records and the hand-out ---------------------------------------------------------------------
RecordStatus = Literal["pending", "done", "closed", "dnc", "exhausted"]


class CampaignRecord(Reply):
    """One customer of a campaign's list, as handed to an agent.

    phone: what the window SHOWS: masked (138****8000) when the campaign masks numbers and the
    reader is an agent. dial_number: what the softphone DIALS (always the real number; never
    show it). fields: the list's other columns by header ('楼盘': '...'), for the script's
    `{楼盘}` placeholders; `name` fills `{姓名}`.
    status: pending (still to call) | done (finished after a contact) | closed (wrong contact,
    empty number) | dnc (on a do-not-call list) | exhausted (max attempts reached).
    due_at: when it is due (None: now). callback_agent_id: set while an agreed callback
    waits for that agent; callback_open_at: from then on anyone may take it (None: never).
    locked_by / locked_until: the agent working it and until when (renew to keep it).
    """

    id: int
    campaign_id: int
    row_number: int = 0
    name: str = ""
    phone: str = ""
    dial_number: str = ""
    phone_masked: bool = False
    fields: dict[str, str] = {}
    status: str = "pending"
    attempts_total: int = 0
    attempts_today: int = 0
    due_at: str | None = None
    callback_agent_id: int | None = None
    callback_open_at: str | None = None
    locked_by: int | None = None
    locked_until: str | None = None
    last_outcome: str = ""
    updated_at: str = ""


NextReason = Literal["", "outside_hours", "closed_day", "empty", "not_active"]


class NextRecordReply(Reply):
    """POST /campaigns/{id}/next. `record` is locked to the caller; when it is None, `reason`
    says why: outside_hours (no calling window now), closed_day (holiday or a day without
    hours), empty (nothing due now), not_active (the campaign is paused or closed)."""

    record: CampaignRecord | None = None
    reason: str = ""


class LockReply(Reply):
    """POST /campaigns/records/{id}/renew and /release."""

    record_id: int
    locked_until: str | None = None  # None after a release


# -- attempts (the outbox kind 'campaign_attempt') ------------------------------------------------
class AttemptIn(Input):
    """One attempt on a record, as the client's outbox sends it (kind 'campaign_attempt',
    POST /campaigns/attempts/batch). Idempotent by `uuid` (the client makes it once).

    outcome: a center outcome code (center_codes kind 'outcome'; a deactivated one is
    still accepted: the attempt may have been recorded before the code was deactivated). callback_at: a time
    agreed with the customer (the record comes back to this agent then). new_phone: the new
    number when the outcome means number_changed. answers: the survey answers by question id,
    as common/surveys.py defines them. The agent is the session's user, never a field.
    """

    uuid: str = Field(min_length=1, max_length=64)
    record_id: StrictInt = Field(ge=1)
    campaign_id: StrictInt = Field(ge=1)
    outcome: str = Field(min_length=1, max_length=200)
    started_at: AwareDatetime
    ended_at: AwareDatetime
    call_uuid: str = Field(default="", max_length=36)
    note: str = Field(default="", max_length=2000)
    callback_at: AwareDatetime | None = None
    new_phone: str = Field(default="", max_length=64)
    answers: dict[str, Any] = {}

    @model_validator(mode="after")
    def _in_order(self) -> AttemptIn:
        if self.ended_at < self.started_at:
            raise ValueError("ended_at must not be before started_at / 结束时间早于开始时间")
        return self


class Attempt(Reply):
    """An attempt as the server keeps it (the report's source)."""

    uuid: str
    record_id: int
    campaign_id: int
    agent_id: int
    outcome: str
    meaning: str
    started_at: str
    ended_at: str
    call_uuid: str = ""
    note: str = ""
    callback_at: str | None = None
    new_phone: str = ""
    answers: dict[str, Any] = {}
    created_at: str = ""


class Callback(Reply):
    """GET /campaigns/callbacks: an agreed callback, due or upcoming. `due`: its time has come;
    `open_to_anyone`: it was handed over ('anyone' campaigns), so another agent may take it."""

    record_id: int
    campaign_id: int
    campaign_name: str = ""
    name: str = ""
    phone: str = ""  # masked when the campaign masks numbers (for agents)
    due_at: str
    agent_id: int | None = None
    open_to_anyone: bool = False
    due: bool = False


# -- list import (written by the import; shapes here so the window and CLI share them) -------------
class ImportRejected(Reply):
    row: int  # from 1, the header not counted
    reason: str  # missing_column | empty_phone | invalid_chars | too_short | too_long | ...


class ImportDuplicate(Reply):
    """A row not imported because its number is there already: in an earlier row of the file
    (`duplicate_of_row` = that row, `in_campaign` false), or in the campaign before this import
    (`duplicate_of_row` null, `in_campaign` true, `record_id` = the record that has it)."""

    row: int
    duplicate_of_row: int | None = None
    in_campaign: bool = False
    record_id: int | None = None


class ImportReport(Reply):
    """What an import did (or, dry run, would do). total_rows counts the data rows that are not
    blank: total_rows = imported + len(rejected) + len(duplicates) + dnc_skipped. A blank row in
    the middle of the file keeps its number but is only counted in blank_rows (trailing blank
    rows are ignored). dnc_rows: the row numbers skipped as do-not-call."""

    total_rows: int = 0
    imported: int = 0
    rejected: list[ImportRejected] = []
    duplicates: list[ImportDuplicate] = []
    dnc_skipped: int = 0
    dnc_rows: list[int] = []
    blank_rows: int = 0


class ImportRow(Reply):
    """A row as the import would store it: the phone as written, its key (the number dialled
    and compared), the name and the custom fields by header."""

    row: int
    name: str = ""
    phone: str = ""
    phone_key: str = ""
    fields: dict[str, str] = {}


class ImportPreview(Reply):
    """POST /campaigns/{id}/import?dry_run=1: the file's header, how each column is mapped
    (header -> 'name' | 'phone' | 'field' (kept as a custom field) | 'ignore'), the first rows
    as read, and the report an import would give."""

    header: list[str] = []
    mapping: dict[str, str] = {}
    sample: list[list[str]] = []
    report: ImportReport = Field(default_factory=ImportReport)
    # The first rows as they would be imported (rows that pass every rule), and how the file
    # was read: format 'csv' | 'xlsx', the CSV encoding and delimiter.
    rows: list[ImportRow] = []
    format: str = ""
    encoding: str = ""
    delimiter: str = ""


# -- progress and the report ----------------------------------------------------------------------
class ProgressDay(Reply):
    day: str  # China time 'YYYY-MM-DD'
    attempts: int = 0
    contacts: int = 0
    successes: int = 0


class Progress(Reply):
    """GET /campaigns/{id}/progress: records_left = still pending; by_status counts records per
    status; attempts/contacts/successes over the campaign's life; days: the chart's series."""

    campaign_id: int
    records_total: int = 0
    records_left: int = 0
    by_status: dict[str, int] = {}
    attempts: int = 0
    contacts: int = 0
    successes: int = 0
    days: list[ProgressDay] = []


class ReportRow(Reply):
    """One line of the feedback report: a day (China time) and an agent, or the day's total
    (agent_id None). outcomes: attempts per outcome code. Rates are 0..1 of attempts."""

    day: str = ""
    agent_id: int | None = None
    agent: str = ""  # username ('' on totals)
    attempts: int = 0
    outcomes: dict[str, int] = {}
    contacts: int = 0
    successes: int = 0
    contact_rate: float = 0.0
    success_rate: float = 0.0


class CampaignReport(Reply):
    """GET /campaigns/{id}/report?day=: per day and agent (`rows`), per day (`days`), and the
    whole period (`total`). `outcomes` lists the codes in column order (built-in first)."""

    campaign_id: int
    campaign_name: str = ""
    day: str | None = None  # the day asked for; None: every day with attempts
    outcomes: list[str] = []
    rows: list[ReportRow] = []
    days: list[ReportRow] = []
    total: ReportRow = Field(default_factory=ReportRow)


# -- do-not-call, calendar, surveys ---------------------------------------------------------------
class DncIn(Input):
    """POST /campaigns/dnc: a number (any written form; it is keyed as the import keys it)."""

    # Not stripped here (list_phone strips it): the pattern and the length hold for the text
    # as sent, as the OpenAPI document says them. The pattern is checked by the validator
    # below (Python's re, the fuzzer's too) so a refusal says why in both languages.
    phone: Annotated[str, StringConstraints(strip_whitespace=False)] = Field(
        min_length=1, max_length=64, json_schema_extra={"pattern": LIST_PHONE_PATTERN}
    )
    campaign_id: StrictInt | None = Field(default=None, ge=1)  # None: the global list
    reason: str = Field(default="", max_length=500)

    @field_validator("phone")
    @classmethod
    def _a_list_phone(cls, value: str) -> str:
        if not _LIST_PHONE.fullmatch(value):
            reason = list_phone(value).reason or "invalid_format"
            raise ValueError(
                f"not a phone number ({reason}): {value} / 不是有效的电话号码（{reason}）：{value}"
            )
        return value


class DncNumber(Reply):
    id: int
    phone_key: str
    campaign_id: int | None = None  # None: global
    reason: str = ""
    added_at: str = ""
    added_by: int | None = None


# A China-time day, years 2000-2199 (the range stored moments may take).
DAY_PATTERN = r"^2[01][0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class HolidayOverride(Reply):
    """A day the center closes (kind 'closed') or works (kind 'workday', Monday's hours)."""

    day: str = Field(pattern=DAY_PATTERN)  # 'YYYY-MM-DD'
    kind: Literal["closed", "workday"]
    note: str = ""

    @field_validator("day")
    @classmethod
    def _is_a_day(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError("a day is written YYYY-MM-DD / 日期须为 YYYY-MM-DD")
        return value


class CalendarIn(Input):
    """PUT /campaigns/calendar: the whole override list, replacing the stored one."""

    overrides: list[HolidayOverride] = Field(default=[], max_length=2000)


class CalendarReply(Reply):
    overrides: list[HolidayOverride] = []


class SurveyIn(Input):
    """POST /campaigns/surveys (new; uuid optional) and PUT /campaigns/surveys/{uuid}.
    `definition` is a survey as common/surveys.py defines it (a JSON object)."""

    uuid: str | None = Field(default=None, max_length=36, pattern=UUID_PATTERN)  # None: a new one
    name: str = Field(min_length=1, max_length=200)
    definition: dict[str, Any]


class Survey(Reply):
    uuid: str
    name: str
    definition: dict[str, Any] = {}
    version: int = 1
    updated_at: str = ""
    updated_by: int | None = None


Campaign.model_rebuild()  # holiday_overrides names a model defined further down
