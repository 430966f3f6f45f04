"""Why a list import refused a row, in words: one text in Chinese and English per reason code of
issue 12's rules 1-5 (`missing_column` and common.numbers.REJECT_REASONS). The server's
`campaign import` command prints them and the desktop's import report shows them, from this one
table."""

from __future__ import annotations

from common.texts import Table, pick

REASONS: Table = {
    "missing_column": (
        "字段数与表头不一致（缺列或多列）",
        "The number of fields differs from the header's (a column missing or extra)",
    ),
    "empty_phone": ("电话为空", "The phone is empty"),
    "invalid_chars": (
        "电话含有数字以外的字符",
        "The phone contains characters other than digits",
    ),
    "too_short": ("手机号不足 11 位", "Mobile number too short (fewer than 11 digits)"),
    "too_long": ("手机号超过 11 位", "Mobile number too long (more than 11 digits)"),
    "invalid_prefix": (
        "号段无效（手机号不能以 10、11、12 开头）",
        "Invalid prefix (a mobile number cannot start with 10, 11 or 12)",
    ),
    "invalid_format": (
        "既不是手机号也不是固定电话",
        "Neither a mobile nor a landline number",
    ),
}
UNKNOWN = ("未知原因（{code}）", "Unknown reason ({code})")


def reason_text(code: str, lang: str | None = None) -> str:
    """The readable text of a rejection reason in `lang` (the language in use by default); an
    unknown code (a newer server's) is named, not hidden."""
    pair = REASONS.get(code)
    if pair is None:
        return pick(*UNKNOWN, lang).format(code=code)
    return pick(*pair, lang)
