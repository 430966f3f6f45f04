"""Supervision in the whole app, logged in against the real backend: an agent's seat reports
itself (the board shows it live), a refused monitor call reaches the server's audit through
the outbox, the monitored notice stays hidden under the default policy and shows during a real
monitor call when the center's policy says so; the live board pane is
there for team leaders, supervisors and managers only; an admin keeps the teams in the Teams
dialog (Settings ▸ 班组管理)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox

from agent_app.phone import events as ev
from agent_app.shell.app import AppController
from agent_app.supervision.qt.desk import SupervisionDesk
from agent_app.supervision.qt.teams import TeamsController


def desk_of(app: AppController) -> SupervisionDesk:
    desk = app.supervision
    assert desk is not None
    return desk


def test_an_agents_seat_reports_and_refusals_are_audited(
    qtbot, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    agent = backend.new_user("agent")
    manager = api(backend.url, backend.new_user("manager"))
    app = logged_in_app(backend.url, agent)
    desk = desk_of(app)
    assert desk.board is None and app.window.findChild(object, "supervisionBoard") is None

    def live() -> bool:
        row = next((r for r in manager.board().agents if r.agent == agent), None)
        return row is not None and row.presence == "live"

    qtbot.waitUntil(live, timeout=15_000)
    qtbot.waitUntil(lambda: desk.trust is not None, timeout=10_000)

    # The agent's engine refused a monitor call: audited on the server through the outbox.
    refused = ev.MonitorEvent(
        kind="refused",
        side="agent",
        reason="bad_signature",
        supervisor="intruder",
        agent=agent,
        call_uuid="8b7c6d5e-4f3a-4b2c-9d1e-0f1a2b3c4d5e",
        remote_uri="sip:intruder@127.0.0.1",
        at=time.time(),
    )
    desk._monitor_event(refused)  # as QtPhone.monitorChanged delivers it

    def audited() -> bool:
        items = manager.monitor_audit(kind="rejected").items
        return any(i.reason == "bad_signature" and i.target == agent for i in items)

    qtbot.waitUntil(audited, timeout=20_000)

    # A monitor attached at this seat: the center's default policy does not tell the agent.
    desk._monitor_event(ev.MonitorEvent(kind="started", side="agent", monitor_call_id="m1"))
    assert desk.monitors_attached == {"m1"}
    assert not desk.show_monitored and desk.monitored_label.isHidden()
    desk._monitor_event(ev.MonitorEvent(kind="ended", side="agent", monitor_call_id="m1"))
    assert not desk.monitors_attached

    # Logging out: the seat reports offline and stops.
    reporter = desk.reporter
    app.log_out()
    qtbot.waitUntil(lambda: app.supervision is None, timeout=10_000)
    qtbot.waitUntil(lambda: not reporter.running, timeout=10_000)


def test_the_agent_is_told_of_a_monitor_when_the_centers_policy_says_so(
    qtbot, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    """The manager turns the policy on; the agent's window (logged in after) shows
    本通话正在被监听/督导 while a monitor is attached to the seat, and not after it ends."""
    manager = api(backend.url, backend.new_user("manager"))
    manager.set_supervision_policy(True)
    try:
        agent = backend.new_user("agent")
        app = logged_in_app(backend.url, agent)
        desk = desk_of(app)
        qtbot.waitUntil(lambda: desk.trust is not None, timeout=10_000)
        assert desk.show_monitored and desk.monitored_label.isHidden()

        with qtbot.waitSignal(desk.monitored_changed, timeout=5_000) as shown:
            desk._monitor_event(ev.MonitorEvent(kind="started", side="agent", monitor_call_id="m1"))
        assert shown.args == [True]
        label = desk.monitored_label
        assert label.isVisible() and label.text() == "本通话正在被监听/督导"
        assert label in app.window.statusBar().findChildren(type(label))
        # A mode switch keeps it; the monitor ending hides it.
        desk._monitor_event(
            ev.MonitorEvent(kind="mode", side="agent", monitor_call_id="m1", mode="whisper")
        )
        assert label.isVisible()
        desk._monitor_event(ev.MonitorEvent(kind="ended", side="agent", monitor_call_id="m1"))
        assert label.isHidden()
    finally:
        manager.set_supervision_policy(False)  # the backend is shared by the other tests


def test_the_board_pane_is_for_who_watches(qtbot, backend, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    for role, has_board in (("team_leader", True), ("manager", True), ("trainer", False)):
        app = logged_in_app(backend.url, backend.new_user(role), name=role)
        desk = desk_of(app)
        assert (desk.board is not None) == has_board, role
        assert ("supervision_board" in app.window.panes) == has_board
        if has_board:
            assert desk.board_view is not None
            assert app.window.panes["supervision_board"].title == "实时监控"
            qtbot.waitUntil(
                lambda d=desk: d.board is not None and d.board.connected, timeout=10_000
            )
        assert not app.window.teams_action.isVisible()


def test_an_admin_keeps_the_teams(qtbot, backend, api, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    admin = backend.new_user("admin")
    member = backend.new_user("agent")
    check = api(backend.url, admin)
    app = logged_in_app(backend.url, admin)
    assert app.window.teams_action.isVisible()
    app.window.teams_action.trigger()
    controller = app.teams
    assert isinstance(controller, TeamsController)
    dialog = controller.view
    assert dialog.windowTitle() == "班组管理"
    qtbot.waitUntil(lambda: dialog.user_table.rowCount() > 0, timeout=10_000)

    name = f"三组-{time.monotonic_ns() % 100000}"
    dialog.name_edit.setText(name)
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.current_team_id() is not None, timeout=5_000)
    assert dialog.team_list.currentItem().text() == name
    team_id = dialog.current_team_id()

    dialog.name_edit.setText(name + "改")
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        dialog.rename_button.click()
    assert any(t.name == name + "改" for t in check.teams())

    box = dialog.findChild(QComboBox, f"team_of_{member}")
    assert box is not None and box.currentData() is None
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        box.setCurrentIndex(box.findData(team_id))
    team = next(t for t in check.teams() if t.id == team_id)
    assert [m.username for m in team.members] == [member]

    # The center's policy: off by default; a click turns it on at the server.
    box = dialog.findChild(QCheckBox, "showMonitored")
    assert box is not None and not box.isChecked()
    assert box.text() == "告知坐席其通话正在被监听/督导（监听、耳语、强插）"
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        box.click()
    assert check.supervision_policy().show_monitored is True
    assert box.isChecked() and dialog.notice.text() == "已保存。坐席窗口从下次登录起按此显示。"
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        box.click()
    assert check.supervision_policy().show_monitored is False

    # A name taken: refused, said in the dialog.
    dialog.name_edit.setText(name + "改")
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        dialog.add_button.click()
    assert dialog.notice.text() and "color: #a00000" in dialog.notice.styleSheet()
    dialog.reject()


def test_only_agents_seats_report(qtbot, backend, api, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    leader = backend.new_user("team_leader")
    manager = api(backend.url, backend.new_user("manager"))
    app = logged_in_app(backend.url, leader)
    desk = desk_of(app)
    qtbot.waitUntil(lambda: desk.board is not None and desk.board.connected, timeout=10_000)
    assert not desk.reporter.running
    assert all(r.agent != leader for r in manager.board().agents)


def test_the_seats_engine_gets_the_servers_key(qtbot, backend, api, tmp_path, start_app) -> None:  # type: ignore[no-untyped-def]
    """After login the server's public key reaches the running phone engine (grants are
    verified against it), and the seat reports where a supervisor's phone reaches it."""
    from agent_app.common import credentials
    from agent_app.common.settings import Settings
    from agent_app.phone.config import AccountConfig, PhoneConfig
    from common.demo_accounts import DEMO_PASSWORD
    from common.monitor_grants import public_key_from_text, public_key_to_text
    from tests.agent_app.conftest import make_data_dir
    from tests.helpers.corpus import SMALL_CORPUS
    from tests.rig.fixtures import require_pjsua2

    require_pjsua2()
    agent = backend.new_user("agent")
    key = api(backend.url, agent).monitor_public_key()
    phone = PhoneConfig(
        accounts=[AccountConfig(id="main", user="1001", domain="127.0.0.1", register=False)],
        bind_address="127.0.0.1",
    )
    credentials.save_password(backend.url, agent, DEMO_PASSWORD)
    settings = Settings(
        server_url=backend.url, username=agent, remember_password=True, phone=phone.to_dict()
    )
    app = start_app(
        make_data_dir(tmp_path / "seat", SMALL_CORPUS, True), connect=True, settings=settings
    )
    qtbot.waitUntil(lambda: app.supervision is not None, timeout=15_000)
    desk = desk_of(app)
    qtbot.waitUntil(lambda: desk.engine() is not None, timeout=15_000)
    engine = desk.engine()
    assert engine is not None
    qtbot.waitUntil(lambda: engine.monitoring.public_key is not None, timeout=10_000)
    assert public_key_to_text(engine.monitoring.public_key) == public_key_to_text(
        public_key_from_text(key)
    )
    assert engine.monitoring.agent == agent
    assert desk.reporter.sip_uri == "sip:1001@127.0.0.1"


