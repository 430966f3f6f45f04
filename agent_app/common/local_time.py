"""The server keeps UTC ISO stamps; people read and filter by their own local days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from common.timestamps import iso


def local_stamp(iso: str) -> str:
    """'2024-05-01T02:03:04.000+00:00' -> '2024-05-01 10:03' on a UTC+8 workstation."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:16]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def day_bounds(first: date | None, last: date | None) -> tuple[str, str]:
    """(since, until) UTC stamps covering the local days first..last inclusive ('' = open)."""

    def utc(day: date) -> str:
        return iso(datetime.combine(day, time()).astimezone())

    since = utc(first) if first else ""
    until = utc(last + timedelta(days=1)) if last else ""
    return since, until
