"""The main window: the knowledge-base pane now; the phone bar docks on top and the customer
pane on the left in later releases (their slots are laid out here)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolBar,
    QWidget,
)

from agent_app.qtops import TaskManager
from agent_app.settings import Settings
from agent_app.ui.kb_pane import KbPane


class MainWindow(QMainWindow):
    language_chosen = Signal(str)
    closing = Signal()

    def __init__(
        self, taskman: TaskManager, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("SeatDesk"))
        self.resize(1280, 800)

        # Slot for the phone bar (agent state, call controls): a top toolbar.
        self.phone_bar = QToolBar(self.tr("Phone"))
        self.phone_bar.setObjectName("phoneBar")
        self.phone_bar.setMovable(False)
        self.phone_bar.hide()
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.phone_bar)

        self.kb_pane = KbPane(taskman, settings)
        self.kb_pane.setObjectName("kbPane")
        # Left: the customer / screen-pop pane slot; right: the knowledge base.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.kb_pane)
        self.setCentralWidget(self.splitter)

        self.index_label = QLabel()
        self.index_label.setObjectName("indexStatus")
        self.index_progress = QProgressBar()
        self.index_progress.setObjectName("indexProgress")
        self.index_progress.setMaximumWidth(220)
        self.index_progress.hide()
        self.statusBar().addPermanentWidget(self.index_label)
        self.statusBar().addPermanentWidget(self.index_progress)
        self.kb_pane.status_message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        taskman.unhandled_error.connect(self._show_error)

        self._build_menus()
        QShortcut(QKeySequence("Ctrl+K"), self, self.kb_pane.focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self.kb_pane.record_not_answered)
        self.set_index_state("loading")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("E&xit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        language_menu = view_menu.addMenu(self.tr("Language"))
        group = QActionGroup(self)
        for code, label in (("zh_CN", "简体中文"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.settings.language == code)
            action.triggered.connect(lambda _checked=False, c=code: self._choose_language(c))
            group.addAction(action)
            language_menu.addAction(action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("About SeatDesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _choose_language(self, code: str) -> None:
        if code == self.settings.language:
            return
        self.language_chosen.emit(code)
        self.statusBar().showMessage(
            self.tr("The language changes when SeatDesk starts next."), 8000
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About SeatDesk"),
            self.tr("SeatDesk — a workstation for hotline and call-center staff."),
        )

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Error: %1").replace("%1", message), 15000)

    def set_index_state(self, state: str, done: int = 0, total: int = 0) -> None:
        texts = {
            "loading": self.tr("Opening the knowledge base…"),
            "ready": self.tr("Knowledge base ready"),
            "rebuilding": self.tr("Rebuilding the search index…"),
            "failed": self.tr("Search index could not be built; using simple search"),
        }
        self.index_label.setText(texts.get(state, state))
        if state == "rebuilding":
            self.index_progress.setMaximum(max(total, 1))
            self.index_progress.setValue(done)
            self.index_progress.show()
        else:
            self.index_progress.hide()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.closing.emit()
        super().closeEvent(event)
