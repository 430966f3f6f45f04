"""`python main.py campaign import FILE --campaign NAME [--db URL] [--json]` as a user runs it:
a real process, a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from common.import_reasons import reason_text
from server.core.db import Database
from server.tables import campaign_records, campaigns
from tests.helpers.postgres import fresh_database
from tests.server.support import REPO_ROOT

LIST = (
    "姓名,手机号,楼盘\n"
    "张三,138 0013 8000,翠湖花园\n"  # 1
    "李四,010-88886666转12,阳光小区\n"  # 2
    "王五,12345678901,A\n"  # 3 invalid_prefix
    "赵六,138-0013-8000,B\n"  # 4 duplicate of 1
    "孙七\n"  # 5 missing_column
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"  # the CLI creates and migrates it
        return
    with fresh_database() as url:
        yield url


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def stored(db_url: str, name: str) -> list[tuple[int, str]]:
    db = Database(db_url)
    try:
        with db.read() as conn:
            return [
                (row.row_number, row.phone_key)
                for row in conn.execute(
                    sa.select(campaign_records.c.row_number, campaign_records.c.phone_key)
                    .join(campaigns, campaigns.c.id == campaign_records.c.campaign_id)
                    .where(campaigns.c.name == name)
                    .order_by(campaign_records.c.id)
                )
            ]
    finally:
        db.dispose()


def test_import_prints_readable_chinese_lines_with_row_numbers(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"  # the extension says nothing: the content is GB18030 CSV
    path.write_bytes(LIST.encode("gb18030"))
    done = run(
        "campaign", "import", str(path), "--campaign", "春季回访", "--db", db_url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "已新建活动“春季回访”" in out
    assert "编码 gb18030" in out and "分隔符 逗号" in out
    assert "电话列：手机号；姓名列：姓名；自定义字段：楼盘" in out
    assert "共 5 行：导入 2 行，拒绝 2 行，重复 1 行，免打扰跳过 0 行" in out
    assert "第 3 行：号段无效" in out and "(invalid_prefix)" not in out  # Chinese brackets
    # The reasons in the words the desktop's import report uses (one table for both).
    assert f"第 3 行：{reason_text('invalid_prefix', 'zh_CN')}（invalid_prefix）" in out
    assert f"第 5 行：{reason_text('missing_column', 'zh_CN')}（missing_column）" in out
    assert "第 4 行：与第 1 行重复" in out
    assert stored(db_url, "春季回访") == [(1, "13800138000"), (2, "01088886666x12")]

    # Again into the same campaign: it exists now, and every number is in it already.
    again = run(
        "campaign", "import", str(path), "--campaign", "春季回访", "--db", db_url, cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert "导入到活动“春季回访”" in again.stdout
    assert "第 1 行：号码已在本活动中（记录" in again.stdout
    assert len(stored(db_url, "春季回访")) == 2


def test_import_json_is_one_object_on_the_last_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"\xef\xbb\xbf" + LIST.encode())
    args = ("campaign", "import", str(path), "--campaign", "秋季", "--db", db_url, "--json")
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {k: report[k] for k in ("total_rows", "imported", "rejected", "duplicates")} == {
        "total_rows": 5,
        "imported": 2,
        "rejected": [
            {"row": 3, "reason": "invalid_prefix"},
            {"row": 5, "reason": "missing_column"},
        ],
        "duplicates": [{"row": 4, "duplicate_of_row": 1, "in_campaign": False, "record_id": None}],
    }
    assert report["dnc_skipped"] == 0
    assert list(report)[:5] == ["total_rows", "imported", "rejected", "duplicates", "dnc_skipped"]

    again = json.loads(run(*args, cwd=tmp_path).stdout.strip().splitlines()[-1])
    assert again["imported"] == 0
    first_record = [d for d in again["duplicates"] if d["row"] == 1][0]
    assert first_record["duplicate_of_row"] is None and first_record["in_campaign"] is True
    assert isinstance(first_record["record_id"], int)


def test_xlsx_dry_run_and_mapping(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["客户", "号码", "电话"], ["张三", 13800138000, "13900139000"]):
        sheet.append(row)
    path = tmp_path / "list.csv"  # an XLSX named .csv: the content decides
    book.save(path)
    db_url = f"sqlite:///{tmp_path / 'x.db'}"
    args = ["campaign", "import", str(path), "--campaign", "X", "--db", db_url]
    dry = run(*args, "--dry-run", "--mapping", '{"号码": "phone", "客户": "name"}', cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "Excel 工作簿" in dry.stdout and "导入 1 行" in dry.stdout
    assert "电话列：号码；姓名列：客户；自定义字段：电话" in dry.stdout
    assert "试运行" in dry.stdout
    assert stored(db_url, "X") == []
    # Without the mapping, 电话 is the phone column found by name.
    done = run(*args, "--json", cwd=tmp_path)
    assert json.loads(done.stdout.splitlines()[-1])["imported"] == 1
    assert stored(db_url, "X") == [(1, "13900139000")]


def test_a_file_it_cannot_read_exits_non_zero_and_creates_nothing(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'bad.db'}"
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes("姓名,手机号\n".encode("gb18030") + b"\x81\x30\xff,13800138000\n")
    missing = tmp_path / "missing.csv"
    no_phone = tmp_path / "no_phone.csv"
    no_phone.write_text("姓名,地址\n张三,深圳\n", encoding="utf-8")
    for path, code in (
        (garbled, "encoding"),
        (missing, "unreadable"),
        (no_phone, "no_phone_column"),
    ):
        done = run(
            "campaign", "import", str(path), "--campaign", "坏", "--db", db_url, cwd=tmp_path
        )
        assert done.returncode != 0
        assert str(path) in done.stderr and "Traceback" not in done.stderr
        as_json = run(
            "campaign",
            "import",
            str(path),
            "--campaign",
            "坏",
            "--db",
            db_url,
            "--json",
            cwd=tmp_path,
        )
        assert as_json.returncode != 0
        assert json.loads(as_json.stdout.splitlines()[-1])["error"] == code
    assert (
        "无法识别文件编码"
        in run(
            "campaign", "import", str(garbled), "--campaign", "坏", "--db", db_url, cwd=tmp_path
        ).stderr
    )
    if (tmp_path / "bad.db").exists():
        db = Database(db_url)
        try:
            with db.read() as conn:
                names = conn.execute(sa.select(campaigns.c.name)).scalars().all()
        finally:
            db.dispose()
        assert "坏" not in names


def test_a_campaign_name_the_api_would_refuse_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(LIST.encode())
    db_url = f"sqlite:///{tmp_path / 'n.db'}"
    for name in ("   ", "x" * 201):
        done = run(
            "campaign", "import", str(path), "--campaign", name, "--db", db_url, cwd=tmp_path
        )
        assert done.returncode != 0
        assert "活动名称无效" in done.stderr and "Traceback" not in done.stderr
