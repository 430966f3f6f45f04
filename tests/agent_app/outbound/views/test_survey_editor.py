"""The survey editor, driven by keyboard and mouse on its real widgets: questions added,
typed, retyped, given options and branching rules, moved and deleted; problems shown in place
as they arise and gone when fixed; Save emits only a valid definition."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from agent_app.outbound.views.survey_editor import SurveyEditor
from common import texts
from common.surveys import Survey, demo_survey


@pytest.fixture(autouse=True)
def chinese_messages() -> Iterator[None]:
    before = texts.language()
    texts.set_language("zh_CN")
    yield
    texts.set_language(before)


@pytest.fixture
def editor(qtbot: QtBot) -> SurveyEditor:
    widget = SurveyEditor()
    qtbot.addWidget(widget)
    widget.resize(900, 620)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def type_chinese(widget: QWidget, text: str) -> None:
    """Chinese arrives from the input method as a committed string."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def option_label(editor: SurveyEditor, row: int) -> str:
    options = editor.definition()["questions"][0]["options"]
    return str(options[row]["label"]) if row < len(options) else ""


def rows(editor: SurveyEditor) -> list[str]:
    return [editor.list.item(i).text() for i in range(editor.list.count())]


def test_the_demo_survey_loads_and_saves_unchanged(qtbot: QtBot, editor: SurveyEditor) -> None:
    demo = demo_survey()
    editor.set_survey(demo)
    assert editor.list.count() == len(demo.questions)
    assert rows(editor)[0].startswith("1. [Yes/no] 最近三个月")
    assert editor.problems() == []
    with qtbot.waitSignal(editor.save_requested) as saved:
        click(qtbot, editor.save_button)
    assert Survey.model_validate(saved.args[0]) == demo


def test_a_new_question_is_written_by_keyboard_with_problems_shown_in_place(
    qtbot: QtBot, editor: SurveyEditor
) -> None:
    drafts: list[dict[str, Any]] = []
    editor.definition_changed.connect(drafts.append)
    editor.name_edit.setFocus()
    type_chinese(editor.name_edit, "物业回访")
    assert editor.survey_problems.text() == "问卷至少要有一个问题"
    click(qtbot, editor.add_button)
    assert editor.current == 0 and editor.id_edit.text() == "q1"
    assert QApplication.focusWidget() is editor.text_edit
    assert editor.question_problems.text() == "题目“q1”没有题干"
    assert editor.text_edit.property("invalid") is True
    assert rows(editor) == ["⚠ 1. [Rating 1–5] (no text yet)"]
    type_chinese(editor.text_edit, "您对保洁满意吗？")
    assert editor.question_problems.text() == ""
    assert editor.text_edit.property("invalid") is False
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Tab)  # Tab leaves the text for the next field
    assert QApplication.focusWidget() is editor.required_box
    qtbot.keyClick(editor.required_box, Qt.Key.Key_Space)
    assert rows(editor) == ["1. [Rating 1–5] 您对保洁满意吗？ *"]
    assert drafts[-1]["name"] == "物业回访"
    assert drafts[-1]["questions"][0] | {} == {
        "id": "q1",
        "type": "rating",
        "text": "您对保洁满意吗？",
        "required": True,
        "options": [],
        "branches": [],
    }
    assert editor.survey_problems.text() == "" and editor.problems() == []


def test_a_choice_question_needs_options_typed_into_the_table(
    qtbot: QtBot, editor: SurveyEditor
) -> None:
    editor.set_survey(
        {
            "uuid": "s",
            "name": "回访",
            "questions": [{"id": "area", "type": "text", "text": "哪方面？"}],
        }
    )
    assert not editor.options_group.isVisible()
    editor.type_combo.setFocus()
    qtbot.keyClick(editor.type_combo, Qt.Key.Key_Up)  # text -> yes/no
    qtbot.keyClick(editor.type_combo, Qt.Key.Key_Up)  # -> multiple choice
    assert editor.type_combo.currentData() == "multiple"
    assert editor.options_group.isVisible()
    assert editor.question_problems.text() == "选择题“area”至少需要 2 个选项"
    for row, label in enumerate(("保洁", "安保")):
        click(qtbot, editor.add_option_button)
        editing = QApplication.focusWidget()
        assert isinstance(editing, QLineEdit)  # the label cell's editor is open
        type_chinese(editing, label)
        qtbot.keyClick(editing, Qt.Key.Key_Return)
        # The table commits an edit from its event loop, not inside the key press.
        qtbot.waitUntil(lambda r=row, t=label: option_label(editor, r) == t)
    assert editor.definition()["questions"][0]["options"] == [
        {"code": "o1", "label": "保洁"},
        {"code": "o2", "label": "安保"},
    ]
    assert editor.question_problems.text() == ""
    editor.options_table.setCurrentCell(1, 0)
    editor.options_table.editItem(editor.options_table.item(1, 0))
    editing = QApplication.focusWidget()
    assert isinstance(editing, QLineEdit)
    editing.selectAll()
    qtbot.keyClicks(editing, "o1")
    qtbot.keyClick(editing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.definition()["questions"][0]["options"][1]["code"] == "o1")
    assert editor.question_problems.text() == "题目“area”的选项代码“o1”重复了"
    assert editor.options_table.property("invalid") is True
    click(qtbot, editor.remove_option_button)
    assert editor.question_problems.text() == "选择题“area”至少需要 2 个选项"


