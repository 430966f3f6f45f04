"""Templates and the checks of each article type; contact-point codes; the conflict blocks of
a merged text; the side-by-side diff."""

from __future__ import annotations

import pytest

from agent_app.authoring import templates
from agent_app.authoring.conflicts import marked_regions, settle
from agent_app.authoring.contact_point import contact_point_problem
from agent_app.authoring.diff import side_by_side
from agent_app.authoring.preview import preview_html
from common.articles import ARTICLE_TYPES
from common.merge import has_markers, merge_text
from common.texts import set_language


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh_CN")


@pytest.mark.parametrize("article_type", ARTICLE_TYPES)
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_template_passes_its_own_checks(article_type: str, lang: str) -> None:
    body = templates.template(article_type, lang)
    point = "AA1102" if article_type == "flow" else ""
    assert templates.problems(article_type, "标题", body, point) == []


def test_a_script_with_a_button_to_nowhere_is_refused() -> None:
    body = "您好{姓名}\n\n[[方便 -> 介绍]]\n"
    [problem] = templates.problems("script", "外呼", body)
    assert problem.field == "body" and "介绍" in problem.message and problem.line == 3


def test_a_flow_must_end_in_a_read_back_and_name_its_contact_point() -> None:
    body = "1. 核实身份\n2. 办理业务\n"
    found = templates.problems("flow", "办理", body, "")
    assert {p.field for p in found} == {"contact_point", "body"}
    assert "复述" in [p for p in found if p.field == "body"][0].message
    assert templates.problems("flow", "办理", body + "3. 复述办理结果\n", "AAB1102") == []
    # Steps inside a code block do not count.
    fenced = body + "```\n3. 复述\n```\n"
    assert templates.problems("flow", "办理", fenced, "AA1102") != []
    assert templates.flow_steps("1、核实\n2）复述\n") == ["核实", "复述"]


@pytest.mark.parametrize("code", ["AA1102", "AAA1102", "DCE2301", "aab1102", " BA1201 "])
def test_contact_points_of_the_service_map(code: str) -> None:
    assert contact_point_problem(code) == ""


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("EA1102", "渠道"),
        ("AF1102", "品牌"),
        ("A1102", "格式"),
        ("AA0102", "业务编码"),
        ("AA1100", "业务编码"),
    ],
)
def test_a_wrong_contact_point_says_what_is_wrong(code: str, word: str) -> None:
    assert word in contact_point_problem(code)


def test_contact_point_messages_in_english() -> None:
    set_language("en")
    assert "brand" in contact_point_problem("AF1102")
    assert "needs the contact-point" in contact_point_problem("", required=True)


def test_conflict_blocks_are_found_and_settled() -> None:
    merged = merge_text("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n").text
    [region] = marked_regions(merged)
    assert has_markers(merged)
    assert settle(merged, region, "mine") == "a\nB1\nc\n"
    assert settle(merged, region, "theirs") == "a\nB2\nc\n"
    assert settle(merged, region, "both") == "a\nB1\nB2\nc\n"
    assert not has_markers(settle(merged, region, "both"))


def test_the_diff_lines_up_rows_and_marks_changes() -> None:
    diff = side_by_side("第一行\n第二行\n第三行\n", "第一行\n第二行改了\n新增一行\n第三行\n")
    assert diff.changes == 1
    assert diff.left.count("<tr>") == diff.right.count("<tr>")
    assert "改了" in diff.right and "#86efac" in diff.right
    assert side_by_side("同\n", "同\n").changes == 0


def test_a_scripts_preview_shows_its_nodes_buttons_and_fields() -> None:
    page = preview_html("script", templates.template("script"))
    assert "▸ 介绍方案" in page and "〔姓名〕" in page and "〔套餐〕" in page
    assert "方便&nbsp;</span>→介绍方案" in page
    assert "[[" not in page  # buttons drawn as buttons, not as typed
    # A script with a problem is shown as written (the problem is listed under the editor).
    assert "[[去哪 -&gt; 不存在]]" in preview_html("script", "开场\n\n[[去哪 -> 不存在]]\n")
    # Other types: Markdown as agents read it.
    assert "<h2>解答</h2>" in preview_html("faq", templates.template("faq"))
