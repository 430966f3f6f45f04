"""A center's own knowledge base (issue 11, #13 and #14): its own ids and business lines, and
no demo articles mixed in; the demo is removed in one action."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from common.articles import uuid_for_external_id
from kb.business_lines import business_lines
from kb.demo import demo_ids, has_demo, load_demo_if_empty, remove_demo
from kb.exporter import export_path
from kb.importer import import_path
from kb.knowledge_base import KnowledgeBase
from tests.conftest import KbFactory
from tests.helpers.kb_helpers import hit_ids, record, run_cli, write_jsonl

KB_DIR = Path(__file__).resolve().parents[2] / "kb"

# As trainers write them: their own ids, business lines in Chinese that are not among the seven.
CENTER = [
    record(
        id="FAQ-0012", title="宽带报障时限", body="城区二十四小时内修复。", business_line="电信"
    ),
    record(id="h-001", title="小区停水通知怎么查", body="看单元门口公告。", business_line="物业"),
    record(id=12, title="编号是数字的文章", body="数字编号也是中心自己的编号。"),
]


def test_own_ids_are_kept_and_a_reimport_updates_the_same_articles(
    kb_factory: KbFactory, tmp_path: Path
) -> None:
    kb = kb_factory()
    first = import_path(kb, write_jsonl(tmp_path / "v1.jsonl", CENTER), create_lines=True)
    assert first.errors == [] and first.created == 3
    ours = kb.store.get_article(uuid_for_external_id("FAQ-0012"))
    assert ours is not None and ours.external_id == "FAQ-0012"

    edited = [dict(CENTER[0], body="城区十二小时内修复。"), *CENTER[1:]]
    again = import_path(kb, write_jsonl(tmp_path / "v2.jsonl", edited), create_lines=True)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert len(kb.store.articles()) == 3, "no copies"
    updated = kb.store.get_article(ours.uuid)
    assert updated is not None and updated.body == "城区十二小时内修复。"
    assert updated.version == 2

    # Another workstation importing the same file gets the same articles (same UUIDs).
    other = kb_factory()
    import_path(other, write_jsonl(tmp_path / "v1.jsonl", CENTER), create_lines=True)
    assert {a.uuid for a in other.store.articles()} == {a.uuid for a in kb.store.articles()}


def test_export_gives_the_centers_ids_back(kb_factory: KbFactory, tmp_path: Path) -> None:
    kb = kb_factory()
    import_path(kb, write_jsonl(tmp_path / "in.jsonl", CENTER), create_lines=True)
    export_path(kb.store, tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == ["12", "FAQ-0012", "h-001"]
    fresh = kb_factory()
    assert import_path(fresh, tmp_path / "out.jsonl", create_lines=True).created == 3
    assert {a.uuid for a in fresh.store.articles()} == {a.uuid for a in kb.store.articles()}


def test_unknown_business_lines_are_reported_per_record(
    kb_factory: KbFactory, tmp_path: Path, zh_messages: None
) -> None:
    kb = kb_factory()
    report = import_path(kb, write_jsonl(tmp_path / "in.jsonl", CENTER))
    assert report.created == 1  # the record without a business line
    assert [e.line for e in report.errors] == [1, 2]
    assert "业务线“电信”未知" in report.errors[0].reason
    assert "--create-lines" in report.errors[0].reason
    assert "电信" not in business_lines(kb.store)


def test_unknown_business_lines_are_created_when_asked(
    kb_factory: KbFactory, tmp_path: Path, zh_messages: None
) -> None:
    kb = kb_factory(index=True)
    report = import_path(kb, write_jsonl(tmp_path / "in.jsonl", CENTER), create_lines=True)
    assert report.errors == [] and report.new_lines == ["电信", "物业"]
    assert "新建业务线：电信、物业" in report.summary()
    lines = business_lines(kb.store)
    assert lines["电信"] == ("电信", "电信") and "telecom" in lines
    article = kb.store.get_article(uuid_for_external_id("h-001"))
    assert article is not None and article.business_line == "物业"
    # Now known: a later import without the flag accepts the line.
    later = record(id="h-002", title="停电通知", body="看公告。", business_line="物业")
    assert import_path(kb, write_jsonl(tmp_path / "later.jsonl", [later])).errors == []


# -- the demo -------------------------------------------------------------------------------------
def test_demo_loads_once_into_an_empty_kb_and_is_removed_in_one_action(
    kb_factory: KbFactory,
) -> None:
    kb = kb_factory()
    loaded = load_demo_if_empty(kb)
    assert loaded == len(demo_ids()) > 100 and has_demo(kb)
    kb.ensure_index()
    assert kb.search("宽带报装").hits

    assert remove_demo(kb) == loaded
    assert not has_demo(kb) and kb.store.count_searchable() == 0
    assert kb.search("宽带报装").hits == []
    assert load_demo_if_empty(kb) == 0, "removed for good: not loaded again at the next start"


def test_demo_is_never_added_to_a_kb_that_holds_articles(
    kb_factory: KbFactory, tmp_path: Path
) -> None:
    kb = kb_factory()
    import_path(kb, write_jsonl(tmp_path / "in.jsonl", CENTER), create_lines=True)
    assert load_demo_if_empty(kb) == 0
    assert len(kb.store.articles()) == 3


def test_removing_the_demo_keeps_the_centers_articles(
    kb_factory: KbFactory, tmp_path: Path
) -> None:
    kb = kb_factory(index=True)
    load_demo_if_empty(kb)
    import_path(kb, write_jsonl(tmp_path / "in.jsonl", CENTER), create_lines=True)
    remove_demo(kb)
    assert len(kb.store.articles()) == 3
    assert hit_ids(kb.search("宽带报障时限"))[:1] == [uuid_for_external_id("FAQ-0012")]


# -- no import cycle ------------------------------------------------------------------------------
def kb_imports(path: Path) -> set[str]:
    """The kb modules `path` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kb."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kb."))
    return found


def test_the_kb_package_has_no_import_cycle() -> None:
    """kb.importer and kb.knowledge_base used to import each other (through the demo loading,
    hidden in a function-level import)."""
    graph = {f"kb.{p.stem}": kb_imports(p) for p in KB_DIR.glob("*.py")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cyclic = sorted(m for m in graph if reaches(m, m, set()))
    assert cyclic == []
    assert "kb.importer" not in graph["kb.knowledge_base"]


def test_knowledge_base_itself_no_longer_loads_the_demo() -> None:
    assert not hasattr(KnowledgeBase, "load_demo_if_empty")


def test_cli_removes_the_demo_in_one_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    loaded = run_cli(data, "kb", "load-demo")
    assert loaded.returncode == 0, loaded.stderr
    assert f"已载入 {len(demo_ids())} 篇演示文章" in loaded.stdout
    removed = run_cli(data, "kb", "remove-demo")
    assert removed.returncode == 0, removed.stderr
    assert f"已删除 {len(demo_ids())} 篇演示文章" in removed.stdout
    kb = KnowledgeBase(data)
    try:
        assert kb.store.count_searchable() == 0 and not has_demo(kb)
    finally:
        kb.close()
