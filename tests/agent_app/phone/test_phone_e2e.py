"""The softphone end to end: the app's own pjsua2 engine registers at the rig's Kamailio, a
customer phone (a pjsua2 peer in its own process) calls, and the agent works the call through
the phone bar; the call record reaches the real backend through the outbox.

pjsua2 allows one endpoint per process: each test's app shuts its engine down at teardown
(start_app), before the next test starts another.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.phone import credentials as phone_credentials
from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.seat.agent_state import AgentState
from agent_app.seat.call_log import CallLog
from agent_app.seat.state_log import AgentStateLog
from agent_app.shell.app import AppController
from common.demo_accounts import DEMO_PASSWORD
from kb.paths import DB_FILENAME
from localdb import LocalDatabase
from tests.agent_app.conftest import make_data_dir
from tests.agent_app.phone.test_phone_bar import activate, press
from tests.helpers.corpus import SMALL_CORPUS, type_text
from tests.rig.fixtures import RIG_USERS
from tests.rig.kamailio import Kamailio
from tests.rig.peer_client import Peer

CUSTOMER, CUSTOMER_SECRET = "13800138000", "customer-13800-secret"


def phone_config(kamailio: Kamailio, user: str = "") -> dict:  # type: ignore[type-arg]
    accounts = []
    if user:
        domain = f"{kamailio.domain}:{kamailio.port}"
        accounts.append(AccountConfig(id="default", user=user, domain=domain, default=True))
        phone_credentials.save_password("default", RIG_USERS[user])
    return PhoneConfig(accounts=accounts, bind_address="127.0.0.1").to_dict()


def registered(qtbot, app: AppController) -> None:  # type: ignore[no-untyped-def]
    def done() -> bool:
        event = app.phone.registration
        return event is not None and event.state == "registered"

    qtbot.waitUntil(done, timeout=15_000)


def expect(qtbot, peer: Peer, kind: str, action: Callable[[], object], **fields: Any) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """Do `action`, then wait for the peer's next `kind` event with `fields`. The wait keeps
    the Qt event loop running: the app's phone is polled on this thread, so blocking here
    (the peer's own wait_event) would hold back what the app has to send."""
    start = len(peer.events())
    action()
    found: list[dict] = []  # type: ignore[type-arg]

    def seen() -> bool:
        for event in peer.events()[start:]:
            if event.get("type") == kind and all(event.get(k) == v for k, v in fields.items()):
                found.append(event)
                return True
        return False

    qtbot.waitUntil(seen, timeout=10_000)
    return found[0]


def call_state(app: AppController) -> str:
    current = app.phone.board.current
    return current.state if current is not None else ""


def test_inbound_call_worked_from_the_bar_and_synced(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, backend, api, start_app, kamailio: Kamailio, make_peer
) -> None:
    kamailio.set_user(CUSTOMER, CUSTOMER_SECRET)
    agent = backend.new_user("agent")
    credentials.save_password(backend.url, agent, DEMO_PASSWORD)
    settings = Settings(
        search_log_idle_ms=50,
        server_url=backend.url,
        username=agent,
        remember_password=True,
        phone=phone_config(kamailio, "agent1001"),
        wrap_up_limit_s=120,
    )
    folder = make_data_dir(tmp_path / "agent", SMALL_CORPUS, index=True)
    app = start_app(folder, connect=True, settings=settings)
    qtbot.waitUntil(lambda: app.sync.running, timeout=15_000)
    bar, seat, window = app.phone.bar, app.seat, app.window
    registered(qtbot, app)
    kamailio.wait_registered("agent1001", timeout=5)
    assert bar.registration_button.property("fullText") == "已注册 agent1001"
    assert seat.machine.state is AgentState.NOT_READY
    press(qtbot, app, Qt.Key.Key_Y)
    assert bar.state_button.text() == "● 就绪"

    customer = make_peer("customer")
    assert customer.register(CUSTOMER, CUSTOMER_SECRET, kamailio.registrar_uri)["code"] == 200
    customer.call(kamailio.uri("agent1001"))

    # Ringing: the banner (masked for an agent), the status bar / tray, Answer enabled.
    qtbot.waitUntil(lambda: bar.banner.isVisible(), timeout=10_000)
    assert bar.banner.number.text() == "138****8000"
    assert bar.call_state.text() == "来电"
    assert window.statusBar().currentMessage() == "来电 138****8000"
    qtbot.waitUntil(lambda: "无历史来电" in bar.banner.history.text(), timeout=10_000)

    # Answer with the shortcut.
    expect(
        qtbot, customer, "call_state", lambda: press(qtbot, app, Qt.Key.Key_A), state="CONFIRMED"
    )
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE, timeout=10_000)
    assert not bar.banner.isVisible()
    assert bar.state_button.text() == "● 通话中"
    assert bar.call_state.text() == "通话中"

    # Hold with the button, resume with the shortcut.
    expect(qtbot, customer, "media_state", bar.buttons["hold"].click, status="REMOTE_HOLD")
    qtbot.waitUntil(lambda: call_state(app) == ev.HELD, timeout=10_000)
    assert bar.call_actions["hold"].text() == "恢复"
    # "正在保持…" until our re-INVITE is answered, then "保持中".
    qtbot.waitUntil(lambda: bar.call_state.text() == "保持中", timeout=10_000)
    expect(qtbot, customer, "media_state", lambda: press(qtbot, app, Qt.Key.Key_O), status="ACTIVE")
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE, timeout=10_000)

    # The dial pad sends DTMF while the call is up.
    expect(qtbot, customer, "dtmf_received", bar.dial_pad.buttons["5"].click, digit="5")

    # The customer hangs up: wrap-up.
    customer.hangup()
    panel = app.phone.wrap_panel
    qtbot.waitUntil(panel.isVisible, timeout=10_000)
    assert seat.machine.state is AgentState.AFTER_CALL_WORK
    assert "138****8000" in panel.summary.text()
    panel.categories.button(1).click()  # 投诉
    type_text(panel.note, "宽带断网三天，已派单")
    panel.done_button.click()
    assert not panel.isVisible()
    assert seat.machine.state is AgentState.READY

    # The record: local first, then on the server through the outbox.
    records = []

    def recorded() -> bool:
        records[:] = [r for r in seat.call_log.recent(5) if r.wrap_up_category == "complaint"]
        return bool(records)

    qtbot.waitUntil(recorded, timeout=10_000)
    record = records[0]
    assert (record.direction, record.remote_number, record.end_reason) == (
        "inbound",
        CUSTOMER,
        "answered",
    )
    assert record.local_number == "agent1001" and record.user == agent
    assert record.talk_seconds > 0 and record.hold_seconds > 0 and record.acw_seconds > 0
    supervisor = api(backend.url, "supervisor")

    def on_server() -> dict | None:  # type: ignore[type-arg]
        for item in supervisor.calls(agent=agent).items:
            if item.uuid == record.uuid and item.wrap_up_category == "complaint":
                return item.model_dump()
        return None

    qtbot.waitUntil(lambda: on_server() is not None, timeout=15_000)
    assert on_server()["wrap_up_note"] == "宽带断网三天，已派单"

    # Click-to-dial from the history: the agent calls the customer back.
    view = app.phone.history
    assert view is not None
    window.show_view(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    assert view.table.item(0, 2).text() == "138****8000"
    rect = view.table.visualRect(view.table.model().index(0, 2))

    def double_click() -> None:
        # As the mouse sends it (QTest's mouseDClick alone lacks the first press).
        qtbot.mousePress(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    incoming = expect(qtbot, customer, "incoming_call", double_click)
    assert "agent1001" in incoming["remote_uri"]
    customer.answer(200)
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE, timeout=10_000)
    assert app.phone.board.current.direction == ev.OUTBOUND
    expect(
        qtbot,
        customer,
        "call_state",
        lambda: press(qtbot, app, Qt.Key.Key_H),
        state="DISCONNECTED",
    )
    qtbot.waitUntil(panel.isVisible, timeout=10_000)
    panel.choose("callback")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: [r.wrap_up_category for r in seat.call_log.recent(5)] == ["callback", "complaint"],
        timeout=10_000,
    )


