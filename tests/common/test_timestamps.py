"""The one UTC helper: stored text sorts as time does, naive moments are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from common.timestamps import iso, now_iso, parse, parse_or_none, seconds_between, utc_day_after


def test_iso_is_utc_with_milliseconds_and_round_trips() -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2024, 5, 1, 10, 3, 4, 123456, tzinfo=beijing)
    assert iso(moment) == "2024-05-01T02:03:04.123+00:00"
    assert parse(iso(moment)) == moment.replace(microsecond=123000)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError):
        iso(datetime(2024, 5, 1))
    with pytest.raises(ValueError):
        parse("2024-05-01T02:03:04")


def test_now_is_utc_and_sorts_as_text() -> None:
    first = now_iso()
    assert first.endswith("+00:00")
    assert parse(first).tzinfo is not None
    later = iso(parse(first) + timedelta(milliseconds=1))
    assert sorted([later, first]) == [first, later]


def test_small_helpers() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    assert seconds_between(start, start + timedelta(seconds=1.5)) == 1.5
    assert seconds_between(start + timedelta(seconds=5), start) == 0.0
    assert parse_or_none("") is None
    assert utc_day_after(1, start).isoformat() == "2024-01-02"
