"""The Center codes dialog (issue 11 #13) with real widgets against the real backend over
HTTP: an admin adds, renames, reorders, deactivates and reactivates codes through the dialog's
own buttons; the server holds what the dialog shows, refusals are shown in the user's language,
and the admin's own seat offers the change after the sync it triggers. Other roles do not get
the menu entry."""

from __future__ import annotations

import uuid as uuidlib

from agent_app.admin.qt.center_codes import CenterCodesController, open_center_codes
from agent_app.admin.views.center_codes import CenterCodesDialog, CodeTab
from agent_app.shell.app import AppController
from sync.api_client import ApiClient


def open_dialog(qtbot, app: AppController) -> CenterCodesController:  # type: ignore[no-untyped-def]
    action = app.window.center_codes_action
    assert action.isVisible()
    action.trigger()
    controller = app.center_codes
    assert controller is not None
    qtbot.waitUntil(lambda: bool(controller.lists), timeout=15_000)
    return controller


def codes_of(tab: CodeTab) -> list[str]:
    return [e.code for e in tab.entries]


def server_codes(client: ApiClient, kind: str) -> dict[str, object]:
    return {c.code: c for c in client.taxonomy().codes[kind]}


def wait_idle(qtbot, dialog: CenterCodesDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.refresh_button.isEnabled(), timeout=15_000)


def test_an_admin_keeps_the_centers_lists_in_the_dialog(qtbot, backend, api, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    admin_name = backend.new_user("admin")
    app = logged_in_app(backend.url, admin_name)
    check = api(backend.url, admin_name)
    controller = open_dialog(qtbot, app)
    dialog = controller.view
    assert dialog.windowTitle() == "中心代码管理"
    assert [dialog.tab_widget.tabText(i) for i in range(dialog.tab_widget.count())] == [
        "业务线",
        "知识分类",
        "话后小结",
        "未就绪原因",
        "外呼结果",
    ]
    tab = dialog.tabs["not_ready"]
    dialog.tab_widget.setCurrentWidget(tab)
    assert codes_of(tab)[:4] == ["training", "meeting", "paperwork", "other"]

    # Add.
    code = "coach_" + uuidlib.uuid4().hex[:6]
    tab.code_edit.setText(code)
    tab.zh_edit.setText("辅导" + code[-4:])
    tab.en_edit.setText("Coaching")
    tab.add_button.click()
    qtbot.waitUntil(lambda: code in codes_of(tab), timeout=15_000)
    wait_idle(qtbot, dialog)
    assert dialog.notice.text() == "已添加。"
    assert server_codes(check, "not_ready")[code].name_en == "Coaching"
    assert tab.selected_code() == code and tab.code_edit.text() == code

    # Rename through the form.
    tab.zh_edit.setText("一对一辅导" + code[-4:])
    tab.rename_button.click()
    qtbot.waitUntil(
        lambda: server_codes(check, "not_ready")[code].name_zh == "一对一辅导" + code[-4:],
        timeout=15_000,
    )
    wait_idle(qtbot, dialog)
    row = codes_of(tab).index(code)
    assert tab.table.item(row, 1).text() == "一对一辅导" + code[-4:]

    # Move up: the list is renumbered and the code comes before the one above it.
    above = codes_of(tab)[row - 1]
    tab.select(code)
    tab.up_button.click()
    qtbot.waitUntil(lambda: codes_of(tab).index(code) == row - 1, timeout=15_000)
    wait_idle(qtbot, dialog)
    listed = list(server_codes(check, "not_ready"))
    assert listed.index(code) == listed.index(above) - 1

    # The admin's own seat offers the new reason after the sync the change set off.
    bar = app.phone.bar
    qtbot.waitUntil(lambda: f"not_ready:{code}" in bar.state_actions, timeout=15_000)

    # Deactivate, then reactivate, with the same button.
    tab.select(code)
    assert tab.active_button.text() == "停用"
    tab.active_button.click()
    qtbot.waitUntil(lambda: not server_codes(check, "not_ready")[code].active, timeout=15_000)
    wait_idle(qtbot, dialog)
    row = codes_of(tab).index(code)
    assert tab.table.item(row, 3).text() == "已停用"
    tab.select(code)
    assert tab.active_button.text() == "重新启用"
    qtbot.waitUntil(lambda: f"not_ready:{code}" not in bar.state_actions, timeout=15_000)
    tab.active_button.click()
    qtbot.waitUntil(lambda: server_codes(check, "not_ready")[code].active, timeout=15_000)
    wait_idle(qtbot, dialog)

    # A refusal is shown in the user's language; nothing changes.
    tab.code_edit.setText(code)
    tab.zh_edit.setText("别的名字")
    tab.add_button.click()
    qtbot.waitUntil(lambda: "该代码或名称已存在" in dialog.notice.text(), timeout=15_000)
    wait_idle(qtbot, dialog)
    assert server_codes(check, "not_ready")[code].name_zh == "一对一辅导" + code[-4:]

    # What the form lacks is said before anything is sent, in the user's language.
    tab.table.clearSelection()
    tab.clear_form()
    tab.code_edit.setText("a b")
    tab.zh_edit.setText("空格")
    tab.add_button.click()
    assert "代码须为 1 至 64 个字母" in dialog.notice.text()
    tab.code_edit.setText(code + "_x")
    tab.zh_edit.clear()
    tab.add_button.click()
    assert dialog.notice.text() == "需要填写中文名"
    assert dialog.refresh_button.isEnabled(), "nothing on its way"
    assert code + "_x" not in server_codes(check, "not_ready")

    # An outcome carries the meaning chosen in the form.
    outcomes = dialog.tabs["outcome"]
    dialog.tab_widget.setCurrentWidget(outcomes)
    refused = "refused_" + code[-4:]
    outcomes.table.clearSelection()
    outcomes.code_edit.setText(refused)
    outcomes.zh_edit.setText("拒访" + code[-4:])
    outcomes.en_edit.setText("Refused")
    outcomes.meaning_combo.setCurrentIndex(outcomes.meaning_combo.findData("not_successful"))
    outcomes.add_button.click()
    qtbot.waitUntil(lambda: refused in codes_of(outcomes), timeout=15_000)
    assert server_codes(check, "outcome")[refused].meaning == "not_successful"
    row = codes_of(outcomes).index(refused)
    assert outcomes.table.item(row, 3).text() == "不成功"
    dialog.reject()


def test_other_roles_get_no_center_codes_entry(qtbot, backend, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    agent = logged_in_app(backend.url, backend.new_user("supervisor"))
    assert not agent.window.center_codes_action.isVisible()
    assert agent.login is not None
    assert (
        open_center_codes(agent.taskman, agent.login.client, "supervisor", False, agent.window)
        is None
    )


def test_logging_out_closes_the_dialog(qtbot, backend, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user("manager"))
    controller = open_dialog(qtbot, app)
    dialog = controller.view
    assert dialog.isVisible()
    app.log_out()
    qtbot.waitUntil(lambda: app.center_codes is None, timeout=15_000)
    assert not app.window.center_codes_action.isVisible()
