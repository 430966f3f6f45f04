"""The behaviour of the Teams dialog (an admin): read the teams and users, add and rename
teams, put users in a team, set the center's policy on telling agents that a call is
monitored, each call on the `net` executor; what the server refuses (a name
taken) is shown in the dialog in the user's language, and the lists are read again after every
change so the dialog shows what the server now holds."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from agent_app.supervision.views.teams_dialog import TeamsDialog
from common.supervision import SupervisionPolicy, Team
from common.wire import UserInfo
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)


def can_manage_teams(role: str) -> bool:
    """Teams are the admin's (the server checks again)."""
    return role == "admin"


class TeamsController(QObject):
    loaded = Signal()
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        view: TeamsDialog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.view = view
        self.closed = False
        view.refresh_requested.connect(self.load)
        view.create_requested.connect(self.create)
        view.rename_requested.connect(self.rename)
        view.assign_requested.connect(self.assign)
        view.policy_requested.connect(self.set_policy)
        view.finished.connect(self._closed)

    def load(self) -> None:
        client = self.client
        self.view.set_busy(True)
        op(lambda: (client.teams(), client.users(), client.supervision_policy())).success(
            self._loaded
        ).failure(self._failed).run(self.taskman, executor="net")

    def _loaded(self, result: tuple[list[Team], list[UserInfo], SupervisionPolicy]) -> None:
        if self.closed:
            return
        teams, users, policy = result
        self.view.show_teams(teams, users)
        self.view.show_policy(policy.show_monitored)
        self.view.set_busy(False)
        self.loaded.emit()

    def create(self, name: str) -> None:
        name = name.strip()
        if not name:
            self.view.show_notice(self.tr("Type the new team's name first."), error=True)
            return
        client = self.client
        self._change(lambda: client.create_team(name), self.tr("Team added."), then=name)

    def rename(self, team_id: int, name: str) -> None:
        name = name.strip()
        if not name:
            self.view.show_notice(self.tr("Type the team's new name first."), error=True)
            return
        client = self.client
        self._change(lambda: client.rename_team(team_id, name), self.tr("Renamed."), then=name)

    def assign(self, user_id: int, team_id: int | None) -> None:
        client = self.client
        self._change(lambda: client.assign_team(user_id, team_id), self.tr("Saved."))

    def set_policy(self, show_monitored: bool) -> None:
        """Seats take the new policy at their next login (it comes with the grant key)."""
        client = self.client
        self._change(
            lambda: client.set_supervision_policy(show_monitored),
            self.tr("Saved. Agents' windows follow it from their next login."),
        )

    def _change(self, call: Callable[[], object], done: str, then: str = "") -> None:
        self.view.set_busy(True)
        self.view.show_notice("")

        def succeeded(_result: object) -> None:
            if self.closed:
                return
            self.view.show_notice(done)
            if then:
                self.loaded_once(lambda: self.view.select_team(then))
            self.load()

        op(call).success(succeeded).failure(self._failed).run(self.taskman, executor="net")

    def loaded_once(self, action: Callable[[], object]) -> None:
        def run() -> None:
            self.loaded.disconnect(run)
            action()

        self.loaded.connect(run)

    def _failed(self, exc: BaseException) -> None:
        if self.closed:
            return
        log.info("teams: the server refused or could not be reached: %s", exc)
        self.view.set_busy(False)
        self.view.show_notice(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()
        else:
            self.load()  # show what the server holds now

    def _closed(self) -> None:
        self.closed = True


def open_teams(
    taskman: TaskManager, client: ApiClient, role: str, english: bool, parent: QWidget
) -> TeamsController | None:
    """Open the dialog for an admin (None for any other role). Window-modal; deletes itself
    when closed."""
    if not can_manage_teams(role):
        return None
    view = TeamsDialog(english, parent)
    controller = TeamsController(taskman, client, view, parent=view)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.open()
    controller.load()
    return controller
