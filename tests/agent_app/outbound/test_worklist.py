"""The agent's worklist pane in the real app, against the real server over HTTP (its clock
moved by the test): take a record, read the script with the customer's fields, answer the
survey, record the outcome by its shortcut; a success needs the required answers; the callback
picker keeps to calling hours; a due callback brings its record back with a toast."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from agent_app.outbound.callback_times import china_text
from server.tables import campaign_attempts
from tests.agent_app.outbound.desk import (
    OFFICE,
    agent_app,
    campaign_with_survey,
    controller,
    take_next,
    worklist,
)
from tests.agent_app.shell.test_login import login_dialog, submit
from tests.helpers.corpus import type_text
from tests.server.outbound.clocked import ClockedServer, clocked_server
from tests.server.support import PASSWORD


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "server").mkdir()
    with clocked_server("sqlite", tmp_path / "server") as running:
        yield running


def attempts(server, record_id):  # type: ignore[no-untyped-def]
    with server.db.read() as conn:
        return conn.execute(
            sa.select(campaign_attempts).where(campaign_attempts.c.record_id == record_id)
        ).all()


def test_take_a_record_answer_the_survey_and_record_success_by_shortcut(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    manager, agent = server.user("manager"), server.user("agent")
    campaign = campaign_with_survey(server, manager, mask_numbers=True)
    first, second = server.records(campaign["id"], ["13800138001", "13900139002"])
    app = agent_app(start_app, tmp_path / "agent", server.url, agent)
    view = worklist(qtbot, app, server.clock)

    take_next(qtbot, view, "客户1")
    assert view.phone_label.text() == "138****8001"  # masked, as the campaign says
    assert "13800138001" not in view.fields_label.text()
    # The script with the customer's fields filled in, the survey beside it.
    qtbot.waitUntil(lambda: "请问是客户1吗" in view.script_view.body.toPlainText(), timeout=10_000)
    assert "阳光花园" in view.script_view.body.toPlainText()
    assert view.survey_form.isVisible()

    # A success without the survey's required answers is refused; nothing is queued.
    qtbot.keyClick(app.window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "最近三个月" in view.status.text(), timeout=5_000)
    assert app.data.outbox.count() == 0

    form = view.survey_form
    for key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_5, Qt.Key.Key_Return, Qt.Key.Key_9):
        qtbot.keyClick(form, key)
    qtbot.waitUntil(lambda: form.answers().get("recommend") == 9)
    # The draft is saved as the agent answers.
    qtbot.waitUntil(lambda: app.data.outbound.draft(agent.username, first)[0].get("recommend") == 9)
    type_text(view.note, "客户很满意")
    qtbot.keyClick(app.window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # 成功联系
    qtbot.waitUntil(
        lambda: not view.work.isVisible() or view.name_label.text() != "客户1", timeout=10_000
    )
    qtbot.waitUntil(lambda: len(attempts(server, first)) == 1, timeout=20_000)
    [row] = attempts(server, first)
    assert row.outcome == "success"
    assert row.note == "客户很满意"
    assert '"recommend": 9' in row.answers


def test_callback_picker_keeps_to_calling_hours_and_the_callback_comes_back(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    manager, agent = server.user("manager"), server.user("agent")
    campaign = campaign_with_survey(server, manager, hours=OFFICE)
    [record_id, _other] = server.records(campaign["id"], ["13800138001", "13900139002"])
    app = agent_app(start_app, tmp_path / "agent", server.url, agent)
    view = worklist(qtbot, app, server.clock)  # Monday 2026-09-14 10:00 China time
    desk = app.outbound
    take_next(qtbot, view, "客户1")

    qtbot.mouseClick(view.callback_button, Qt.MouseButton.LeftButton)
    picker = controller(app).picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    # Quick choices: +4 h is 14:00 (in the afternoon window), tomorrow 10:00 as it is.
    assert picker.choices["in_4h"].moment == server.clock() + timedelta(hours=4)
    assert china_text(picker.choices["tomorrow"].moment) == "2026-09-15 10:00"
    # A Saturday and National Day offer no time; OK stays off.
    ok = picker.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for closed in (date(2026, 9, 19), date(2026, 10, 1)):
        assert not picker.select(closed, "10:00")
        assert picker.time_box.count() == 0 and not ok.isEnabled()
    # Tuesday: only times inside the windows (no 12:30, no 18:00).
    picker.calendar.setSelectedDate(QDate(2026, 9, 15))
    offered = [picker.time_box.itemText(i) for i in range(picker.time_box.count())]
    assert offered[0] == "09:00" and "12:30" not in offered and offered[-1] == "17:45"
    assert picker.select(date(2026, 9, 15), "10:30")
    ok.click()
    qtbot.waitUntil(lambda: "09-15 10:30" in view.callback_button.text())
    assert "2026-09-15 10:30" in view.callback_button.toolTip()

    view.auto_next.click()  # then take the next record at once
    assert app.settings.outbound_auto_next
    qtbot.keyClick(app.window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # 无人接听
    qtbot.waitUntil(lambda: len(attempts(server, record_id)) == 1, timeout=20_000)
    [row] = attempts(server, record_id)
    assert (row.outcome, row.callback_at) == ("no_answer", "2026-09-15T02:30:00.000+00:00")
    qtbot.waitUntil(lambda: view.name_label.text() == "客户2", timeout=10_000)  # the next one
    qtbot.waitUntil(lambda: any("客户1" in label for label in view.item_labels()))  # upcoming

    # The next morning at 10:30 the reminder fires: a toast, and 客户1 back on top.
    assert desk is not None and desk.reminders is not None
    server.clock.now = datetime(2026, 9, 15, 2, 30, tzinfo=UTC)
    desk.reminders.timer.setInterval(50)
    qtbot.waitUntil(lambda: app.window.toast.isVisible(), timeout=10_000)
    assert "客户1" in app.window.toast.text()
    qtbot.waitUntil(lambda: view.name_label.text() == "客户1", timeout=10_000)
    assert "客户1" in view.item_labels()[0]
    # Without a system tray (offscreen) the log says so and the toast is what the agent got.
    assert desk.reminders.tray_warned
    # The server hands the same record back to this agent now.
    reply = agent.http.post(f"/campaigns/{campaign['id']}/next")
    assert reply.json()["record"]["id"] == record_id


def test_an_outcome_recorded_offline_reaches_the_server_exactly_once(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    manager, agent = server.user("manager"), server.user("agent")
    campaign = campaign_with_survey(server, manager)
    [record_id] = server.records(campaign["id"], ["13800138001"])
    app = agent_app(start_app, tmp_path / "agent", server.url, agent)
    view = worklist(qtbot, app, server.clock)
    take_next(qtbot, view, "客户1")
    qtbot.waitUntil(lambda: view.survey_form.isVisible(), timeout=10_000)

    server.stop()  # the server goes away mid-call
    form = view.survey_form
    for key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_4, Qt.Key.Key_Return, Qt.Key.Key_9):
        qtbot.keyClick(form, key)
    qtbot.waitUntil(lambda: form.answers().get("recommend") == 9)
    qtbot.keyClick(app.window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # success
    status = app.window.sync_status
    qtbot.waitUntil(lambda: not view.work.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: status.pending_label.text() == "待发送 1", timeout=15_000)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)  # offline: says so
    qtbot.waitUntil(
        lambda: "Offline" in view.status.text() or "离线" in view.status.text(), timeout=15_000
    )

    # The server is back (same database, a new address): log in there; the attempt arrives.
    back = ClockedServer(server.db, server.clock)
    back.start()
    try:
        app.session.show_login()
        dialog = app.session.dialog
        dialog.server_edit.setText(back.url)
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        dialog.login_button.click()
        qtbot.waitUntil(lambda: status.pending_label.text() == "待发送 0", timeout=20_000)
        [row] = attempts(server, record_id)
        assert row.outcome == "success" and '"overall": 4' in row.answers
        # Sent again (an acknowledgement lost on the way): still one attempt.
        [attempt] = app.data.outbound.attempts(agent.username)
        [sent] = app.data.database.query(
            "SELECT payload FROM outbox WHERE uuid = ?", [attempt["uuid"]]
        )
        with httpx.Client(base_url=back.url, headers=agent.http.headers) as http:
            again = http.post(
                "/campaigns/attempts/batch", json={"items": [json.loads(sent["payload"])]}
            )
        assert again.json()["results"][0]["status"] == "duplicate"
        assert len(attempts(server, record_id)) == 1
    finally:
        back.stop()


def test_a_shared_pc_shows_each_agent_only_their_own_records(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    manager = server.user("manager")
    first, second = server.user("agent"), server.user("agent")
    campaign = campaign_with_survey(server, manager)
    server.records(campaign["id"], ["13800138001", "13900139002"])
    app = agent_app(start_app, tmp_path / "agent", server.url, first)
    view = worklist(qtbot, app, server.clock)
    take_next(qtbot, view, "客户1")
    form = view.survey_form
    qtbot.waitUntil(form.isVisible, timeout=10_000)
    qtbot.keyClick(form, Qt.Key.Key_Y)  # a draft answer
    qtbot.waitUntil(lambda: app.data.outbound.draft(first.username, 1)[0] == {"repair_used": True})
    app.window.logout_action.trigger()
    qtbot.waitUntil(lambda: app.outbound is None, timeout=10_000)

    # The next agent on the same PC: no record of the first one, not even in the store's reads.
    submit(qtbot, login_dialog(qtbot, app), second.username, PASSWORD, remember=False)
    view = worklist(qtbot, app, server.clock)
    qtbot.wait(300)  # the worklist has read the local store by now
    assert not view.work.isVisible() and view.item_labels() == []
    take_next(qtbot, view, "客户2")  # the server hands them another record
    app.window.logout_action.trigger()
    qtbot.waitUntil(lambda: app.outbound is None, timeout=10_000)

    # The first agent comes back: their record and its draft answer are there, offline-safe.
    submit(qtbot, login_dialog(qtbot, app), first.username, PASSWORD, remember=False)
    view = worklist(qtbot, app, server.clock)
    qtbot.waitUntil(lambda: view.name_label.text() == "客户1", timeout=10_000)
    qtbot.waitUntil(lambda: view.survey_form.answers() == {"repair_used": True}, timeout=10_000)


def test_a_changed_number_is_asked_for_and_the_lock_is_renewed_while_working(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    manager, agent = server.user("manager"), server.user("agent")
    campaign = campaign_with_survey(server, manager)
    [record_id] = server.records(campaign["id"], ["13800138001"])
    app = agent_app(start_app, tmp_path / "agent", server.url, agent)
    view = worklist(qtbot, app, server.clock)
    take_next(qtbot, view, "客户1")
    locked = server.record(record_id).locked_until

    # Ten minutes on the call: the worklist keeps the server's lock.
    server.clock.advance(600)
    controller(app).renew_lock()
    qtbot.waitUntil(lambda: server.record(record_id).locked_until > locked, timeout=10_000)

    qtbot.keyClick(app.window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # 号码已改变
    dialog = controller(app).number_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.setTextValue("139 1111 2222")
    dialog.accept()
    qtbot.waitUntil(lambda: len(attempts(server, record_id)) == 1, timeout=20_000)
    [row] = attempts(server, record_id)
    assert (row.outcome, row.new_phone) == ("number_changed", "139 1111 2222")


def test_a_callback_agreed_on_another_workstation_comes_back_with_a_number_to_dial(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    manager, agent = server.user("manager"), server.user("agent")
    campaign = campaign_with_survey(server, manager, mask_numbers=True)
    [record_id] = server.records(campaign["id"], ["13800138001"])
    # Elsewhere, this agent called 客户1 and agreed a callback in an hour.
    due = server.clock() + timedelta(hours=1)
    assert agent.http.post(f"/campaigns/{campaign['id']}/next").json()["record"]["id"] == record_id
    pushed = agent.http.post(
        "/campaigns/attempts/batch",
        json={
            "items": [
                {
                    "uuid": "5b0c8f7e-0000-4000-8000-000000000001",
                    "record_id": record_id,
                    "campaign_id": campaign["id"],
                    "outcome": "not_successful",
                    "started_at": server.clock().isoformat(),
                    "ended_at": server.clock().isoformat(),
                    "callback_at": due.isoformat(),
                }
            ]
        },
    )
    assert pushed.json()["results"][0]["status"] == "stored", pushed.text

    # On this workstation the callback list comes from the server; when it falls due the
    # record comes up, and the server hands it over with the number to dial.
    app = agent_app(start_app, tmp_path / "agent", server.url, agent)
    view = worklist(qtbot, app, server.clock)
    qtbot.waitUntil(lambda: any("客户1" in label for label in view.item_labels()), timeout=10_000)
    server.clock.now = due
    assert app.outbound is not None and app.outbound.reminders is not None
    app.outbound.reminders.timer.setInterval(50)
    qtbot.waitUntil(lambda: app.window.toast.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: view.name_label.text() == "客户1", timeout=10_000)
    qtbot.waitUntil(view.dial_button.isEnabled, timeout=10_000)
    assert view.phone_label.text() == "138****8001"
    assert controller(app).current["dial_number"] == "13800138001"
