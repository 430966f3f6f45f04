"""A transfer that fails, end to end (issue 11 #9): the app's own pjsua2 phone registered at
the rig's Kamailio answers a customer (a pjsua2 peer in its own process), the agent transfers
to a number nobody has registered (480), the customer stays on the line, and the call record,
after the customer hangs up and the wrap-up is done, reaches the real backend saying the
transfer failed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.phone import events as ev
from agent_app.phone.messages import tr
from agent_app.seat.call_log import CallRecord
from agent_app.seat.qt.seat import record_id
from common.demo_accounts import DEMO_PASSWORD
from tests.agent_app.conftest import make_data_dir
from tests.agent_app.phone.test_phone_bar import press
from tests.agent_app.phone.test_phone_e2e import (
    CUSTOMER,
    CUSTOMER_SECRET,
    call_state,
    expect,
    phone_config,
    registered,
)
from tests.helpers.corpus import SMALL_CORPUS
from tests.rig.kamailio import Kamailio


def test_a_failed_transfer_reaches_the_server_on_the_call_record(
    qtbot, tmp_path: Path, backend, api, start_app, kamailio: Kamailio, make_peer
) -> None:
    kamailio.set_user(CUSTOMER, CUSTOMER_SECRET)
    agent = backend.new_user("agent")
    credentials.save_password(backend.url, agent, DEMO_PASSWORD)
    settings = Settings(
        server_url=backend.url,
        username=agent,
        remember_password=True,
        phone=phone_config(kamailio, "agent1001"),
        wrap_up_limit_s=120,
    )
    folder = make_data_dir(tmp_path / "agent", SMALL_CORPUS, index=True)
    app = start_app(folder, connect=True, settings=settings)
    qtbot.waitUntil(lambda: app.sync.running, timeout=15_000)
    registered(qtbot, app)
    kamailio.wait_registered("agent1001", timeout=5)
    press(qtbot, app, Qt.Key.Key_Y)  # ready

    customer = make_peer("customer")
    assert customer.register(CUSTOMER, CUSTOMER_SECRET, kamailio.registrar_uri)["code"] == 200
    customer.accept_transfers(True)  # it follows the REFER, and reports how that went
    customer.call(kamailio.uri("agent1001"))
    bar = app.phone.bar
    qtbot.waitUntil(lambda: bar.banner.isVisible(), timeout=10_000)
    expect(
        qtbot, customer, "call_state", lambda: press(qtbot, app, Qt.Key.Key_A), state="CONFIRMED"
    )
    qtbot.waitUntil(lambda: call_state(app) == ev.ACTIVE, timeout=10_000)
    current = app.phone.board.current
    assert current is not None
    rid = record_id(current.id)

    # Transfer to a number nobody has registered: Kamailio answers the customer's INVITE 480.
    bar.number_edit.setText("customer2003")
    app.phone.act("transfer")
    seat = app.seat
    log = seat.call_log
    assert log is not None

    def kept() -> CallRecord | None:
        record = log.get(rid)
        return record if record is not None and record.transfer_result == "failed" else None

    qtbot.waitUntil(lambda: kept() is not None, timeout=20_000)
    assert "480" in app.window.statusBar().currentMessage()  # the agent is told
    assert call_state(app) == ev.ACTIVE  # the customer is still on the line
    record = kept()
    assert record is not None and record.ended_at is None

    # The customer hangs up; the wrap-up is done; the record goes to the server.
    customer.hangup()
    panel = app.phone.wrap_panel
    qtbot.waitUntil(panel.isVisible, timeout=10_000)
    panel.choose("callback")
    panel.done_button.click()
    supervisor = api(backend.url, "supervisor")

    def on_server(uuid: str, category: str = "") -> tuple[str, str, str] | None:
        """The record as the server has it (sent when the call ended, again after wrap-up)."""
        for item in supervisor.calls(agent=agent).items:
            if item.uuid == uuid and item.wrap_up_category == category:
                return item.transfer_result, item.end_reason, item.end_text
        return None

    qtbot.waitUntil(lambda: on_server(rid, "callback") is not None, timeout=15_000)
    # An ordinary hang-up: the bar had nothing to say at the end.
    assert on_server(rid, "callback") == ("failed", "answered", "")

    # What the bar says when a call ends badly is kept too: nobody answers as customer2003.
    app.phone.dial("customer2003")
    qtbot.waitUntil(lambda: len(log.recent(5)) == 2, timeout=10_000)
    dialed = log.recent(5)[0].uuid
    qtbot.waitUntil(lambda: on_server(dialed) is not None, timeout=15_000)
    assert on_server(dialed) == ("", "no_answer", tr("sip_unavailable"))
