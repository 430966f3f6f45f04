"""The search-vocabulary editor's behaviour: GET /authoring/vocabulary when it opens, PUT on
save (both on the net executor). The server appends the feed kind `vocabulary`; `saved` asks
the app to sync now, so this workstation's own search uses the new words at once and every
agent's after its next sync (kb/vocabulary_feed.py applies it)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from agent_app.authoring.views.vocabulary import VocabularyDialog
from agent_app.common.local_time import local_stamp
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from common.authoring import Vocabulary, VocabularyIn
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)


class VocabularyController(QObject):
    loaded = Signal()
    saved = Signal()
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        dialog: VocabularyDialog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.dialog = dialog
        self._closed = False
        dialog.save_requested.connect(self.save)
        dialog.finished.connect(lambda _r: self._close())

    def _close(self) -> None:
        self._closed = True

    def load(self) -> None:
        client = self.client
        op(client.vocabulary).success(self._loaded).failure(self._failed).run(
            self.taskman, executor="net"
        )

    def _stamp(self, vocabulary: Vocabulary) -> str:
        if not vocabulary.updated_at:
            return ""
        text = self.tr("Saved %1 by %2")
        return text.replace("%1", local_stamp(vocabulary.updated_at)[:16]).replace(
            "%2", vocabulary.updated_by or "?"
        )

    def _loaded(self, vocabulary: Vocabulary) -> None:
        if self._closed:
            return
        self.dialog.set_vocabulary(
            vocabulary.synonym_groups, vocabulary.user_words, self._stamp(vocabulary)
        )
        self.loaded.emit()

    def save(self, groups: list[list[str]], words: list[str]) -> None:
        client = self.client
        try:
            body = VocabularyIn(synonym_groups=groups, user_words=words)
        except ValueError as exc:  # the dialog checked already; the shared rules say why
            self._failed(exc)
            return
        op(lambda: client.put_vocabulary(body)).success(self._saved).failure(self._failed).run(
            self.taskman, executor="net"
        )

    def _saved(self, vocabulary: Vocabulary) -> None:
        if self._closed:
            return
        self.dialog.set_vocabulary(
            vocabulary.synonym_groups, vocabulary.user_words, self._stamp(vocabulary)
        )
        self.dialog.show_status(
            self.tr("Saved. Workstations search with it after their next sync.")
        )
        self.saved.emit()

    def _failed(self, exc: BaseException) -> None:
        log.info("vocabulary not loaded or saved: %s", exc)
        if self._closed:
            return
        self.dialog.set_busy(False)
        self.dialog.show_status(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()


def open_vocabulary(
    taskman: TaskManager, client: ApiClient, parent: QWidget
) -> VocabularyController:
    """The editor, open (not modal: the trainer may search the knowledge base meanwhile)."""
    dialog = VocabularyDialog(parent)
    controller = VocabularyController(taskman, client, dialog, parent=dialog)
    dialog.setModal(False)
    dialog.show()
    controller.load()
    return controller
