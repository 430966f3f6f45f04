"""The phone engine on the Qt thread: a 10 ms timer polls pjsua2, engine events become signals.

pjsua2 runs with no threads of its own, so every SIP and media callback happens inside the
timer's `poll()`, on the GUI thread, and each returns in well under a millisecond (pjsua2's
I/O is non-blocking). Actions (dial, answer, hold, ...) are called straight on the engine from
the GUI thread; a refused action becomes `failed` with a message for the agent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from agent_app.phone import events as ev
from agent_app.phone.config import PhoneConfig
from agent_app.phone.engine import PhoneEngine
from agent_app.phone.messages import PhoneError

log = logging.getLogger(__name__)
POLL_INTERVAL_MS = 10
FAST_POLL_INTERVAL_MS = 1
DEVICE_SCAN_MS = 5000


class QtPhone(QObject):
    registrationChanged = Signal(object)  # ev.RegistrationEvent
    callChanged = Signal(object)  # ev.CallEvent
    dtmfReceived = Signal(object)  # ev.DtmfEvent
    monitorChanged = Signal(object)  # ev.MonitorEvent (supervision; docs/supervision.md)
    notice = Signal(str)  # a sentence for the agent (no sound device, ...)
    failed = Signal(str)  # an action was refused; the reason, for the agent
    devicesChanged = Signal()  # a sound device was plugged in or out

    def __init__(self, config: PhoneConfig, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.engine = PhoneEngine(config, data_dir, self._deliver)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(POLL_INTERVAL_MS)
        self.timer.timeout.connect(self._poll)
        # Headsets come and go: look for new sound devices now and then, between calls.
        self.device_timer = QTimer(self)
        self.device_timer.setInterval(DEVICE_SCAN_MS)
        self.device_timer.timeout.connect(self._scan_devices)
        self.started = False

    def start(self) -> bool:
        try:
            self.engine.start()
        except PhoneError as exc:
            self.failed.emit(str(exc))
            return False
        self.started = True
        self.timer.start()
        self.device_timer.start()
        self._poll()
        return True

    def shutdown(self) -> None:
        self.timer.stop()
        self.device_timer.stop()
        if self.started:
            self.engine.shutdown()
            self.started = False

    def run(self, action: Callable[..., Any], *args: Any) -> Any:
        """Call an engine action; a PhoneError becomes `failed` and None is returned."""
        try:
            return action(*args)
        except PhoneError as exc:
            self.failed.emit(str(exc))
            return None

    def _poll(self) -> None:
        try:
            self.engine.poll(0)
        except Exception:  # a bug in a handler must not stop the phone
            log.exception("phone poll failed")
        # While SIP messages are flowing (a call being set up, a transfer), poll every
        # millisecond so each round trip is not held back to the next 10 ms tick.
        interval = FAST_POLL_INTERVAL_MS if self.engine.busy else POLL_INTERVAL_MS
        if self.timer.interval() != interval:
            self.timer.setInterval(interval)

    def _scan_devices(self) -> None:
        if self.started and self.engine.refresh_audio_devices():
            self.devicesChanged.emit()

    def _deliver(self, event: ev.Event) -> None:
        if isinstance(event, ev.CallEvent):
            self.callChanged.emit(event)
        elif isinstance(event, ev.RegistrationEvent):
            self.registrationChanged.emit(event)
        elif isinstance(event, ev.DtmfEvent):
            self.dtmfReceived.emit(event)
        elif isinstance(event, ev.NoticeEvent):
            self.notice.emit(event.text)
        elif isinstance(event, ev.MonitorEvent):
            self.monitorChanged.emit(event)
