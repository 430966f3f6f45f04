"""The center's code lists besides business lines, as client and server both know them: the four
kinds (article categories, wrap-up categories, not-ready reasons, outbound call outcomes), the
seven outcome meanings a center's own outcome code stands for, and what a valid code looks like.

The lists themselves are server data (table center_codes, managed by an admin or the manager)
and reach every client through the changes feed as kind 'center_code'.
"""

from __future__ import annotations

import re
import uuid as uuidlib

FEED_KIND = "center_code"
# A fixed namespace: the feed names an entry by a UUID made from its kind and code (a category
# path may be longer than the feed's id column).
_FEED_NAMESPACE = uuidlib.UUID("6f1d2c3e-8a47-4b52-9e0c-2d7a5b3f9c14")

CATEGORY = "category"
WRAP_UP = "wrap_up"
NOT_READY = "not_ready"
OUTCOME = "outcome"
CODE_KINDS: tuple[str, ...] = (CATEGORY, WRAP_UP, NOT_READY, OUTCOME)

# The seven outcomes of DOMAIN.md (docs/outbound.md): the retry engine acts on the meaning, so
# a center may name its own outcomes as it likes while each still means one of these.
OUTCOME_MEANINGS: dict[str, tuple[str, str]] = {
    "wrong_contact": ("错误的联系人", "Wrong contact"),
    "empty_number": ("空号/传真", "Empty number or fax"),
    "number_changed": ("号码已改变", "Number changed"),
    "busy": ("忙音", "Busy"),
    "no_answer": ("无人接听", "No answer"),
    "success": ("成功联系", "Success"),
    "not_successful": ("不成功", "Connected, not successful"),
}

# A code of a list (not a category) is what call records and state changes carry: letters,
# digits, _ and -, or Chinese characters; never '/' or a space, so it is safe in a URL path.
CODE_PATTERN = re.compile("^[0-9A-Za-z_\\-\u3400-\u9fff]{1,64}$")
MAX_CATEGORY = 200  # an article's category column
MAX_NAME = 64


def feed_id(kind: str, code: str) -> str:
    """The id of a code's entries in the changes feed: the same on every server."""
    return str(uuidlib.uuid5(_FEED_NAMESPACE, f"{kind}\n{code}"))


def code_problem(kind: str, code: str) -> str | None:
    """Why `code` cannot be a code of `kind` ("english / 中文"), or None when it can.

    A category's code is its path as articles carry it ('电信/宽带/故障'): segments joined by
    '/', none empty. Other codes follow CODE_PATTERN (64 characters at most: the call record's
    wrap-up category column)."""
    if kind not in CODE_KINDS:
        return f"unknown kind of code: {kind} / 未知的代码类别：{kind}"
    if kind == CATEGORY:
        if not code or len(code) > MAX_CATEGORY:
            return (
                f"a category needs 1 to {MAX_CATEGORY} characters"
                f" / 分类须为 1 至 {MAX_CATEGORY} 个字符"
            )
        if any(not part.strip() or part != part.strip() for part in code.split("/")):
            return (
                "a category is a path like 电信/宽带 without empty parts or outer spaces"
                " / 分类须形如“电信/宽带”，各级不能为空，首尾不能有空格"
            )
        return None
    if not CODE_PATTERN.match(code):
        return (
            "a code has 1 to 64 letters, digits, _ - or Chinese characters"
            " / 代码须为 1 至 64 个字母、数字、_、- 或汉字"
        )
    return None


def meaning_problem(kind: str, meaning: str | None) -> str | None:
    """Outcomes must name one of the seven meanings; other kinds carry none."""
    if kind == OUTCOME:
        if meaning not in OUTCOME_MEANINGS:
            choices = ", ".join(OUTCOME_MEANINGS)
            return (
                f"an outcome needs a meaning, one of: {choices}"
                f" / 外呼结果须注明含义，可选：{choices}"
            )
        return None
    if meaning:
        return "only outcomes carry a meaning / 只有外呼结果才有含义"
    return None
