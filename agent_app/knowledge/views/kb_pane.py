"""The knowledge-base pane: search as you type, filters, results, article, 'not answered'.

Every search, read and write goes through the operations layer; the pane only lays out widgets
and reacts to results. Stale results (the agent kept typing) are dropped by sequence number.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from agent_app.common.settings import Settings
from agent_app.knowledge.views.article_view import ArticleView
from agent_app.knowledge.views.result_delegate import HIT_ROLE, ResultDelegate, hit_html
from agent_app.questions.views.unanswered_dialog import UnansweredDialog
from agent_app.shell.taskman import TaskManager, op
from kb.knowledge_base import KnowledgeBase, SearchResponse
from kb.models import BUSINESS_LINES, TYPE_NAMES, Article, SearchFilters, SearchHit


class KbPane(QWidget):
    results_shown = Signal(int)  # number of results now on screen
    article_opened = Signal(str)  # uuid
    question_recorded = Signal(str)  # uuid of the unanswered question
    status_message = Signal(str)

    def __init__(
        self, taskman: TaskManager, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.settings = settings
        self.kb: KnowledgeBase | None = None
        self.agent_name = ""  # who records 'not answered' questions ('' before logging in)
        self._seq = 0
        self._last_response: SearchResponse | None = None
        self._logged_query = ""
        self._english = settings.language.startswith("en")
        self._build()
        self._debounce = QTimer(self, singleShot=True, interval=settings.search_debounce_ms)
        self._debounce.timeout.connect(self.run_search)
        self._log_timer = QTimer(self, singleShot=True, interval=settings.search_log_idle_ms)
        self._log_timer.timeout.connect(self._log_search)
        taskman.data_changed.connect(self._on_data_changed)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("kbSearch")
        self.search.setPlaceholderText(self.tr("Search the knowledge base (Ctrl+K)…"))
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet("font-size: 13pt; padding: 4px;")
        self.search.installEventFilter(self)
        self.not_answered = QPushButton(self.tr("Not answered"))
        self.not_answered.setObjectName("notAnsweredButton")
        self.not_answered.setToolTip(
            self.tr("Record this question for the business supervisor (Ctrl+N)")
        )
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.not_answered)

        self.type_filter = QComboBox()
        self.type_filter.setObjectName("typeFilter")
        self.type_filter.addItem(self.tr("All types"), None)
        for code, names in TYPE_NAMES.items():
            self.type_filter.addItem(self._name(names), code)
        self.line_filter = QComboBox()
        self.line_filter.setObjectName("lineFilter")
        self.line_filter.addItem(self.tr("All business lines"), None)
        for code, names in BUSINESS_LINES.items():
            self.line_filter.addItem(self._name(names), code)
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        self.category_filter.addItem(self.tr("All categories"), None)
        self.category_filter.setMinimumContentsLength(12)
        self.result_label = QLabel()
        self.result_label.setObjectName("resultLabel")
        filters = QHBoxLayout()
        filters.addWidget(self.type_filter)
        filters.addWidget(self.line_filter)
        filters.addWidget(self.category_filter)
        filters.addStretch(1)
        filters.addWidget(self.result_label)
        for combo in (self.type_filter, self.line_filter, self.category_filter):
            combo.currentIndexChanged.connect(self.run_search)

        self.model = QStandardItemModel(self)
        self.results = QListView()
        self.results.setObjectName("kbResults")
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        # A light selection keeps the grey meta line and the highlights readable.
        palette = self.results.palette()
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#dbeafe"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#111827"))
        self.results.setPalette(palette)
        self.results.activated.connect(lambda _i: self.open_current())
        self.results.clicked.connect(lambda _i: self.open_current())
        self.article_view = ArticleView()
        self.article_view.feedback_given.connect(self._record_feedback)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results)
        split.addWidget(self.article_view)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        self.search.textChanged.connect(self._on_text_changed)
        self.search.returnPressed.connect(self.open_current)
        self.not_answered.clicked.connect(self.record_not_answered)

    def _name(self, names: tuple[str, str]) -> str:
        return names[1] if self._english else names[0]

    # -- knowledge base -----------------------------------------------------------------------
    def set_knowledge_base(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._load_categories()
        if self.search.text().strip():
            self.run_search()

    def _load_categories(self) -> None:
        kb = self.kb
        if kb is None:
            return
        op(kb.store.categories).success(self._fill_categories).run(self.taskman)

    def _fill_categories(self, categories: list[str]) -> None:
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        while self.category_filter.count() > 1:
            self.category_filter.removeItem(1)
        for path in categories:
            depth = path.count("/")
            self.category_filter.addItem("　" * depth + path.rsplit("/", 1)[-1], path)
        index = self.category_filter.findData(current)
        self.category_filter.setCurrentIndex(max(index, 0))
        self.category_filter.blockSignals(False)

    def _on_data_changed(self, what: str) -> None:
        if what == "articles":
            self._load_categories()
            self.run_search()

    # -- searching ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def filters(self) -> SearchFilters:
        return SearchFilters(
            self.type_filter.currentData(),
            self.line_filter.currentData(),
            self.category_filter.currentData(),
        )

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._debounce.stop()
            self._seq += 1  # results of searches still running are now stale
            self._show(SearchResponse(""))
            return
        self._debounce.start()

    def run_search(self) -> None:
        self._debounce.stop()
        query = self.search.text().strip()
        kb = self.kb
        if kb is None:
            self.result_label.setText(self.tr("Loading the knowledge base…"))
            return
        if not query:
            return
        self._seq += 1
        seq = self._seq
        filters = self.filters()
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
        self.model.clear()
        for hit in response.hits:
            item = QStandardItem(
                hit_html(hit, self._type_name(hit.type), self._line_name(hit.business_line))
            )
            item.setData(hit, HIT_ROLE)
            self.model.appendRow(item)
        if response.hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
        if not response.query:
            self.result_label.clear()
        elif response.from_fallback:
            self.result_label.setText(
                self.tr(
                    "%n result(s) (simple search while the index is rebuilt)",
                    "",
                    len(response.hits),
                )
            )
        else:
            self.result_label.setText(self.tr("%n result(s)", "", len(response.hits)))
        self.results_shown.emit(len(response.hits))

    def _type_name(self, code: str) -> str:
        return self._name(TYPE_NAMES[code]) if code in TYPE_NAMES else code

    def _line_name(self, code: str) -> str:
        return self._name(BUSINESS_LINES[code]) if code in BUSINESS_LINES else code

    def _log_search(self) -> None:
        """Log the query the agent settled on (not every keystroke)."""
        kb, response = self.kb, self._last_response
        if kb is None or response is None or not response.query:
            return
        if response.query == self._logged_query:
            return
        self._logged_query = response.query
        filters = self.filters()
        op(lambda: kb.log_search(response, filters, "gui")).run(self.taskman)

    # -- keyboard -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.move_selection(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key == Qt.Key.Key_Escape:
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def move_selection(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        row = self.results.currentIndex().row()
        row = min(max(0, row + step), rows - 1) if row >= 0 else 0
        self.results.setCurrentIndex(self.model.index(row, 0))

    def current_hit(self) -> SearchHit | None:
        index = self.results.currentIndex()
        return index.data(HIT_ROLE) if index.isValid() else None

    # -- opening, feedback, questions ---------------------------------------------------------
    def open_current(self) -> None:
        hit = self.current_hit()
        kb = self.kb
        if hit is None or kb is None:
            return
        query = self.search.text().strip()

        def load() -> Article | None:
            kb.record_feedback(hit.uuid, "click", query)
            return kb.store.get_article(hit.uuid)

        op(load).success(self.show_article).run(self.taskman)

    def show_article(self, article: Article | None) -> None:
        if article is None:
            return
        meta = " · ".join(
            p
            for p in (
                self._type_name(article.type),
                self._line_name(article.business_line),
                article.category,
                article.contact_point,
                self.tr("version %1").replace("%1", str(article.version)),
                article.updated_at[:10],
            )
            if p
        )
        self.article_view.show_article(article, meta)
        self.article_opened.emit(article.uuid)

    def _record_feedback(self, uuid: str, kind: str) -> None:
        kb = self.kb
        if kb is None:
            return
        query = self.search.text().strip()
        op(lambda: kb.record_feedback(uuid, kind, query)).run(self.taskman)

    def record_not_answered(self) -> None:
        kb = self.kb
        if kb is None:
            return
        top = (
            self._last_response.hits[0]
            if self._last_response and self._last_response.hits
            else None
        )
        opened = self.article_view.article
        closest_uuid = opened.uuid if opened else (top.uuid if top else "")
        closest_title = opened.title if opened else (top.title if top else "")
        dialog = UnansweredDialog(self.search.text().strip(), closest_title, self)
        dialog.setModal(True)

        def accepted() -> None:
            question, note = dialog.question, dialog.note
            line = self.line_filter.currentData() or ""
            agent = self.agent_name
            op(
                lambda: kb.record_unanswered(
                    question, note, closest_uuid, business_line=line, agent=agent
                )
            ).success(self._question_recorded).changes("questions").run(self.taskman)

        dialog.accepted.connect(accepted)
        dialog.open()
        self._dialog = dialog  # kept for tests and so it is not collected while open

    def _question_recorded(self, uuid: str) -> None:
        self.status_message.emit(self.tr("Question recorded; it goes to the business supervisor."))
        self.question_recorded.emit(uuid)
