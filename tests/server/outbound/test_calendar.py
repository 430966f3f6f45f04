"""The calling calendar: weekday hours, statutory holidays, 调休 working weekends (as the
chinese_calendar package has them for 2026), the center's overrides, and a year without data."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from common.outbound import CallingHours
from server.services.outbound.calendar import CLOSED, WORKDAY, WorkCalendar, china_day

HOURS = CallingHours()  # Mon-Fri 09:00-12:00 + 13:30-20:00, no weekend hours


def china(day: str, hhmm: str) -> datetime:
    """A China-time moment as aware UTC (China is UTC+8 all year)."""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    moment = datetime.fromisoformat(f"{day}T{hours:02d}:{minutes:02d}:00+08:00")
    return moment.astimezone(UTC)


def test_weekday_windows_and_lunch_break() -> None:
    calendar = WorkCalendar()
    assert calendar.windows_of_day(date(2026, 9, 14), HOURS) == [
        ("09:00", "12:00"),
        ("13:30", "20:00"),
    ]
    assert calendar.closed_reason(china("2026-09-14", "10:00"), HOURS) == ""
    assert calendar.closed_reason(china("2026-09-14", "12:30"), HOURS) == "outside_hours"
    assert calendar.closed_reason(china("2026-09-14", "20:00"), HOURS) == "outside_hours"
    assert calendar.closed_reason(china("2026-09-14", "08:59"), HOURS) == "outside_hours"
    assert calendar.next_open(china("2026-09-14", "12:30"), HOURS) == china("2026-09-14", "13:30")
    # 20:00 belongs to no window: the next is the next day's first.
    assert calendar.next_open(china("2026-09-14", "20:00"), HOURS) == china("2026-09-15", "09:00")


def test_an_ordinary_weekend_has_the_campaigns_weekend_hours() -> None:
    calendar = WorkCalendar()
    saturday = date(2026, 9, 19)
    assert calendar.day_kind(saturday) == "weekend"
    assert calendar.windows_of_day(saturday, HOURS) == []
    assert calendar.closed_reason(china("2026-09-19", "10:00"), HOURS) == "closed_day"
    weekend_hours = CallingHours(days=[*HOURS.days[:5], [("10:00", "16:00")], []])
    assert calendar.windows_of_day(saturday, weekend_hours) == [("10:00", "16:00")]
    # Friday 20:30 -> Monday 09:00
    assert calendar.next_open(china("2026-09-11", "20:30"), HOURS) == china("2026-09-14", "09:00")


def test_a_statutory_holiday_is_closed_whatever_the_weekday() -> None:
    calendar = WorkCalendar()
    national_day = date(2026, 10, 1)  # a Thursday
    assert calendar.day_kind(national_day) == CLOSED
    assert calendar.windows_of_day(national_day, HOURS) == []
    assert calendar.closed_reason(china("2026-10-01", "10:00"), HOURS) == "closed_day"
    # The week-long holiday ends on the 7th; Thursday the 8th is the next working day.
    assert calendar.next_open(china("2026-09-30", "20:00"), HOURS) == china("2026-10-08", "09:00")
    # A holiday keeps its weekend hours off too (the campaign's Saturday hours do not apply).
    weekend_hours = CallingHours(days=[*HOURS.days[:5], [("10:00", "16:00")], []])
    assert calendar.windows_of_day(date(2026, 10, 3), weekend_hours) == []


@pytest.mark.parametrize("day", [date(2026, 9, 20), date(2026, 10, 10)])
def test_a_working_weekend_day_calls_with_mondays_hours(day: date) -> None:
    """调休: Sunday 2026-09-20 and Saturday 2026-10-10 are working days in 2026."""
    calendar = WorkCalendar()
    assert day.weekday() >= 5
    assert calendar.day_kind(day) == WORKDAY
    monday_only = CallingHours(days=[[("08:30", "11:00")], *HOURS.days[1:]])
    assert calendar.windows_of_day(day, monday_only) == [("08:30", "11:00")]
    # Friday 2026-10-09 after hours -> the working Saturday.
    assert calendar.next_open(china("2026-10-09", "21:00"), HOURS) == china("2026-10-10", "09:00")


def test_the_centers_overrides_win() -> None:
    calendar = WorkCalendar({date(2026, 9, 16): CLOSED, date(2026, 10, 3): WORKDAY})
    assert calendar.windows_of_day(date(2026, 9, 16), HOURS) == []  # a Wednesday closed
    # National Day's Saturday worked by the center: Monday's hours.
    assert calendar.windows_of_day(date(2026, 10, 3), HOURS) == HOURS.days[0]
    assert calendar.next_open(china("2026-09-15", "20:00"), HOURS) == china("2026-09-17", "09:00")


def test_a_year_without_holiday_data_follows_weekday_rules(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """chinese_calendar knows up to 2026: 2027's New Year's day is then an ordinary Friday,
    unless the center enters it, and the log says overrides are needed."""
    calendar = WorkCalendar()
    with caplog.at_level(logging.WARNING):
        assert calendar.day_kind(date(2030, 1, 4)) == WORKDAY  # a Friday
        assert calendar.day_kind(date(2030, 1, 5)) == "weekend"  # a Saturday
    assert "2030" in caplog.text and "override" in caplog.text
    assert WorkCalendar({date(2030, 1, 1): CLOSED}).day_kind(date(2030, 1, 1)) == CLOSED


def test_days_are_china_time() -> None:
    # 2026-09-14 17:00 UTC is already the 15th in China.
    assert china_day(datetime(2026, 9, 14, 17, 0, tzinfo=UTC)) == date(2026, 9, 15)
    assert china_day(datetime(2026, 9, 14, 15, 59, tzinfo=UTC)) == date(2026, 9, 14)
