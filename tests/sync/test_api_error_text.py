"""The server's error details in the user's language: "English / 中文" as the API writes them,
and a detail written the other way round still shown in the language asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from common.texts import language, set_language
from sync.api_client import ApiError


@pytest.fixture(autouse=True)
def keep_language() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


@pytest.mark.parametrize(
    ("detail", "zh", "en"),
    [
        ("the file is empty / 文件是空的", "文件是空的", "the file is empty"),
        ("文件是空的 / the file is empty", "文件是空的", "the file is empty"),
        (
            "a campaign named '回访' exists already / 已有名为“回访”的外呼活动",
            "已有名为“回访”的外呼活动",
            "a campaign named '回访' exists already",
        ),
        ({"message": "not found / 未找到"}, "未找到", "not found"),
        # A service's refusal, shaped like a field error of the whole request.
        (
            [{"loc": ["body"], "msg": "文件是空的 / the file is empty", "type": "value_error"}],
            "文件是空的",
            "the file is empty",
        ),
        # Field errors name their field, each message in the user's language.
        (
            [
                {"loc": ["body", "name"], "msg": "too long / 太长"},
                {"loc": ["query", "day"], "msg": "not a day / 不是日期"},
            ],
            "name: 太长; query.day: 不是日期",
            "name: too long; query.day: not a day",
        ),
        ("plain text", "plain text", "plain text"),
    ],
)
def test_detail_in_the_users_language(detail: object, zh: str, en: str) -> None:
    set_language("zh_CN")
    assert ApiError(422, detail).message == zh
    set_language("en")
    assert ApiError(422, detail).message == en
