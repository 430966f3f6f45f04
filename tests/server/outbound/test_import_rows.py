"""Importing a parsed list into a campaign on a real database (SQLite file and PostgreSQL):
rule 6 against the campaign's numbers and the do-not-call lists, the records written, one
transaction for all chunks, and the dry-run preview that writes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from common.timestamps import now_iso
from server.core.db import Database
from server.services.errors import NotFound
from server.services.outbound import import_rows
from server.services.outbound.cli import ensure_campaign
from server.services.outbound.import_rows import import_list, preview
from server.services.outbound.list_import import parse_list
from server.tables import campaign_records, dnc_numbers
from tests.helpers.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'server.db'}")
        database.migrate()
        yield database
        database.dispose()
        return
    with fresh_database() as url:
        database = Database(url)
        database.migrate()
        try:
            yield database
        finally:
            database.dispose()


def campaign(db: Database, name: str) -> int:
    with db.write() as conn:
        return ensure_campaign(conn, name)[0]


def add_dnc(db: Database, key: str, campaign_id: int) -> None:
    with db.write() as conn:
        conn.execute(
            dnc_numbers.insert().values(phone_key=key, campaign_id=campaign_id, added_at=now_iso())
        )


def records(db: Database, campaign_id: int) -> list[sa.Row]:
    with db.read() as conn:
        return list(
            conn.execute(
                sa.select(campaign_records)
                .where(campaign_records.c.campaign_id == campaign_id)
                .order_by(campaign_records.c.id)
            )
        )


def csv_list(*lines: str) -> bytes:
    return ("姓名,手机号,楼盘\n" + "\n".join(lines) + "\n").encode("gb18030")


def test_import_writes_pending_records_and_applies_rule_six(db: Database) -> None:
    spring = campaign(db, "春季回访")
    other = campaign(db, "其他活动")
    first = import_list(db, spring, parse_list(csv_list("张三,13800138000,翠湖花园")))
    assert (first.total_rows, first.imported) == (1, 1)
    [existing] = records(db, spring)
    add_dnc(db, "13900000001", 0)  # global
    add_dnc(db, "13900000002", spring)  # this campaign's
    add_dnc(db, "13900000003", other)  # another campaign's: does not apply here

    report = import_list(
        db,
        spring,
        parse_list(
            csv_list(
                "李四,010-88886666转12,阳光小区",  # 1 new
                "王五,139 0000 0001,A",  # 2 global DNC
                "赵六,13900000002,B",  # 3 campaign DNC
                "孙七,13900000003,C",  # 4 other campaign's DNC: imported
                "张三,138-0013-8000,翠湖花园",  # 5 already in the campaign
                "李四,01088886666-12,阳光小区",  # 6 duplicate of row 1
                "周八,12345678901,D",  # 7 invalid_prefix
                "吴九,13700137000",  # 8 missing_column
                "",  # 9 blank
                "郑十,+86 137 0013 7000,E",  # 10 new
            )
        ),
    )
    assert report.total_rows == 9 and report.blank_rows == 1
    assert report.imported == 3
    assert [(r.row, r.reason) for r in report.rejected] == [
        (7, "invalid_prefix"),
        (8, "missing_column"),
    ]
    assert [d.model_dump() for d in report.duplicates] == [
        {"row": 5, "duplicate_of_row": None, "in_campaign": True, "record_id": existing.id},
        {"row": 6, "duplicate_of_row": 1, "in_campaign": False, "record_id": None},
    ]
    assert (report.dnc_skipped, report.dnc_rows) == (2, [2, 3])
    assert report.total_rows == (
        report.imported + len(report.rejected) + len(report.duplicates) + report.dnc_skipped
    )
    stored = records(db, spring)[1:]
    assert [(r.row_number, r.name, r.phone, r.phone_key) for r in stored] == [
        (1, "李四", "010-88886666转12", "01088886666x12"),
        (4, "孙七", "13900000003", "13900000003"),
        (10, "郑十", "+86 137 0013 7000", "13700137000"),
    ]
    assert all(r.status == "pending" and r.due_at is None and r.locked_by is None for r in stored)
    assert json.loads(stored[0].fields) == {"楼盘": "阳光小区"}
    assert records(db, other) == []


def test_all_chunks_are_one_transaction(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure in a later chunk leaves nothing of the earlier ones: the database refuses one
    number (a trigger), after three chunks of three rows went in."""
    monkeypatch.setattr(import_rows, "CHUNK", 3)
    spring = campaign(db, "事务")
    refuse = "13999999999"
    with db.write() as conn:
        if db.is_sqlite:
            conn.execute(
                sa.text(
                    "CREATE TRIGGER refuse_one BEFORE INSERT ON campaign_records "
                    f"WHEN NEW.phone_key = '{refuse}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            conn.execute(
                sa.text(
                    "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"IF NEW.phone_key = '{refuse}' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$"
                )
            )
            conn.execute(
                sa.text(
                    "CREATE TRIGGER refuse_one BEFORE INSERT ON campaign_records "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_one()"
                )
            )
    lines = [f"客户{i},138{i:08d},x" for i in range(10)] + [f"坏,{refuse},x"]
    with pytest.raises(sa.exc.DBAPIError):
        import_list(db, spring, parse_list(csv_list(*lines)))
    assert records(db, spring) == []
    # Without the refused number the same list goes in whole.
    report = import_list(db, spring, parse_list(csv_list(*lines[:-1])))
    assert report.imported == 10 and len(records(db, spring)) == 10


def test_preview_writes_nothing_and_shows_the_first_rows(db: Database) -> None:
    spring = campaign(db, "预览")
    add_dnc(db, "13900000000", 0)
    lines = [f"客户{i},1380000{i:04d},楼{i}" for i in range(30)]
    lines[3] = "坏,123,x"
    lines[5] = "重复,13800000000,x"
    lines.append("免打扰,13900000000,x")
    parsed = parse_list(csv_list(*lines))
    shown = preview(db, spring, parsed)
    assert records(db, spring) == []
    assert shown.header == ["姓名", "手机号", "楼盘"]
    assert shown.mapping == {"姓名": "name", "手机号": "phone", "楼盘": "field"}
    assert (shown.format, shown.encoding, shown.delimiter) == ("csv", "gb18030", ",")
    assert shown.sample[0] == ["客户0", "13800000000", "楼0"] and len(shown.sample) == 20
    assert shown.sample[3] == ["坏", "123", "x"]  # the sample is the file as read
    assert len(shown.rows) == 20  # the rows as they would be imported
    assert [r.row for r in shown.rows[:5]] == [1, 2, 3, 5, 7]
    assert shown.rows[0].model_dump() == {
        "row": 1,
        "name": "客户0",
        "phone": "13800000000",
        "phone_key": "13800000000",
        "fields": {"楼盘": "楼0"},
    }
    assert shown.report.model_dump() == {
        "total_rows": 31,
        "imported": 28,
        "rejected": [{"row": 4, "reason": "too_short"}],
        "duplicates": [{"row": 6, "duplicate_of_row": 1, "in_campaign": False, "record_id": None}],
        "dnc_skipped": 1,
        "dnc_rows": [31],
        "blank_rows": 0,
    }
    assert import_list(db, spring, parsed) == shown.report
    assert len(records(db, spring)) == 28


def test_unknown_campaign(db: Database) -> None:
    parsed = parse_list(csv_list("张三,13800138000,x"))
    for call in (import_list, preview):
        with pytest.raises(NotFound):
            call(db, 999_999, parsed)


def test_values_that_do_not_fit_the_columns(db: Database) -> None:
    """A landline whose extension makes its key longer than the column is invalid_format
    (PostgreSQL would refuse the whole import); a very long name is cut."""
    spring = campaign(db, "长值")
    long_extension = "010-88886666转" + "1" * 80
    report = import_list(
        db, spring, parse_list(csv_list(f"{'名' * 300},13800138000,x", f"x,{long_extension},x"))
    )
    assert report.imported == 1
    assert [(r.row, r.reason) for r in report.rejected] == [(2, "invalid_format")]
    [stored] = records(db, spring)
    assert stored.name == "名" * 200


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)  # PostgreSQL's planner statistics
def test_a_large_import_renews_postgresql_statistics(db: Database) -> None:
    """Right after a large import the planner knows the new rows (pg_class.reltuples): without
    it the hand-out's queries ran ~20x slower until autovacuum analysed the table."""
    spring = campaign(db, "统计")
    rows = [f"客户{i},139{i:08d},x" for i in range(import_rows.ANALYZE_AFTER)]
    assert import_list(db, spring, parse_list(csv_list(*rows))).imported == len(rows)
    with db.read() as conn:
        known = conn.execute(
            sa.text("SELECT reltuples FROM pg_class WHERE relname = 'campaign_records'")
        ).scalar_one()
    assert known >= len(rows)