TWO = {
    "uuid": "s",
    "name": "回访",
    "questions": [
        {"id": "overall", "type": "rating", "text": "整体满意度？", "required": True},
        {"id": "why", "type": "text", "text": "为什么？"},
        {"id": "nps", "type": "nps", "text": "推荐度？"},
    ],
}


def test_a_branching_rule_is_typed_checked_and_fixed(qtbot: QtBot, editor: SurveyEditor) -> None:
    editor.set_survey(TWO)
    click(qtbot, editor.add_rule_button)
    value = editor.branches_table.cellWidget(0, 1)
    goto = editor.branches_table.cellWidget(0, 2)
    when = editor.branches_table.cellWidget(0, 0)
    assert isinstance(value, QLineEdit) and isinstance(goto, QComboBox)
    assert isinstance(when, QComboBox)
    assert QApplication.focusWidget() is value
    assert [goto.itemData(i) for i in range(goto.count())] == ["why", "nps", "end"]
    assert editor.question_problems.text() == "题目“overall”的跳转条件缺少取值"
    qtbot.keyClicks(value, "9")
    assert editor.question_problems.text() == "题目“overall”的跳转取值 9 超出范围 1–5"
    assert value.property("invalid") is True
    value.selectAll()
    qtbot.keyClicks(value, "4")
    assert editor.question_problems.text() == ""
    assert value.property("invalid") is False
    goto.setFocus()
    qtbot.keyClick(goto, Qt.Key.Key_Down)  # 'nps'
    when.setCurrentIndex(when.findData("between"))  # the range condition
    assert editor.question_problems.text().startswith("题目“overall”的跳转范围")
    value.selectAll()
    qtbot.keyClicks(value, "4-5")
    assert editor.problems() == []
    assert editor.definition()["questions"][0]["branches"] == [
        {"when": "between", "goto": "nps", "value": None, "low": 4, "high": 5}
    ]
    survey = editor.survey()
    assert survey is not None and survey.questions[0].branches[0].goto == "nps"


def test_renaming_a_question_carries_the_rules_that_jump_to_it(
    qtbot: QtBot, editor: SurveyEditor
) -> None:
    data = {**TWO, "questions": [dict(q) for q in TWO["questions"]]}  # type: ignore[arg-type]
    data["questions"][0]["branches"] = [{"when": "equals", "value": 5, "goto": "nps"}]
    editor.set_survey(data)
    editor.list.setCurrentRow(2)
    editor.id_edit.setFocus()
    editor.id_edit.selectAll()
    qtbot.keyClicks(editor.id_edit, "recommend")
    assert editor.definition()["questions"][0]["branches"][0]["goto"] == "recommend"
    assert editor.problems() == []


def test_moving_and_deleting_questions_and_a_backward_jump(
    qtbot: QtBot, editor: SurveyEditor
) -> None:
    data = {**TWO, "questions": [dict(q) for q in TWO["questions"]]}  # type: ignore[arg-type]
    data["questions"][0]["branches"] = [{"when": "equals", "value": 1, "goto": "why"}]
    editor.set_survey(data)
    editor.list.setCurrentRow(1)
    click(qtbot, editor.up_button)  # 'why' now comes before 'overall', which jumps to it
    assert [q["id"] for q in editor.definition()["questions"]] == ["why", "overall", "nps"]
    assert editor.current == 0
    assert rows(editor)[1].startswith("⚠ 2.")
    assert (
        editor.list.item(1).toolTip() == "整体满意度？\n题目“overall”只能向后跳转，“why”不在它之后"
    )
    click(qtbot, editor.down_button)
    assert editor.problems() == []
    editor.list.setCurrentRow(2)
    click(qtbot, editor.delete_button)
    assert [q["id"] for q in editor.definition()["questions"]] == ["overall", "why"]
    assert editor.current == 1


def test_save_with_problems_emits_nothing_and_shows_the_question(
    qtbot: QtBot, editor: SurveyEditor
) -> None:
    data = {**TWO, "questions": [dict(q) for q in TWO["questions"]]}  # type: ignore[arg-type]
    data["questions"][2] = {"id": "overall", "type": "yes_no", "text": "再问一次"}
    editor.set_survey(data)
    editor.list.setCurrentRow(1)
    saved: list[dict[str, Any]] = []
    editor.save_requested.connect(saved.append)
    click(qtbot, editor.save_button)
    assert saved == []
    assert editor.current == 0  # the first question with a problem is shown
    assert editor.question_problems.text() == "题目编号“overall”重复了"
    assert editor.id_edit.property("invalid") is True
    assert rows(editor)[2].startswith("⚠ 3.")  # the other use is marked too
    editor.list.setCurrentRow(2)
    editor.id_edit.setFocus()
    editor.id_edit.selectAll()
    qtbot.keyClicks(editor.id_edit, "again")
    with qtbot.waitSignal(editor.save_requested):
        click(qtbot, editor.save_button)
