"""The retry engine: what becomes of a record after an attempt (docs/outbound.md).

Pure: the record's state, the attempt (its outcome meaning, agent, time, agreed callback), the
campaign's policy and the calendar in; the record's next state out. No database, no clock: the
moment is the attempt's (an attempt recorded offline counts on the day it was made).

- An agreed callback time: the record is due then, for that agent; in 'anyone' mode anyone may
  take it `callback_handover_minutes` after it fell due. Callbacks are not limited by the day's
  or the record's attempt counts: the customer asked for them.
- A retry outcome (busy, no answer by default; per the campaign's policy): due `delay_minutes`
  later (the campaign's no_time_retry_minutes, 240, when the policy gives none); the day's
  `max_attempts_per_day`-th attempt moves it to the next working day's first window; a due time
  outside calling hours (past the day's last window, in the lunch break, on a holiday) moves to
  the next window; once the record has had the outcome's `max_attempts` in all it is
  'exhausted'.
- number_changed with a usable new number: due again at once (the new number has had no call
  today, so the day's count starts again); without one the record is 'closed'.
- Otherwise finished: 'done' after a contact (success, not successful), 'closed' after a wrong
  contact or an empty number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from common.outbound import CONTACT_MEANINGS, CallingHours, RetryPolicy
from server.services.outbound.calendar import WorkCalendar, china_day

PENDING = "pending"
DONE = "done"
CLOSED = "closed"
DNC = "dnc"
EXHAUSTED = "exhausted"
STATUSES = (PENDING, DONE, CLOSED, DNC, EXHAUSTED)


@dataclass(frozen=True)
class RecordState:
    """The parts of a campaign record the engine reads and writes."""

    status: str = PENDING
    attempts_total: int = 0
    attempts_day: str = ""  # the China-time day attempts_today counts ('YYYY-MM-DD')
    attempts_today: int = 0
    due_at: datetime | None = None  # None: due now
    callback_agent_id: int | None = None
    callback_open_at: datetime | None = None  # None: never open to others


@dataclass(frozen=True)
class CampaignPolicy:
    """What the engine needs of a campaign."""

    hours: CallingHours
    retry: RetryPolicy
    max_attempts_per_day: int = 3
    no_time_retry_minutes: int = 240
    callback_mode: str = "agent"  # 'agent' | 'anyone'
    callback_handover_minutes: int = 60


@dataclass(frozen=True)
class AttemptFacts:
    meaning: str
    agent_id: int
    at: datetime  # when the attempt ended
    callback_at: datetime | None = None
    new_phone_ok: bool = False  # number_changed: a usable new number was given


def _counted(state: RecordState, at: datetime) -> RecordState:
    day = china_day(at).isoformat()
    today = state.attempts_today + 1 if state.attempts_day == day else 1
    return replace(
        state,
        attempts_total=state.attempts_total + 1,
        attempts_day=day,
        attempts_today=today,
        callback_agent_id=None,
        callback_open_at=None,
    )


def after_attempt(
    state: RecordState, attempt: AttemptFacts, policy: CampaignPolicy, calendar: WorkCalendar
) -> RecordState:
    """The record's state after `attempt`."""
    counted = _counted(state, attempt.at)
    if attempt.callback_at is not None:
        open_at = (
            attempt.callback_at + timedelta(minutes=policy.callback_handover_minutes)
            if policy.callback_mode == "anyone"
            else None
        )
        return replace(
            counted,
            status=PENDING,
            due_at=attempt.callback_at,
            callback_agent_id=attempt.agent_id,
            callback_open_at=open_at,
        )
    rule = policy.retry.for_meaning(attempt.meaning)
    if attempt.meaning == "number_changed":
        if not attempt.new_phone_ok:
            return replace(counted, status=CLOSED, due_at=None)
        # A new number: its day starts afresh, and it is due at once (within calling hours).
        counted = replace(counted, attempts_today=0)
        if counted.attempts_total >= rule.max_attempts:
            return replace(counted, status=EXHAUSTED, due_at=None)
        delay = rule.delay_minutes if rule.delay_minutes is not None else 0
        due = attempt.at + timedelta(minutes=delay)
        return replace(counted, status=PENDING, due_at=_within_hours(due, policy, calendar))
    if not rule.retry:
        finished = DONE if attempt.meaning in CONTACT_MEANINGS else CLOSED
        return replace(counted, status=finished, due_at=None)
    if counted.attempts_total >= rule.max_attempts:
        return replace(counted, status=EXHAUSTED, due_at=None)
    delay = rule.delay_minutes if rule.delay_minutes is not None else policy.no_time_retry_minutes
    due = attempt.at + timedelta(minutes=delay)
    if counted.attempts_today >= policy.max_attempts_per_day:
        # The day's last attempt: the next working day's list.
        next_day = calendar.first_window_after(china_day(attempt.at), policy.hours)
        return replace(counted, status=PENDING, due_at=next_day or due)
    return replace(counted, status=PENDING, due_at=_within_hours(due, policy, calendar))


def _within_hours(due: datetime, policy: CampaignPolicy, calendar: WorkCalendar) -> datetime:
    """`due`, or the next calling window's start when `due` falls outside calling hours (past
    the day's last window: the next working day's first one). A campaign that never calls
    keeps `due` as it is (the hand-out gives nothing then anyway)."""
    return calendar.next_open(due, policy.hours) or due
