"""What a list import's report says, in words a supervisor reads: the reason codes of rejected
rows (issue 12's rules 1-5) and duplicates, in Chinese or English, and the report's rows as a
CSV file the supervisor can keep or send back to whoever made the list. Qt-free."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from common.texts import Table, pick, translate

# One text per reason code of the import (rule 1 and common.numbers.REJECT_REASONS).
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

TEXTS: Table = {
    "unknown": ("未知原因（{code}）", "Unknown reason ({code})"),
    "duplicate_of": ("与第 {row} 行重复", "Duplicate of row {row}"),
    "in_campaign": ("号码已在本活动中", "The number is already in the campaign"),
    "dnc_text": ("免打扰号码，已跳过", "On the do-not-call list; skipped"),
    "row": ("行号", "Row"),
    "kind": ("类别", "Kind"),
    "code": ("原因代码", "Reason code"),
    "reason": ("原因", "Reason"),
    "rejected": ("拒绝", "Rejected"),
    "duplicate": ("重复", "Duplicate"),
    "dnc": ("免打扰", "Do not call"),
}


def reason_text(code: str, lang: str | None = None) -> str:
    """The readable text of a rejection reason; an unknown code (a newer server) is named."""
    pair = REASONS.get(code)
    if pair is None:
        zh, en = TEXTS["unknown"]
        return pick(zh, en, lang).format(code=code)
    return pick(*pair, lang)


def duplicate_text(duplicate_of_row: int | None, lang: str | None = None) -> str:
    """A duplicate row: of an earlier row of the file, or (no row) of a number the campaign
    already had before this import."""
    if duplicate_of_row:
        zh, en = TEXTS["duplicate_of"]
        return pick(zh, en, lang).format(row=duplicate_of_row)
    return pick(*TEXTS["in_campaign"], lang)


@dataclass(frozen=True)
class ReportRow:
    """One row of the file the import did not take, for the report's table and its CSV."""

    row: int
    kind: str  # "rejected", "duplicate" or "dnc"
    code: str  # the reason code, "duplicate" or "dnc"
    text: str  # readable, in the language asked for


def report_rows(report: Mapping[str, Any], lang: str | None = None) -> list[ReportRow]:
    """The rejected, duplicate and do-not-call rows of an import report, in the file's order."""
    rows = [
        ReportRow(int(r["row"]), "rejected", str(r["reason"]), reason_text(str(r["reason"]), lang))
        for r in report.get("rejected") or []
    ]
    rows += [
        ReportRow(
            int(d["row"]),
            "duplicate",
            "duplicate",
            duplicate_text(d.get("duplicate_of_row"), lang),
        )
        for d in report.get("duplicates") or []
    ]
    rows += [
        ReportRow(int(row), "dnc", "dnc", pick(*TEXTS["dnc_text"], lang))
        for row in report.get("dnc_rows") or []
    ]
    return sorted(rows, key=lambda r: (r.row, r.kind))


def report_csv(rows: Iterable[ReportRow], lang: str | None = None) -> str:
    """The rows as CSV text: row number, kind, reason code and reason, with a header in `lang`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_t(key, lang) for key in ("row", "kind", "code", "reason")])
    for row in rows:
        writer.writerow([row.row, _t(row.kind, lang), row.code, row.text])
    return out.getvalue()


def save_report_csv(path: str, text: str) -> None:
    """Write the CSV with a byte-order mark, so Excel on a Chinese Windows reads it as UTF-8
    (without it Excel assumes GB18030 and the Chinese comes out garbled)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as file:
        file.write(text)


def _t(key: str, lang: str | None) -> str:
    return pick(*TEXTS[key], lang) if lang is not None else translate(TEXTS, key)
