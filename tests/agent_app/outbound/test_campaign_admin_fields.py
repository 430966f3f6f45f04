"""The campaign editor's typed fields without a window: calling-hour windows and pasted
do-not-call numbers."""

from __future__ import annotations

import pytest

from agent_app.outbound.campaign_fields import (
    FieldError,
    format_windows,
    parse_pasted_numbers,
    parse_windows,
)
from common.texts import set_language


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh_CN")


def test_windows_as_people_type_them() -> None:
    assert parse_windows("") == []
    assert parse_windows("13:30-18:00, 9:00-12:00") == [["09:00", "12:00"], ["13:30", "18:00"]]
    assert parse_windows("９：００～１２：００，１４:00至17:30") == [
        ["09:00", "12:00"],
        ["14:00", "17:30"],
    ]
    assert format_windows([["09:00", "12:00"], ["13:30", "18:00"]]) == "09:00-12:00, 13:30-18:00"
    assert parse_windows(format_windows([["08:00", "24:00"]])) == [["08:00", "24:00"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9点到12点", "“9点到12点”不是时间段"),
        ("09:00-25:00", "“25:00”不是有效时间"),
        ("09:70-10:00", "“09:70”不是有效时间"),
        ("12:00-09:00", "时间段 12:00-09:00 的结束时间须晚于开始时间"),
        ("09:00-12:00, 11:00-13:00", "时间段 09:00-12:00 与 11:00-13:00 重叠"),
    ],
)
def test_bad_windows_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_windows(text)
    assert str(caught.value).startswith(message)


def test_bad_windows_in_english() -> None:
    set_language("en")
    with pytest.raises(FieldError, match="must end after it starts"):
        parse_windows("12:00-09:00")


def test_pasted_numbers_are_split_judged_and_kept_once() -> None:
    pasted = parse_pasted_numbers(
        "138 0013 8000\n+86 138-0013-8000\n010-12345678;\t021-87654321转88\n12345\n\nabc,"
    )
    assert pasted.valid == ["138 0013 8000", "010-12345678", "021-87654321转88"]
    assert pasted.invalid == [("12345", "too_short"), ("abc", "invalid_chars")]
