"""Callback reminders: when an agreed callback falls due, a toast in the window and a notice in
the system tray (seen with the window minimised too), and the record comes back to the top of
the worklist.

A QTimer on the GUI thread looks at the callbacks last read from the local store (no I/O in
its slot); the list is re-read through the operations layer whenever the worklist changes.
Where the desktop has no system tray, a log line says so once and the toast (plus the window's
taskbar alert) is what the agent gets.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from agent_app.outbound.callback_times import china_text
from agent_app.outbound.store import Callback, OutboundStore, due_callbacks
from agent_app.shell.main_window import MainWindow
from agent_app.shell.taskman import TaskManager, op
from common.timestamps import Clock, utc_now

log = logging.getLogger(__name__)
CHECK_MS = 15_000  # how often the cached list is looked at: a callback is at most this late


class Reminders(QObject):
    came_back = Signal(list)  # the records whose callbacks fell due, for the worklist

    def __init__(
        self,
        taskman: TaskManager,
        store: OutboundStore,
        user: str,
        window: MainWindow,
        clock: Clock = utc_now,
        interval_ms: int = CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.store = store
        self.user = user
        self.window = window
        self.clock = clock
        self.callbacks: list[Callback] = []
        self._bringing: set[int] = set()
        self._closed = False
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)
        self.tray_warned = False

    def start(self) -> None:
        self.reread()
        self.timer.start()

    def close(self) -> None:
        self._closed = True
        self.timer.stop()

    def reread(self) -> None:
        """Read the cached callbacks again (after the worklist or the server's list changed)."""
        store, user = self.store, self.user
        op(lambda: store.callbacks(user)).success(self._read).run(self.taskman)

    def _read(self, callbacks: list[Callback]) -> None:
        if not self._closed:
            self.callbacks = callbacks
            self.check()

    def check(self) -> None:
        """The timer's slot: which cached callbacks fell due (memory only, no I/O)."""
        if self._closed:
            return
        due = [
            c
            for c in due_callbacks(self.callbacks, self.clock())
            if c.record_id not in self._bringing
        ]
        if not due:
            return
        ids = [c.record_id for c in due]
        self._bringing.update(ids)
        store, user = self.store, self.user
        op(lambda: store.bring_back(user, ids)).success(self._brought).failure(
            lambda exc: self._bringing.difference_update(ids)
        ).run(self.taskman)

    def _brought(self, records: list[dict[str, Any]]) -> None:
        if self._closed or not records:
            return
        self._bringing.difference_update(int(r["id"]) for r in records)
        names = "、".join(str(r.get("name") or "") for r in records)
        due = [c for c in self.callbacks if c.record_id in {int(r["id"]) for r in records}]
        when = china_text(due[0].due_at) if due else ""
        text = self.tr("Callback due: %1 (%2)").replace("%1", names).replace("%2", when)
        self.window.show_toast(text)
        self.notify_tray(self.tr("Callback due"), text)
        QApplication.alert(self.window)
        self.came_back.emit(records)
        self.reread()

    def notify_tray(self, title: str, text: str) -> None:
        tray = self.window.tray
        if tray is None or not QSystemTrayIcon.isSystemTrayAvailable():
            if not self.tray_warned:
                log.info("no system tray on this desktop: callback reminders show as a toast only")
                self.tray_warned = True
            self.window.statusBar().showMessage(text, 15000)
            return
        self.window.notify(title, text)
