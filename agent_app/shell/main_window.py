"""The main window frame: the phone bar on top, and the panes the capabilities contribute by
role (agent_app/shell/panes.py) side by side: the knowledge base in the middle, the call and
customer on the left, the role's questions on the right, call history below. The agent may
move, stack or hide panes; the arrangement is remembered per user."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStyle,
    QSystemTrayIcon,
    QToolBar,
    QWidget,
)

from agent_app.common.roles import can_manage_codes
from agent_app.common.settings import Settings
from agent_app.questions.views.question_labels import role_name
from agent_app.shell.panes import (
    DEFAULT_SIZES,
    DOCK_AREAS,
    LAYOUT_VERSION,
    LayoutStore,
    Pane,
    PaneRole,
)
from agent_app.shell.sync_status import SyncStatusWidget
from agent_app.shell.taskman import TaskManager

log = logging.getLogger(__name__)
TOAST_MS = 8000


class MainWindow(QMainWindow):
    language_chosen = Signal(str)
    closing = Signal()
    login_requested = Signal()
    logout_requested = Signal()
    phone_settings_requested = Signal()
    center_codes_requested = Signal()  # an admin or the manager: the center's lists
    teams_requested = Signal()  # an admin: teams and who is in them (supervision)
    view_shown = Signal(QWidget)  # a pane was brought to the front on purpose (show_view)

    def __init__(
        self,
        taskman: TaskManager,
        settings: Settings,
        layouts: LayoutStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.settings = settings
        self.layouts = layouts
        self.panes: dict[str, Pane] = {}
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("SeatDesk"))
        # 1280 x 800 where the screen has room, else the screen's size (a 1024 x 768 seat).
        room = self.screen().availableGeometry()
        self.resize(min(1280, room.width()), min(800, room.height()))
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        # Below the phone bar, the side panes take the full height (left and right columns).
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        # Slot for the phone bar (agent state, call controls): a top toolbar.
        self.phone_bar = QToolBar(self.tr("Phone"))
        self.phone_bar.setObjectName("phoneBar")
        self.phone_bar.setMovable(False)
        self.phone_bar.hide()
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.phone_bar)
        placeholder = QLabel(self.tr("Opening the knowledge base…"))
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(placeholder)

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
        # A toast in the window's corner: seen even where there is no tray (Linux desktops
        # without one, a kiosk session).
        self.toast = QLabel(self)
        self.toast.setObjectName("toast")
        self.toast.setWordWrap(True)
        self.toast.setMaximumWidth(360)
        self.toast.setStyleSheet(
            "#toast { background: #1e293b; color: white; border-radius: 8px; padding: 10px 14px;"
            " font-size: 13px; }"
        )
        self.toast.hide()
        self._toast_timer = QTimer(self, singleShot=True, interval=TOAST_MS)
        self._toast_timer.timeout.connect(self.toast.hide)
        taskman.unhandled_error.connect(self._show_error)

        self._build_menus()
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
        self.panes_menu = view_menu.addMenu(self.tr("Panes"))
        self.panes_menu.setObjectName("panesMenu")
        reset = QAction(self.tr("Reset the layout"), self)
        reset.triggered.connect(self.reset_layout)
        view_menu.addAction(reset)
        view_menu.addSeparator()
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
        # The center's lists (业务线, 分类, 话后小结, 未就绪原因, 外呼结果): shown for an admin or
        # the manager only (set_user); the server checks the role again.
        self.center_codes_action = QAction(self.tr("&Center codes…"), self)
        self.center_codes_action.setObjectName("centerCodesAction")
        self.center_codes_action.triggered.connect(self.center_codes_requested.emit)
        self.center_codes_action.setVisible(False)
        settings_menu.addAction(self.center_codes_action)
        # Teams (班组) for supervision: an admin only (set_user); the server checks again.
        self.teams_action = QAction(self.tr("&Teams…"), self)
        self.teams_action.setObjectName("teamsAction")
        self.teams_action.triggered.connect(self.teams_requested.emit)
        self.teams_action.setVisible(False)
        settings_menu.addAction(self.teams_action)

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

    # -- the session --------------------------------------------------------------------------
    def set_user(self, name: str, role: str) -> None:
        """Who is logged in ('' when nobody is)."""
        self.sync_status.set_user(name, role_name(role) if role else "")
        self.login_action.setEnabled(not name)
        self.logout_action.setEnabled(bool(name))
        self.center_codes_action.setVisible(bool(name) and can_manage_codes(role))
        self.teams_action.setVisible(bool(name) and role == "admin")
        title = self.tr("SeatDesk")
        self.setWindowTitle(f"{title} — {name}" if name else title)

    def show_logged_in(self, username: str) -> None:
        self.statusBar().showMessage(self.tr("Logged in as %1.").replace("%1", username), 8000)

    # -- panes --------------------------------------------------------------------------------
    def add_pane(
        self, key: str, title: str, widget: QWidget, role: PaneRole, transient: bool = False
    ) -> Pane:
        """Place a capability's view by its role. `transient` panes (the wrap-up) are shown
        and hidden by their controller, not by the agent or a saved layout."""
        pane = Pane(key, title, widget, role)
        if role is PaneRole.KNOWLEDGE:
            old = self.takeCentralWidget()
            if old is not None:
                old.deleteLater()
            self.setCentralWidget(widget)
        else:
            dock = QDockWidget(title, self)
            dock.setObjectName(f"pane-{key}")
            dock.setWidget(widget)
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                | (
                    QDockWidget.DockWidgetFeature.NoDockWidgetFeatures
                    if transient
                    else QDockWidget.DockWidgetFeature.DockWidgetClosable
                )
            )
            dock.setProperty("transient", transient)
            area = DOCK_AREAS[role]
            # Below the KB, panes share the width as tabs (call history and the question
            # queue side by side need more than 1024 px); at the sides they stack.
            below = area == Qt.DockWidgetArea.BottomDockWidgetArea
            neighbour = next(
                (
                    p.dock
                    for p in self.panes.values()
                    if p.dock is not None
                    and not self._transient(p)
                    and self.dockWidgetArea(p.dock) == area
                    and not p.dock.isFloating()
                ),
                None,
            )
            self.addDockWidget(area, dock)
            if below and neighbour is not None and not transient:
                self.tabifyDockWidget(neighbour, dock)
            size = DEFAULT_SIZES.get(role, 240)
            vertical = area == Qt.DockWidgetArea.BottomDockWidgetArea
            self.resizeDocks(
                [dock], [size], Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal
            )
            if not transient:
                self.panes_menu.addAction(dock.toggleViewAction())
                dock.show()  # a child added to a window already on screen starts hidden
                dock.raise_()  # the newest of stacked panes in front
            pane.dock = dock
        self.panes[key] = pane
        return pane

    def pane_of(self, widget: QWidget) -> Pane | None:
        for pane in self.panes.values():
            if pane.widget is widget:
                return pane
        return None

    def remove_pane(self, widget: QWidget) -> None:
        pane = self.pane_of(widget)
        if pane is None:
            return
        del self.panes[pane.key]
        if pane.dock is not None:
            self.panes_menu.removeAction(pane.dock.toggleViewAction())
            self.removeDockWidget(pane.dock)
            pane.dock.deleteLater()
        widget.deleteLater()

    def set_pane_title(self, widget: QWidget, title: str) -> None:
        pane = self.pane_of(widget)
        if pane is not None:
            pane.title = title
            if pane.dock is not None:
                pane.dock.setWindowTitle(title)

    def pane_title(self, widget: QWidget) -> str:
        pane = self.pane_of(widget)
        return pane.title if pane is not None else ""

    def pane_titles(self) -> list[str]:
        """The titles of the panes showing now, the middle one first."""
        return [p.title for p in self.panes.values() if p.dock is None or not p.dock.isHidden()]

    def set_pane_visible(self, widget: QWidget, visible: bool) -> None:
        pane = self.pane_of(widget)
        if pane is not None and pane.dock is not None:
            pane.dock.setVisible(visible)
            if visible:
                pane.dock.raise_()

    def show_view(self, widget: QWidget) -> None:
        """Bring a pane to the front (raised if stacked, shown if the agent had closed it)."""
        pane = self.pane_of(widget)
        if pane is not None and pane.dock is not None:
            pane.dock.show()
            pane.dock.raise_()
        self.view_shown.emit(widget)

    # -- layout per user ----------------------------------------------------------------------
    def save_layout(self, user: str) -> None:
        if self.layouts is None or not user:
            return
        try:
            self.layouts.save(user, bytes(self.saveState(LAYOUT_VERSION).data()))
        except OSError:
            log.warning("the window layout could not be saved", exc_info=True)

    def restore_layout(self, user: str) -> bool:
        """The user's own arrangement of the panes now present (False: none saved)."""
        if self.layouts is None or not user:
            return False
        state = self.layouts.load(user)
        if state is None:
            return False
        hidden = {
            p.key: p.dock.isHidden() for p in self.panes.values() if p.dock and self._transient(p)
        }
        restored = self.restoreState(QByteArray(state), LAYOUT_VERSION)
        for pane in self.panes.values():  # transient panes keep what their controller said
            if pane.dock is not None and pane.key in hidden:
                pane.dock.setHidden(hidden[pane.key])
        return restored

    def reset_layout(self) -> None:
        for pane in self.panes.values():
            dock = pane.dock
            if dock is None or self._transient(pane):
                continue
            dock.setFloating(False)
            self.addDockWidget(DOCK_AREAS[pane.role], dock)
            dock.show()

    @staticmethod
    def _transient(pane: Pane) -> bool:
        return bool(pane.dock is not None and pane.dock.property("transient"))

    # -- telling the agent --------------------------------------------------------------------
    def my_questions_title(self, unread: int) -> str:
        """The pane's title, with the unread answers as a badge."""
        if unread:
            return self.tr("My questions (%n)", "", unread)
        return self.tr("My questions")

    def queue_title(self) -> str:
        return self.tr("Question queue")

    def notify_answers(self, count: int) -> None:
        text = self.tr("%n answer(s) received", "", count)
        self.notify(self.tr("SeatDesk"), text)
        self.show_toast(text)

    def notify(self, title: str, message: str) -> None:
        """A notification: the tray's balloon where there is a tray, the status bar always."""
        self.statusBar().showMessage(message, 15000)
        if self.tray is not None:
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)

    def show_toast(self, message: str) -> None:
        self.toast.setText(message)
        self.toast.adjustSize()
        self._place_toast()
        self.toast.show()
        self.toast.raise_()
        self._toast_timer.start()

    def _place_toast(self) -> None:
        margin = 16
        bottom = self.height() - self.statusBar().height() - margin
        self.toast.move(
            max(margin, self.width() - self.toast.width() - margin),
            max(margin, bottom - self.toast.height()),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self.toast.isVisible():
            self._place_toast()

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
