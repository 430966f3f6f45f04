"""The calling calendar: which China-time days a campaign calls on and in which windows.

Pure: no database, no clock. The caller loads the center's overrides (campaigns.load_calendar)
and passes the moment it asks about. A day is, in this order of precedence (docs/outbound.md):
1. the center's override: 'closed', or 'workday' (the weekday's own windows, Monday's when the
   weekday has none: a Saturday made a workday calls like a Monday);
2. chinese_calendar: a statutory holiday is closed; a 调休 working weekend day calls with
   Monday's windows; an ordinary weekend day follows the campaign's weekend windows;
3. a year chinese_calendar has no data for (it raises NotImplementedError): weekday rules only,
   and the log warns once per year that the center should enter that year's overrides.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from common.outbound import CallingHours, Window
from common.timestamps import to_utc

log = logging.getLogger(__name__)

CHINA = ZoneInfo("Asia/Shanghai")
CLOSED = "closed"
WORKDAY = "workday"
# How far ahead the next window is looked for: a campaign whose hours never open finds none.
SEARCH_DAYS = 400
_warned_years: set[int] = set()


def china_day(moment: datetime) -> date:
    """The China-time calendar day of an aware moment."""
    return to_utc(moment).astimezone(CHINA).date()


def china_midnight(day: date) -> datetime:
    """The moment (aware, UTC) a China-time day begins."""
    return to_utc(datetime.combine(day, time(0, 0), CHINA))


def _at(day: date, hhmm: str) -> datetime:
    if hhmm == "24:00":
        return china_midnight(day + timedelta(days=1))
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return to_utc(datetime.combine(day, time(hours, minutes), CHINA))


def _statutory(day: date) -> tuple[bool, bool] | None:
    """(is a workday, is a statutory holiday or 调休 day) from chinese_calendar; None when the
    package has no data for the year."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning(
                "chinese_calendar has no holidays for %s: weekday rules apply; enter the year's"
                " holidays and 调休 working days as holiday overrides",
                day.year,
            )
        return None
    return (not is_holiday, name is not None)


class WorkCalendar:
    """The center's calendar: chinese_calendar plus the center's overrides (day -> kind)."""

    def __init__(self, overrides: Mapping[date, str] | None = None) -> None:
        self.overrides = dict(overrides or {})

    def day_kind(self, day: date) -> str:
        """'closed' (statutory holiday or closed by override), 'workday' (a working day: a
        weekday, a 调休 weekend day, or an override) or 'weekend' (an ordinary weekend day,
        or any Saturday/Sunday of a year without data)."""
        override = self.overrides.get(day)
        if override in (CLOSED, WORKDAY):
            return override
        known = _statutory(day)
        if known is None:
            return "weekend" if day.weekday() >= 5 else WORKDAY
        workday, special = known
        if workday:
            return WORKDAY
        return CLOSED if special else "weekend"

    def windows_of_day(self, day: date, hours: CallingHours) -> list[Window]:
        """The day's calling windows as 'HH:MM' pairs ([] when the campaign does not call)."""
        kind = self.day_kind(day)
        if kind == CLOSED:
            return []
        own = list(hours.days[day.weekday()])
        if kind == WORKDAY and day.weekday() >= 5:
            # A working weekend day (调休 or an override) calls like a Monday.
            return list(hours.days[0])
        if kind == WORKDAY and not own:
            return list(hours.days[0])  # a weekday the campaign has no hours on, made a workday
        return own

    def windows(self, day: date, hours: CallingHours) -> list[tuple[datetime, datetime]]:
        """The day's windows as aware UTC moments."""
        return [(_at(day, start), _at(day, end)) for start, end in self.windows_of_day(day, hours)]

    def is_open(self, moment: datetime, hours: CallingHours) -> bool:
        return any(start <= moment < end for start, end in self.windows(china_day(moment), hours))

    def closed_reason(self, moment: datetime, hours: CallingHours) -> str:
        """'' when calls may be made at `moment`; 'closed_day' when the day has no windows;
        'outside_hours' when it has, but none now."""
        day_windows = self.windows(china_day(moment), hours)
        if not day_windows:
            return "closed_day"
        if any(start <= moment < end for start, end in day_windows):
            return ""
        return "outside_hours"

    def next_open(self, moment: datetime, hours: CallingHours) -> datetime | None:
        """`moment` itself when it is inside a window, else the start of the next window; None
        when none opens within SEARCH_DAYS (a campaign without hours)."""
        day = china_day(moment)
        for offset in range(SEARCH_DAYS):
            for start, end in self.windows(day + timedelta(days=offset), hours):
                if moment < end:
                    return max(start, moment)
        return None

    def first_window_after(self, day: date, hours: CallingHours) -> datetime | None:
        """The start of the first window of the next day after `day` that has any."""
        return self.next_open(china_midnight(day + timedelta(days=1)), hours)

    def last_end(self, day: date, hours: CallingHours) -> datetime | None:
        """When the day's last window ends (None: no windows that day)."""
        day_windows = self.windows(day, hours)
        return day_windows[-1][1] if day_windows else None
