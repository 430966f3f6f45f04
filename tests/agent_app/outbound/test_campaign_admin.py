"""The supervisor's campaign pane in the real app against a real backend over HTTP: a campaign
created and edited through the editor, pause and close, the pane only for the roles that run
campaigns, and a server that has gone away told in Chinese while the window keeps working."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from agent_app.outbound.views.campaign_editor import CampaignEditor, SurveyDialog
from agent_app.outbound.views.dnc_dialog import DncDialog
from agent_app.outbound.views.holiday_dialog import HolidayDialog
from common.outbound import CampaignIn
from sync.api_client import ApiClient
from tests.helpers.backend import TestBackend
from tests.helpers.corpus import type_text


def last_dialog(controller, kind):  # type: ignore[no-untyped-def]
    dialog = controller.dialogs[-1]
    assert isinstance(dialog, kind)
    return dialog


def open_campaigns(qtbot, app):  # type: ignore[no-untyped-def]
    """The campaign pane in front, freshly loaded; its controller."""
    controller = app.campaigns
    assert controller is not None
    app.window.show_view(controller.view)
    with qtbot.waitSignal(controller.refreshed, timeout=10_000):
        controller.refresh()
    return controller


def server_campaign(client, name: str):  # type: ignore[no-untyped-def]
    return next((c for c in client.campaigns() if c.name == name), None)


def test_supervisor_creates_edits_pauses_and_closes_a_campaign(
    qtbot, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    supervisor = backend.new_user("supervisor")
    client = api(backend.url, supervisor)
    app = logged_in_app(backend.url, supervisor)
    controller = open_campaigns(qtbot, app)
    view = controller.view
    assert app.window.pane_of(view).title == "外呼活动"
    # Below the knowledge base beside a right-hand column, on a 1024 x 768 seat: the pane's
    # buttons fold into its tool bar's » menu rather than widen the window.
    assert view.minimumSizeHint().width() <= 1024 - 400

    view.new_button.click()
    editor = last_dialog(controller, CampaignEditor)
    name = f"物业满意度回访-{uuid.uuid4().hex[:6]}"
    type_text(editor.name_edit, name)
    editor.line_combo.setCurrentIndex(editor.line_combo.findData("property"))
    # The script: found by its title in the workstation's knowledge base.
    type_text(editor.script_search_edit, "物业费缴费")
    qtbot.waitUntil(lambda: editor.script_results.count() > 0, timeout=10_000)
    editor.script_results.itemClicked.emit(editor.script_results.item(0))
    assert editor.script_uuid == str(uuid.UUID(int=4))
    assert editor.script_label.text() == "物业费缴费方式"
    # Calling hours per weekday, Monday's copied to the working week; Sunday without calls.
    editor.hour_edits[0].setText("8:30-12:00, 14:00-18:00")
    editor.findChild(type(editor.save_button), "campaignHoursCopy").click()
    editor.hour_edits[5].setText("10:00-16:00")
    editor.hour_edits[6].clear()
    # Retries: busy after two hours at most five times; an unsuccessful contact tried again
    # the next day; two attempts a day; callbacks open to anyone after half an hour.
    editor.retry_delays["busy"].setValue(120)
    editor.retry_max["busy"].setValue(5)
    editor.retry_checks["not_successful"].setChecked(True)
    editor.retry_delays["not_successful"].setValue(1440)
    editor.per_day.setValue(2)
    editor.callback_anyone.setChecked(True)
    editor.handover.setValue(30)
    editor.mask_check.setChecked(True)
    # A new survey, written in the survey editor and chosen for the campaign once stored.
    editor.survey_new.click()
    survey_dialog = last_dialog(controller, SurveyDialog)
    surveys = survey_dialog.editor
    type_text(surveys.name_edit, "物业满意度问卷")
    surveys.add_button.click()
    surveys.text_edit.setPlainText("您对物业服务满意吗？")
    with qtbot.waitSignal(survey_dialog.finished, timeout=10_000):
        surveys.save_button.click()
    qtbot.waitUntil(lambda: editor.survey_combo.currentText() == "物业满意度问卷", timeout=10_000)
    survey_uuid = editor.survey_combo.currentData()
    stored = client.survey(survey_uuid)
    assert stored.name == "物业满意度问卷"
    assert stored.definition["questions"][0]["text"] == "您对物业服务满意吗？"
    with qtbot.waitSignal(controller.saved, timeout=10_000):
        editor.save_button.click()

    saved = server_campaign(client, name)
    assert saved.survey_uuid == survey_uuid
    assert saved is not None
    assert saved.business_line == "property"
    assert saved.script_article_uuid == str(uuid.UUID(int=4))
    days = saved.calling_hours.days
    assert days[0] == [("08:30", "12:00"), ("14:00", "18:00")]
    assert days[4] == days[0]
    assert days[5] == [("10:00", "16:00")]
    assert days[6] == []
    busy = saved.retry_policy.for_meaning("busy")
    assert (busy.retry, busy.delay_minutes, busy.max_attempts) == (True, 120, 5)
    unsuccessful = saved.retry_policy.for_meaning("not_successful")
    assert (unsuccessful.retry, unsuccessful.delay_minutes) == (True, 1440)
    assert saved.max_attempts_per_day == 2
    assert (saved.callback_mode, saved.callback_handover_minutes) == ("anyone", 30)
    assert saved.mask_numbers
    qtbot.waitUntil(lambda: (view.current_campaign() or {}).get("name") == name, timeout=10_000)
    assert "已创建" in view.notice.text()

    # Edit it: hours that end before they start are refused before anything is sent.
    view.edit_button.click()
    editor = last_dialog(controller, CampaignEditor)
    assert editor.name_edit.text() == name
    qtbot.waitUntil(lambda: editor.script_label.text() == "物业费缴费方式", timeout=10_000)
    editor.hour_edits[2].setText("18:00-09:00")
    editor.save_button.click()
    assert editor.isVisible() and editor.tabs.currentIndex() == 1
    assert "结束时间须晚于开始时间" in editor.feedback.label.text()
    editor.hour_edits[2].setText("09:00-17:00")
    editor.per_day.setValue(4)
    # The campaign's survey, opened from the server and changed.
    qtbot.waitUntil(lambda: editor.survey_combo.currentData() == survey_uuid, timeout=10_000)
    editor.survey_edit.click()
    qtbot.waitUntil(lambda: isinstance(controller.dialogs[-1], SurveyDialog), timeout=10_000)
    survey_dialog = controller.dialogs[-1]
    surveys = survey_dialog.editor
    assert surveys.name_edit.text() == "物业满意度问卷"
    assert surveys.list.count() == 1
    surveys.name_edit.clear()
    type_text(surveys.name_edit, "物业满意度问卷（第二版）")
    with qtbot.waitSignal(survey_dialog.finished, timeout=10_000):
        surveys.save_button.click()
    qtbot.waitUntil(
        lambda: editor.survey_combo.currentText() == "物业满意度问卷（第二版）", timeout=10_000
    )
    assert editor.survey_combo.currentData() == survey_uuid
    assert client.survey(survey_uuid).version == 2
    with qtbot.waitSignal(controller.saved, timeout=10_000):
        editor.save_button.click()
    saved = server_campaign(client, name)
    assert saved.calling_hours.days[2] == [("09:00", "17:00")]
    assert saved.max_attempts_per_day == 4

    # A second campaign of the same name: the server's refusal, in Chinese, in the editor.
    view.new_button.click()
    editor = last_dialog(controller, CampaignEditor)
    type_text(editor.name_edit, name)
    editor.save_button.click()
    qtbot.waitUntil(lambda: f"已有名为“{name}”的外呼活动" in editor.feedback.label.text())
    assert editor.isVisible() and editor.save_button.isEnabled()
    editor.reject()

    # Pause, then close (asked first); a closed campaign leaves the list unless asked for.
    qtbot.waitUntil(lambda: (view.current_campaign() or {}).get("name") == name)
    view.pause_button.click()
    qtbot.waitUntil(lambda: server_campaign(client, name).status == "paused", timeout=10_000)
    qtbot.waitUntil(lambda: view.pause_button.text() == "恢复", timeout=10_000)
    view.close_button.click()
    box = last_dialog(controller, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: server_campaign(client, name).status == "closed", timeout=10_000)
    qtbot.waitUntil(lambda: name not in [c["name"] for c in shown(view)], timeout=10_000)
    view.show_closed.setChecked(True)
    assert name in [c["name"] for c in shown(view)]


def shown(view):  # type: ignore[no-untyped-def]
    """The campaigns the table lists, top to bottom."""
    names = [view.table.item(row, 0).text() for row in range(view.table.rowCount())]
    by_name = {c["name"]: c for c in view.campaigns}
    return [by_name[n] for n in names]


def test_do_not_call_numbers_and_holidays(qtbot, backend, api, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    supervisor = backend.new_user("supervisor")
    client = api(backend.url, supervisor)
    campaign = client.create_campaign(CampaignIn(name=f"免打扰-{uuid.uuid4().hex[:6]}"))
    app = logged_in_app(backend.url, supervisor)
    controller = open_campaigns(qtbot, app)
    controller.view.select_campaign(campaign.id)
    controller.view.dnc_button.click()
    dialog = last_dialog(controller, DncDialog)
    assert dialog.campaign_id() == campaign.id  # the selected campaign's own list first
    qtbot.waitUntil(lambda: dialog.scope.isEnabled(), timeout=10_000)
    # Many pasted at once; a repeat in another spelling counts once, a non-number is named.
    dialog.paste.setPlainText("138 0013 8000\n+86 138-0013-8000\n021-87654321\n12345")
    type_text(dialog.reason, "客户要求")
    dialog.add_button.click()
    qtbot.waitUntil(
        lambda: sorted(dialog.numbers_shown()) == ["02187654321", "13800138000"], timeout=10_000
    )
    assert "已添加 2 个号码" in dialog.status.text()
    assert "12345（手机号不足 11 位）" in dialog.status.text()
    assert {n.phone_key for n in client.dnc_numbers(campaign.id)} == {"02187654321", "13800138000"}
    assert "13800138000" not in {n.phone_key for n in client.dnc_numbers()}  # not global
    dialog.select_numbers(["02187654321"])
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.numbers_shown() == ["13800138000"], timeout=10_000)
    assert [n.phone_key for n in client.dnc_numbers(campaign.id)] == ["13800138000"]
    # The global list: for every campaign.
    dialog.scope.setCurrentIndex(dialog.scope.findData(None))
    qtbot.waitUntil(lambda: dialog.scope.isEnabled(), timeout=10_000)
    assert "13800138000" not in dialog.numbers_shown()
    dialog.paste.setPlainText("0755-2345678")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "07552345678" in dialog.numbers_shown(), timeout=10_000)
    assert "07552345678" in {n.phone_key for n in client.dnc_numbers()}
    dialog.select_numbers(["07552345678"])
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: "07552345678" not in dialog.numbers_shown(), timeout=10_000)
    dialog.accept()

    controller.view.holidays_button.click()
    holidays = last_dialog(controller, HolidayDialog)
    qtbot.waitUntil(holidays.save_button.isEnabled, timeout=10_000)
    from PySide6.QtCore import QDate

    holidays.day_edit.setDate(QDate(2031, 9, 13))
    holidays.kind_combo.setCurrentIndex(holidays.kind_combo.findData("closed"))
    holidays.note_edit.setText("台风停工")
    holidays.add_day()
    holidays.day_edit.setDate(QDate(2031, 9, 14))
    holidays.kind_combo.setCurrentIndex(holidays.kind_combo.findData("workday"))
    holidays.add_day()
    with qtbot.waitSignal(holidays.finished, timeout=10_000):
        holidays.save_button.click()
    overrides = {o.day: (o.kind, o.note) for o in client.holiday_overrides()}
    assert overrides["2031-09-13"] == ("closed", "台风停工")
    assert overrides["2031-09-14"] == ("workday", "")
    # The next supervisor to open it sees the center's list.
    controller.view.holidays_button.click()
    again = last_dialog(controller, HolidayDialog)
    qtbot.waitUntil(lambda: again.table.rowCount() >= 2, timeout=10_000)
    assert {"2031-09-13", "2031-09-14"} <= {o["day"] for o in again.overrides()}
    # Clean up the shared backend's calendar for other tests.
    again.set_overrides([o for o in again.overrides() if not o["day"].startswith("2031-09")])
    with qtbot.waitSignal(again.finished, timeout=10_000):
        again.save_button.click()


@pytest.mark.parametrize("role", ["agent", "team_leader", "trainer"])
def test_roles_that_do_not_run_campaigns_get_no_campaign_pane(
    qtbot, backend, logged_in_app, role: str
) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user(role))
    assert app.campaigns is None
    assert "campaigns" not in app.window.panes
    assert "外呼活动" not in app.window.pane_titles()


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_run_campaigns_too(qtbot, backend, logged_in_app, role: str) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user(role))
    open_campaigns(qtbot, app)
    assert "campaigns" in app.window.panes


@pytest.fixture
def own_backend(tmp_path: Path) -> Iterator[TestBackend]:
    """A backend of this test's own: it is stopped mid-test."""
    running = TestBackend(tmp_path / "server")
    running.start()
    yield running
    running.stop()


