"""The behaviour of the Center codes dialog: reading the lists from the server and sending each
change an admin or the manager makes, every call on the `net` executor through the operations
layer; what the server refuses is shown in the dialog in the user's language, and the lists are
read again after every change so the dialog shows what the server now holds."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from agent_app.admin.center_codes import (
    Lists,
    add_entry,
    change_entry,
    entry_problem,
    load_lists,
    move_entry,
    rename_entry,
)
from agent_app.admin.views.center_codes import CenterCodesDialog, CodeTab
from agent_app.common.roles import can_manage_codes
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)


class CenterCodesController(QObject):
    changed = Signal()  # the server's lists changed: a sync brings them to this workstation
    loaded = Signal()  # the dialog shows the lists as just read
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        view: CenterCodesDialog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.view = view
        self.lists: Lists = {}
        self.closed = False
        view.refresh_requested.connect(self.load)
        view.finished.connect(self._closed)
        for kind, tab in view.tabs.items():
            self._wire(kind, tab)

    def _wire(self, kind: str, tab: CodeTab) -> None:
        client = self.client

        def added(code: str) -> None:
            tab.clear_form()
            tab.select(code.strip())  # the new entry, selected: its names fill the form

        def add(code: str, zh: str, en: str, meaning: str) -> None:
            problem = entry_problem(kind, code, zh)
            if problem is not None:
                self.view.show_notice(problem, error=True)
                return
            self._change(
                lambda: add_entry(client, kind, code, zh, en, meaning),
                self.tr("Added."),
                then=lambda: added(code),
            )

        tab.add_requested.connect(add)
        tab.rename_requested.connect(
            lambda code, zh, en, meaning: self._rename(kind, tab, code, zh, en, meaning)
        )
        tab.move_requested.connect(
            lambda code, delta: self._change(
                lambda: move_entry(client, kind, list(tab.entries), code, delta),
                self.tr("Order saved."),
            )
        )
        tab.active_requested.connect(
            lambda code, active: self._change(
                lambda: change_entry(client, kind, code, active=active),
                self.tr("Reactivated.") if active else self.tr("Deactivated."),
            )
        )

    def _rename(self, kind: str, tab: CodeTab, code: str, zh: str, en: str, meaning: str) -> None:
        entry = next((e for e in tab.entries if e.code == code), None)
        if entry is None:
            return
        client = self.client
        self._change(lambda: rename_entry(client, kind, entry, zh, en, meaning), self.tr("Saved."))

    # -- the calls ----------------------------------------------------------------------------
    def load(self) -> None:
        client = self.client
        self.view.set_busy(True)
        op(lambda: load_lists(client)).success(self._loaded).failure(self._failed).run(
            self.taskman, executor="net"
        )

    def _loaded(self, lists: Lists) -> None:
        if self.closed:
            return
        self.lists = lists
        self.view.show_lists(lists)
        self.view.set_busy(False)
        self.loaded.emit()

    def _change(
        self, call: Callable[[], None], done_text: str, then: Callable[[], object] | None = None
    ) -> None:
        self.view.set_busy(True)
        self.view.show_notice("")

        def succeeded(_result: None) -> None:
            if self.closed:
                return
            self.view.show_notice(done_text)
            self.changed.emit()
            self.load()
            if then is not None:
                self.loaded_once(then)

        op(call).success(succeeded).failure(self._failed).run(self.taskman, executor="net")

    def loaded_once(self, action: Callable[[], object]) -> None:
        """Run `action` after the next load (e.g. select what was just added)."""

        def run() -> None:
            self.loaded.disconnect(run)
            action()

        self.loaded.connect(run)

    def _failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        log.info("center codes: the server refused or could not be reached: %s", exc)
        self.view.set_busy(False)
        self.view.show_notice(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()
        elif self.lists:
            self.load()  # show what the server holds now (another admin may have changed it)

    def _closed(self) -> None:
        self.closed = True


def open_center_codes(
    taskman: TaskManager, client: ApiClient, role: str, english: bool, parent: QWidget
) -> CenterCodesController | None:
    """Open the dialog for an admin or the manager (None for any other role: the server would
    refuse every change anyway). The dialog is window-modal and deletes itself when closed."""
    if not can_manage_codes(role):
        return None
    view = CenterCodesDialog(english, parent)
    controller = CenterCodesController(taskman, client, view, parent=view)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.open()
    controller.load()
    return controller
