"""Callback times (Qt-free): calling hours per weekday on China's working days (statutory
holidays closed, 调休 weekends with Monday's hours, the center's overrides) and the picker's
quick choices moved into the next calling window."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from agent_app.outbound.callback_times import (
    CHINA,
    CallingCalendar,
    allowed,
    china_text,
    parse_hours,
    quick_choices,
)

WEEKDAYS = {str(d): [["09:00", "12:00"], ["13:30", "18:00"]] for d in range(5)}
CAMPAIGN = {"id": 1, "calling_hours": WEEKDAYS}


def china(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CHINA)


def test_the_shapes_calling_hours_come_in() -> None:
    expected = {0: [(time(9), time(12))]}
    assert parse_hours({"0": [["09:00", "12:00"]]}) == expected
    assert parse_hours({0: [{"start": "09:00", "end": "12:00"}]}) == expected
    assert parse_hours({"weekdays": [[["09:00", "12:00"]]]}) == expected


def test_statutory_holidays_are_closed_and_tiaoxiu_weekends_work_with_mondays_hours() -> None:
    calendar = CallingCalendar.for_campaign(CAMPAIGN)
    assert calendar.windows(date(2026, 10, 1)) == []  # 国庆节, a Thursday
    assert calendar.windows(date(2026, 3, 7)) == []  # an ordinary Saturday
    assert calendar.windows(date(2026, 2, 28)) == calendar.windows(date(2026, 3, 2))  # 调休
    assert calendar.is_open(china(2026, 3, 2, 9, 0))
    assert not calendar.is_open(china(2026, 3, 2, 12, 30))  # lunch
    assert not calendar.is_open(china(2026, 3, 2, 18, 0))


def test_the_centers_overrides_come_first() -> None:
    campaign = {**CAMPAIGN, "holiday_overrides": {"2026-03-04": "closed", "2026-03-07": "workday"}}
    calendar = CallingCalendar.for_campaign(campaign)
    assert calendar.windows(date(2026, 3, 4)) == []
    assert calendar.windows(date(2026, 3, 7)) == calendar.windows(date(2026, 3, 2))


def test_quick_choices_fall_inside_calling_hours() -> None:
    calendar = CallingCalendar.for_campaign(CAMPAIGN)
    # Friday 15:00: +4 h is 19:00, after hours -> Monday 09:00; tomorrow/after are the weekend.
    now = china(2026, 3, 6, 15, 0)
    choices = {c.key: c for c in quick_choices(calendar, now)}
    assert china_text(choices["in_4h"].moment) == "2026-03-09 09:00"
    assert choices["in_4h"].moved
    assert china_text(choices["tomorrow"].moment) == "2026-03-09 09:00"
    # Monday 09:30: +4 h is 13:30 (the afternoon window opens), tomorrow 10:00 as it is.
    now = china(2026, 3, 2, 9, 30)
    choices = {c.key: c for c in quick_choices(calendar, now)}
    assert china_text(choices["in_4h"].moment) == "2026-03-02 13:30"
    assert not choices["in_4h"].moved
    assert china_text(choices["tomorrow"].moment) == "2026-03-03 10:00"
    assert china_text(choices["day_after"].moment) == "2026-03-04 10:00"
    assert all(allowed(calendar, c.moment, now) for c in choices.values())


def test_china_time_whatever_the_workstations_zone() -> None:
    assert china_text(datetime(2026, 3, 2, 2, 0, tzinfo=UTC)) == "2026-03-02 10:00"


def test_no_calling_hours_offers_nothing() -> None:
    assert quick_choices(CallingCalendar.for_campaign({}), china(2026, 3, 2, 10)) == []


def test_the_times_offered_on_a_day_are_inside_its_windows_and_ahead() -> None:
    calendar = CallingCalendar.for_campaign(CAMPAIGN)
    slots = calendar.slots(date(2026, 3, 2), china(2026, 3, 2, 11, 20))
    texts = [china_text(s)[11:] for s in slots]
    assert texts[:3] == ["11:30", "11:45", "13:30"]
    assert texts[-1] == "17:45"
    assert calendar.slots(date(2026, 10, 1), china(2026, 9, 30, 10)) == []
