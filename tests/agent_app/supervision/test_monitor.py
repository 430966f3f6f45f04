"""Listen / whisper / barge from the supervisor's desktop, everything real: the backend over
HTTP (grants signed by its key), the rig's Kamailio, a customer (pjsua2 peer) calling the
agent, the agent's own engine in a process of its own (tests/rig/engine_peer.py) trusting the
server's key, and the supervisor's engine in this process polled by Qt (QtPhone).

Double-click on the agent's row asks the server for a grant and calls the agent's seat; the
seat answers silently; 耳语 switches with a new grant the seat confirms; 结束 hangs up; the
session's audit (start, switch, end) reaches the server. A grant the server refuses (the call
is over) is said in Chinese and nothing is dialled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, MonitorConfig, PhoneConfig
from agent_app.phone.qt.qt_phone import QtPhone
from agent_app.shell.taskman import TaskManager
from agent_app.supervision.board import Thresholds
from agent_app.supervision.qt.board import BoardController
from agent_app.supervision.qt.monitor import MonitorController
from agent_app.supervision.views.board import BoardView
from agent_app.supervision.views.monitor_bar import MonitorBar
from common import monitor_grants as mg
from common.supervision import MonitorSessionEvent, SeatCall, SeatReport
from tests.agent_app.supervision.conftest import Center
from tests.agent_app.supervision.test_board import cell
from tests.rig.engine_peer import EnginePeer
from tests.rig.fixtures import RIG_USERS, register_peer, require_pjsua2
from tests.rig.kamailio import Kamailio

AGENT = "agent1001"  # the agent's SIP user on the rig
# ... and the agent's user name on the server: another name, so the supervisor's phone reaches
# the seat only by the SIP account the seat reports (BoardRow.sip_uri), not by the user name.
AGENT_USER = "wangli"


@pytest.fixture
def agent_seat(kamailio: Kamailio, center: Center, tmp_path: Path) -> Iterator[EnginePeer]:
    """The agent's engine (its own process) registered as agent1001, trusting the server."""
    require_pjsua2()
    peer = EnginePeer("agent", tmp_path / "agent")
    try:
        peer.request(
            "start",
            user=AGENT,
            password=RIG_USERS[AGENT],
            domain=f"{kamailio.domain}:{kamailio.port}",
        )
        peer.wait_event("reg_state", timeout=5, state="registered")
        key = center.person("agent").client.monitor_public_key()
        peer.request("trust", public_key=key, agent=AGENT_USER)
        yield peer
    finally:
        peer.close()


@pytest.fixture
def supervisor_phone(qtbot, kamailio: Kamailio, tmp_path: Path) -> Iterator[QtPhone]:  # type: ignore[no-untyped-def]
    require_pjsua2()
    account = AccountConfig(
        id="main",
        user="supervisor3001",
        password=RIG_USERS["supervisor3001"],
        domain=f"{kamailio.domain}:{kamailio.port}",
        default=True,
    )
    phone = QtPhone(
        PhoneConfig(accounts=[account], bind_address="127.0.0.1", log_level=0), tmp_path / "sup"
    )
    assert phone.start()
    qtbot.waitUntil(phone.engine.is_registered, timeout=5_000)
    yield phone
    phone.shutdown()


@pytest.fixture
def taskman() -> Iterator[TaskManager]:
    tasks = TaskManager()
    yield tasks
    tasks.shutdown()


