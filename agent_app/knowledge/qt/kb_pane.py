"""The knowledge-base pane's behaviour: searches as the agent types (stale results dropped by
sequence number), opens articles, keeps feedback, logs settled searches and records what the
knowledge base could not answer. Every search, read and write runs through the operations
layer; the view (agent_app/knowledge/views/kb_pane.py) only shows what it is told.

Feedback goes to the usage log and, for 有帮助 / 没帮助 with the agent's reason, to the outbox
(agent_app/knowledge/feedback.py). Attachments of synced articles are fetched on the net
executor after a sync brings articles, and open from the local copy."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from agent_app.common.settings import Settings
from agent_app.knowledge import feedback
from agent_app.knowledge.views.kb_pane import KbPane
from agent_app.questions.store import QuestionStore
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import Changes, TaskManager, op
from kb.attachments import AttachmentFile, AttachmentStore, FetchReport
from kb.business_lines import line_list
from kb.knowledge_base import KnowledgeBase, SearchResponse
from kb.models import Article, SearchHit
from sync.outbox import Outbox


class KbPaneController(QObject):
    outbox_grew = Signal()  # feedback queued for the server: sync soon
    attachments_fetched = Signal(object)  # FetchReport

    def __init__(
        self, taskman: TaskManager, view: KbPane, settings: Settings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.view = view
        self.settings = settings
        self.kb: KnowledgeBase | None = None
        self.questions: QuestionStore | None = None  # where 'not answered' questions are kept
        self.agent_name = ""  # who records 'not answered' questions ('' before logging in)
        self.outbox: Outbox | None = None  # where 有帮助 / 没帮助 wait for the server
        self.attachments: AttachmentStore | None = None
        # Fetches an attachment from the server (ApiClient.download_attachment); None while
        # logged out.
        self.download: Callable[[str], bytes] | None = None
        self._fetching = False
        self._seq = 0
        self._last_response: SearchResponse | None = None
        self._logged_query = ""
        self._debounce = QTimer(self, singleShot=True, interval=settings.search_debounce_ms)
        self._debounce.timeout.connect(self.run_search)
        self._log_timer = QTimer(self, singleShot=True, interval=settings.search_log_idle_ms)
        self._log_timer.timeout.connect(self._log_search)
        view.query_edited.connect(self._on_text_changed)
        view.filters_changed.connect(self.run_search)
        view.open_requested.connect(self.open_hit)
        view.feedback_given.connect(self._record_feedback)
        view.attachment_requested.connect(self.open_attachment)
        view.not_answered_requested.connect(self.record_not_answered)
        taskman.data_changed.connect(self._on_data_changed)

    # -- knowledge base -----------------------------------------------------------------------
    def set_knowledge_base(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.attachments = AttachmentStore(kb.data_dir)
        self._load_categories()
        if self.view.query():
            self.run_search()

    def _load_categories(self) -> None:
        """The filters' choices: categories in use and the business lines synced from the
        server (a sync round that brings lines announces ARTICLES too)."""
        kb = self.kb
        if kb is None:
            return
        op(kb.store.categories).success(self.view.fill_categories).run(self.taskman)
        op(lambda: line_list(kb.store, include_inactive=True)).success(
            self.view.fill_business_lines
        ).run(self.taskman)

    def _on_data_changed(self, changes: Changes) -> None:
        if Changes.ARTICLES in changes:
            self._load_categories()
            self.run_search()
            self.fetch_attachments()
        elif Changes.USER in changes:  # logged in: files missed while offline come now
            self.fetch_attachments()

    def clear(self) -> None:
        """Logout: the last user's search, results and article leave the screen."""
        self._debounce.stop()
        self._log_timer.stop()
        self._seq += 1  # searches still running are now stale
        self._last_response = None
        self._logged_query = ""
        self.view.clear()

    # -- searching ----------------------------------------------------------------------------
    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._debounce.stop()
            self._seq += 1  # results of searches still running are now stale
            self._show(SearchResponse(""))
            return
        self._debounce.start()

    def run_search(self) -> None:
        self._debounce.stop()
        query = self.view.query()
        kb = self.kb
        if kb is None:
            self.view.show_loading()
            return
        if not query:
            return
        self._seq += 1
        seq = self._seq
        filters = self.view.filters()
        limit = self.settings.results_limit
        op(lambda: kb.search(query, filters, limit=limit)).success(
            lambda response: self._on_results(seq, response)
        ).run(self.taskman)

    def _on_results(self, seq: int, response: SearchResponse) -> None:
        if seq != self._seq:
            return  # the agent has typed on: a newer search is coming
        self._show(response)
        self._log_timer.start()

    def _show(self, response: SearchResponse) -> None:
        self._last_response = response
        self.view.show_results(response)

    def _log_search(self) -> None:
        """Log the query the agent settled on (not every keystroke)."""
        kb, response = self.kb, self._last_response
        if kb is None or response is None or not response.query:
            return
        if response.query == self._logged_query:
            return
        self._logged_query = response.query
        filters = self.view.filters()
        op(lambda: kb.log_search(response, filters, "gui")).run(self.taskman)

    # -- opening, feedback --------------------------------------------------------------------
    def open_hit(self, hit: SearchHit) -> None:
        kb = self.kb
        if kb is None:
            return
        query = self.view.query()

        def load() -> Article | None:
            kb.record_feedback(hit.uuid, "click", query)
            return kb.store.get_article(hit.uuid)

        op(load).success(self.show_article).run(self.taskman)

    def show_article(self, article: Article | None) -> None:
        if article is not None:
            self.view.show_article(article)
            self._show_attachments(article)

    def _show_attachments(self, article: Article) -> None:
        store = self.attachments
        refs = list(getattr(article, "attachments", []) or [])
        if store is None or not refs:
            return
        uuid = article.uuid

        def shown(files: list[AttachmentFile]) -> None:
            current = self.view.article_view.article
            if current is not None and current.uuid == uuid:
                self.view.article_view.show_attachments(files)
                if not all(f.present for f in files):
                    self.fetch_attachments()  # the agent is reading it: fetch now

        # Whether each file is here is a look at the disk: off the GUI thread.
        op(lambda: store.files(refs)).success(shown).run(self.taskman)

    def open_attachment(self, file: AttachmentFile) -> None:
        """Open the local copy in the system's viewer; not downloaded yet: say so, and fetch
        it now if the server is reachable."""
        if file.present:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(file.path)))
            return
        self.view.article_view.show_attachment_missing(file.name)
        self.fetch_attachments()

    def fetch_attachments(self) -> None:
        """Fetch the files the synced articles name and this workstation lacks (net executor:
        it waits on the network; its database read takes the lock like any other)."""
        kb, store, download = self.kb, self.attachments, self.download
        if kb is None or store is None or download is None or self._fetching:
            return
        self._fetching = True

        def fetched(report: FetchReport) -> None:
            self._fetching = False
            self.attachments_fetched.emit(report)
            article = self.view.article_view.article
            if report.fetched and article is not None:
                self._show_attachments(article)

        def failed(exc: BaseException) -> None:
            self._fetching = False

        op(lambda: store.fetch_missing(kb.store, download)).success(fetched).failure(failed).run(
            self.taskman, executor="net"
        )

    def _record_feedback(self, uuid: str, kind: str, reason: str = "") -> None:
        kb, outbox = self.kb, self.outbox
        if kb is None:
            return
        query = self.view.query()
        if outbox is None:  # no local data for the server (the knowledge base alone)
            op(lambda: kb.record_feedback(uuid, kind, query)).run(self.taskman)
            return
        op(lambda: feedback.record_feedback(kb, outbox, uuid, kind, query, reason)).success(
            lambda _uuid: self.outbox_grew.emit()
        ).run(self.taskman)

    # -- not answered -------------------------------------------------------------------------
    def record_not_answered(self) -> None:
        """The dialog opens at once; the closest article it proposes is the best search match
        for the typed question (never merely the article last opened). When the results on
        screen are for other text (the agent is still typing), the question is searched now
        and the proposal filled in when the answer comes."""
        kb = self.kb
        if kb is None:
            return
        question = self.view.query()
        response = self._last_response
        current = response is not None and response.query == question
        closest = top_hit(response) if current else None
        dialog = self.view.ask_unanswered(question, closest.title if closest else "")
        chosen = {"uuid": closest.uuid if closest else ""}
        if not current and question:
            filters = self.view.filters()

            def found(result: SearchResponse) -> None:
                hit = top_hit(result)
                if hit is not None and dialog.isVisible():
                    chosen["uuid"] = hit.uuid
                    dialog.set_closest(hit.title)

            op(lambda: kb.search(question, filters, limit=1)).success(found).run(self.taskman)

        def accepted() -> None:
            asked, note = dialog.question, dialog.note
            line = self.view.line_filter.currentData() or ""
            agent, closest_uuid = self.agent_name, chosen["uuid"]
            questions = self.questions
            if questions is None:
                return
            op(
                lambda: questions.record(asked, note, closest_uuid, business_line=line, agent=agent)
            ).success(self.view.confirm_recorded).changes(Changes.QUESTIONS).run(self.taskman)

        dialog.accepted.connect(accepted)


def top_hit(response: SearchResponse | None) -> SearchHit | None:
    return response.hits[0] if response is not None and response.hits else None


KB_PANE_ROLE = PaneRole.KNOWLEDGE
