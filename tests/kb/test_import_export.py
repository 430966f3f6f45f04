"""Import (JSONL in UTF-8/BOM/GB18030, Markdown with front matter), export, and the kb CLI."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb.exporter import export_path
from kb.importer import import_path
from kb.knowledge_base import KnowledgeBase
from kb.messages import UserError
from kb.models import ARTICLE_TYPES, BUSINESS_LINES, Article
from tests.conftest import KbFactory
from tests.helpers.kb_helpers import (
    content,
    make_article,
    new_id,
    record,
    run_cli,
    write_jsonl,
)

ZH_RECORDS = [
    record(
        title="携号转网需要满足哪些条件",
        body="号码已实名登记、无欠费、未处于停机状态；本人携带身份证办理。",
        category="电信/携号转网",
        tags=["携号转网", "转网条件"],
        aliases=["号码迁移"],
        business_line="telecom",
        contact_point="AT2101",
    ),
    record(
        type="script",
        title="物业费催缴话术",
        body="您好，这里是物业服务中心，提醒您本季度物业费尚未缴纳。",
        category="物业/缴费",
        business_line="物业服务",  # the Chinese name of a business line is accepted too
    ),
]


def stored_by_id(kb: KnowledgeBase) -> dict[str, Article]:
    return {a.uuid: a for a in kb.store.articles()}


# -- encodings -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", False), ("utf-8", True), ("gb18030", False)],
    ids=["utf8", "utf8-bom", "gb18030"],
)
def test_jsonl_encodings_keep_chinese_intact(
    kb_factory: KbFactory, tmp_path: Path, encoding: str, bom: bool
) -> None:
    path = write_jsonl(tmp_path / "articles.jsonl", ZH_RECORDS, encoding=encoding, bom=bom)
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")  # really not UTF-8
    kb = kb_factory()
    report = import_path(kb, path)
    assert [str(e) for e in report.errors] == []
    assert report.created == 2
    stored = stored_by_id(kb)
    first, second = (stored[r["id"]] for r in ZH_RECORDS)
    assert first.title == "携号转网需要满足哪些条件"
    assert first.body == ZH_RECORDS[0]["body"]
    assert first.tags == ["携号转网", "转网条件"] and first.aliases == ["号码迁移"]
    assert first.category == "电信/携号转网"
    assert (first.business_line, first.contact_point) == ("telecom", "AT2101")
    assert second.type == "script" and second.title == "物业费催缴话术"
    assert second.business_line == "property"


def test_undecodable_file_is_reported(
    kb_factory: KbFactory, tmp_path: Path, zh_messages: None
) -> None:
    path = tmp_path / "binary.jsonl"
    path.write_bytes(b"\x81\x30\xff\xfe\x00" * 10)
    report = import_path(kb_factory(), path)
    assert report.imported == 0
    assert len(report.errors) == 1
    assert "无法识别编码" in report.errors[0].reason


# -- bad lines -----------------------------------------------------------------------------------
GOOD_1 = record(title="宽带测速方法", body="访问测速网站，连续测三次取平均值。")
GOOD_2 = record(title="停车月卡续费", body="在物业前台或公众号续费。", business_line="property")
GOOD_3 = record(title="没有编号的文章", body="导入时自动生成稳定的编号。")
del GOOD_3["id"]
DUP_ID = GOOD_1["id"]

# (line content, substring of the Chinese reason, substring of the English reason)
BAD_LINES: list[tuple[Any, str, str]] = [
    ('{"type": "faq", "title": "缺半边', "不是有效的 JSON", "not valid JSON"),
    ('["faq", "标题", "正文"]', "必须是一个 JSON 对象", "must be a JSON object"),
    (
        {"id": new_id(), "title": "无类型", "body": "正文"},
        "缺少必填字段“type”",
        "'type' is missing",
    ),
    (
        {"id": new_id(), "type": "faq", "body": "无标题"},
        "缺少必填字段“title”",
        "'title' is missing",
    ),
    ({"id": new_id(), "type": "faq", "title": "无正文"}, "缺少必填字段“body”", "'body' is missing"),
    (record(title="   "), "字段“title”不能为空", "'title' must not be empty"),
    (record(type="memo"), "类型“memo”无效", "type 'memo' is not one of"),
    (
        record(business_line="火星业务"),
        "业务线“火星业务”未知",
        "business line '火星业务' is unknown",
    ),
    (record(tags={"a": 1}), "字段“tags”必须是文本列表", "'tags' must be a list of text"),
    (record(tags=[1, 2]), "字段“tags”必须是文本列表", "'tags' must be a list of text"),
    (record(aliases=7), "字段“aliases”必须是文本列表", "'aliases' must be a list of text"),
    (record(title=42), "字段“title”必须是文本", "'title' must be text"),
    # A center's own id is kept (FAQ-0012), but not one with spaces inside or a list.
    (record(id="FAQ 12"), "id “FAQ 12” 无效", "id 'FAQ 12' is not valid"),
    (record(status="gone"), "状态“gone”无效", "status 'gone' is not valid"),
    (record(title="长" * 201), "过长", "too long"),
    (dict(GOOD_1, body="同一个编号的第二行"), "与第 1 行重复", "repeats line 1"),
]


def mixed_file(tmp_path: Path) -> tuple[Path, dict[int, tuple[str, str]]]:
    """GOOD_1 on line 1, the bad lines after it, a blank line, then the other good lines."""
    lines: list[Any] = [GOOD_1]
    expected: dict[int, tuple[str, str]] = {}
    for content_, zh, en in BAD_LINES:
        lines.append(content_)
        expected[len(lines)] = (zh, en)
    lines += ["", GOOD_2, GOOD_3]
    return write_jsonl(tmp_path / "mixed.jsonl", lines), expected


def test_bad_lines_are_reported_in_chinese_and_good_lines_imported(
    kb_factory: KbFactory, tmp_path: Path, zh_messages: None
) -> None:
    path, expected = mixed_file(tmp_path)
    kb = kb_factory()
    report = import_path(kb, path)

    assert report.created == 3
    errors = {e.line: e for e in report.errors}
    assert sorted(errors) == sorted(expected), "exactly the bad lines, by line number"
    for line, (zh, _en) in expected.items():
        error = errors[line]
        assert error.source == "mixed.jsonl"
        assert zh in error.reason, f"line {line}: {error.reason}"
        assert str(error).startswith(f"mixed.jsonl 第 {line} 行："), str(error)
    stored = stored_by_id(kb)
    assert stored[GOOD_1["id"]].body == GOOD_1["body"], "the duplicate line did not overwrite"
    assert stored[GOOD_2["id"]].title == "停车月卡续费"
    assert "没有编号的文章" in [a.title for a in stored.values()]
    assert len(stored) == 3
    assert "错误 16" in report.summary() and "新增 3" in report.summary()


def test_bad_lines_are_reported_in_english(
    kb_factory: KbFactory, tmp_path: Path, en_messages: None
) -> None:
    path, expected = mixed_file(tmp_path)
    report = import_path(kb_factory(), path)
    assert report.created == 3
    errors = {e.line: e for e in report.errors}
    assert sorted(errors) == sorted(expected)
    for line, (_zh, en) in expected.items():
        assert en in errors[line].reason, f"line {line}: {errors[line].reason}"
        assert str(errors[line]).startswith(f"mixed.jsonl line {line}: ")
    assert "3 new" in report.summary() and "16 errors" in report.summary()


def test_language_is_restored_after_english(zh_messages: None) -> None:
    from kb import messages

    assert messages.tr("no_results") == "没有找到结果"
    messages.set_language("en")
    try:
        assert messages.tr("no_results") == "no results"
    finally:
        messages.set_language("zh_CN")
    assert messages.tr("no_results") == "没有找到结果"


def test_missing_file_is_a_user_error(kb_factory: KbFactory, tmp_path: Path) -> None:
    with pytest.raises(UserError):
        import_path(kb_factory(), tmp_path / "nowhere.jsonl")


# -- re-import -----------------------------------------------------------------------------------
def test_reimport_updates_without_duplicates(kb_factory: KbFactory, tmp_path: Path) -> None:
    kb = kb_factory()
    path = write_jsonl(tmp_path / "v1.jsonl", ZH_RECORDS)
    assert import_path(kb, path).created == 2

    same = import_path(kb, path)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 2)
    assert all(len(kb.store.revisions(r["id"])) == 1 for r in ZH_RECORDS)

    changed = [dict(ZH_RECORDS[0], body="号码须实名、无欠费、在网满 120 天。"), ZH_RECORDS[1]]
    report = import_path(kb, write_jsonl(tmp_path / "v2.jsonl", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    first = kb.store.get_article(ZH_RECORDS[0]["id"])
    assert first is not None and first.version == 2
    assert first.body == "号码须实名、无欠费、在网满 120 天。"
    assert [r["version"] for r in kb.store.revisions(first.uuid)] == [1, 2]
    count = kb.store.database.scalar("SELECT count(*) FROM articles")
    assert count == 2


def test_record_without_id_gets_the_same_id_every_time(
    kb_factory: KbFactory, tmp_path: Path
) -> None:
    rec = {
        "type": "faq",
        "title": "门禁卡丢失补办",
        "body": "带身份证到物业前台补办，工本费二十元。",
    }
    kb = kb_factory()
    import_path(kb, write_jsonl(tmp_path / "a.jsonl", [rec]))
    import_path(kb, write_jsonl(tmp_path / "b.jsonl", [dict(rec, body="补办工本费二十元。")]))
    articles = kb.store.articles()
    assert len(articles) == 1
    assert articles[0].body == "补办工本费二十元。"
    assert articles[0].version == 2

    other = kb_factory()  # another seat importing the same file derives the same id
    import_path(other, write_jsonl(tmp_path / "c.jsonl", [rec]))
    assert [a.uuid for a in other.store.articles()] == [articles[0].uuid]


# -- Markdown ------------------------------------------------------------------------------------
MD_ID = "7d0e1a52-3c5e-4d8f-9a61-2b4c6d8e0f13"


def write_markdown_folder(folder: Path) -> Path:
    (folder / "elderly").mkdir(parents=True)
    (folder / "broadband.md").write_text(
        "---\n"
        f"id: {MD_ID}\n"
        "type: flow\n"
        "title: 宽带移机流程\n"
        "category: 电信/宽带/移机\n"
        "tags: [移机, 搬家]\n"
        "aliases:\n  - 搬家宽带怎么办\n"
        "business_line: telecom\n"
        "contact_point: AT1105\n"
        "---\n"
        "## 步骤\n\n1. 核实新地址资源。\n2. 预约拆装时间。\n",
        encoding="utf-8",
    )
    (folder / "elderly" / "meal.md").write_text(
        "---\ntype: faq\ntitle: 助餐服务怎么预订\ntags: 助餐, 老年食堂\nbusiness_line: 养老服务\n---\n"
        "提前一天电话预订，社区食堂十一点开餐。\n",
        encoding="utf-8",
    )
    (folder / "gbk.md").write_bytes(
        "---\ntype: script\ntitle: 理财风险提示\nbusiness_line: finance\n---\n理财非存款，投资须谨慎。\n".encode(
            "gb18030"
        )
    )
    (folder / "notes.md").write_text("# 没有文件头的笔记\n随手记的内容。\n", encoding="utf-8")
    (folder / "broken.md").write_text(
        "---\ntype: faq\ntitle: [未闭合\n---\n正文\n", encoding="utf-8"
    )
    return folder


def test_markdown_folder_import(kb_factory: KbFactory, tmp_path: Path, zh_messages: None) -> None:
    folder = write_markdown_folder(tmp_path / "md")
    kb = kb_factory()
    report = import_path(kb, folder)

    assert report.created == 3
    reasons = {e.source: e.reason for e in report.errors}
    assert set(reasons) == {"notes.md", "broken.md"}
    assert "缺少以 --- 开头的文件头" in reasons["notes.md"]
    assert "文件头（front matter）格式错误" in reasons["broken.md"]
    assert all(e.line == 1 for e in report.errors)

    moving = kb.store.get_article(MD_ID)
    assert moving is not None
    assert (moving.type, moving.title, moving.category) == (
        "flow",
        "宽带移机流程",
        "电信/宽带/移机",
    )
    assert moving.tags == ["移机", "搬家"] and moving.aliases == ["搬家宽带怎么办"]
    assert (moving.business_line, moving.contact_point) == ("telecom", "AT1105")
    assert moving.body == "## 步骤\n\n1. 核实新地址资源。\n2. 预约拆装时间。"
    by_title = {a.title: a for a in kb.store.articles()}
    meal = by_title["助餐服务怎么预订"]
    assert meal.tags == ["助餐", "老年食堂"] and meal.business_line == "elderly_care"
    assert by_title["理财风险提示"].body == "理财非存款，投资须谨慎。"

    again = import_path(kb, folder)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


# -- export and round trips ----------------------------------------------------------------------
def varied_articles() -> list[Article]:
    return [
        make_article(
            "宽带报装需要哪些材料",
            "## 个人\n- 身份证原件\n- 安装地址\n\n> 租户无需房产证。",
            type="flow",
            category="电信/宽带/报装",
            tags=["报装", "材料"],
            aliases=["装宽带要带什么"],
            business_line="telecom",
            contact_point="AT1101",
        ),
        make_article("投诉升级: 三级处理", "坐席 -> 现场主管 -> 接口人。", type="complaint_guide"),
        make_article("草稿：养老床位", "尚在编写。", status="draft", business_line="elderly_care"),
        make_article("归档/旧资费?*", "旧资费已下线。", status="archived", tags=["a,b", "c"]),
        make_article(
            "Title with English & 符号 <b>", 'Body with "quotes"\tand tabs', type="script"
        ),
    ]


@pytest.mark.parametrize("target", ["out.jsonl", "out_md"], ids=["jsonl", "markdown"])
def test_export_then_import_gives_the_same_articles(
    kb_factory: KbFactory, tmp_path: Path, target: str
) -> None:
    source = kb_factory()
    originals = varied_articles()
    for a in originals:
        source.save_article(a)
    gone = make_article("已删除的文章")
    source.save_article(gone)
    source.delete_article(gone.uuid)

    count = export_path(source.store, tmp_path / target)
    assert count == len(originals), "tombstones are not exported"

    fresh = kb_factory()
    report = import_path(fresh, tmp_path / target)
    assert [str(e) for e in report.errors] == []
    assert report.created == len(originals)
    stored = stored_by_id(fresh)
    assert set(stored) == {a.uuid for a in originals}
    for a in originals:
        assert content(stored[a.uuid]) == content(a)


def test_jsonl_export_is_utf8_one_object_per_line(kb_factory: KbFactory, tmp_path: Path) -> None:
    source = kb_factory()
    for a in varied_articles():
        source.save_article(a)
    path = tmp_path / "out.jsonl"
    export_path(source.store, path)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "宽带报装" in text, "Chinese is written as text, not \\u escapes"
    lines = text.split("\n")
    assert lines[-1] == ""
    objects = [json.loads(line) for line in lines[:-1]]
    assert len(objects) == 5
    assert set(objects[0]) >= {"id", "type", "title", "body", "tags", "aliases", "status"}


# Text a trainer could type: any Unicode except surrogates, no outer whitespace (the importer
# trims it by design), and titles within the importer's 200-character limit.
def _trimmed(max_size: int) -> st.SearchStrategy[str]:
    return (
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=max_size)
        .map(str.strip)
        .filter(bool)
    )


article_strategy = st.builds(
    lambda title, body, tags, kind, line: make_article(
        title, body, tags=tags, type=kind, business_line=line
    ),
    title=_trimmed(60),
    body=_trimmed(300),
    tags=st.lists(_trimmed(12), max_size=3),
    kind=st.sampled_from(ARTICLE_TYPES),
    line=st.sampled_from(["", *BUSINESS_LINES]),
)


@pytest.mark.parametrize("target", ["out.jsonl", "out_md"], ids=["jsonl", "markdown"])
@settings(max_examples=30, deadline=None, database=None, derandomize=True)
@given(article=article_strategy)
# Characters known to trip line-based and file-name-based formats are always tried.
@example(article=make_article("换行", "第一行\r\n第二行\r第三行\n第四行"))
@example(article=make_article("分隔符", "段落一\u2028段落二\u2029段落三\x85段落四"))
@example(article=make_article("标题\x00含\x1f空字符", "正文\x00\x0b\x0c结束"))
@example(article=make_article("---", "---\n正文中的分隔线\n---", tags=["null", "true", "1"]))
def test_any_article_survives_export_and_import(
    tmp_path_factory: pytest.TempPathFactory, target: str, article: Article
) -> None:
    root = tmp_path_factory.mktemp("roundtrip")
    source = KnowledgeBase(root / "source")
    fresh = KnowledgeBase(root / "fresh")
    try:
        source.save_article(article)
        export_path(source.store, root / target)
        report = import_path(fresh, root / target)
        assert [str(e) for e in report.errors] == []
        back = fresh.store.get_article(article.uuid)
        assert back is not None
        expected = content(article)
        if target == "out_md":  # Markdown import turns Windows line ends (CRLF) into LF, by design
            expected["body"] = expected["body"].replace("\r\n", "\n")
        assert content(back) == expected
    finally:
        source.close()
        fresh.close()


# -- the command line ----------------------------------------------------------------------------
# Each `python main.py` costs seconds of start-up, so one data folder serves the CLI tests: it
# starts empty (the CLI loads the demo knowledge base into it, when there is one) and gets our
# file imported once; every later command only reads or re-imports the same records.
CLI_GOOD = [
    record(
        title="琥珀鲸会员卡退订流程",
        body="退订琥珀鲸会员卡：核实身份后在系统中提交退订，次月生效。",
        category="测试/琥珀鲸",
        business_line="telecom",
    ),
    record(type="script", title="琥珀鲸会员挽留话术", body="先致歉，再介绍琥珀鲸会员的保留权益。"),
]
CLI_IDS = {r["id"] for r in CLI_GOOD}


@dataclass
class CliData:
    data_dir: Path
    source: Path
    first_import: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def cli_data(tmp_path_factory: pytest.TempPathFactory) -> CliData:
    """An empty data folder after `kb import` of a file with two good and two bad lines."""
    root = tmp_path_factory.mktemp("cli")
    source = write_jsonl(
        root / "琥珀鲸.jsonl",
        [CLI_GOOD[0], '{"type": "faq"', CLI_GOOD[1], record(type="memo")],
    )
    done = run_cli(root / "data", "kb", "import", str(source))
    return CliData(root / "data", source, done)


def test_cli_import_reports_bad_lines_and_exits_1(cli_data: CliData) -> None:
    done = cli_data.first_import
    assert done.returncode == 1, done.stderr
    assert "琥珀鲸.jsonl 第 2 行：不是有效的 JSON" in done.stderr
    assert "琥珀鲸.jsonl 第 4 行：类型“memo”无效" in done.stderr
    error_lines = [line for line in done.stderr.splitlines() if "琥珀鲸.jsonl" in line]
    assert len(error_lines) == 2, done.stderr
    assert "新增 2" in done.stdout and "错误 2" in done.stdout


def test_cli_import_of_good_lines_exits_0(cli_data: CliData) -> None:
    good_only = write_jsonl(cli_data.source.with_name("good.jsonl"), CLI_GOOD)
    done = run_cli(cli_data.data_dir, "kb", "import", str(good_only))
    assert done.returncode == 0, done.stderr
    assert "未变 2" in done.stdout and "错误 0" in done.stdout


def test_cli_missing_file_exits_2_in_the_chosen_language(cli_data: CliData) -> None:
    missing = cli_data.source.with_name("nothing.jsonl")
    done = run_cli(cli_data.data_dir, "--lang", "en", "kb", "import", str(missing))
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr and "nothing.jsonl" in done.stderr


def test_cli_export(cli_data: CliData) -> None:
    out = cli_data.source.with_name("export.jsonl")
    done = run_cli(cli_data.data_dir, "kb", "export", str(out))
    assert done.returncode == 0, done.stderr
    exported = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(exported) >= CLI_IDS
    mine = exported[CLI_GOOD[0]["id"]]
    assert mine["title"] == "琥珀鲸会员卡退订流程" and mine["category"] == "测试/琥珀鲸"
    assert str(len(exported)) in done.stdout


def test_cli_search_json(cli_data: CliData) -> None:
    done = run_cli(cli_data.data_dir, "kb", "search", "琥珀鲸会员", "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    answer = json.loads(lines[0])
    assert answer["query"] == "琥珀鲸会员"
    assert {r["id"] for r in answer["results"]} >= CLI_IDS
    for result in answer["results"]:
        assert {"id", "title", "type", "score", "snippet"} <= set(result)
        assert isinstance(result["score"], int | float)
    top = next(r for r in answer["results"] if r["id"] == CLI_GOOD[0]["id"])
    assert (top["title"], top["type"]) == ("琥珀鲸会员卡退订流程", "faq")
    assert "<b>" in top["snippet"]


def test_cli_search_json_stdin(cli_data: CliData) -> None:
    queries = ["琥珀鲸会员卡退订", "琥珀鲸挽留话术", "", "qqqqzzzzxxxx"]
    done = run_cli(
        cli_data.data_dir, "kb", "search", "--json", "--stdin", "--type", "script",
        stdin="".join(q + "\n" for q in queries),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.strip().splitlines()]
    assert [a["query"] for a in answers] == queries, "one JSON object per query, in order"
    assert CLI_GOOD[1]["id"] in [r["id"] for r in answers[1]["results"]]
    assert all(r["type"] == "script" for a in answers for r in a["results"])
    assert answers[2]["results"] == [] and answers[3]["results"] == []


def test_cli_import_into_a_fresh_folder_brings_no_demo(cli_data: CliData) -> None:
    """The command line never adds the demo articles: a center's KB holds only its own."""
    out = cli_data.source.with_name("only_ours.jsonl")
    done = run_cli(cli_data.data_dir, "kb", "export", str(out))
    assert done.returncode == 0, done.stderr
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["id"] for r in exported} == CLI_IDS


def test_cli_import_creates_business_lines_only_when_asked(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("cli_lines")
    source = write_jsonl(
        root / "center.jsonl",
        [record(id="h-001", title="小区停水通知", body="今晚停水。", business_line="物业")],
    )
    refused = run_cli(root / "data", "kb", "import", str(source))
    assert refused.returncode == 1
    assert "业务线“物业”未知" in refused.stderr and "--create-lines" in refused.stderr
    created = run_cli(root / "data", "kb", "import", "--create-lines", str(source))
    assert created.returncode == 0, created.stderr
    assert "新增 1" in created.stdout and "新建业务线：物业" in created.stdout