def test_double_click_monitors_the_call_and_switches_mode(  # type: ignore[no-untyped-def]
    qtbot, center, kamailio, make_peer, agent_seat, supervisor_phone, taskman, chinese
) -> None:
    team = center.team("一组")
    agent = center.person("agent", team, name=AGENT_USER)
    leader = center.person("team_leader", team)
    manager = center.person("manager")

    # The customer calls the agent; the agent answers; its seat reports the call.
    customer = register_peer(make_peer, kamailio, "customer2001")
    customer.call(kamailio.uri(AGENT))
    ringing = agent_seat.wait_event("call", timeout=5, state=ev.RINGING_IN)
    agent_seat.request("answer", call_id=ringing["id"])
    agent_seat.wait_event("call", timeout=5, state=ev.ACTIVE)
    call_uuid = mg.call_uuid(ringing["id"])
    now = datetime.now(UTC)
    agent.client.report_seat(
        SeatReport(
            state="ready",
            state_since=now,
            call=SeatCall(
                call_uuid=call_uuid, direction="inbound", started_at=now, number="13800138000"
            ),
            sip_uri=kamailio.uri(AGENT),
        )
    )

    view = BoardView(english=False)
    qtbot.addWidget(view)
    bar = MonitorBar()
    view.set_monitor_bar(bar)
    view.show()
    board = BoardController(leader.client, view, Thresholds(), english=False)
    audited: list[MonitorSessionEvent] = []
    monitor = MonitorController(
        taskman, leader.client, lambda: supervisor_phone.engine, audited.append, bar
    )
    supervisor_phone.monitorChanged.connect(monitor.engine_event)
    board.monitor_requested.connect(monitor.start)
    board.start()
    try:
        qtbot.waitUntil(lambda: _shown(board, AGENT_USER) == "通话中", timeout=10_000)
        index = _index(board, AGENT_USER)
        rect = view.table.visualRect(index)
        # A real double-click: press, release, then the double-click event, as a mouse sends.
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

        # Listening: the seat answered (silently: no call event at the agent's end).
        qtbot.waitUntil(
            lambda: monitor.session is not None and monitor.session.started_at is not None,
            timeout=10_000,
        )
        assert bar.isVisible() and bar.who.text().startswith("正在监听")
        # The seat was called where it is registered (the URI it reported).
        dialled = [s.remote_uri for s in supervisor_phone.engine.monitoring.live()]
        assert dialled == [kamailio.uri(AGENT)]
        assert bar.buttons["listen"].isChecked()
        seat_monitors = agent_seat.request("info")["monitors"]
        assert list(seat_monitors.values()) == ["listen"]
        assert {e["id"] for e in agent_seat.events("call")} == {ringing["id"]}

        # 耳语: a new grant; the seat confirms; the bar follows.
        bar.buttons["whisper"].click()
        qtbot.waitUntil(lambda: monitor.session.mode == "whisper", timeout=10_000)
        qtbot.waitUntil(
            lambda: list(agent_seat.request("info")["monitors"].values()) == ["whisper"],
            timeout=5_000,
        )
        assert bar.buttons["whisper"].isChecked()

        # 结束.
        bar.stop_button.click()
        qtbot.waitUntil(lambda: monitor.session.ended, timeout=10_000)
        assert [a.kind for a in audited] == ["started", "mode", "ended"]
        assert len({a.grant_id for a in audited}) == 2  # a new grant for the switch
        acks = leader.client.report_monitor_sessions(audited)
        assert [a.status for a in acks] == ["stored"] * 3
        sessions = manager.client.monitor_audit(kind="session").items
        assert (
            sessions and sessions[0].target == AGENT_USER and sessions[0].actor == leader.username
        )
        assert [m.mode for m in sessions[0].modes][:2] == ["listen", "whisper"]

        # The call ends; a grant for it is refused and said in Chinese; nothing is dialled.
        row = board.row_of(AGENT_USER)
        assert row is not None and row.call is not None
        customer.hangup()
        agent_seat.wait_event("call", timeout=5, state=ev.ENDED)
        agent.client.report_seat(
            SeatReport(state="after_call_work", state_since=now, sip_uri=kamailio.uri(AGENT))
        )
        qtbot.waitUntil(lambda: _shown(board, AGENT_USER) == "话后处理", timeout=10_000)
        monitor.start(row)
        qtbot.waitUntil(lambda: "拒绝" in bar.notice.text(), timeout=10_000)
        assert bar.notice.text() == "监听被拒绝：坐席当前没有这通电话"
        assert monitor.session.monitor_call_id == ""
        assert not supervisor_phone.engine.monitoring.live()

        # Another team's agent on a call (the manager sees it; the team leader may not).
        other = center.person("agent", center.team("二组"))
        other.client.report_seat(
            SeatReport(
                state="ready",
                state_since=now,
                call=SeatCall(call_uuid=mg.call_uuid("x"), direction="outbound", started_at=now),
            )
        )
        theirs = next(r for r in manager.client.board().agents if r.agent == other.username)
        monitor.start(theirs)
        qtbot.waitUntil(lambda: "班组" in bar.notice.text(), timeout=10_000)
        assert bar.notice.text() == "监听被拒绝：该坐席不属于您的班组"
        assert not supervisor_phone.engine.monitoring.live()
    finally:
        board.close()
        monitor.close()


