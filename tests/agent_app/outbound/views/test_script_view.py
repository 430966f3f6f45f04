"""The call-script view, driven by keys (sent where the focus is) and clicks on its real
buttons: fields filled in, branch buttons followed, back, breadcrumb, restart, broken
branches shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from agent_app.outbound.views.script_view import ScriptView
from common.scripts import demo_script_body, record_values

SCRIPT = """您好，请问是{姓名}吗？我是{楼盘}物业的回访专员。
[[方便 -> 开始回访]] [[不方便 -> 约时间]]

## 开始回访
请问您对保洁满意吗？
[[满意 -> 结束]] [[不满意 & 投诉 -> 记录]]

## 记录
已记录，{房号}的问题会转给经理。
[[好的 -> 结束]]

## 约时间
请问什么时间方便？

## 结束
谢谢，再见！
"""


@pytest.fixture
def view(qtbot: QtBot) -> ScriptView:
    widget = ScriptView()
    qtbot.addWidget(widget)
    widget.resize(420, 420)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)


def choices(view: ScriptView) -> list[str]:
    return [b.text() for b in view.choice_buttons]


def test_the_opening_is_filled_in_and_its_buttons_shown(view: ScriptView) -> None:
    view.set_script(SCRIPT, record_values("<b>张伟</b>", {"楼盘": "阳光花园"}), title="满意度回访")
    text = view.body.toPlainText().strip()
    assert (
        text == "您好，请问是<b>张伟</b>吗？我是阳光花园物业的回访专员。"
    )  # the name as text, not bold
    assert choices(view) == ["1  方便", "2  不方便"]
    assert view.crumbs.text() == "<b>Opening</b>"
    assert not view.back_button.isEnabled()
    assert view.problems.isHidden()


def test_keys_follow_the_branches_back_and_restart(qtbot: QtBot, view: ScriptView) -> None:
    view.set_script(SCRIPT, record_values("张伟", {"楼盘": "阳光花园"}))
    view.setFocus()
    shown: list[str] = []
    view.node_changed.connect(shown.append)
    press(qtbot, Qt.Key.Key_1)
    assert view.path() == ["", "开始回访"]
    assert choices(view) == ["1  满意", "2  不满意 && 投诉"]  # '&' shown, not a mnemonic
    assert focused() is view.choice_buttons[0]
    press(qtbot, Qt.Key.Key_2)
    assert view.path() == ["", "开始回访", "记录"]
    assert "【未提供：房号】" in view.body.toPlainText()
    press(qtbot, Qt.Key.Key_Backspace)
    assert view.path() == ["", "开始回访"]
    press(qtbot, Qt.Key.Key_1)
    assert view.path() == ["", "开始回访", "结束"]
    assert choices(view) == [] and view.end_label.isVisible()
    assert focused() is view.back_button
    press(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.path() == ["", "开始回访"]
    press(qtbot, Qt.Key.Key_9)  # no ninth button: nothing happens
    assert view.path() == ["", "开始回访"]
    press(qtbot, Qt.Key.Key_Home)
    assert view.path() == [""]
    assert shown == ["开始回访", "记录", "开始回访", "结束", "开始回访", ""]


def test_mouse_clicks_on_buttons_and_breadcrumb_links(qtbot: QtBot, view: ScriptView) -> None:
    view.set_script(SCRIPT, {})
    qtbot.mouseClick(view.choice_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.choice_buttons[1], Qt.MouseButton.LeftButton)
    assert view.path() == ["", "开始回访", "记录"]
    assert view.crumbs.text() == "<a href='0'>Opening</a> › <a href='1'>开始回访</a> › <b>记录</b>"
    view.crumbs.linkActivated.emit("1")  # what a click on the crumb's link sends
    assert view.path() == ["", "开始回访"]
    qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)
    assert view.path() == [""]
    qtbot.mouseClick(view.choice_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.restart_button, Qt.MouseButton.LeftButton)
    assert view.path() == [""]


def test_tab_goes_through_the_buttons_then_back(qtbot: QtBot, view: ScriptView) -> None:
    view.set_script(SCRIPT, {})
    view.choose(0)
    assert focused() is view.choice_buttons[0]
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.choice_buttons[1]
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is view.back_button


def test_a_broken_branch_is_shown_and_its_button_disabled(view: ScriptView) -> None:
    view.set_script("开场\n[[同意 -> 介绍方案]] [[拒绝 -> 结束]]\n## 结束\n再见", {})
    assert view.problems.isVisible()
    assert "“介绍方案”不存在" in view.problems.text() or "'介绍方案'" in view.problems.text()
    broken, fine = view.choice_buttons
    assert not broken.isEnabled() and fine.isEnabled()
    view.choose(0)
    assert view.path() == [""]


def test_new_values_refill_the_node_shown(view: ScriptView) -> None:
    view.set_script(SCRIPT, record_values("张伟", {}))
    assert "【未提供：楼盘】" in view.body.toPlainText()
    view.set_values(record_values("张伟", {"楼盘": "阳光花园"}))
    assert "阳光花园" in view.body.toPlainText()


def test_no_script_says_so(view: ScriptView) -> None:
    view.set_script("", {})
    assert view.body.toPlainText().strip() == "No script for this campaign."
    assert view.choice_buttons == []


def test_the_demo_script_reads_through(view: ScriptView) -> None:
    view.set_script(
        demo_script_body(), record_values("李娜", {"楼盘": "翠湖苑", "房号": "5-1-302"})
    )
    assert view.problems.isHidden()
    assert "李娜" in view.body.toPlainText()
    view.choose(2)  # 不是本人
    assert "翠湖苑5-1-302" in view.body.toPlainText()
    assert isinstance(view.choice_buttons[0], QPushButton)
