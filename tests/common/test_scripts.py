"""Call scripts: nodes and branch buttons parsed, broken branches reported, customer fields
filled (gaps shown, values unable to inject Markdown, HTML or buttons), the walk through."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest

from common import texts
from common.scripts import (
    Choice,
    ScriptWalk,
    demo_script_article,
    escape_markdown,
    fill_plain,
    node_html,
    parse_script,
    record_values,
    script_problems,
)

SCRIPT = """您好，请问是{姓名}吗？我是{楼盘}物业的回访专员。
[[方便 -> 开始回访]] [[不方便 → 约时间]]

## 开始回访
请问您对{楼盘}的保洁满意吗？

[[满意 -> 结束]]
[[不满意 -> 记录]]

## 记录 ##
好的，已记录。

```
## 这不是节点
[[也不是按钮]]
```
[[结束]]

## 约时间
{{括号}}里的字照原样显示。

## 结束
谢谢，再见！
"""


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    before = texts.language()
    texts.set_language("zh_CN")
    yield
    texts.set_language(before)


def test_nodes_and_buttons_are_parsed() -> None:
    script = parse_script(SCRIPT)
    assert [n.title for n in script.nodes] == ["", "开始回访", "记录", "约时间", "结束"]
    opening = script.nodes[0]
    assert opening.text == "您好，请问是{姓名}吗？我是{楼盘}物业的回访专员。"
    assert opening.choices == (Choice("方便", "开始回访", 2), Choice("不方便", "约时间", 2))
    assert [(c.label, c.target) for c in script.nodes[1].choices] == [
        ("满意", "结束"),
        ("不满意", "记录"),
    ]
    record = script.node("记录")
    assert record is not None
    assert "## 这不是节点" in record.text and "[[也不是按钮]]" in record.text
    assert record.choices == (Choice("结束", "结束", 17),)
    assert script.node("结束").choices == ()  # type: ignore[union-attr]
    assert script_problems(script) == []
    assert script.field_names() == ["姓名", "楼盘"]


def test_without_opening_text_the_first_node_opens() -> None:
    script = parse_script("\n\n## 第一步\n说明\n[[下一步 -> 第二步]]\n## 第二步\n完")
    assert script.start is not None and script.start.title == "第一步"


def test_a_button_to_a_missing_node_is_reported_with_its_line() -> None:
    problems = script_problems("开场\n[[同意 -> 介绍方案]]\n## 介绍\n内容")
    assert [(p.key, p.line) for p in problems] == [("missing_target", 2)]
    assert problems[0].message == "第 2 行：按钮“同意”指向的节点“介绍方案”不存在"
    texts.set_language("en")
    assert script_problems("[[ok -> gone]]")[0].message.startswith(
        "Line 1: the button 'ok' goes to 'gone'"
    )


def test_repeated_titles_empty_buttons_and_inline_buttons_are_reported() -> None:
    body = "开场 [[内嵌 -> A]] 文字\n[[ -> A]]\n## A\n一\n## A\n二\n##\n### 小标题不是节点\n"
    assert [(p.key, p.line) for p in script_problems(body)] == [
        ("inline_choice", 1),
        ("empty_choice", 2),
        ("duplicate_node", 5),
        ("empty_node_title", 7),
    ]
    assert [p.key for p in script_problems("  \n")] == ["empty_script"]


def test_fields_are_filled_and_gaps_shown_visibly() -> None:
    values = record_values("张伟", {"楼盘": "阳光花园", "房号": " "})
    assert fill_plain("{姓名}，{ 楼盘 }{房号}，{车位}", values) == (
        "张伟，阳光花园【未提供：房号】，【未提供：车位】"
    )
    page = node_html(parse_script("我是{楼盘}物业，房号{房号}。").nodes[0], values)
    assert '<span style="color:#b91c1c;font-weight:600">【未提供：房号】</span>' in page
    texts.set_language("en")
    assert fill_plain("{车位}", values) == "[not provided: 车位]"


def test_literal_braces_stay() -> None:
    script = parse_script(SCRIPT)
    page = node_html(script.node("约时间"), {})  # type: ignore[arg-type]
    assert "{括号}里的字照原样显示" in page


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "**王**[点我](javascript:alert(1))",
        "张\n## 假节点\n[[跳 -> 结束]]",
        "&lt;b&gt;",
        "`代码` _斜_ ~~删~~ # 标题",
        "{楼盘}",
    ],
)
def test_a_customer_value_cannot_inject_markup_buttons_or_fields(name: str) -> None:
    script = parse_script("您好，{姓名}。\n[[继续 -> 结束]]\n## 结束\n再见")
    values = record_values(name, {"楼盘": "阳光花园"})
    page = node_html(script.nodes[0], values)
    shown = " ".join(name.split())
    # The value appears exactly as text: no element, link or emphasis of its own.
    assert page == f"<p>您好，{html.escape(shown, quote=False)}。</p>\n"
    assert "阳光花园" not in page  # a value holding {楼盘} is not filled in again
    assert len(script.nodes) == 2  # nothing the customer says becomes a node or a button


def test_escape_markdown_keeps_the_text_and_folds_lines() -> None:
    assert escape_markdown("3-2-101 (东)\n二楼") == "3\\-2\\-101 \\(东\\) 二楼"


def test_walking_through_the_buttons_back_and_breadcrumbs() -> None:
    walk = ScriptWalk(parse_script(SCRIPT))
    assert walk.path == [""] and not walk.can_go_back()
    assert walk.choose(0).title == "开始回访"  # type: ignore[union-attr]
    assert walk.choose(1).title == "记录"  # type: ignore[union-attr]
    assert walk.choose(0).title == "结束"  # type: ignore[union-attr]
    assert walk.path == ["", "开始回访", "记录", "结束"]
    assert walk.choose(0) is None  # the end node has no buttons
    assert walk.back().title == "记录"  # type: ignore[union-attr]
    assert walk.go_to(1).title == "开始回访"  # type: ignore[union-attr]
    assert walk.path == ["", "开始回访"]
    walk.restart()
    assert walk.path == [""]


def test_a_button_to_a_missing_node_does_not_move() -> None:
    walk = ScriptWalk(parse_script("开场\n[[去 -> 不存在]]"))
    assert not walk.can_choose(walk.current.choices[0])  # type: ignore[union-attr]
    assert walk.choose(0) is None
    assert walk.path == [""]


def test_the_demo_script_is_valid_and_uses_the_demo_list_columns() -> None:
    article = demo_script_article()
    assert article.type == "script"
    assert script_problems(article.body) == []
    script = parse_script(article.body)
    assert script.field_names() == ["姓名", "楼盘", "房号"]
    walk = ScriptWalk(script)
    assert walk.choose(0).title == "开始回访"  # type: ignore[union-attr]
