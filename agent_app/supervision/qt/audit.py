"""The behaviour of the monitoring audit dialog (the manager's; the server refuses everyone
else): the chosen days and user are read from the server's audit (`GET /supervision/audit`) on
the net executor, never on the GUI thread, and each item is worded for the table in the user's
language: what happened, the modes with their local times, the duration, and why a grant or a
monitor call was refused."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from agent_app.common.local_time import local_stamp
from agent_app.shell.taskman import TaskManager, op
from agent_app.supervision.board import duration_text
from agent_app.supervision.views.audit import AuditDialog, AuditRow
from common.supervision import AuditEntry, AuditPage
from sync.api_client import ApiClient, ApiError, AuthError

log = logging.getLogger(__name__)
# One page is plenty for a manager's look at a week; the status line says when there is more.
PAGE = 500


def _clock(stamp: str) -> str:
    """The local time of day with seconds (mode switches are seconds apart)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M:%S")


class AuditController(QObject):
    loaded = Signal(int)  # rows shown (tests)
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        view: AuditDialog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.view = view
        self.rows: list[AuditRow] = []
        self._asked = 0  # the newest query: an older answer arriving late is dropped
        view.search_requested.connect(self.load)

    def load(self) -> None:
        self._asked += 1
        asked = self._asked
        since, until = self.view.bounds()
        user = self.view.user_filter() or None
        client = self.client
        self.view.set_busy(True)
        self.view.set_status(self.tr("Loading…"))
        op(lambda: client.monitor_audit(since=since, until=until, user=user, limit=PAGE)).success(
            lambda page: self._loaded(asked, page)
        ).failure(lambda exc: self._failed(asked, exc)).run(self.taskman, executor="net")

    def _loaded(self, asked: int, page: AuditPage) -> None:
        if asked != self._asked:
            return
        self.rows = [self.row(entry) for entry in page.items]
        self.view.set_rows(self.rows)
        self.view.set_busy(False)
        if not self.rows:
            text = self.tr("Nothing was audited in these days.")
        elif page.total > len(self.rows):
            text = (
                self.tr("The newest %1 of %2 entries: narrow the days or the user to see the rest.")
                .replace("%1", str(len(self.rows)))
                .replace("%2", str(page.total))
            )
        else:
            text = self.tr("%1 entries").replace("%1", str(len(self.rows)))
        self.view.set_status(text)
        self.loaded.emit(len(self.rows))

    def _failed(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        self.view.set_busy(False)
        if isinstance(exc, AuthError):
            self.session_expired.emit()
            text = self.tr("Your session has ended: log in again to read the audit.")
        elif isinstance(exc, ApiError):
            text = exc.message
        else:
            log.warning("monitoring audit not read", exc_info=exc)
            text = self.tr("The audit could not be read: %1").replace("%1", str(exc))
        self.view.set_status(text)

    # -- wording ----------------------------------------------------------------------------
    def row(self, entry: AuditEntry) -> AuditRow:
        modes = entry.modes
        if modes:
            mode_text = "\n".join(f"{self.mode_name(m.mode)} {_clock(m.at)}" for m in modes)
        else:
            mode_text = self.mode_name(entry.mode)
        return AuditRow(
            kind=self.kind_name(entry.kind),
            who=entry.actor,
            whom=entry.target,
            call=entry.call_id,
            start=local_stamp(entry.at),
            end=local_stamp(entry.ended_at or ""),
            modes=mode_text,
            duration=duration_text(entry.duration_s),
            reason=self.reason_text(entry.kind, entry.reason),
        )

    def kind_name(self, kind: str) -> str:
        names = {
            "session": self.tr("Monitor session"),
            "grant_issued": self.tr("Permission given"),
            "grant_refused": self.tr("Permission refused"),
            "rejected": self.tr("Refused by the seat"),
        }
        return names.get(kind, kind)

    def mode_name(self, mode: str) -> str:
        names = {
            "listen": self.tr("Listen"),
            "whisper": self.tr("Whisper"),
            "barge": self.tr("Barge in"),
        }
        return names.get(mode, mode)

    def reason_text(self, kind: str, reason: str) -> str:
        """A refusal's reason code (or a session's end) in words; '' when there is none."""
        if not reason:
            return ""
        switch = reason.startswith("switch:")
        code = reason.removeprefix("switch:")
        texts = {
            # The server refusing a grant (docs/supervision.md, Grants).
            "role": self.tr("this role may not monitor"),
            "other_team": self.tr("the agent is in another team"),
            "no_agent": self.tr("no such agent"),
            "no_call": self.tr("the agent had no such call up"),
            "lost": self.tr("the agent's seat had stopped reporting"),
            # The agent's seat refusing the monitor call or a switch.
            "missing": self.tr("no permission was sent"),
            "malformed": self.tr("the permission could not be read"),
            "bad_signature": self.tr("the permission's signature is not valid"),
            "mode": self.tr("the permission's mode is not valid"),
            "expired": self.tr("the permission expired"),
            "wrong_agent": self.tr("the permission names another agent"),
            "wrong_call": self.tr("the permission names another call"),
            "wrong_supervisor": self.tr("the permission names another supervisor"),
            "replayed": self.tr("the permission was used already"),
            "no_trust": self.tr("the seat had not got the server's key"),
            # How a session ended.
            "stopped": self.tr("ended by the supervisor"),
            "call_ended": self.tr("the call ended"),
            "shutdown": self.tr("the application closed"),
        }
        if code in texts:
            text = texts[code]
        elif kind == "session" and code.isdigit():
            text = self.tr("the monitor call failed (%1)").replace("%1", code)
        else:
            text = code
        return self.tr("mode switch: %1").replace("%1", text) if switch else text


def open_audit(
    taskman: TaskManager, client: ApiClient, parent: QWidget | None = None
) -> AuditController:
    """The dialog, shown and loading the last week; it is deleted when closed."""
    dialog = AuditDialog(parent)
    controller = AuditController(taskman, client, dialog, dialog)
    dialog.finished.connect(dialog.deleteLater)
    dialog.show()
    controller.load()
    return controller
