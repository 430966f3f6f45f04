"""The trainer's attention lists (GET /authoring/attention), loaded on the net executor when the
pane shows and now and then while it is shown. Opening an article is announced as
`edit_requested(article uuid)`: the article editor's controller opens it."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from agent_app.authoring.views.attention import AttentionView
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)
MIN_REFRESH_S = 30.0  # votes and review dates move slowly


class AttentionController(QObject):
    edit_requested = Signal(str)  # article uuid
    refreshed = Signal()
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        view: AttentionView,
        refresh_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.view = view
        self._seq = 0
        view.refresh_requested.connect(self.refresh)
        view.shown.connect(self.refresh)
        view.open_requested.connect(self.edit_requested.emit)
        self._timer = QTimer(self)
        self._timer.setInterval(int(max(refresh_s, MIN_REFRESH_S) * 1000))
        self._timer.timeout.connect(self._refresh_if_shown)
        self._timer.start()

    def close(self) -> None:
        self._timer.stop()
        self._seq += 1

    def _refresh_if_shown(self) -> None:
        if self.view.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._seq += 1
        seq = self._seq
        client = self.client

        def load() -> dict[str, Any]:
            return client.attention().model_dump()

        op(load).success(lambda data: self._loaded(seq, data)).failure(
            lambda exc: self._failed(seq, exc)
        ).run(self.taskman, executor="net")

    def _loaded(self, seq: int, data: dict[str, Any]) -> None:
        if seq != self._seq:
            return
        self.view.show_notice("")
        self.view.set_attention(data)
        self.refreshed.emit()

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        log.info("attention lists not loaded: %s", exc)
        self.view.show_notice(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()
