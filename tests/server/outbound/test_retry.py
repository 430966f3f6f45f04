"""The retry engine with a controllable clock: 4-hour spacing, 3 attempts a day then the next
working day, calling hours, holidays and 调休 weekends, overrides, agreed callbacks returning to
the same agent, the hand-over in 'anyone' mode, per-outcome policy and exhaustion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from common.outbound import CallingHours, OutcomeRetry, RetryPolicy
from server.services.outbound.calendar import CLOSED, WorkCalendar
from server.services.outbound.retry import (
    CLOSED as CLOSED_STATUS,
)
from server.services.outbound.retry import (
    DONE,
    EXHAUSTED,
    PENDING,
    AttemptFacts,
    CampaignPolicy,
    RecordState,
    after_attempt,
)
from tests.helpers.clock import FakeClock

AGENT = 7
POLICY = CampaignPolicy(hours=CallingHours(), retry=RetryPolicy())


def china(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}:00+08:00").astimezone(UTC)


def attempt(
    state: RecordState,
    clock: FakeClock,
    meaning: str = "no_answer",
    policy: CampaignPolicy = POLICY,
    calendar: WorkCalendar | None = None,
    **facts: object,
) -> RecordState:
    return after_attempt(
        state,
        AttemptFacts(meaning=meaning, agent_id=AGENT, at=clock(), **facts),  # type: ignore[arg-type]
        policy,
        calendar or WorkCalendar(),
    )


def test_no_answer_comes_back_every_4_hours_3_a_day_then_the_next_day() -> None:
    clock = FakeClock(china("2026-09-14", "09:35"))  # Monday
    state = attempt(RecordState(), clock)
    assert state.status == PENDING and state.attempts_today == 1
    assert state.due_at == china("2026-09-14", "13:35")
    clock.now = state.due_at
    state = attempt(state, clock)
    assert state.attempts_today == 2 and state.due_at == china("2026-09-14", "17:35")
    clock.now = state.due_at
    state = attempt(state, clock)
    # The day's third attempt: the next working day's first window.
    assert state.attempts_today == 3 and state.attempts_total == 3
    assert state.due_at == china("2026-09-15", "09:00")
    clock.now = state.due_at
    state = attempt(state, clock)
    assert state.attempts_day == "2026-09-15" and state.attempts_today == 1
    # 13:00 is in the lunch break: the afternoon window's start.
    assert state.due_at == china("2026-09-15", "13:30")


def test_a_retry_due_in_the_lunch_break_or_after_hours_moves_to_the_next_window() -> None:
    clock = FakeClock(china("2026-09-14", "09:30"))
    assert attempt(RecordState(), clock, "busy").due_at == china("2026-09-14", "13:30")
    clock.now = china("2026-09-14", "17:00")
    # 21:00 is past the day's last window: the next working day's first.
    assert attempt(RecordState(), clock, "busy").due_at == china("2026-09-15", "09:00")
    clock.now = china("2026-09-11", "17:00")  # Friday -> Monday
    assert attempt(RecordState(), clock).due_at == china("2026-09-14", "09:00")
    # But Friday 2026-09-18 -> Sunday the 20th, a 调休 working day before National Day.
    clock.now = china("2026-09-18", "17:00")
    assert attempt(RecordState(), clock).due_at == china("2026-09-20", "09:00")


def test_holidays_are_skipped_and_a_working_weekend_is_used() -> None:
    clock = FakeClock(china("2026-09-30", "17:00"))  # the eve of National Day
    assert attempt(RecordState(), clock).due_at == china("2026-10-08", "09:00")
    # Friday 2026-10-09, the third attempt of the day: Saturday the 10th is a 调休 workday.
    clock.now = china("2026-10-09", "15:00")
    state = RecordState(attempts_total=2, attempts_day="2026-10-09", attempts_today=2)
    assert attempt(state, clock).due_at == china("2026-10-10", "09:00")
    # And from Saturday's last window to Monday (Sunday the 11th is a weekend again).
    clock.now = china("2026-10-10", "17:00")
    assert attempt(RecordState(), clock).due_at == china("2026-10-12", "09:00")


def test_the_centers_override_closes_a_day() -> None:
    calendar = WorkCalendar({date(2026, 9, 15): CLOSED})
    clock = FakeClock(china("2026-09-14", "17:00"))
    assert attempt(RecordState(), clock, calendar=calendar).due_at == china("2026-09-16", "09:00")


def test_an_agreed_callback_returns_to_the_same_agent_at_that_time() -> None:
    clock = FakeClock(china("2026-09-14", "10:00"))
    when = china("2026-09-16", "15:00")
    # A callback is not limited by the day's count: the customer asked for it.
    state = RecordState(attempts_total=5, attempts_day="2026-09-14", attempts_today=2)
    after = attempt(state, clock, "not_successful", callback_at=when)
    assert after.status == PENDING
    assert after.due_at == when
    assert after.callback_agent_id == AGENT
    assert after.callback_open_at is None  # 'agent' mode: never handed over
    # The callback attempt itself is an attempt: the next no-answer clears the callback.
    clock.now = when
    later = attempt(after, clock)
    assert later.callback_agent_id is None and later.due_at == china("2026-09-16", "19:00")


def test_anyone_mode_hands_the_callback_over_after_the_delay() -> None:
    policy = CampaignPolicy(
        hours=CallingHours(),
        retry=RetryPolicy(),
        callback_mode="anyone",
        callback_handover_minutes=30,
    )
    clock = FakeClock(china("2026-09-14", "10:00"))
    when = china("2026-09-14", "16:00")
    after = attempt(RecordState(), clock, "busy", policy=policy, callback_at=when)
    assert after.callback_agent_id == AGENT
    assert after.callback_open_at == when + timedelta(minutes=30)


def test_busy_and_no_answer_follow_the_campaigns_policy_and_exhaust() -> None:
    policy = CampaignPolicy(
        hours=CallingHours(),
        retry=RetryPolicy(
            outcomes={
                "busy": OutcomeRetry(retry=True, delay_minutes=30, max_attempts=2),
                "not_successful": OutcomeRetry(retry=True, delay_minutes=60 * 24),
            }
        ),
        no_time_retry_minutes=120,
    )
    clock = FakeClock(china("2026-09-14", "10:00"))
    first = attempt(RecordState(), clock, "busy", policy=policy)
    assert first.due_at == china("2026-09-14", "10:30")
    # no_answer has no delay of its own here: the campaign's no_time_retry_minutes (120), and
    # 12:00 is the end of the morning window, so the afternoon's start.
    assert attempt(RecordState(), clock, "no_answer", policy=policy).due_at == china(
        "2026-09-14", "13:30"
    )
    clock.now = china("2026-09-14", "10:30")
    second = attempt(first, clock, "busy", policy=policy)
    assert second.status == EXHAUSTED and second.due_at is None
    # not_successful retried by policy a day later, within hours.
    assert attempt(RecordState(), clock, "not_successful", policy=policy).due_at == china(
        "2026-09-15", "10:30"
    )


def test_finishing_outcomes() -> None:
    clock = FakeClock(china("2026-09-14", "10:00"))
    assert attempt(RecordState(), clock, "success").status == DONE
    assert attempt(RecordState(), clock, "not_successful").status == DONE  # default: done
    assert attempt(RecordState(), clock, "wrong_contact").status == CLOSED_STATUS
    assert attempt(RecordState(), clock, "empty_number").status == CLOSED_STATUS
    for meaning in ("success", "wrong_contact"):
        assert attempt(RecordState(), clock, meaning).due_at is None


def test_number_changed_is_due_again_at_once_with_a_fresh_day() -> None:
    clock = FakeClock(china("2026-09-14", "11:00"))
    state = RecordState(attempts_total=2, attempts_day="2026-09-14", attempts_today=2)
    after = attempt(state, clock, "number_changed", new_phone_ok=True)
    assert after.status == PENDING and after.due_at == clock.now
    assert after.attempts_today == 0 and after.attempts_total == 3
    # In the lunch break: due when the afternoon window opens.
    clock.now = china("2026-09-14", "12:10")
    assert attempt(state, clock, "number_changed", new_phone_ok=True).due_at == china(
        "2026-09-14", "13:30"
    )
    # No usable new number: nothing left to call.
    assert attempt(state, clock, "number_changed").status == CLOSED_STATUS
