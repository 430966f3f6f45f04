"""The phone bar and the seat glue with real widgets and the real local database, fed with
engine events made by hand (tests/agent_app/test_phone_e2e.py does the same over real SIP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from agent_app.common.settings import Settings
from agent_app.phone import events as ev
from agent_app.seat.agent_state import AgentState
from agent_app.seat.qt.seat import record_id
from agent_app.seat.state_log import AgentStateLog
from agent_app.shell.app import AppController
from tests.helpers.corpus import type_text
from tests.helpers.phone_events import FakeCall

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def registered(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    """As if the phone had registered (these tests run no SIP engine)."""
    qtbot.waitUntil(lambda: app.seat.call_log is not None, timeout=10_000)
    app.seat.registration(True)
    app.phone.refresh()


def feed(app: AppController, *events: ev.CallEvent) -> None:
    for event in events:
        app.phone.call_changed(event)


def activate(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    """Shortcuts reach the active window only (a dialog that just closed may have been it)."""
    app.window.activateWindow()
    qtbot.waitUntil(app.window.isActiveWindow)


def press(qtbot, app: AppController, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, app)
    qtbot.keyClick(app.window, key, CTRL_SHIFT)


def test_without_an_account_the_bar_offers_the_settings(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    bar = app.phone.bar
    assert app.window.phone_bar.isVisible()
    assert "未配置话机" in bar.registration_button.text()
    assert bar.state_button.text() == "● 离线"
    assert app.phone.phone is None
    assert not bar.call_actions["answer"].isEnabled()
    bar.registration_button.click()
    qtbot.waitUntil(lambda: app.phone.dialog is not None and app.phone.dialog.isVisible())
    dialog = app.phone.dialog
    assert dialog.windowTitle() == "话机设置"
    assert "话机未运行" in dialog.audio_note.text()
    dialog.reject()
    qtbot.waitUntil(lambda: app.phone.dialog is None)


def test_state_selector(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    bar, seat = app.phone.bar, app.seat
    # Not registered: nothing but Offline.
    bar.state_actions["ready"].trigger()
    assert seat.machine.state is AgentState.OFFLINE
    assert "话机未注册" in app.window.statusBar().currentMessage()

    registered(qtbot, app)
    assert seat.machine.state is AgentState.NOT_READY
    assert bar.state_button.text() == "● 未就绪"
    bar.state_actions["ready"].trigger()
    assert (bar.state_button.text(), bar.state_button.property("stateColour")) == (
        "● 就绪",
        "ready",
    )
    bar.state_actions["not_ready:training"].trigger()
    assert bar.state_button.text() == "● 未就绪·培训"
    assert seat.machine.reason == "training"
    bar.state_actions["break"].trigger()
    assert bar.state_button.property("stateColour") == "break"
    # Ctrl+Shift+Y toggles Ready / Not ready.
    press(qtbot, app, Qt.Key.Key_Y)
    assert seat.machine.state is AgentState.READY
    press(qtbot, app, Qt.Key.Key_Y)
    assert (seat.machine.state, seat.machine.reason) == (AgentState.NOT_READY, "other")
    bar.state_actions["offline"].trigger()
    assert bar.state_button.text() == "● 离线"

    # Every change is kept (and queued for the server).
    states_log = AgentStateLog(app.data.database)
    qtbot.waitUntil(lambda: len(states_log.history()) == 7, timeout=10_000)
    states = [c.state.value for c in reversed(states_log.history())]
    assert states == [
        "not_ready",
        "ready",
        "not_ready",
        "break",
        "ready",
        "not_ready",
        "offline",
    ]


def test_dial_pad_and_number_entry(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    bar = app.phone.bar
    for key in "95598":
        bar.dial_pad.buttons[key].click()
    assert bar.number_edit.text() == "95598"
    bar.number_edit.clear()
    # Ctrl+Shift+D puts the cursor in the number field; a Chinese input method's full-width
    # digits are accepted as typed.
    app.kb_view.search.setFocus()
    press(qtbot, app, Qt.Key.Key_D)
    qtbot.waitUntil(bar.number_edit.hasFocus)
    type_text(bar.number_edit, "１３８００１３８０００")
    assert bar.number_edit.text() == "１３８００１３８０００"
    with qtbot.waitSignal(bar.dial_requested) as dialled:
        qtbot.keyClick(bar.number_edit, Qt.Key.Key_Return)
    assert dialled.args == ["１３８００１３８０００"]
    assert "未配置话机账号" in app.window.statusBar().currentMessage()


def test_call_actions_have_shortcuts(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    bar = app.phone.bar
    registered(qtbot, app)
    call = FakeCall("13800138000")
    feed(app, call.incoming())
    assert bar.call_actions["answer"].toolTip() == "接听 (Ctrl+Shift+A)"
    with qtbot.waitSignal(bar.action_triggered) as fired:
        press(qtbot, app, Qt.Key.Key_A)
    assert fired.args == ["answer"]
    feed(app, call.answered())
    for key, action in (
        (Qt.Key.Key_O, "hold"),
        (Qt.Key.Key_M, "mute"),
        (Qt.Key.Key_T, "transfer"),
        (Qt.Key.Key_C, "consult"),
        (Qt.Key.Key_R, "record"),
        (Qt.Key.Key_H, "hangup"),
    ):
        with qtbot.waitSignal(bar.action_triggered) as fired:
            press(qtbot, app, key)
        assert fired.args == [action]
    feed(app, call.ended())


def test_shortcuts_are_configurable(qtbot, app: AppController, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    bar = app.phone.bar
    app.phone.open_settings()
    qtbot.waitUntil(lambda: app.phone.dialog is not None and app.phone.dialog.isVisible())
    dialog = app.phone.dialog
    # A clash with the knowledge base's Ctrl+K is refused with a reason.
    dialog.shortcut_edits["hangup"].setKeySequence(QKeySequence("Ctrl+K"))
    dialog.buttons.accepted.emit()
    assert "快捷键重复" in dialog.error.text()
    assert dialog.isVisible()
    dialog.shortcut_edits["hangup"].setKeySequence(QKeySequence("Ctrl+Shift+H"))
    dialog.shortcut_edits["answer"].setKeySequence(QKeySequence("F5"))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: app.phone.dialog is None)
    assert bar.call_actions["answer"].shortcut().toString() == "F5"
    settings_file = data_dir / "settings.json"
    qtbot.waitUntil(
        lambda: (
            settings_file.exists()
            and json.loads(settings_file.read_text(encoding="utf-8"))["phone_shortcuts"]
            == {"answer": "F5"}
        ),
        timeout=10_000,
    )
    registered(qtbot, app)
    feed(app, FakeCall("13800138000").incoming())
    activate(qtbot, app)
    with qtbot.waitSignal(bar.action_triggered) as fired:
        qtbot.keyClick(app.window, Qt.Key.Key_F5)
    assert fired.args == ["answer"]


def test_numbers_are_masked_by_role(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    bar, phone = app.phone.bar, app.phone
    registered(qtbot, app)
    # An earlier call from the same customer, written the way the glue writes it.
    earlier = FakeCall("13800138000")
    feed(app, earlier.incoming(), earlier.answered(), earlier.ended())
    app.seat.finish_wrap_up(record_id(earlier.snap.id), "repair", "电梯故障")
    qtbot.waitUntil(lambda: app.seat.call_log.get(record_id(earlier.snap.id)) is not None)

    # The same customer calls again, from another format of the number.
    call = FakeCall("+86 138-0013-8000", display="张先生")
    feed(app, call.incoming())
    assert bar.banner.isVisible()
    assert bar.banner.number.text() == "138****8000"
    assert bar.banner.title.text() == "来电"
    assert bar.call_number.text() == "138****8000"
    assert bar.call_number.toolTip() == "张先生  138****8000"
    qtbot.waitUntil(lambda: "历史来电 1 次" in bar.banner.history.text(), timeout=10_000)
    assert "报修" in bar.banner.history.text() and "电梯故障" in bar.banner.history.text()

    phone.set_role("agent")
    assert bar.banner.number.text() == "138****8000"
    phone.set_role("supervisor")  # supervisors see the whole number
    assert bar.banner.number.text() == "+86 138-0013-8000"
    assert bar.call_number.text() == "+86 138-0013-8000"
    phone.settings.mask_numbers_for_roles = []  # a center whose policy shows agents numbers
    phone.set_role("agent")
    assert bar.banner.number.text() == "+86 138-0013-8000"
    feed(app, call.ended(reason="missed", code=487))
    assert not bar.banner.isVisible()


def test_wrap_up_flow(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    bar, panel, seat = app.phone.bar, app.phone.wrap_panel, app.seat
    registered(qtbot, app)
    bar.state_actions["ready"].trigger()
    call = FakeCall("13800138000")
    feed(app, call.incoming(), call.answered())
    assert bar.state_button.text() == "● 通话中"
    assert bar.call_state.text() == "通话中"
    feed(app, call.held())
    assert bar.call_actions["hold"].text() == "恢复"
    feed(app, call.resumed(), call.ended())

    assert panel.isVisible()
    assert seat.machine.state is AgentState.AFTER_CALL_WORK
    assert bar.state_button.text() == "● 话后处理"
    assert "138****8000" in panel.summary.text()
    assert panel.countdown.text() in ("00:30", "00:29")
    assert not panel.done_button.isEnabled()  # a category first
    left = seat.seconds_left()
    panel.extend_button.click()
    assert seat.seconds_left() > left + 20

    panel.categories.button(1).click()  # 投诉
    type_text(panel.note, "宽带断网，已派单")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not panel.isVisible()
    assert seat.machine.state is AgentState.READY  # back to the state before the call
    uuid = record_id(call.snap.id)

    def wrapped() -> bool:
        record = seat.call_log.get(uuid)
        return record is not None and record.wrap_up_category == "complaint"

    qtbot.waitUntil(wrapped, timeout=10_000)
    record = seat.call_log.get(uuid)
    assert (record.wrap_up_note, record.end_reason, record.direction) == (
        "宽带断网，已派单",
        "answered",
        "inbound",
    )
    assert record.acw_seconds > 0 and record.hold_seconds > 0  # (capped at the talk time)
    kinds = app.data.outbox.kinds_pending()
    assert {"call_record", "agent_state"} <= set(kinds)


def test_wrap_up_ends_by_itself_and_keeps_what_was_entered(
    qtbot,
    data_dir: Path,
    start_app,  # type: ignore[no-untyped-def]
) -> None:
    app = start_app(data_dir, settings=Settings(wrap_up_limit_s=1.0))
    panel, seat = app.phone.wrap_panel, app.seat
    registered(qtbot, app)
    app.phone.bar.state_actions["ready"].trigger()
    call = FakeCall("13800138000")
    feed(app, call.incoming(), call.answered(), call.ended())
    assert panel.isVisible()
    panel.choose("enquiry")
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=10_000)
    assert seat.machine.state is AgentState.READY
    uuid = record_id(call.snap.id)
    qtbot.waitUntil(
        lambda: (
            seat.call_log.get(uuid) is not None
            and seat.call_log.get(uuid).wrap_up_category == "enquiry"
        ),
        timeout=10_000,
    )
    assert seat.call_log.get(uuid).acw_seconds >= 1.0


def test_missed_call_needs_no_wrap_up(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    registered(qtbot, app)
    call = FakeCall("13800138000")
    feed(app, call.incoming(), call.ended(reason="missed", code=487))
    assert not app.phone.wrap_panel.isVisible()
    uuid = record_id(call.snap.id)
    qtbot.waitUntil(
        lambda: (
            app.seat.call_log.get(uuid) is not None
            and app.seat.call_log.get(uuid).end_reason == "missed"
        ),
        timeout=10_000,
    )


def test_history_calls_back_with_the_real_number(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    registered(qtbot, app)
    call = FakeCall("13800138000")
    feed(app, call.incoming(), call.ended(reason="missed", code=487))
    app.phone.show_history_tab()
    view = app.phone.history
    assert app.window.pane_title(view) == "通话记录"
    assert view.isVisible() and app.kb_view.isVisible()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    assert view.table.item(0, 2).text() == "138****8000"
    assert view.table.item(0, 4).text() == "未接"
    with qtbot.waitSignal(view.dial_requested) as dialled:
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert dialled.args == ["13800138000"]


def test_settings_dialog_keeps_the_tls_choices(qtbot) -> None:
    from agent_app.phone.config import PhoneConfig
    from agent_app.phone.views.phone_settings import PhoneSettings, PhoneSettingsDialog

    dialog = PhoneSettingsDialog(PhoneSettings(PhoneConfig(), {}), lambda refresh: None)
    qtbot.addWidget(dialog)
    assert dialog.verify_check.isChecked()  # verification is on unless turned off
    dialog.ca_edit.setText(" /etc/seatdesk/center-ca.pem ")
    dialog.verify_check.setChecked(False)
    config = dialog.result_settings().config
    assert (config.tls_ca_file, config.tls_verify_server) == ("/etc/seatdesk/center-ca.pem", False)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_control_is_reachable_at_1024_px(
    qtbot, data_dir: Path, start_app, language: str
) -> None:  # type: ignore[no-untyped-def]
    from agent_app.phone.views.phone_bar import CALL_BUTTONS

    app = start_app(data_dir, language=language)
    window, bar = app.window, app.phone.bar
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.waitUntil(lambda: bar.width() > 0 and bar.width() <= window.phone_bar.width())
    inside = bar.rect()
    for widget in (bar.state_button, bar.registration_button, bar.number_edit, bar.dial_button):
        assert widget.isVisible() and inside.contains(widget.geometry()), widget.objectName()
    in_menu = set(bar.more_menu.actions())
    for name in CALL_BUTTONS:
        button, action = bar.buttons[name], bar.call_actions[name]
        if button.isVisible():  # on the bar, whole (not cut off at the window's edge)
            assert inside.contains(button.geometry()), name
            assert button.width() >= button.sizeHint().width(), name
        else:  # in the 更多 menu
            assert action in in_menu, name
    more = bar.more_button
    assert more.isVisible() and inside.contains(more.geometry())
    assert more.text() == ("更多 »" if language == "zh_CN" else "More »")
    # On a call, the caller's name and number are whole too (more buttons make room).
    registered(qtbot, app)
    call = FakeCall("13800138000", display="张先生")
    feed(app, call.incoming(), call.answered())
    qtbot.waitUntil(lambda: bar.call_number.isVisible())
    assert bar.call_number.text() == "138****8000"
    assert bar.call_number.toolTip() == "张先生  138****8000"
    qtbot.waitUntil(lambda: bar.call_number.width() >= bar.call_number.sizeHint().width())
    assert inside.contains(bar.call_panel.geometry())
    assert inside.contains(more.geometry()) and more.isVisible()
    # What can be done on the call now stays on the bar; the rest is in 更多.
    usable = [n for n in CALL_BUTTONS if bar.call_actions[n].isEnabled()]
    assert bar.buttons["hangup"].isVisible() and "hangup" in usable
    for name in CALL_BUTTONS:
        if bar.buttons[name].isVisible() and name not in usable:  # an idle one shown...
            assert all(bar.buttons[u].isVisible() for u in usable), name  # ...only if room
    # The menu's entries work like the buttons: one of them triggers its action.
    hidden = [n for n in CALL_BUTTONS if not bar.buttons[n].isVisible()]
    assert hidden and hidden[-1] == "record"
    with qtbot.waitSignal(bar.action_triggered) as triggered:
        bar.call_actions["record"].setEnabled(True)
        bar.call_actions["record"].trigger()  # as picked from the 更多 menu
    assert triggered.args == ["record"]


def test_the_call_and_customer_pane_beside_the_knowledge_base(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    window, pane, panel = app.window, app.phone.call_pane, app.phone.wrap_panel
    registered(qtbot, app)
    app.phone.bar.state_actions["ready"].trigger()
    assert not pane.view.isVisible()  # no call: the KB has the room
    earlier = FakeCall("13800138000")
    feed(app, earlier.incoming(), earlier.answered(), earlier.ended())
    app.seat.finish_wrap_up(record_id(earlier.snap.id), "repair", "电梯故障")
    qtbot.waitUntil(lambda: not pane.view.isVisible(), timeout=10_000)

    # The customer calls again: the pane shows them and their earlier call, the KB beside it.
    call = FakeCall("13800138000", display="张先生")
    with qtbot.waitSignal(pane.history_shown, timeout=10_000):
        feed(app, call.incoming())
    view = pane.view
    assert view.isVisible() and app.kb_view.isVisible()
    assert window.pane_of(view).role.value == "call"
    assert (view.number.text(), view.name.text()) == ("138****8000", "张先生")
    assert "来电" in view.detail.text()
    lines = [view.history.item(i).text() for i in range(view.history.count())]
    assert len(lines) == 1 and "报修" in lines[0] and "电梯故障" in lines[0]
    feed(app, call.answered())
    assert "通话中" in view.detail.text()
    assert not panel.isVisible()  # the wrap-up form waits for the end of the call

    # Hung up: the wrap-up form appears below the customer, then the pane goes.
    feed(app, call.ended())
    assert view.isVisible() and panel.isVisible() and view.number.text() == "138****8000"
    app.seat.finish_wrap_up(record_id(call.snap.id), "enquiry", "")
    assert not view.isVisible()