def test_settings_dialog_sets_up_the_phone(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio, memory_keyring
) -> None:
    folder = make_data_dir(tmp_path / "seat", SMALL_CORPUS, index=True)
    app = start_app(folder, settings=Settings(phone=phone_config(kamailio)))
    bar = app.phone.bar
    assert "未配置话机" in bar.registration_button.text()

    def open_dialog():  # type: ignore[no-untyped-def]
        bar.registration_button.click()
        qtbot.waitUntil(lambda: app.phone.dialog is not None and app.phone.dialog.isVisible())
        return app.phone.dialog

    # A new account, with a wrong password first: the reason is shown on the bar.
    dialog = open_dialog()
    dialog.add_account()
    qtbot.keyClicks(dialog.user_edit, "agent1002")
    qtbot.keyClicks(dialog.domain_edit, f"{kamailio.domain}:{kamailio.port}")
    qtbot.keyClicks(dialog.password_edit, "not-the-password")
    with qtbot.waitSignal(app.phone.settings_applied, timeout=10_000):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(
        lambda: app.phone.registration is not None and app.phone.registration.state == "failed",
        timeout=15_000,
    )
    assert "用户名或密码错误" in bar.registration_button.property("fullText")
    assert app.seat.machine.state is AgentState.OFFLINE

    # The right password: registered; kept in the keyring only.
    dialog = open_dialog()
    assert dialog.password_edit.placeholderText() == "留空则保留已存储的密码"
    assert dialog.password_state.text() == "已保存"
    qtbot.keyClicks(dialog.password_edit, RIG_USERS["agent1002"])
    with qtbot.waitSignal(app.phone.settings_applied, timeout=10_000):
        dialog.buttons.accepted.emit()
    registered(qtbot, app)
    kamailio.wait_registered("agent1002", timeout=5)
    assert bar.registration_button.property("fullText") == "已注册 agent1002"
    assert app.seat.machine.state is AgentState.NOT_READY
    assert memory_keyring.entries[("SeatDesk", "sip/default")] == RIG_USERS["agent1002"]
    settings_file = folder / "settings.json"
    qtbot.waitUntil(lambda: "agent1002" in settings_file.read_text(encoding="utf-8"))
    saved = json.loads(settings_file.read_text(encoding="utf-8"))
    account = saved["phone"]["accounts"][0]
    assert (account["user"], account["default"]) == ("agent1002", True)
    assert "password" not in account
    assert RIG_USERS["agent1002"] not in settings_file.read_text(encoding="utf-8")
    assert app.window.pane_title(app.phone.history) == "通话记录"
    activate(qtbot, app)


