"""The Qt side of the sync worker: its reports, made on the sync thread, arrive as signals on
the GUI thread; starting and stopping it never makes the GUI wait on the network. A watchdog
timer restarts a worker whose thread died, and the status says so meanwhile."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from agent_app.shell.local_data import LocalData
from agent_app.shell.taskman import Changes, TaskManager, op
from sync.api_client import ApiClient
from sync.state import SyncKey
from sync.worker import SyncStatus, SyncWorker

log = logging.getLogger(__name__)
STOP_TIMEOUT_S = 5.0
WATCHDOG_INTERVAL_MS = 5000
BUILT_IN_SERVER = "built-in"  # the sync-state key of the embedded backend (no URL configured)


class SyncController(QObject):
    status_changed = Signal(object)  # SyncStatus
    answers_received = Signal(list)  # the questions newly answered or rejected
    round_done = Signal()  # a sync round finished: local question states may have changed

    def __init__(self, taskman: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.worker: SyncWorker | None = None
        # Workers taken out of service (logout, another account) and stopped in the background:
        # the shutdown waits for them too, so none is mid-round when the database closes.
        self._retired: list[SyncWorker] = []
        self.status = SyncStatus()
        self.logged_in = False
        self.watchdog = QTimer(self)
        self.watchdog.setInterval(WATCHDOG_INTERVAL_MS)
        self.watchdog.timeout.connect(self.check_worker)

    @property
    def running(self) -> bool:
        return self.worker is not None

    def start(
        self,
        data: LocalData,
        client: ApiClient,
        server: str,
        user: str,
        pull_interval: float,
    ) -> None:
        """Sync `user`'s data with `server` (the URL as configured, '' for the built-in one):
        the feed's checkpoint is kept for that pair."""
        self.stop()
        call = self.taskman.call_on_gui
        worker: SyncWorker

        # Reports from a worker that has since been stopped are dropped.
        def on_status(status: SyncStatus) -> None:
            call(lambda: self._status(worker, status))

        def on_answers(answers: list[dict[str, Any]]) -> None:
            call(lambda: self._answers(worker, answers))

        def on_articles() -> None:
            call(lambda: self._articles(worker))

        worker = SyncWorker(
            data.database,
            data.registry,
            client,
            SyncKey(server or BUILT_IN_SERVER, user),
            pull_interval=pull_interval,
            on_status=on_status,
            on_answers=on_answers,
            on_articles=on_articles,
        )
        # Business lines synced from the server refresh the filters as articles do.
        data.lines_changed = on_articles
        # The center's code lists refresh the seat's pickers (wrap-up, not-ready menu).
        data.codes_changed = lambda: call(lambda: self._codes(worker))
        self.worker = worker
        self.logged_in = True
        self._status(worker, worker.status)
        worker.start()
        self.watchdog.start()

    def check_worker(self) -> bool:
        """The watchdog: a worker whose thread died is started again; True when it was."""
        worker = self.worker
        if worker is None:
            return False
        restarted = worker.ensure_running()
        if restarted:
            self._status(worker, worker.status)
        return restarted

    def notify(self) -> None:
        if self.worker is not None:
            self.worker.notify()

    def set_token(self, token: str) -> None:
        if self.worker is not None:
            self.worker.set_token(token)

    def detach(self) -> SyncWorker | None:
        """Take the worker out of service without waiting for it; the caller stops it (off the
        GUI thread). Its late reports are dropped: they come from a worker no longer current."""
        worker, self.worker = self.worker, None
        self.logged_in = False
        self.watchdog.stop()
        self._retired = [w for w in self._retired if w.alive]
        if worker is not None:
            self._retired.append(worker)
            self.status = SyncStatus(pending=self.status.pending)
            self.status_changed.emit(self.status)
        return worker

    def stop(self, wait: bool = False) -> None:
        """Stop the worker: in the background, or (at shutdown) waiting a bounded time, for it
        and for the workers retired earlier that are still finishing a round."""
        worker = self.detach()
        if wait:
            retired, self._retired = self._retired, []
            for old in retired:
                old.stop(STOP_TIMEOUT_S)
            return
        if worker is not None:
            op(lambda: worker.stop(STOP_TIMEOUT_S)).run(self.taskman, executor="net")

    def show_pending(self, pending: int) -> None:
        """The outbox count while no worker runs (not logged in): nothing is lost meanwhile."""
        if self.worker is None:
            self.status = SyncStatus(pending=pending)
            self.status_changed.emit(self.status)

    # -- reports, on the GUI thread -----------------------------------------------------------
    def _status(self, worker: SyncWorker, status: SyncStatus) -> None:
        if worker is not self.worker:
            return
        finished_round = status.last_sync_at != self.status.last_sync_at
        self.status = status
        self.status_changed.emit(status)
        if finished_round:
            self.round_done.emit()

    def _answers(self, worker: SyncWorker, answers: list[dict[str, Any]]) -> None:
        if worker is self.worker:
            self.answers_received.emit(answers)

    def _codes(self, worker: SyncWorker) -> None:
        if worker is self.worker:
            self.taskman.announce(Changes.CODES)

    def _articles(self, worker: SyncWorker) -> None:
        if worker is self.worker:
            self.taskman.announce(Changes.ARTICLES)