def test_a_server_gone_away_is_told_in_chinese_and_the_window_keeps_working(
    qtbot, own_backend, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    supervisor = own_backend.new_user("supervisor")
    app = logged_in_app(own_backend.url, supervisor)
    controller = open_campaigns(qtbot, app)
    view = controller.view
    own_backend.stop()

    view.refresh_button.click()
    qtbot.waitUntil(lambda: "无法连接服务器" in view.notice.text(), timeout=15_000)
    assert view.notice.isVisible()
    # Still working: the editor opens, and what was typed stays when it cannot be sent.
    view.new_button.click()
    editor = last_dialog(controller, CampaignEditor)
    type_text(editor.name_edit, "断网时新建的活动")
    editor.save_button.click()
    qtbot.waitUntil(lambda: "无法连接服务器" in editor.feedback.label.text(), timeout=15_000)
    assert editor.isVisible() and editor.name_edit.text() == "断网时新建的活动"
    assert editor.save_button.isEnabled()
    # The progress tab of nothing selected stays empty rather than stale.
    assert view.progress.figures["attempts"].text() == "–"


def test_an_ended_session_asks_to_log_in_again(qtbot, backend, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user("supervisor"))
    controller = open_campaigns(qtbot, app)
    # The session ends on the server (as after an admin's reset or the session's expiry).
    ended = ApiClient(backend.url, app.login.client.token)
    ended.logout()
    ended.close()
    with qtbot.waitSignal(controller.session_expired, timeout=10_000):
        controller.view.refresh_button.click()
    assert "登录已过期" in controller.view.notice.text()