@pytest.mark.parametrize("policy", [True, False], ids=["policy_on", "policy_off"])
def test_a_real_monitor_call_shows_the_notice_when_the_policy_says_so(  # type: ignore[no-untyped-def]
    qtbot, backend, api, tmp_path, start_app, kamailio, make_peer, policy
) -> None:
    """Everything real: the agent's app registered on the rig's Kamailio; a customer calls,
    the agent answers (the seat reports the call and its SIP account); the manager's engine
    (its own process) calls the seat at the reported account with a grant. Policy on: the
    agent's window shows 本通话正在被监听/督导 until the supervisor hangs up; off: never."""
    from PySide6.QtCore import Qt

    from agent_app.common import credentials
    from agent_app.common.settings import Settings
    from common.demo_accounts import DEMO_PASSWORD
    from common.monitor_grants import call_uuid
    from tests.agent_app.conftest import make_data_dir
    from tests.agent_app.phone.test_phone_bar import press
    from tests.agent_app.phone.test_phone_e2e import phone_config, registered
    from tests.helpers.corpus import SMALL_CORPUS
    from tests.rig.engine_peer import EnginePeer
    from tests.rig.fixtures import RIG_USERS, register_peer, require_pjsua2

    require_pjsua2()
    manager = api(backend.url, backend.new_user("manager"))
    manager.set_supervision_policy(policy)
    supervisor: EnginePeer | None = None
    try:
        agent = backend.new_user("agent")
        rig = f"{kamailio.domain}:{kamailio.port}"
        credentials.save_password(backend.url, agent, DEMO_PASSWORD)
        settings = Settings(
            server_url=backend.url,
            username=agent,
            remember_password=True,
            phone=phone_config(kamailio, "agent1001"),
        )
        app = start_app(
            make_data_dir(tmp_path / "seat", SMALL_CORPUS, True), connect=True, settings=settings
        )
        qtbot.waitUntil(lambda: app.supervision is not None, timeout=15_000)
        desk = desk_of(app)
        qtbot.waitUntil(lambda: desk.engine() is not None, timeout=15_000)
        engine = desk.engine()
        assert engine is not None
        registered(qtbot, app)
        kamailio.wait_registered("agent1001", timeout=5)
        press(qtbot, app, Qt.Key.Key_Y)  # ready
        qtbot.waitUntil(lambda: desk.trust is not None, timeout=10_000)
        assert desk.show_monitored is policy

        customer = register_peer(make_peer, kamailio, "customer2001")
        customer.call(kamailio.uri("agent1001"))
        qtbot.waitUntil(lambda: bool(engine.active_calls()), timeout=10_000)
        call_id = engine.active_calls()[0].id
        engine.answer(call_id)

        def reported() -> bool:
            row = next((r for r in manager.board().agents if r.agent == agent), None)
            return row is not None and row.call is not None and row.sip_uri != ""

        qtbot.waitUntil(reported, timeout=15_000)
        row = next(r for r in manager.board().agents if r.agent == agent)
        assert row.call is not None and row.call.call_uuid == call_uuid(call_id)
        assert row.sip_uri == kamailio.uri("agent1001")  # where the seat is registered

        supervisor = EnginePeer("supervisor", tmp_path / "sup")
        supervisor.request(
            "start", user="supervisor3001", password=RIG_USERS["supervisor3001"], domain=rig
        )
        supervisor.wait_event("reg_state", timeout=5, state="registered")
        grant = manager.request_grant(agent, row.call.call_uuid, "listen")
        assert desk.monitored_label.isHidden()
        supervisor.request("monitor", uri=row.sip_uri, grant=grant.grant)
        # Waiting with Qt's loop running: the agent's engine is polled by it.
        qtbot.waitUntil(lambda: bool(supervisor.events("monitor")), timeout=10_000)
        assert [e["event"] for e in supervisor.events("monitor")] == ["started"]
        # The agent's window heard of the monitor (its engine's own 'started' event) ...
        qtbot.waitUntil(lambda: bool(desk.monitors_attached), timeout=10_000)
        # ... and tells the agent only when the center's policy says so.
        assert desk.monitored_label.isVisible() is policy
        assert desk.monitored_label.text() == "本通话正在被监听/督导"
        supervisor.request("stop_monitor")
        qtbot.waitUntil(lambda: not desk.monitors_attached, timeout=10_000)
        assert desk.monitored_label.isHidden()
        customer.hangup()
    finally:
        if supervisor is not None:
            supervisor.close()
        manager.set_supervision_policy(False)
