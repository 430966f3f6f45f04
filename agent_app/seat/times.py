"""Moments as the seat records them: aware UTC datetimes, stored as ISO text with milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a moment needs a timezone")
    return moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    return to_utc(moment).isoformat(timespec="milliseconds")


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


def parse(text: str) -> datetime:
    return to_utc(datetime.fromisoformat(text))


def parse_or_none(text: str | None) -> datetime | None:
    return parse(text) if text else None


def seconds_between(start: datetime, end: datetime) -> float:
    """Elapsed seconds, never negative (a clock set back does not make time run backwards)."""
    return round(max(0.0, (end - start).total_seconds()), 3)
