"""The workstation's mirror of the center's business lines (issue 11 #13): lines a server
sends through the feed, lines an import adds on this workstation only, the per-workstation
lines of older data folders, and what an import into a client of a server says."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kb.business_lines import (
    BUILT_IN,
    add_business_line,
    apply_server_line,
    business_lines,
    has_server_lines,
    line_list,
)
from kb.importer import import_path
from kb.paths import DB_FILENAME
from tests.conftest import KbFactory
from tests.helpers.kb_helpers import record, run_cli, write_jsonl

SEVEN = [line.code for line in BUILT_IN]


def server_line(code: str, zh: str, **fields: object) -> dict[str, object]:
    line: dict[str, object] = {
        "code": code,
        "name_zh": zh,
        "name_en": fields.pop("name_en", zh),
        "active": True,
        "sort_order": 10,
        "builtin": False,
        "updated_at": "2026-12-06T09:00:00.000+00:00",
    }
    line.update(fields)
    return line


def test_a_fresh_knowledge_base_has_the_seven_built_in_lines(kb_factory: KbFactory) -> None:
    kb = kb_factory()
    assert list(business_lines(kb.store)) == SEVEN
    assert business_lines(kb.store)["telecom"] == ("电信热线", "Telecom hotline")
    assert not has_server_lines(kb.store)


def test_server_lines_are_mirrored_built_in_first_and_inactive_ones_kept_for_names(
    kb_factory: KbFactory,
) -> None:
    kb = kb_factory()
    canteen = server_line("canteen", "社区食堂", name_en="Community canteen", sort_order=1)
    assert apply_server_line(kb.store, canteen) is True
    assert apply_server_line(kb.store, canteen) is False, "a replayed page is no news"
    assert list(business_lines(kb.store)) == [*SEVEN, "canteen"]
    assert has_server_lines(kb.store)
    # Renamed, then deactivated on the server.
    renamed = {**canteen, "name_zh": "长者食堂", "updated_at": "2026-12-06T09:01:00.000+00:00"}
    assert apply_server_line(kb.store, renamed)
    off = {**renamed, "active": False, "updated_at": "2026-12-06T09:02:00.000+00:00"}
    assert apply_server_line(kb.store, off)
    assert "canteen" not in business_lines(kb.store)
    every = {line.code: line for line in line_list(kb.store, include_inactive=True)}
    assert every["canteen"].name_zh == "长者食堂" and not every["canteen"].active
    assert every["canteen"].name(chinese=False) == "Community canteen"
    # An older state of the line (a page replayed out of order) does not win.
    assert apply_server_line(kb.store, canteen) is False
    assert not line_list(kb.store, include_inactive=True)[-1].active


def test_a_server_line_replaces_the_local_line_of_the_same_code(kb_factory: KbFactory) -> None:
    kb = kb_factory()
    assert add_business_line(kb.store, "电信") == "电信"
    assert line_list(kb.store)[-1].origin == "local"
    apply_server_line(kb.store, server_line("电信", "电信", name_en="Telecom (center)"))
    line = line_list(kb.store)[-1]
    assert (line.code, line.origin, line.name_en) == ("电信", "server", "Telecom (center)")


def test_lines_an_older_data_folder_kept_in_meta_move_into_the_table(tmp_path: Path) -> None:
    from kb.knowledge_base import KnowledgeBase

    folder = tmp_path / "old"
    KnowledgeBase(folder).close()
    # Back to the schema before m007, with the lines as the old release kept them.
    with sqlite3.connect(folder / DB_FILENAME) as db:
        db.execute("DROP TABLE business_lines")
        db.execute(
            "DELETE FROM _sqlite_migrations WHERE migration_set = 'seatdesk.kb'"
            " AND name = 'm007_business_lines'"
        )
        own = {"电信": ["电信", "Telecom"], "物业": ["物业", "物业"]}
        db.execute(
            "INSERT INTO meta(key, value) VALUES ('business_lines', ?)",
            [json.dumps(own, ensure_ascii=False)],
        )
    kb = KnowledgeBase(folder)
    try:
        lines = business_lines(kb.store)
        assert list(lines) == [*SEVEN, "电信", "物业"]
        assert lines["电信"] == ("电信", "Telecom")
        assert kb.store.get_meta("business_lines") == ""
    finally:
        kb.close()


def test_an_import_into_a_client_of_a_server_reports_unknown_lines_unless_asked(
    kb_factory: KbFactory, tmp_path: Path, zh_messages: None
) -> None:
    kb = kb_factory()
    apply_server_line(kb.store, server_line("canteen", "社区食堂"))
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            record(id="c-1", title="食堂几点开门", body="早六点。", business_line="社区食堂"),
            record(id="c-2", title="停水通知", body="看公告。", business_line="物业"),
        ],
    )
    refused = import_path(kb, source)
    # The server's line is known by its Chinese name; the unknown one is reported.
    assert refused.created == 1 and [e.line for e in refused.errors] == [2]
    reason = refused.errors[0].reason
    assert "业务线“物业”未知" in reason and "请管理员在服务器上新建" in reason
    assert "物业" not in business_lines(kb.store)
    created = import_path(kb, source, create_lines=True)
    assert created.errors == [] and created.new_lines == ["物业"]
    assert "只在本机新建的业务线：物业" in created.summary()
    assert line_list(kb.store)[-1].origin == "local"


def test_cli_import_with_create_lines_still_works_for_a_standalone_folder(
    tmp_path: Path,
) -> None:
    source = write_jsonl(
        tmp_path / "center.jsonl",
        [record(id="h-9", title="社区活动报名", body="到居委会报名。", business_line="社区活动")],
    )
    created = run_cli(tmp_path / "data", "kb", "import", "--create-lines", str(source))
    assert created.returncode == 0, created.stderr
    assert "新建业务线：社区活动" in created.stdout and "只在本机" not in created.stdout
    listed = run_cli(tmp_path / "data", "kb", "search", "报名", "--business-line", "社区活动")
    assert "社区活动报名" in listed.stdout


def test_an_import_files_articles_of_a_deactivated_line_under_its_code(
    kb_factory: KbFactory, tmp_path: Path
) -> None:
    kb = kb_factory()
    apply_server_line(kb.store, server_line("canteen", "社区食堂", active=False))
    source = write_jsonl(
        tmp_path / "old.jsonl",
        [record(id="c-9", title="食堂旧规定", body="已停用的业务线。", business_line="社区食堂")],
    )
    report = import_path(kb, source)
    assert report.errors == [] and report.new_lines == []
    assert [a.business_line for a in kb.store.articles()] == ["canteen"]
