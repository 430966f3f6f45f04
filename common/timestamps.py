"""Moments as SeatDesk stores and sends them: aware UTC datetimes, written as ISO 8601 text
with milliseconds ('2024-05-01T02:03:04.000+00:00'), so stored text sorts as time does.

The one UTC helper of the client, the knowledge base and the server (they used to keep three).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_utc(moment: datetime) -> datetime:
    """The same moment in UTC; a naive datetime is refused (its zone would be a guess)."""
    if moment.tzinfo is None:
        raise ValueError("a moment needs a timezone")
    return moment.astimezone(UTC)


def iso(moment: datetime | None = None) -> str:
    """ISO text of `moment` in UTC, milliseconds; now when no moment is given."""
    return to_utc(moment if moment is not None else utc_now()).isoformat(timespec="milliseconds")


def now_iso() -> str:
    """The current moment as stored text."""
    return iso()


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def parse(text: str) -> datetime:
    """Stored text back to an aware UTC datetime; raises ValueError for text without a zone."""
    return to_utc(datetime.fromisoformat(text))


def parse_or_none(text: str | None) -> datetime | None:
    return parse(text) if text else None


def seconds_between(start: datetime, end: datetime) -> float:
    """Elapsed seconds, never negative (a clock set back does not make time run backwards)."""
    return round(max(0.0, (end - start).total_seconds()), 3)


def utc_day_after(days: float, moment: datetime | None = None) -> date:
    """The UTC calendar day `days` after `moment` (now by default): review dates and the like."""
    return (to_utc(moment or utc_now()) + timedelta(days=days)).date()
