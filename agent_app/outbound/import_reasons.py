"""What a list import's report says, in words a supervisor reads: rejected rows (their reason
texts are common/import_reasons.py's, shared with the server's command line), duplicates and
do-not-call rows, in Chinese or English, and the report's rows as a CSV file the supervisor can
keep or send back to whoever made the list. Qt-free."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from common.import_reasons import reason_text
from common.texts import Table, pick, translate

TEXTS: Table = {
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
