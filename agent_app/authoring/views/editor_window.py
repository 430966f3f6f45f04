"""The authoring window: the article editor, the conflict view, the history and the surveys,
one tab each, in a window of its own beside the main window (a trainer edits while the
knowledge base stays in view). Closing it keeps every draft: they are saved as typed.

Layout only; the controller is qt/editor_window.py.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from agent_app.authoring.views.article_editor import ArticleEditorView
from agent_app.authoring.views.conflict_view import ConflictView
from agent_app.authoring.views.history_view import HistoryView
from agent_app.authoring.views.surveys import SurveysView


class EditorWindow(QWidget):
    closing = Signal()

    def __init__(self, english: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorWindow")
        self.setWindowTitle(self.tr("Authoring — SeatDesk"))
        self.editor = ArticleEditorView(english)
        self.conflict = ConflictView()
        self.history = HistoryView()
        self.surveys = SurveysView()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.addTab(self.editor, self.tr("Edit"))
        self.tabs.addTab(self.conflict, self.tr("Conflict"))
        self.tabs.addTab(self.history, self.tr("History"))
        self.tabs.addTab(self.surveys, self.tr("Surveys"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        for number in range(4):
            QShortcut(
                QKeySequence(f"Alt+{number + 1}"),
                self,
                lambda n=number: self.tabs.setCurrentIndex(n),
            )
        self.set_conflict_visible(False)
        room = self.screen().availableGeometry()
        self.resize(min(1100, room.width()), min(760, room.height()))

    def set_conflict_visible(self, visible: bool) -> None:
        self.tabs.setTabVisible(self.tabs.indexOf(self.conflict), visible)

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.closing.emit()
        super().closeEvent(event)
