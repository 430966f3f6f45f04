"""The authoring window's controller: it owns the editor, conflict, history and surveys
controllers and moves the trainer between them (a conflict opens the conflict tab, a restored
revision opens in the editor, a resubmitted merge goes back to the editor).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from agent_app.authoring import templates
from agent_app.authoring.drafts import Draft, DraftStore
from agent_app.authoring.qt.article_editor import ArticleEditorController
from agent_app.authoring.qt.conflict_view import ConflictController
from agent_app.authoring.qt.history_view import HistoryController
from agent_app.authoring.qt.surveys import SurveysController
from agent_app.authoring.views.editor_window import EditorWindow
from agent_app.shell.taskman import TaskManager, op
from kb.knowledge_base import KnowledgeBase
from sync.api_client import ApiClient


class EditorWindowController(QObject):
    drafts_changed = Signal()  # the pane's list refreshes
    outbox_grew = Signal()  # a proposal was queued: sync now
    message = Signal(str)

    def __init__(
        self,
        taskman: TaskManager,
        store: DraftStore,
        kb: KnowledgeBase,
        username: str,
        client: Callable[[], ApiClient | None],
        english: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.store = store
        self.kb = kb
        self.username = username
        self.english = english
        self.window = EditorWindow(english)
        self.editor = ArticleEditorController(
            taskman, self.window.editor, store, username, client, parent=self
        )
        self.conflict = ConflictController(
            taskman, self.window.conflict, store, username, parent=self
        )
        self.history = HistoryController(
            taskman, self.window.history, store, username, client, parent=self
        )
        self.surveys = SurveysController(taskman, self.window.surveys, client, parent=self)
        self.editor.saved.connect(lambda _when: self.drafts_changed.emit())
        self.editor.submitted.connect(self._queued)
        self.editor.conflict_found.connect(self._conflict)
        self.editor.history_requested.connect(self.show_history)
        self.editor.discarded.connect(lambda _uuid: self.drafts_changed.emit())
        self.conflict.resubmitted.connect(self._resubmitted)
        self.history.restored.connect(self._restored)
        for source in (self.editor, self.conflict, self.history):
            source.message.connect(self.message.emit)
        self.window.closing.connect(self.editor.flush)
        self.window.tabs.currentChanged.connect(self._tab_changed)
        self._surveys_loaded = False

    # -- opening ----------------------------------------------------------------------------
    def new_article(self, article_type: str) -> None:
        store, owner = self.store, self.username
        content = {"type": article_type, "title": "", "body": templates.template(article_type)}
        op(lambda: store.new_draft(owner, content)).success(self.show_draft).run(self.taskman)

    def edit_article(self, article_uuid: str) -> None:
        """The user's open draft of the article, or a new one starting from its version."""
        kb, store, owner = self.kb, self.store, self.username

        def open_draft() -> Draft | None:
            article = kb.store.get_article(article_uuid)
            if article is None:
                return None
            return store.open_for(owner, article)

        op(open_draft).success(self._opened).run(self.taskman)

    def open_draft(self, draft_uuid: str) -> None:
        store, owner = self.store, self.username
        op(lambda: store.get(draft_uuid, owner)).success(self._opened).run(self.taskman)

    def _opened(self, draft: Draft | None) -> None:
        if draft is None:
            self.message.emit(self.tr("The article is not on this computer (yet)."))
            return
        self.show_draft(draft)

    def show_draft(self, draft: Draft) -> None:
        self.window.set_conflict_visible(draft.state == "conflict")
        self.window.show_tab(self.window.editor)
        self.editor.show_draft(draft)
        self.drafts_changed.emit()

    def _conflict(self, draft: Draft) -> None:
        self.window.set_conflict_visible(True)
        self.conflict.show_conflict(draft)
        self.window.show_tab(self.window.conflict)

    def show_history(self, article_uuid: str) -> None:
        self.window.show_tab(self.window.history)
        self.history.load(article_uuid)

    def show_surveys(self) -> None:
        self.window.show_tab(self.window.surveys)

    def _tab_changed(self, _index: int) -> None:
        if self.window.tabs.currentWidget() is self.window.surveys and not self._surveys_loaded:
            self._surveys_loaded = True
            self.surveys.reload()

    # -- after an action --------------------------------------------------------------------
    def _queued(self, _proposal_uuid: str) -> None:
        self.outbox_grew.emit()
        self.drafts_changed.emit()

    def _resubmitted(self, proposal_uuid: str) -> None:
        self.window.set_conflict_visible(False)
        self._queued(proposal_uuid)
        draft = self.editor.draft
        if draft is not None:
            self.open_draft(draft.uuid)

    def _restored(self, draft: Draft) -> None:
        self.show_draft(draft)

    def states_changed(self) -> None:
        """The server's answers came in: the draft on screen shows its new state."""
        shown = self.editor.draft
        if shown is None:
            return
        store, owner = self.store, self.username

        def changed(draft: Draft | None) -> None:
            if draft is None or self.editor.draft is not shown or self.editor.dirty:
                return
            if (draft.state, draft.comment, draft.theirs_version) != (
                shown.state,
                shown.comment,
                shown.theirs_version,
            ):
                # Shown where it is, without taking the trainer away from the tab they are
                # on; only a conflict brings its tab forward (conflict_found).
                self.window.set_conflict_visible(draft.state == "conflict")
                self.editor.show_draft(draft)
                self.drafts_changed.emit()

        op(lambda: store.get(shown.uuid, owner)).success(changed).run(self.taskman)

    def close(self) -> None:
        self.editor.close()
        self.window.close()
        self.window.deleteLater()
