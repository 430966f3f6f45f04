"""When a callback may be agreed (Qt-free): a campaign's calling hours per weekday on China's
working days, and the picker's quick choices (+4 小时, 明天 10:00, 后天 10:00) moved into the
next calling window when they fall outside one.

The calendar is computed here on the client, the way docs/outbound.md says the server does it:
the center's overrides first (when the campaign model carries them), then `chinese_calendar`
(a statutory holiday is closed, a 调休 working weekend day has Monday's hours), and for a year
the package has no data for, the weekday's own hours. The server has the last word: it moves a
callback outside its calendar into the next window anyway.

Times are China time (Asia/Shanghai, one zone for the whole country) whatever the
workstation's own zone; stored moments are UTC (common/timestamps.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar

CHINA = ZoneInfo("Asia/Shanghai")
QUICK_HOURS = 4  # "+4 小时": the retry engine's own spacing
QUICK_MORNING = time(10, 0)
HORIZON_DAYS = 60  # how far ahead the calendar offers days
SLOT_MINUTES = 15  # the picker's times on a chosen day
Window = tuple[time, time]


def _clock(text: str) -> time:
    hours, minutes = str(text).split(":")[:2]
    if hours == "24" and minutes == "00":
        return time.max
    return time(int(hours), int(minutes))


def parse_hours(raw: Any) -> dict[int, list[Window]]:
    """A campaign's calling hours -> {weekday (0 = Monday): [(start, end), ...]}.

    Accepts the shapes a campaign may carry them in: {"0": [["09:00", "12:00"], ...]} (keys
    str or int), a list of seven lists, or either one under "weekdays"/"days"."""
    if isinstance(raw, Mapping) and not _weekday_keys(raw):
        raw = raw.get("weekdays", raw.get("days", {}))
    days: dict[int, list[Window]] = {}
    items: Iterable[tuple[Any, Any]]
    if isinstance(raw, Mapping):
        items = raw.items()
    elif isinstance(raw, list):
        items = enumerate(raw)
    else:
        items = ()
    for key, windows in items:
        weekday = int(key)
        parsed = []
        for window in windows or []:
            if isinstance(window, Mapping):
                start, end = window.get("start", ""), window.get("end", "")
            else:
                start, end = window[0], window[1]
            parsed.append((_clock(start), _clock(end)))
        days[weekday] = sorted(w for w in parsed if w[0] < w[1])
    return days


def _weekday_keys(raw: Mapping[Any, Any]) -> bool:
    return any(str(k).isdigit() for k in raw)


@dataclass
class CallingCalendar:
    """The campaign's calling windows on each day; `overrides`: day -> 'closed' or 'workday'."""

    hours: dict[int, list[Window]]
    overrides: dict[date, str] = field(default_factory=dict)

    @classmethod
    def for_campaign(cls, campaign: Mapping[str, Any] | None) -> CallingCalendar:
        campaign = campaign or {}
        overrides: dict[date, str] = {}
        raw = campaign.get("holiday_overrides") or campaign.get("overrides") or {}
        if isinstance(raw, Mapping):
            raw = [{"day": k, "kind": v} for k, v in raw.items()]
        for item in raw:
            overrides[date.fromisoformat(str(item["day"]))] = str(item.get("kind", "closed"))
        return cls(parse_hours(campaign.get("calling_hours") or {}), overrides)

    def windows(self, day: date) -> list[Window]:
        """The calling windows of `day` (China time); none on a closed day."""
        override = self.overrides.get(day)
        if override == "closed":
            return []
        if override == "workday":
            return (
                self.hours.get(0, []) if day.weekday() >= 5 else self.hours.get(day.weekday(), [])
            )
        try:
            holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:  # a year the package has no data for yet
            return self.hours.get(day.weekday(), [])
        if holiday and name is not None:
            return []  # a statutory holiday
        if day.weekday() >= 5 and not holiday:
            return self.hours.get(0, [])  # 调休: a working weekend day, with Monday's hours
        return self.hours.get(day.weekday(), [])

    def is_open_day(self, day: date) -> bool:
        return bool(self.windows(day))

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(CHINA)
        clock = local.time().replace(tzinfo=None)
        return any(start <= clock < end for start, end in self.windows(local.date()))

    def next_open(self, moment: datetime) -> datetime | None:
        """The first moment at or after `moment` inside a calling window (None: none within
        the horizon, e.g. a campaign without calling hours)."""
        local = moment.astimezone(CHINA)
        for offset in range(HORIZON_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            for start, end in self.windows(day):
                opens = datetime.combine(day, start, CHINA)
                closes = datetime.combine(day, end, CHINA)
                if local < closes:
                    return max(local, opens)
        return None

    def slots(self, day: date, now: datetime, step_minutes: int = SLOT_MINUTES) -> list[datetime]:
        """The times the picker offers on `day`: every `step_minutes` inside its windows, after
        `now` (China time, aware)."""
        out: list[datetime] = []
        for start, end in self.windows(day):
            moment = datetime.combine(day, start, CHINA)
            closes = datetime.combine(day, end, CHINA)
            while moment < closes:
                if moment > now:
                    out.append(moment)
                moment += timedelta(minutes=step_minutes)
        return out

    def open_days(self, first: date, count: int = HORIZON_DAYS) -> list[date]:
        return [d for d in (first + timedelta(days=i) for i in range(count)) if self.is_open_day(d)]


@dataclass(frozen=True)
class QuickChoice:
    key: str  # 'in_4h', 'tomorrow', 'day_after'
    moment: datetime  # inside a calling window (UTC-aware)
    moved: bool  # the plain choice fell outside calling hours and was moved to the next window


def quick_choices(calendar: CallingCalendar, now: datetime) -> list[QuickChoice]:
    """+4 小时, 明天 10:00, 后天 10:00, each moved into the next calling window if needed."""
    local = now.astimezone(CHINA)
    wanted = {
        "in_4h": now + timedelta(hours=QUICK_HOURS),
        "tomorrow": datetime.combine(local.date() + timedelta(days=1), QUICK_MORNING, CHINA),
        "day_after": datetime.combine(local.date() + timedelta(days=2), QUICK_MORNING, CHINA),
    }
    choices = []
    for key, moment in wanted.items():
        allowed = calendar.next_open(moment)
        if allowed is not None:
            choices.append(QuickChoice(key, allowed, allowed != moment))
    return choices


def allowed(calendar: CallingCalendar, moment: datetime, now: datetime) -> bool:
    """Whether a callback may be agreed for `moment`: in the future and inside calling hours."""
    return moment > now and calendar.is_open(moment)


def china_text(moment: datetime) -> str:
    """'2026-03-03 10:00' in China time, for the agent."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def china_now(now: datetime) -> datetime:
    return now.astimezone(CHINA)
