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
    retired = Signal(str)  # article uuid
    refreshed = Signal()
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        view: AttentionView,
        refresh_s: float,
        can_retire: bool = False,
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
        view.set_can_retire(can_retire)  # the server checks the role again
        view.retire_requested.connect(self.retire)
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

    def retire(self, article_uuid: str, title: str) -> None:
        client = self.client
        op(lambda: client.retire_article(article_uuid)).success(
            lambda _a: self._retired(article_uuid, title)
        ).failure(lambda exc: self._failed(self._seq, exc)).run(self.taskman, executor="net")

    def _retired(self, article_uuid: str, title: str) -> None:
        self.view.show_notice(
            self.tr("“%1” retired; workstations remove it at their next sync.").replace("%1", title)
        )
        self.retired.emit(article_uuid)
        self.refresh()

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        log.info("attention lists not loaded: %s", exc)
        self.view.show_notice(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()
