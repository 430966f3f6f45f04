"""The main window: the knowledge-base pane and, by role, 'My questions' or the question queue
as tabs beside it; the phone bar docks on top and the customer pane on the left in later
releases (their slots are laid out here)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStyle,
    QSystemTrayIcon,
    QTabWidget,
    QToolBar,
    QWidget,
)

from agent_app.common.settings import Settings
from agent_app.knowledge.views.kb_pane import KbPane
from agent_app.questions.views.question_labels import role_name
from agent_app.shell.sync_status import SyncStatusWidget
from agent_app.shell.taskman import TaskManager
from kb.models import Article


class MainWindow(QMainWindow):
    language_chosen = Signal(str)
    closing = Signal()
    login_requested = Signal()
    logout_requested = Signal()
    phone_settings_requested = Signal()

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
        # The knowledge base first; the role's views ('My questions', the queue) as tabs.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)
        self.tabs.addTab(self.kb_pane, self.tr("Knowledge base"))
        # Left: the customer / screen-pop pane slot; right: the knowledge base and the tabs.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tabs)
        self.setCentralWidget(self.splitter)

        self.index_label = QLabel()
        self.index_label.setObjectName("indexStatus")
        self.index_progress = QProgressBar()
        self.index_progress.setObjectName("indexProgress")
        self.index_progress.setMaximumWidth(220)
        self.index_progress.hide()
        self.sync_status = SyncStatusWidget()
        self.sync_status.setObjectName("syncStatus")
        self.sync_status.login_clicked.connect(self.login_requested.emit)
        self.statusBar().addPermanentWidget(self.index_label)
        self.statusBar().addPermanentWidget(self.index_progress)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(self.tr("SeatDesk"))
            self.tray.show()
        self.kb_pane.status_message.connect(lambda m: self.statusBar().showMessage(m, 8000))
        taskman.unhandled_error.connect(self._show_error)

        self._build_menus()
        QShortcut(QKeySequence("Ctrl+K"), self, self.kb_pane.focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self.kb_pane.record_not_answered)
        self.set_index_state("loading")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.login_action = QAction(self.tr("&Log in…"), self)
        self.login_action.triggered.connect(self.login_requested.emit)
        self.logout_action = QAction(self.tr("Log &out"), self)
        self.logout_action.triggered.connect(self.logout_requested.emit)
        self.logout_action.setEnabled(False)
        file_menu.addAction(self.login_action)
        file_menu.addAction(self.logout_action)
        file_menu.addSeparator()
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

        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        self.phone_settings_action = QAction(self.tr("&Phone settings…"), self)
        self.phone_settings_action.triggered.connect(self.phone_settings_requested.emit)
        settings_menu.addAction(self.phone_settings_action)

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

    # -- the session and the role's views -----------------------------------------------------
    def set_user(self, name: str, role: str) -> None:
        """Who is logged in ('' when nobody is)."""
        self.sync_status.set_user(name, role_name(role) if role else "")
        self.login_action.setEnabled(not name)
        self.logout_action.setEnabled(bool(name))
        title = self.tr("SeatDesk")
        self.setWindowTitle(f"{title} — {name}" if name else title)

    def show_logged_in(self, username: str) -> None:
        self.statusBar().showMessage(self.tr("Logged in as %1.").replace("%1", username), 8000)

    def add_side_panel(self, widget: QWidget) -> None:
        """A panel left of the knowledge base (wrap-up now; the customer pane later)."""
        self.splitter.insertWidget(0, widget)
        self.splitter.setCollapsible(0, False)

    def add_view(self, widget: QWidget, title: str) -> None:
        self.tabs.addTab(widget, title)

    def remove_view(self, widget: QWidget) -> None:
        index = self.tabs.indexOf(widget)
        if index >= 0:
            self.tabs.removeTab(index)
        widget.deleteLater()

    def set_view_title(self, widget: QWidget, title: str) -> None:
        index = self.tabs.indexOf(widget)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def show_view(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def show_article(self, article: Article) -> None:
        """Open `article` in the KB pane's article view (e.g. the one an answer became)."""
        self.tabs.setCurrentWidget(self.kb_pane)
        self.kb_pane.show_article(article)

    def my_questions_title(self, unread: int) -> str:
        """The tab's title, with the unread answers as a badge."""
        if unread:
            return self.tr("My questions (%n)", "", unread)
        return self.tr("My questions")

    def queue_title(self) -> str:
        return self.tr("Question queue")

    def notify_answers(self, count: int) -> None:
        self.notify(self.tr("SeatDesk"), self.tr("%n answer(s) received", "", count))

    def notify(self, title: str, message: str) -> None:
        """A notification: the tray's balloon where there is a tray, the status bar always."""
        self.statusBar().showMessage(message, 15000)
        if self.tray is not None:
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)

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
