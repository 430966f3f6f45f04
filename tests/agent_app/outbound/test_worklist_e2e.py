"""The outbound worklist end to end through the SIP rig: the app's own pjsua2 phone registered
at the rig's Kamailio dials each record's number (masked on screen, the real number dialled)
with F9; Kamailio routes the numbers to SIPp, which answers, is busy (486) or never answers.
The agent records the outcome and the survey answers with the shortcuts; they reach the real
server (its clock moved by the test), and a callback agreed on the unanswered call comes back
to the top of the worklist, with a toast, when it falls due."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.phone import events as ev
from agent_app.seat.qt.seat import record_id as call_record_uuid
from server.tables import campaign_attempts
from tests.agent_app.conftest import FAST_PULL_S, make_data_dir
from tests.agent_app.outbound.desk import campaign_with_survey, controller, take_next, worklist
from tests.agent_app.phone.test_phone_bar import activate
from tests.agent_app.phone.test_phone_e2e import phone_config, registered
from tests.helpers.corpus import SMALL_CORPUS
from tests.rig.kamailio import Kamailio
from tests.server.outbound.clocked import clocked_server
from tests.server.support import PASSWORD

ANSWERS, BUSY, SILENT = "13800138001", "13900139002", "13700137003"


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "server").mkdir()
    with clocked_server("sqlite", tmp_path / "server") as running:
        yield running


def attempt_of(server, record_id):  # type: ignore[no-untyped-def]
    with server.db.read() as conn:
        rows = conn.execute(
            sa.select(campaign_attempts).where(campaign_attempts.c.record_id == record_id)
        ).all()
    return rows[-1] if rows else None


def press(qtbot, app, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    activate(qtbot, app)
    qtbot.keyClick(app.window, key, modifier)


def call_state(app) -> str:  # type: ignore[no-untyped-def]
    current = app.phone.board.current
    return current.state if current is not None else ""


def test_dial_records_through_the_softphone_and_record_outcomes(
    qtbot, tmp_path: Path, start_app, server, kamailio: Kamailio, sipp
) -> None:  # type: ignore[no-untyped-def]
    routes = {}
    for number, scenario in ((ANSWERS, "uas_echo"), (BUSY, "uas_busy"), (SILENT, "uas_no_answer")):
        extra = {"rtp_echo": True} if scenario == "uas_echo" else {}
        uas = sipp(scenario, calls=None, timeout=None, **extra)
        uas.wait_ready()
        kamailio.set_route(number, f"127.0.0.1:{uas.local_port}")
        routes[number] = uas
    manager, agent = server.user("manager"), server.user("agent")
    campaign = campaign_with_survey(server, manager, mask_numbers=True)
    answered, busy, silent = server.records(campaign["id"], [ANSWERS, BUSY, SILENT])

    phone = phone_config(kamailio, "agent1001")
    phone["no_answer_timeout_s"] = 3  # the unanswered call gives up soon
    credentials.save_password(server.url, agent.username, PASSWORD)
    settings = Settings(
        search_log_idle_ms=50,
        server_url=server.url,
        username=agent.username,
        remember_password=True,
        phone=phone,
        wrap_up_enabled=False,  # the outcome is the after-call work here
    )
    settings.pull_interval_s = FAST_PULL_S
    folder = make_data_dir(tmp_path / "agent", SMALL_CORPUS, index=True)
    app = start_app(folder, connect=True, settings=settings)
    registered(qtbot, app)
    kamailio.wait_registered("agent1001", timeout=5)
    view = worklist(qtbot, app, server.clock)
    work = controller(app)

    # 1. SIPp answers: the agent talks, hangs up, answers the survey, records a success.
    take_next(qtbot, view, "客户1")
    assert view.phone_label.text() == "138****8001"
    press(qtbot, app, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE, timeout=15_000)
    call_id = app.phone.board.current.id
    assert app.phone.board.current.remote_number.endswith(ANSWERS)  # the real number
    server.clock.advance(45)  # a 45-second conversation
    app.phone.act("hangup")
    qtbot.waitUntil(lambda: call_state(app) == "", timeout=10_000)
    form = view.survey_form
    qtbot.waitUntil(form.isVisible, timeout=10_000)
    for key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_5, Qt.Key.Key_Return, Qt.Key.Key_9):
        qtbot.keyClick(form, key)
    qtbot.waitUntil(lambda: form.answers().get("recommend") == 9)
    press(qtbot, app, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # 成功联系
    qtbot.waitUntil(lambda: attempt_of(server, answered) is not None, timeout=20_000)
    row = attempt_of(server, answered)
    assert row.outcome == "success" and '"recommend": 9' in row.answers
    assert row.call_uuid == call_record_uuid(call_id)  # the call record it belongs to
    assert (row.started_at, row.ended_at) == (
        "2026-09-14T02:00:00.000+00:00",
        "2026-09-14T02:00:45.000+00:00",
    )

    # 2. SIPp is busy (486): the busy outcome is suggested; the agent records it by key.
    take_next(qtbot, view, "客户2")
    press(qtbot, app, Qt.Key.Key_F9)
    qtbot.waitUntil(
        lambda: work.call is not None and work.call.end_reason == "busy", timeout=15_000
    )
    assert "font-weight" in view.outcome_buttons["busy"].styleSheet()
    press(qtbot, app, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # 忙音
    qtbot.waitUntil(lambda: attempt_of(server, busy) is not None, timeout=20_000)
    assert attempt_of(server, busy).outcome == "busy"

    # 3. SIPp never answers: the call gives up; a callback is agreed for +4 hours.
    take_next(qtbot, view, "客户3")
    press(qtbot, app, Qt.Key.Key_F9)
    qtbot.waitUntil(
        lambda: work.call is not None and work.call.end_reason == "no_answer", timeout=15_000
    )
    qtbot.mouseClick(view.callback_button, Qt.MouseButton.LeftButton)
    picker = work.picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    picker.quick_buttons["in_4h"].click()
    qtbot.waitUntil(lambda: work.callback_at is not None)
    due = work.callback_at
    press(qtbot, app, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # 无人接听
    qtbot.waitUntil(lambda: attempt_of(server, silent) is not None, timeout=20_000)
    row = attempt_of(server, silent)
    assert row.outcome == "no_answer" and row.callback_at is not None
    qtbot.waitUntil(lambda: not view.work.isVisible(), timeout=10_000)

    # Four hours later the callback is due: a toast, the record on top, and the server hands
    # it to this agent again.
    server.clock.now = server.clock.now + timedelta(hours=4, minutes=1)
    assert due is not None and server.clock.now >= due
    app.outbound.reminders.timer.setInterval(50)
    qtbot.waitUntil(lambda: app.window.toast.isVisible(), timeout=10_000)
    assert "客户3" in app.window.toast.text()
    qtbot.waitUntil(lambda: view.name_label.text() == "客户3", timeout=10_000)
    reply = agent.http.post(f"/campaigns/{campaign['id']}/next").json()
    assert reply["record"]["id"] == silent
    assert reply["record"]["phone"] == "137****7003"  # masked for the agent
    assert routes[SILENT].is_running()