def start_agent(
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio, **extra: Any
) -> AppController:  # type: ignore[no-untyped-def]
    folder = make_data_dir(tmp_path / "agent", SMALL_CORPUS, index=True)
    settings = Settings(phone=phone_config(kamailio, "agent1001"), **extra)
    app = start_app(folder, settings=settings)
    registered(qtbot, app)
    app.phone.bar.state_actions["ready"].trigger()
    return app


def phone_user(kamailio: Kamailio, make_peer, number: str) -> Peer:  # type: ignore[no-untyped-def]
    """A far-end phone registered under a numeric user (what agents dial)."""
    secret = f"secret-{number}"
    kamailio.set_user(number, secret)
    peer = make_peer(f"p{number}")
    assert peer.register(number, secret, kamailio.registrar_uri)["code"] == 200
    return peer


def test_call_waiting_conference_mute_and_recording(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio, make_peer
) -> None:
    app = start_agent(qtbot, tmp_path, start_app, kamailio)
    bar, board = app.phone.bar, app.phone.board
    first = phone_user(kamailio, make_peer, CUSTOMER)
    second = phone_user(kamailio, make_peer, "13900139000")

    first.call(kamailio.uri("agent1001"))
    qtbot.waitUntil(lambda: bar.banner.isVisible(), timeout=10_000)
    expect(qtbot, first, "call_state", bar.banner.answer_button.click, state="CONFIRMED")
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE and not bar.banner.isVisible())

    # A second customer while the first talks: call waiting.
    second.call(kamailio.uri("agent1001"))
    qtbot.waitUntil(lambda: bar.banner.isVisible(), timeout=10_000)
    assert bar.banner.title.text() == "来电等待"
    assert bar.banner.number.text() == "139****9000"
    assert call_state(app) == ev.ACTIVE  # still the first customer
    expect(qtbot, first, "media_state", bar.banner.answer_button.click, status="REMOTE_HOLD")
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE and len(board.connected()) == 2)
    assert bar.call_number.text() == "139****9000"
    assert bar.call_list.isVisible() and bar.call_list.count() == 2

    # Three-way: the held customer is resumed and everyone hears everyone.
    assert bar.call_actions["conference"].isEnabled()
    expect(qtbot, first, "media_state", bar.buttons["conference"].click, status="ACTIVE")
    qtbot.waitUntil(lambda: all(s.conference for s in board.connected()), timeout=10_000)
    assert bar.call_state.text() == "会议"

    # Mute and recording are toggles that say so.
    bar.buttons["mute"].click()
    assert app.phone.phone.engine.muted and bar.buttons["mute"].property("active")
    bar.buttons["mute"].click()
    assert not app.phone.phone.engine.muted
    bar.buttons["record"].click()
    qtbot.waitUntil(lambda: bar.call_actions["record"].text() == "录音中", timeout=10_000)
    bar.buttons["record"].click()
    assert bar.call_actions["record"].text() == "录音"

    # The second customer leaves; the first is still there.
    expect(
        qtbot, second, "call_state", lambda: press(qtbot, app, Qt.Key.Key_H), state="DISCONNECTED"
    )
    qtbot.waitUntil(lambda: len(board.calls) == 1 and call_state(app) == ev.ACTIVE, timeout=10_000)
    assert bar.call_number.text() == "138****8000"
    assert not app.phone.wrap_panel.isVisible()  # wrap-up waits for the last call
    expect(
        qtbot, first, "call_state", lambda: press(qtbot, app, Qt.Key.Key_H), state="DISCONNECTED"
    )
    qtbot.waitUntil(app.phone.wrap_panel.isVisible, timeout=10_000)
    records = app.seat.call_log
    qtbot.waitUntil(lambda: len(records.recent(5)) == 2, timeout=10_000)
    assert any(r.recording_path for r in records.recent(5))


