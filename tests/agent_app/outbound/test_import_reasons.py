"""The import report in words: every reason code of the import rules has a Chinese and an
English text, duplicates name their earlier row, and the CSV of the rows the import did not
take opens in Excel with its Chinese intact."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from agent_app.outbound.import_reasons import (
    duplicate_text,
    report_csv,
    report_rows,
    save_report_csv,
)
from common.import_reasons import REASONS, reason_text
from common.numbers import REJECT_REASONS


def test_every_reason_of_the_rules_has_both_texts() -> None:
    codes = {"missing_column", *REJECT_REASONS}
    assert codes == set(REASONS)
    for code in codes:
        chinese, english = reason_text(code, "zh_CN"), reason_text(code, "en")
        assert chinese != english
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), code
        assert english.isascii() and english[0].isupper(), code


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("empty_phone", "电话为空", "The phone is empty"),
        ("too_short", "手机号不足 11 位", "Mobile number too short (fewer than 11 digits)"),
        ("missing_column", "字段数与表头不一致（缺列或多列）", "The number of fields differs"),
    ],
)
def test_reason_texts(code: str, zh: str, en: str) -> None:
    assert reason_text(code, "zh_CN") == zh
    assert reason_text(code, "en").startswith(en)


def test_an_unknown_code_is_named_not_hidden() -> None:
    assert reason_text("too_blue", "zh_CN") == "未知原因（too_blue）"
    assert reason_text("too_blue", "en") == "Unknown reason (too_blue)"


def test_duplicates_name_the_earlier_row_or_the_campaign() -> None:
    assert duplicate_text(3, "zh_CN") == "与第 3 行重复"
    assert duplicate_text(3, "en") == "Duplicate of row 3"
    assert duplicate_text(None, "zh_CN") == "号码已在本活动中"


def test_report_rows_in_file_order_and_their_csv(tmp_path: Path) -> None:
    report = {
        "total_rows": 6,
        "imported": 2,
        "rejected": [{"row": 5, "reason": "invalid_prefix"}, {"row": 2, "reason": "empty_phone"}],
        "duplicates": [{"row": 4, "duplicate_of_row": 1}, {"row": 6, "duplicate_of_row": None}],
        "dnc_skipped": 1,
        "dnc_rows": [3],
    }
    rows = report_rows(report, "zh_CN")
    assert [(r.row, r.kind, r.code) for r in rows] == [
        (2, "rejected", "empty_phone"),
        (3, "dnc", "dnc"),
        (4, "duplicate", "duplicate"),
        (5, "rejected", "invalid_prefix"),
        (6, "duplicate", "duplicate"),
    ]
    text = report_csv(rows, "zh_CN")
    path = tmp_path / "rejected.csv"
    save_report_csv(str(path), text)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its BOM
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert parsed[0] == ["行号", "类别", "原因代码", "原因"]
    assert parsed[1] == ["2", "拒绝", "empty_phone", "电话为空"]
    assert parsed[2] == ["3", "免打扰", "dnc", "免打扰号码，已跳过"]
    assert parsed[3] == ["4", "重复", "duplicate", "与第 1 行重复"]
    assert report_csv(rows, "en").splitlines()[0] == "Row,Kind,Reason code,Reason"
