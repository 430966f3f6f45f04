"""The supervisors' board with real widgets against the real backend over HTTP: 20 agents (20
ApiClient sessions) report their seats; the board's rows, colours and summary follow the
server's push stream; a seat that stops reporting turns lost (the server's clock moved on);
filters and sort; thresholds; the connection banner when the server goes away; double-click
asks to monitor only an agent with a call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush

from agent_app.supervision.board import LOST, ON_CALL, Thresholds
from agent_app.supervision.qt.board import BoardController
from agent_app.supervision.qt.board_table import (
    AGENT,
    CALL,
    CALL_TIME,
    FLAG_COLOUR,
    STATE,
    STATE_COLOURS,
    STATE_TIME,
)
from agent_app.supervision.views.board import BoardView
from common.supervision import SeatCall, SeatReport
from common.timestamps import utc_now
from tests.agent_app.supervision.conftest import Center, Person

CALL_UUID = "1b4e28ba-2d11-4a2b-9c2e-{:012d}"


def report(person: Person, state: str, reason: str = "", call: SeatCall | None = None,
           kind: str = "event", since_s: float = 0.0) -> None:  # fmt: skip
    person.client.report_seat(
        SeatReport(
            kind=kind,  # type: ignore[arg-type]
            state=state,  # type: ignore[arg-type]
            reason=reason,
            state_since=utc_now() - timedelta(seconds=since_s),
            call=call,
        )
    )


def a_call(n: int, ago_s: float = 5.0) -> SeatCall:
    return SeatCall(
        call_uuid=CALL_UUID.format(n),
        direction="inbound",
        started_at=utc_now() - timedelta(seconds=ago_s),
        answered_at=utc_now() - timedelta(seconds=ago_s),
        queue="billing",
        number="13800138000",
    )


def cell(controller: BoardController, agent: str, column: int, role: int = 0) -> object:
    proxy = controller.proxy
    for r in range(proxy.rowCount()):
        if proxy.index(r, AGENT).data() == agent:
            return proxy.index(r, column).data(role or Qt.ItemDataRole.DisplayRole)
    raise AssertionError(f"{agent} is not shown")


def colour(controller: BoardController, agent: str, column: int) -> str:
    brush = cell(controller, agent, column, Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush)
    return str(brush.color().name())


def shows_all(controller: BoardController, people: list[Person]) -> bool:
    return {p.username for p in people} <= set(shown_agents(controller))


def shown_agents(controller: BoardController) -> list[str]:
    proxy = controller.proxy
    return [str(proxy.index(r, AGENT).data()) for r in range(proxy.rowCount())]


@pytest.fixture
def floor(center: Center) -> tuple[Center, list[Person], Person]:
    """Two teams of ten agents, each seat reported Ready once; a manager who watches."""
    north, south = center.team("北区"), center.team("南区")
    agents = [center.person("agent", north if i < 10 else south) for i in range(20)]
    for agent in agents:
        report(agent, "ready")
    return center, agents, center.person("manager")


def open_board(qtbot, watcher: Person, thresholds: Thresholds | None = None) -> BoardController:  # type: ignore[no-untyped-def]
    view = BoardView(english=False)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    controller = BoardController(
        watcher.client, view, thresholds or Thresholds(), english=False,
        backoff_first_s=0.1, backoff_max_s=0.3,
    )  # fmt: skip
    controller.start()
    return controller


def test_the_board_follows_twenty_agents(qtbot, floor, chinese) -> None:  # type: ignore[no-untyped-def]
    center, agents, manager = floor
    controller = open_board(qtbot, manager, Thresholds(long_call_s=600, long_not_ready_s=60))
    try:
        qtbot.waitUntil(lambda: shows_all(controller, agents), timeout=10_000)
        assert controller.connected and controller.view.banner.isHidden()
        assert {cell(controller, a.username, STATE) for a in agents} == {"就绪"}
        assert "<b>就绪</b> 20" in controller.view.summary.text()

        for agent in agents[0:4]:
            report(agent, "not_ready", "training", since_s=120)  # past the 60 s threshold
        for n, agent in enumerate(agents[4:9]):
            report(agent, "ready", call=a_call(n, ago_s=700 if n == 0 else 5))
        for agent in agents[9:12]:
            report(agent, "after_call_work")
        report(agents[12], "break")
        report(agents[13], "offline")

        def settled() -> bool:
            return (
                cell(controller, agents[0].username, STATE) == "未就绪 · 培训"
                and cell(controller, agents[8].username, STATE) == "通话中"
                and cell(controller, agents[11].username, STATE) == "话后处理"
                and cell(controller, agents[12].username, STATE) == "小休"
                and cell(controller, agents[13].username, STATE) == "离线"
            )

        qtbot.waitUntil(settled, timeout=10_000)
        summary = controller.view.summary.text()
        for name, count in (("通话中", 5), ("就绪", 6), ("未就绪", 4), ("话后处理", 3),
                            ("小休", 1), ("离线", 1), ("失联", 0)):  # fmt: skip
            assert f"<b>{name}</b> {count}" in summary
        # Colours by state; the thresholds flag a long call and a long 未就绪 in their cells.
        assert colour(controller, agents[5].username, STATE) == STATE_COLOURS[ON_CALL]
        assert colour(controller, agents[9].username, STATE) == STATE_COLOURS["after_call_work"]
        assert colour(controller, agents[4].username, CALL_TIME) == FLAG_COLOUR
        assert colour(controller, agents[5].username, CALL_TIME) != FLAG_COLOUR
        assert colour(controller, agents[0].username, STATE_TIME) == FLAG_COLOUR
        assert "138****8000" in str(cell(controller, agents[5].username, CALL))
        # Durations tick locally (no polling): the call's time grows second by second.
        first = str(cell(controller, agents[5].username, CALL_TIME))
        qtbot.waitUntil(
            lambda: str(cell(controller, agents[5].username, CALL_TIME)) != first, timeout=3_000
        )

        # A seat that stops reporting turns lost: the server's clock moves on past 30 s and
        # every other seat goes on beating.
        center.clock.advance(31)
        for agent in agents[:19]:
            report(agent, "ready" if agent in agents[14:19] else "offline", kind="heartbeat")
        silent = agents[19].username
        qtbot.waitUntil(lambda: cell(controller, silent, STATE) == "失联", timeout=10_000)
        assert colour(controller, silent, STATE) == STATE_COLOURS[LOST]
        qtbot.waitUntil(lambda: "<b>失联</b> 1" in controller.view.summary.text(), timeout=10_000)
        assert all(cell(controller, a.username, STATE) != "失联" for a in agents[:19])
        with qtbot.waitSignal(controller.message, timeout=2_000) as said:
            controller.view.activated.emit(_index_of(controller, silent))
        assert said.args[0] == f"{silent} 的坐席已失去联系，无法监听。"
        # It comes back as soon as it reports again.
        report(agents[19], "ready")
        qtbot.waitUntil(lambda: cell(controller, silent, STATE) == "就绪", timeout=10_000)
    finally:
        controller.close()


def test_filters_sort_and_double_click(qtbot, floor, chinese) -> None:  # type: ignore[no-untyped-def]
    _center, agents, manager = floor
    report(agents[0], "not_ready", "meeting")
    report(agents[15], "ready", call=a_call(99))
    controller = open_board(qtbot, manager)
    view = controller.view
    try:
        qtbot.waitUntil(lambda: shows_all(controller, agents), timeout=10_000)
        # Grouped by team: each team's ten agents together (the demo agent, in none, last).
        names = shown_agents(controller)
        teams = [cell(controller, n, 0) for n in names]
        assert teams[:20] in (["北区"] * 10 + ["南区"] * 10, ["南区"] * 10 + ["北区"] * 10)
        view.team_box.setCurrentIndex(view.team_box.findText("南区"))
        assert set(shown_agents(controller)) == {a.username for a in agents[10:]}
        assert "共 10" in view.summary.text() or "Total 10" in view.summary.text()
        view.team_box.setCurrentIndex(0)
        view.state_box.setCurrentIndex(view.state_box.findData("not_ready"))
        assert shown_agents(controller) == [agents[0].username]
        view.state_box.setCurrentIndex(0)
        view.search.setText("138****")
        assert shown_agents(controller) == [agents[15].username]
        view.search.setText(agents[7].username)
        assert agents[7].username in shown_agents(controller)
        view.search.clear()
        # Sort by agent, descending.
        view.table.sortByColumn(AGENT, Qt.SortOrder.DescendingOrder)
        names = shown_agents(controller)
        assert names == sorted(names, reverse=True)

        # Double-click: an agent without a call says so; one with a call asks to monitor.
        with qtbot.waitSignal(controller.message, timeout=2_000) as said:
            view.activated.emit(_index_of(controller, agents[1].username))
        assert agents[1].username in said.args[0]
        with qtbot.waitSignal(controller.monitor_requested, timeout=2_000) as asked:
            view.activated.emit(_index_of(controller, agents[15].username))
        row = asked.args[0]
        assert row.agent == agents[15].username and row.call.call_uuid == CALL_UUID.format(99)
    finally:
        controller.close()


def test_a_team_leader_sees_the_own_team_and_the_board_reconnects(
    qtbot, server_process, chinese
) -> None:  # type: ignore[no-untyped-def]
    center = server_process
    north, south = center.team("一组"), center.team("二组")
    mine = [center.person("agent", north) for _ in range(3)]
    theirs = center.person("agent", south)
    for agent in [*mine, theirs]:
        report(agent, "ready")
    leader = center.person("team_leader", north)
    controller = open_board(qtbot, leader)
    try:
        qtbot.waitUntil(lambda: shows_all(controller, mine), timeout=10_000)
        assert set(shown_agents(controller)) == {a.username for a in mine}
        # The server goes away: the board says so and keeps trying.
        center.process.stop(kill=True)
        qtbot.waitUntil(lambda: not controller.view.banner.isHidden(), timeout=15_000)
        assert controller.view.banner.text() == "连接中断，正在重连…"
        assert not controller.connected
        center.process.start()
        report(mine[0], "break")
        qtbot.waitUntil(lambda: controller.view.banner.isHidden(), timeout=15_000)
        qtbot.waitUntil(lambda: cell(controller, mine[0].username, STATE) == "小休", timeout=10_000)
    finally:
        controller.close()


def _index_of(controller: BoardController, agent: str) -> QModelIndex:
    proxy = controller.proxy
    for r in range(proxy.rowCount()):
        if proxy.index(r, AGENT).data() == agent:
            return proxy.index(r, STATE)
    raise AssertionError(agent)
