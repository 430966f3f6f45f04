"""The knowledge-base pane's widgets: search box, filters, results, article, 'not answered'.

Layout only: what the agent does goes out as signals, and the controller
(agent_app/knowledge/qt/kb_pane.py) tells the pane what to show.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPalette,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
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

from agent_app.knowledge.views.article_view import ArticleView
from agent_app.knowledge.views.result_delegate import HIT_ROLE, ResultDelegate, hit_html
from agent_app.questions.views.question_labels import BUILT_IN_NAMES, fill_line_combo, line_name
from agent_app.questions.views.unanswered_dialog import UnansweredDialog
from kb.business_lines import BUILT_IN, BusinessLine
from kb.knowledge_base import SearchResponse
from kb.models import TYPE_NAMES, Article, SearchFilters, SearchHit


class KbPane(QWidget):
    # What the agent does.
    query_edited = Signal(str)  # the search text as typed
    filters_changed = Signal()
    open_requested = Signal(object)  # SearchHit: Enter, a click
    feedback_given = Signal(str, str, str)  # article uuid, 'helpful' | 'not_helpful', reason
    attachment_requested = Signal(object)  # kb.attachments.AttachmentFile
    not_answered_requested = Signal()
    # What is on screen now (tests and the start-up probe wait for these).
    results_shown = Signal(int)  # number of results now on screen
    article_opened = Signal(str)  # uuid
    question_recorded = Signal(str)  # uuid of the unanswered question
    status_message = Signal(str)

    def __init__(self, english: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kbPane")
        self._english = english
        self._dialog: UnansweredDialog | None = None
        # The workstation's business lines (inactive ones too, to name older articles); the
        # controller reads them (kb/business_lines.py), the built-in ones until then.
        self._lines: dict[str, BusinessLine] = dict(BUILT_IN_NAMES)
        self._build()
        # Anywhere in the window (the shortcut's context is the pane's window).
        QShortcut(QKeySequence("Ctrl+K"), self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self.record_not_answered)

    def title(self) -> str:
        return self.tr("Knowledge base")

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
        fill_line_combo(self.line_filter, BUILT_IN, self._english)
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        self.category_filter.addItem(self.tr("All categories"), None)
        # Wide enough for its own "all" label (English is longer), not for every long path.
        self.category_filter.setMinimumContentsLength(max(8, len(self.category_filter.itemText(0))))
        self.result_label = QLabel()
        self.result_label.setObjectName("resultLabel")
        # A long count ('… simple search while the index is rebuilt', in English) wraps
        # instead of widening the window past the screen.
        self.result_label.setWordWrap(True)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        filters = QHBoxLayout()
        filters.addWidget(self.type_filter)
        filters.addWidget(self.line_filter)
        filters.addWidget(self.category_filter)
        filters.addWidget(self.result_label, 1)
        for combo in (self.type_filter, self.line_filter, self.category_filter):
            combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())

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
        self.article_view.feedback_given.connect(self.feedback_given.emit)
        self.article_view.attachment_requested.connect(self.attachment_requested.emit)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("kbSplit")
        split.addWidget(self.results)
        split.addWidget(self.article_view)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        self.search.textChanged.connect(self.query_edited.emit)
        self.search.returnPressed.connect(self.open_current)
        self.not_answered.clicked.connect(self.record_not_answered)

    def _name(self, names: tuple[str, str]) -> str:
        return names[1] if self._english else names[0]

    def type_name(self, code: str) -> str:
        return self._name(TYPE_NAMES[code]) if code in TYPE_NAMES else code

    def line_name(self, code: str) -> str:
        return line_name(code, self._english, self._lines)

    # -- what the agent asks for --------------------------------------------------------------
    def query(self) -> str:
        return self.search.text().strip()

    def filters(self) -> SearchFilters:
        return SearchFilters(
            self.type_filter.currentData(),
            self.line_filter.currentData(),
            self.category_filter.currentData(),
        )

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_current(self) -> None:
        hit = self.current_hit()
        if hit is not None:
            self.open_requested.emit(hit)

    def record_not_answered(self) -> None:
        self.not_answered_requested.emit()

    def current_hit(self) -> SearchHit | None:
        index = self.results.currentIndex()
        return index.data(HIT_ROLE) if index.isValid() else None

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

    # -- what the controller shows ------------------------------------------------------------
    def show_loading(self) -> None:
        self.result_label.setText(self.tr("Loading the knowledge base…"))

    def fill_business_lines(self, lines: list[BusinessLine]) -> None:
        """The workstation's lines: the active ones in the filter (built-in first), every one
        for naming. A chosen line that was deactivated falls back to 'all' and searches again."""
        self._lines = {line.code: line for line in lines}
        if fill_line_combo(self.line_filter, lines, self._english):
            self.filters_changed.emit()

    def fill_categories(self, categories: list[str]) -> None:
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

    def show_results(self, response: SearchResponse) -> None:
        self.model.clear()
        for hit in response.hits:
            item = QStandardItem(
                hit_html(hit, self.type_name(hit.type), self.line_name(hit.business_line))
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

    def show_article(self, article: Article | None) -> None:
        if article is None:
            self.article_view.show_article(None)
            return
        meta = " · ".join(
            p
            for p in (
                self.type_name(article.type),
                self.line_name(article.business_line),
                article.category,
                article.contact_point,
                self.tr("version %1").replace("%1", str(article.version)),
                article.updated_at[:10],
            )
            if p
        )
        self.article_view.show_article(article, meta)
        self.article_opened.emit(article.uuid)

    def ask_unanswered(self, question: str, closest_title: str) -> UnansweredDialog:
        """The 'not answered' dialog, open (window-modal); the controller hears `accepted`."""
        dialog = UnansweredDialog(question, closest_title, self)
        dialog.setModal(True)
        dialog.open()
        self._dialog = dialog  # kept for tests and so it is not collected while open
        return dialog

    def confirm_recorded(self, uuid: str) -> None:
        self.status_message.emit(self.tr("Question recorded; it goes to the business supervisor."))
        self.question_recorded.emit(uuid)

    def clear(self) -> None:
        """Nothing of the last user's work left: search text, results, article, open dialog."""
        if self._dialog is not None:
            self._dialog.reject()
            self._dialog = None
        self.search.clear()  # (with its signals: the clear button and the controller follow)
        self.show_results(SearchResponse(""))
        self.show_article(None)
