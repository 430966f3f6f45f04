"""common/merge.py: the three-way merge of articles the conflict view and the benchmark use."""

from __future__ import annotations

from common.merge import (
    MINE_MARKER,
    SEPARATOR_MARKER,
    THEIRS_MARKER,
    has_markers,
    merge_article,
    merge_list,
    merge_text,
)

BASE = "一、核对身份\n二、查询账户\n三、说明时限\n四、复述结果\n"


def test_edits_of_different_lines_merge_without_conflict() -> None:
    mine = BASE.replace("核对身份", "核对身份证原件")
    theirs = BASE.replace("复述结果", "复述结果并致谢")
    merged = merge_text(BASE, mine, theirs)
    assert not merged.has_conflicts
    assert merged.text == "一、核对身份证原件\n二、查询账户\n三、说明时限\n四、复述结果并致谢\n"
    assert not has_markers(merged.text)


def test_edits_of_the_same_line_are_a_conflict_between_readable_markers() -> None:
    mine = BASE.replace("说明时限", "说明时限：三个工作日")
    theirs = BASE.replace("说明时限", "说明时限：五个工作日")
    merged = merge_text(BASE, mine, theirs)
    assert merged.has_conflicts
    lines = merged.text.splitlines()
    assert lines == [
        "一、核对身份",
        "二、查询账户",
        MINE_MARKER,
        "三、说明时限：三个工作日",
        SEPARATOR_MARKER,
        "三、说明时限：五个工作日",
        THEIRS_MARKER,
        "四、复述结果",
    ]
    [region] = merged.conflicts
    assert (region.start, region.end) == (2, 7)
    assert region.base == ("三、说明时限\n",)
    assert region.mine == ("三、说明时限：三个工作日\n",)
    assert region.theirs == ("三、说明时限：五个工作日\n",)
    assert has_markers(merged.text)


def test_a_last_line_without_newline_keeps_markers_on_their_own_lines() -> None:
    merged = merge_text("甲\n乙", "甲\n乙一", "甲\n乙二")
    assert merged.text.splitlines() == [
        "甲",
        MINE_MARKER,
        "乙一",
        SEPARATOR_MARKER,
        "乙二",
        THEIRS_MARKER,
    ]


def test_the_same_change_on_both_sides_is_taken_once() -> None:
    both = BASE.replace("查询账户", "查询宽带账户")
    assert merge_text(BASE, both, both).text == both
    assert merge_text(BASE, BASE, both).text == both


def test_lists_keep_both_sides_additions_and_removals() -> None:
    assert merge_list(["宽带", "资费"], ["宽带", "报装"], ["宽带", "资费", "光纤"]) == [
        "宽带",
        "光纤",
        "报装",
    ]


def test_fields_merge_one_by_one_and_only_two_different_changes_conflict() -> None:
    base = {
        "title": "宽带报装",
        "category": "宽带",
        "body": BASE,
        "tags": ["宽带"],
        "attachments": [],
    }
    png = {"sha256": "a" * 64, "name": "图.png", "mime": "image/png", "size": 3}
    mine = {**base, "title": "宽带报装流程", "tags": ["宽带", "报装"], "attachments": [png]}
    theirs = {**base, "category": "宽带/报装", "body": BASE.replace("复述结果", "复述结果并致谢")}
    merged = merge_article(base, mine, theirs)
    assert not merged.has_conflicts
    assert merged.fields["title"] == "宽带报装流程" and merged.fields["category"] == "宽带/报装"
    assert merged.fields["tags"] == ["宽带", "报装"] and merged.fields["attachments"] == [png]
    assert "复述结果并致谢" in merged.fields["body"]

    clash = merge_article(base, {**base, "title": "甲"}, {**base, "title": "乙"})
    assert clash.has_conflicts and clash.fields["title"] == "甲"
    [conflict] = clash.field_conflicts
    assert (conflict.name, conflict.base, conflict.mine, conflict.theirs) == (
        "title",
        "宽带报装",
        "甲",
        "乙",
    )
