"""The behaviour of '我的问题': load the agent's questions from the local store (the sync worker
keeps them current), count unread answers for the badge, mark them read once the agent has
looked, and open the article an answer became."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from agent_app.questions.store import QuestionStore
from agent_app.questions.views.my_questions import MyQuestionsView
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import Changes, TaskManager, op
from kb.knowledge_base import KnowledgeBase
from kb.models import Article


class MyQuestionsController(QObject):
    ROLE = PaneRole.QUESTIONS  # beside the knowledge base
    unread_changed = Signal(int)
    article_found = Signal(object)  # Article: show it in the KB pane
    message = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        view: MyQuestionsView,
        username: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.view = view
        self.username = username
        self.kb: KnowledgeBase | None = None
        self.questions: QuestionStore | None = None  # the local store: this user's questions
        self.unread = 0
        self._fresh: set[str] = set()  # answers that arrived this session: shown in bold
        taskman.data_changed.connect(self._on_data_changed)
        view.looked_at.connect(self.mark_read)
        view.open_article.connect(self.open_article)

    def close(self) -> None:
        self.taskman.data_changed.disconnect(self._on_data_changed)
        self.kb = None

    def set_knowledge_base(self, kb: KnowledgeBase, questions: QuestionStore) -> None:
        self.kb = kb
        self.questions = questions
        self.reload()

    def _on_data_changed(self, changes: Changes) -> None:
        if Changes.QUESTIONS in changes:
            self.reload()

    def pane_shown(self, widget: QWidget) -> None:
        """The window brought a pane to the front: ours means the agent is reading it."""
        if widget is self.view:
            self.mark_read()

    def reload(self) -> None:
        kb, username = self.kb, self.username
        if kb is None:
            return
        questions = self.questions
        if questions is None:
            return
        op(lambda: questions.for_user(username)).success(self._loaded).run(self.taskman)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        if self.kb is None:
            return
        unread = {r["uuid"] for r in rows if r.get("unread")}
        self._fresh |= unread
        self.view.set_questions(rows, self._fresh)
        if len(unread) != self.unread:
            self.unread = len(unread)
            self.unread_changed.emit(self.unread)
        self.loaded.emit()
        if self.unread and self.view.is_looked_at():
            self.mark_read()

    def mark_read(self) -> None:
        """The agent is looking at the view: its answers are read."""
        kb = self.kb
        if kb is None or not self.unread:
            return
        questions, username = self.questions, self.username
        if questions is None:
            return
        op(lambda: questions.mark_read(username)).changes(Changes.QUESTIONS).run(self.taskman)

    def open_article(self, uuid: str) -> None:
        kb = self.kb
        if kb is None:
            return
        op(lambda: kb.store.get_article(uuid)).success(self._article_loaded).run(self.taskman)

    def _article_loaded(self, article: Article | None) -> None:
        if article is None or article.status != "published":
            self.message.emit(
                self.tr("The article has not reached this computer yet; try again in a moment.")
            )
            return
        self.article_found.emit(article)
