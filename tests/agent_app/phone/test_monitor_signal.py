"""The Qt adapter hands the engine's supervision events on (the desktop audits them)."""

from __future__ import annotations

from pathlib import Path

from agent_app.phone import events as ev
from agent_app.phone.config import PhoneConfig
from agent_app.phone.qt.qt_phone import QtPhone
from tests.rig.fixtures import require_pjsua2


def test_monitor_events_become_a_signal(qtbot, tmp_path: Path) -> None:
    require_pjsua2()
    phone = QtPhone(PhoneConfig(), tmp_path)
    refused = ev.MonitorEvent("refused", "agent", reason="bad_signature", remote_uri="sip:x@y")
    with qtbot.waitSignal(phone.monitorChanged, timeout=1000) as blocker:
        phone._deliver(refused)
    assert blocker.args == [refused]