def test_blind_and_attended_transfer(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio, make_peer
) -> None:
    app = start_agent(qtbot, tmp_path, start_app, kamailio, wrap_up_enabled=False)
    bar, board = app.phone.bar, app.phone.board
    customer = phone_user(kamailio, make_peer, CUSTOMER)
    customer.accept_transfers(True)
    colleague = phone_user(kamailio, make_peer, "1003")
    colleague.auto_answer(True)

    def customer_calls() -> None:
        customer.call(kamailio.uri("agent1001"))
        qtbot.waitUntil(lambda: bar.banner.isVisible(), timeout=10_000)
        expect(
            qtbot,
            customer,
            "call_state",
            lambda: press(qtbot, app, Qt.Key.Key_A),
            state="CONFIRMED",
        )
        qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE, timeout=10_000)

    # Blind: the number first, then Transfer; the customer is sent on and our leg ends.
    customer_calls()
    press(qtbot, app, Qt.Key.Key_T)
    assert "转接号码" in app.window.statusBar().currentMessage()  # nothing typed yet
    qtbot.keyClicks(bar.number_edit, "1003")
    expect(
        qtbot, colleague, "call_state", lambda: press(qtbot, app, Qt.Key.Key_T), state="CONFIRMED"
    )
    qtbot.waitUntil(lambda: not board.calls, timeout=10_000)
    assert app.seat.machine.state is AgentState.READY  # wrap-up is off here
    colleague.hangup()

    # Attended: consult the colleague while the customer waits, then join them.
    customer_calls()
    bar.number_edit.setText("1003")
    expect(qtbot, colleague, "call_state", bar.buttons["consult"].click, state="CONFIRMED")
    qtbot.waitUntil(lambda: bar.call_actions["consult"].text() == "完成转接", timeout=10_000)
    assert len(board.calls) == 2 and board.consultation is not None
    held = [s for s in board.calls.values() if s.remote_number == CUSTOMER]
    assert held and held[0].state == ev.HELD
    assert bar.call_actions["consult"].isEnabled()
    # Complete: the customer is asked to call the colleague, replacing our consult call.
    mark = len(customer.events())
    press(qtbot, app, Qt.Key.Key_C)

    def customer_moved() -> bool:
        kinds = [(e["type"], e.get("state")) for e in customer.events()[mark:]]
        if ("transfer_request", None) not in kinds:
            return False
        return ("call_state", "CONFIRMED") in kinds[kinds.index(("transfer_request", None)) :]

    qtbot.waitUntil(customer_moved, timeout=10_000)
    refer = next(e for e in customer.events()[mark:] if e["type"] == "transfer_request")
    assert "1003@" in refer["target"] and "Replaces=" in refer["target"]
    qtbot.waitUntil(lambda: not board.calls, timeout=10_000)
    assert bar.call_actions["consult"].text() == "咨询"


