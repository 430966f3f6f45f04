"""The campaign editor's text fields, read and checked without Qt: calling-hour windows typed
as "09:00-12:00, 13:30-18:00" (China time, docs/outbound.md "Calendar"), and do-not-call
numbers pasted many at once, judged by the one numbers module (common.numbers.list_phone)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from common.numbers import list_phone
from common.texts import Table, translate

TEXTS: Table = {
    "bad_window": (
        "“{text}”不是时间段，请写成 09:00-12:00",
        "'{text}' is not a time window; write it as 09:00-12:00",
    ),
    "bad_time": (
        "“{text}”不是有效时间（00:00 到 24:00）",
        "'{text}' is not a time (00:00 to 24:00)",
    ),
    "empty_window": (
        "时间段 {window} 的结束时间须晚于开始时间",
        "The window {window} must end after it starts",
    ),
    "overlap": ("时间段 {a} 与 {b} 重叠", "The windows {a} and {b} overlap"),
}

# Windows are separated by commas (ASCII or full-width), semicolons or whitespace; a window's
# ends by a dash of any kind or a tilde, as people type them.
_SEPARATOR = re.compile(r"[,，;；、\s]+")
_WINDOW = re.compile(r"^(\d{1,2}[:：]\d{2})[-~～—–至到](\d{1,2}[:：]\d{2})$")
# Pasted numbers: one per line, or separated by commas, semicolons or tabs (a spreadsheet
# column); spaces stay, as numbers are often written "138 0013 8000".
_NUMBER_SEPARATOR = re.compile(r"[\r\n,，;；\t]+")


class FieldError(ValueError):
    """A field the supervisor typed is not valid; the message is in their language."""


def _minutes(text: str) -> int:
    hours, minutes = text.replace("：", ":").split(":")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > 24 * 60:
        raise FieldError(translate(TEXTS, "bad_time", text=text))
    return value


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_windows(text: str) -> list[list[str]]:
    """'9:00-12:00, 13:30-18:00' -> [["09:00", "12:00"], ["13:30", "18:00"]], sorted; an empty
    text is a day without calling. Raises FieldError (overlaps, ends before starts, bad times)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for part in _SEPARATOR.split(text):
        if not part:
            continue
        match = _WINDOW.match(part)
        if match is None:
            raise FieldError(translate(TEXTS, "bad_window", text=part))
        start, end = _minutes(match.group(1)), _minutes(match.group(2))
        if end <= start:
            raise FieldError(translate(TEXTS, "empty_window", window=part))
        spans.append((start, end))
    spans.sort()
    for (a_start, a_end), (b_start, b_end) in zip(spans, spans[1:], strict=False):
        if b_start < a_end:
            raise FieldError(
                translate(
                    TEXTS,
                    "overlap",
                    a=f"{_hhmm(a_start)}-{_hhmm(a_end)}",
                    b=f"{_hhmm(b_start)}-{_hhmm(b_end)}",
                )
            )
    return [[_hhmm(start), _hhmm(end)] for start, end in spans]


def format_windows(windows: Sequence[Sequence[str]]) -> str:
    """[["09:00", "12:00"], ["13:30", "18:00"]] -> '09:00-12:00, 13:30-18:00'."""
    return ", ".join(f"{w[0]}-{w[1]}" for w in windows if len(w) == 2)


@dataclass
class PastedNumbers:
    """Numbers pasted into the do-not-call dialog: the ones to send, and the ones that are not
    phone numbers (shown back with their reason, never sent)."""

    valid: list[str] = field(default_factory=list)  # as typed, one per number, no repeats
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (text, reason code)


def parse_pasted_numbers(text: str) -> PastedNumbers:
    """Split a paste into numbers and judge each as the list import does; a number given twice
    (in any of its spellings) is kept once."""
    result = PastedNumbers()
    keys: set[str] = set()
    for part in _NUMBER_SEPARATOR.split(text):
        part = part.strip()
        if not part:
            continue
        judged = list_phone(part)
        if not judged.ok:
            result.invalid.append((part, judged.reason))
        elif judged.key not in keys:
            keys.add(judged.key)
            result.valid.append(part)
    return result