def _shown(board: BoardController, agent: str) -> object:
    try:
        return cell(board, agent, 2)
    except AssertionError:
        return None


def _index(board: BoardController, agent: str):  # type: ignore[no-untyped-def]
    proxy = board.proxy
    for r in range(proxy.rowCount()):
        if proxy.index(r, 1).data() == agent:
            return proxy.index(r, 2)
    raise AssertionError(agent)


def test_pbx_mode_dials_the_feature_code_and_switches_with_digits(  # type: ignore[no-untyped-def]
    qtbot, center, sipp, taskman, tmp_path, chinese
) -> None:
    """A center whose PBX monitors: the grant is still asked for (the server decides who may
    and audits it), then the supervisor's phone dials the Asterisk ChanSpy code and switches
    with DTMF; SIPp stands in for the PBX and echoes the digits back."""
    require_pjsua2()
    pbx = sipp("uas_feature_code", calls=1, rtp_echo=True, timeout=30)
    pbx.wait_ready()
    account = AccountConfig(
        id="main", user="supervisor3001", domain=pbx.address, register=False, default=True
    )
    config = PhoneConfig(
        accounts=[account],
        bind_address="127.0.0.1",
        log_level=0,
        monitor=MonitorConfig(method="pbx", pbx="asterisk"),
    )
    phone = QtPhone(config, tmp_path / "sup")
    assert phone.start()
    team = center.team("一组")
    agent = center.person("agent", team, name="zhaomin")  # extension 1001, by its account
    leader = center.person("team_leader", team)
    now = datetime.now(UTC)
    call = SeatCall(
        call_uuid=mg.call_uuid("pbx-call"), direction="inbound", started_at=now, number="10086"
    )
    agent.client.report_seat(
        SeatReport(state="ready", state_since=now, call=call, sip_uri="sip:1001@pbx.example")
    )
    bar = MonitorBar()
    qtbot.addWidget(bar)
    audited: list[MonitorSessionEvent] = []
    monitor = MonitorController(taskman, leader.client, lambda: phone.engine, audited.append, bar)
    phone.callChanged.connect(monitor.engine_event)
    digits: list[str] = []
    phone.dtmfReceived.connect(lambda e: digits.append(e.digit))
    try:
        row = next(r for r in leader.client.board().agents if r.agent == "zhaomin")
        monitor.start(row)
        qtbot.waitUntil(
            lambda: monitor.session is not None and monitor.session.started_at is not None,
            timeout=10_000,
        )
        assert bar.who.text() == "正在监听 zhaomin · PBX"
        bar.buttons["whisper"].click()
        qtbot.waitUntil(lambda: monitor.session.mode == "whisper", timeout=10_000)
        qtbot.waitUntil(lambda: digits == ["5"], timeout=5_000)  # ChanSpy's whisper digit
        bar.stop_button.click()
        qtbot.waitUntil(lambda: monitor.session.ended, timeout=10_000)
        qtbot.waitUntil(lambda: not pbx.is_running(), timeout=10_000)
        assert pbx.wait(1) == 0, pbx.report()
        assert "INVITE sip:*2221001@" in pbx.message_path.read_text(errors="replace")
        assert [a.kind for a in audited] == ["started", "mode", "ended"]
    finally:
        monitor.close()
        phone.shutdown()