def test_closing_with_a_call_up_hangs_up_and_closes_the_record(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio, make_peer
) -> None:
    app = start_agent(qtbot, tmp_path, start_app, kamailio)
    customer = phone_user(kamailio, make_peer, CUSTOMER)
    customer.call(kamailio.uri("agent1001"))
    qtbot.waitUntil(lambda: app.phone.bar.banner.isVisible(), timeout=10_000)
    expect(
        qtbot, customer, "call_state", lambda: press(qtbot, app, Qt.Key.Key_A), state="CONFIRMED"
    )
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE, timeout=10_000)

    app.window.close()  # the agent quits mid-call
    assert app.phone.phone is None
    customer.wait_call_state("DISCONNECTED", timeout=10)  # the app is gone: blocking is fine

    store = LocalDatabase(app.data_dir / DB_FILENAME)
    try:
        (record,) = CallLog(store).recent(5)
        assert record.end_reason == "answered" and record.ended_at is not None
        assert record.talk_seconds > 0
        changes = AgentStateLog(store).history(limit=3)  # newest first
        assert changes[0].state.value == "offline"
        assert any(c.previous_on_call and not c.on_call for c in changes[1:])
    finally:
        store.close()


def test_logout_unregisters_the_phone(qtbot, tmp_path: Path, start_app, kamailio: Kamailio) -> None:  # type: ignore[no-untyped-def]
    app = start_agent(qtbot, tmp_path, start_app, kamailio)
    qtbot.waitUntil(lambda: kamailio.registered("agent1001"), timeout=10_000)
    app.session.logged_out.emit()  # as after 文件 > 注销
    # Nobody is at the seat: calls no longer reach this PC.
    qtbot.waitUntil(lambda: not kamailio.registered("agent1001"), timeout=10_000)
    assert app.phone.phone is None
    assert app.seat.machine.state is AgentState.OFFLINE
    app.phone.log_in()  # the next user logs in: the phone registers again
    registered(qtbot, app)
    assert kamailio.registered("agent1001")


def open_settings(qtbot, app: AppController):  # type: ignore[no-untyped-def]
    app.phone.bar.registration_button.click()
    qtbot.waitUntil(lambda: app.phone.dialog is not None and app.phone.dialog.isVisible())
    return app.phone.dialog


def save_settings(qtbot, app: AppController, dialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(app.phone.settings_applied, timeout=10_000):
        dialog.buttons.accepted.emit()


def test_changing_only_the_display_name_keeps_the_password(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio, memory_keyring
) -> None:
    app = start_agent(qtbot, tmp_path, start_app, kamailio)
    secret = memory_keyring.entries[("SeatDesk", "sip/default")]
    dialog = open_settings(qtbot, app)
    assert dialog.password_state.text() == "已保存"
    assert dialog.password_edit.text() == ""
    type_text(dialog.display_edit, "张三")
    save_settings(qtbot, app, dialog)
    # The empty field did not overwrite the stored secret; the phone registers with it.
    assert memory_keyring.entries[("SeatDesk", "sip/default")] == secret
    qtbot.waitUntil(lambda: app.phone.phone is not None, timeout=10_000)
    registered(qtbot, app)


def test_without_a_secure_store_the_password_lasts_the_session(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio
) -> None:
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())  # the fixture restores the old one
    folder = make_data_dir(tmp_path / "seat", SMALL_CORPUS, index=True)
    app = start_app(folder, settings=Settings(phone=phone_config(kamailio)))
    dialog = open_settings(qtbot, app)
    dialog.add_account()
    qtbot.keyClicks(dialog.user_edit, "agent1002")
    qtbot.keyClicks(dialog.domain_edit, f"{kamailio.domain}:{kamailio.port}")
    assert dialog.password_state.text() == "未保存"
    qtbot.keyClicks(dialog.password_edit, RIG_USERS["agent1002"])
    save_settings(qtbot, app, dialog)
    registered(qtbot, app)
    # Re-saved with only the display name changed: the password typed earlier still works.
    dialog = open_settings(qtbot, app)
    assert dialog.password_state.text() == "未保存：在坐席台关闭前有效"
    type_text(dialog.display_edit, "李四")
    save_settings(qtbot, app, dialog)
    registered(qtbot, app)


def test_without_a_secure_store_the_password_is_asked_at_registration(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, start_app, kamailio: Kamailio
) -> None:
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())
    folder = make_data_dir(tmp_path / "seat", SMALL_CORPUS, index=True)
    config = phone_config(kamailio, "agent1001")  # its password could not be kept anywhere
    app = start_app(folder, settings=Settings(phone=config))
    qtbot.waitUntil(
        lambda: app.phone.password_prompt is not None and app.phone.password_prompt.isVisible(),
        timeout=10_000,
    )
    prompt = app.phone.password_prompt
    assert "agent1001" in prompt.labelText() and "不会被保存" in prompt.labelText()
    prompt.setTextValue(RIG_USERS["agent1001"])
    prompt.accept()
    registered(qtbot, app)
