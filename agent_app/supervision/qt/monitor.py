"""The behaviour of the supervisor's monitor bar: ask the server for a grant (on the `net`
executor), start the monitor call through the phone engine (client-side bridge:
`PhoneEngine.monitor`; PBX mode: `PbxMonitor` dials the feature code and sends the digits),
switch mode with a NEW grant each time, end it; the session's start, switches, end or failure
go to the server's audit through the outbox. What went wrong is said in the user's language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from agent_app.phone import events as ev
from agent_app.phone.engine import PhoneEngine
from agent_app.phone.messages import PhoneError
from agent_app.phone.pbx_monitor import PbxMonitor
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from agent_app.supervision.board import duration_text
from agent_app.supervision.monitor_session import MODES, MonitorSession, target_of
from agent_app.supervision.views.monitor_bar import MonitorBar
from common.supervision import BoardRow, GrantReply, MonitorSessionEvent
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)


class MonitorController(QObject):
    session_changed = Signal()  # started, switched, ended (tests, the board)
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        engine_of: Callable[[], PhoneEngine | None],
        queue_audit: Callable[[MonitorSessionEvent], None],
        view: MonitorBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.engine_of = engine_of
        self.queue_audit = queue_audit
        self.view = view
        self.session: MonitorSession | None = None
        self.pbx: PbxMonitor | None = None
        self.audited: list[MonitorSessionEvent] = []  # what this run reported (tests)
        self._pending_mode = ""  # a switch asked for and not yet confirmed
        view.mode_requested.connect(self.switch)
        view.stop_requested.connect(self.stop)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        view.hide()

    # -- the supervisor's actions ---------------------------------------------------------
    def start(self, row: BoardRow, mode: str = "listen") -> None:
        """Monitor `row`'s current call: a grant first, then the call."""
        if self.session is not None and not self.session.ended:
            self.view.set_notice(self.tr("End the current monitoring first."), error=True)
            return
        engine = self.engine_of()
        if engine is None:
            self.view.show()
            self.view.set_notice(self.tr("The phone is not running: monitoring needs it."), True)
            return
        if row.call is None:
            return
        pbx = engine.config.monitor.method == "pbx"
        session = self.session = MonitorSession(
            row.agent, row.display_name or row.agent, row.call.call_uuid, mode, pbx=pbx
        )
        self._show(busy=True)
        self.view.set_notice(self.tr("Asking the server for permission…"))
        client = self.client
        op(lambda: client.request_grant(session.agent, session.call_id, mode)).success(
            lambda grant: self._granted(session, row, grant)
        ).failure(lambda exc: self._refused(session, exc)).run(self.taskman, executor="net")

    def switch(self, mode: str) -> None:
        """Another mode: a new grant, then the switch (the seat confirms it)."""
        session = self.session
        if session is None or session.ended or mode not in MODES:
            return
        if mode == session.mode and not self._pending_mode:
            return
        self._pending_mode = mode
        self._show(busy=True)
        client = self.client
        op(lambda: client.request_grant(session.agent, session.call_id, mode)).success(
            lambda grant: self._switch_granted(session, grant)
        ).failure(lambda exc: self._switch_refused_by_server(session, exc)).run(
            self.taskman, executor="net"
        )

    def stop(self) -> None:
        session = self.session
        if session is None or session.ended:
            return
        engine = self.engine_of()
        try:
            if session.pbx and self.pbx is not None:
                self.pbx.stop()
            elif engine is not None and session.monitor_call_id:
                engine.stop_monitor(session.monitor_call_id)
            else:
                self._end(session, "stopped")
        except PhoneError as exc:
            log.info("monitor stop: %s", exc)
            self._end(session, "stopped")

    # -- replies ----------------------------------------------------------------------------
    def _granted(self, session: MonitorSession, row: BoardRow, grant: GrantReply) -> None:
        if session is not self.session or session.ended:
            return
        engine = self.engine_of()
        if engine is None:
            self._fail(session, "", self.tr("The phone is not running: monitoring needs it."))
            return
        session.grant_id = grant.grant_id
        uri, extension = target_of(row)
        try:
            if session.pbx:
                pbx = self.pbx = PbxMonitor(engine)
                session.monitor_call_id = pbx.start(extension, session.mode)
            else:
                session.monitor_call_id = engine.monitor(uri, grant.grant)
        except PhoneError as exc:
            self._fail(session, "", str(exc))
            return
        self.view.set_notice(self.tr("Calling the agent's seat…"))

    def _refused(self, session: MonitorSession, exc: BaseException) -> None:
        if session is not self.session:
            return
        if isinstance(exc, AuthError):
            self.session_expired.emit()
        session.ended = True
        self.view.set_notice(
            self.tr("Monitoring refused: %1").replace("%1", error_text(exc)), error=True
        )
        self._show_idle()

    def _switch_granted(self, session: MonitorSession, grant: GrantReply) -> None:
        if session is not self.session or session.ended:
            return
        engine = self.engine_of()
        try:
            if session.pbx and self.pbx is not None:
                self.pbx.switch(grant.mode)
                session.grant_id = grant.grant_id
                self._confirmed(session, grant.mode)
            elif engine is not None:
                session.grant_id = grant.grant_id
                engine.switch_monitor_mode(grant.grant, session.monitor_call_id)
        except PhoneError as exc:
            self._pending_mode = ""
            self.view.set_notice(str(exc), error=True)
            self._show(busy=False)

    def _switch_refused_by_server(self, session: MonitorSession, exc: BaseException) -> None:
        if session is not self.session:
            return
        self._pending_mode = ""
        if isinstance(exc, AuthError):
            self.session_expired.emit()
        self.view.set_notice(
            self.tr("Switch refused: %1").replace("%1", error_text(exc)), error=True
        )
        self._show(busy=False)

    # -- what the engine reports (GUI thread) ---------------------------------------------
    def engine_event(self, event: ev.Event) -> None:
        session = self.session
        if session is None or session.ended:
            return
        if isinstance(event, ev.MonitorEvent):
            if event.side != "supervisor" or event.monitor_call_id != session.monitor_call_id:
                return
            self._monitor_event(session, event)
        elif isinstance(event, ev.CallEvent) and session.pbx:
            if event.call.id != session.monitor_call_id:
                return
            if event.call.state == ev.ACTIVE and session.started_at is None:
                self._started(session)
            elif event.call.state == ev.ENDED:
                if session.started_at is None:
                    code = str(event.call.status_code or "")
                    self._fail(session, code, self._failed_text(code))
                else:
                    self._end(session, "stopped")

    def _monitor_event(self, session: MonitorSession, event: ev.MonitorEvent) -> None:
        if event.kind == "started":
            self._started(session)
        elif event.kind == "mode":
            self._confirmed(session, event.mode)
        elif event.kind == "switch_refused":
            self._pending_mode = ""
            self.view.set_notice(
                self.tr("The agent's seat refused the switch (%1).").replace(
                    "%1", self._reason_text(event.reason)
                ),
                error=True,
            )
            self._show(busy=False)
        elif event.kind == "failed":
            self._fail(session, event.reason, self._failed_text(event.reason))
        elif event.kind == "ended":
            self._end(session, event.reason or "stopped")

    def _reason_text(self, reason: str) -> str:
        """Why the seat refused a grant (common/monitor_grants.py REASONS), in words."""
        texts = {
            "expired": self.tr("the permission expired"),
            "wrong_call": self.tr("that call is no longer up"),
            "wrong_agent": self.tr("the permission names another agent"),
            "wrong_supervisor": self.tr("the permission names another supervisor"),
            "bad_signature": self.tr("the permission's signature is not valid"),
            "replayed": self.tr("the permission was used already"),
            "no_trust": self.tr("the seat has not got the server's key yet"),
        }
        return texts.get(reason, reason)

    def _failed_text(self, code: str) -> str:
        if code == "403":
            return self.tr("The agent's seat refused the monitor call (403).")
        if code in ("480", "404", "408"):
            return self.tr("The agent's seat cannot be reached (%1).").replace("%1", code)
        return self.tr("The monitor call failed (%1).").replace("%1", code or "?")

    def _started(self, session: MonitorSession) -> None:
        session.started_at = datetime.now(UTC)
        self._audit(session.audit("started"))
        self.view.set_notice("")
        self._show(busy=False)
        self._timer.start()
        self.session_changed.emit()

    def _confirmed(self, session: MonitorSession, mode: str) -> None:
        session.mode = mode
        self._pending_mode = ""
        self._audit(session.audit("mode", mode=mode))
        self.view.set_notice("")
        self._show(busy=False)
        self.session_changed.emit()

    def _fail(self, session: MonitorSession, code: str, text: str) -> None:
        session.ended = True
        self._audit(session.audit("failed", reason=code))
        self.view.set_notice(text, error=True)
        self._close_pbx()
        self._show_idle()
        self.session_changed.emit()

    def _end(self, session: MonitorSession, reason: str) -> None:
        session.ended = True
        self._audit(session.audit("ended", reason=reason))
        self._timer.stop()
        self._close_pbx()
        if reason == "call_ended":
            self.view.set_notice(self.tr("The agent's call ended; monitoring ended with it."))
        else:
            self.view.set_notice(self.tr("Monitoring ended."))
        self._show_idle()
        self.session_changed.emit()

    def _close_pbx(self) -> None:
        pbx, self.pbx = self.pbx, None
        if pbx is not None:
            pbx.close()

    def _audit(self, item: MonitorSessionEvent) -> None:
        self.audited.append(item)
        try:
            self.queue_audit(item)
        except Exception:  # the audit must never break the monitor call
            log.warning("monitor audit not queued", exc_info=True)

    # -- the bar ----------------------------------------------------------------------------
    def _show(self, busy: bool) -> None:
        session = self.session
        if session is None:
            return
        names = {
            "listen": self.tr("Listening to %1"),
            "whisper": self.tr("Whispering to %1"),
            "barge": self.tr("Barged in on %1"),
        }
        text = names.get(session.mode, "%1").replace("%1", session.agent_name)
        if session.started_at is None:
            text = self.tr("Connecting to %1…").replace("%1", session.agent_name)
        if session.pbx:
            text += " · PBX"
        self.view.show_session(text, self._pending_mode or session.mode, busy)

    def _show_idle(self) -> None:
        self._timer.stop()
        self._pending_mode = ""
        self.view.show_idle()

    def _tick(self) -> None:
        session = self.session
        if session is None or session.started_at is None or session.ended:
            return
        seconds = (datetime.now(UTC) - session.started_at).total_seconds()
        self.view.set_elapsed(duration_text(seconds))

    def close(self) -> None:
        """Logging out or closing: a live monitor call ends."""
        self.stop()
        self._timer.stop()
        self._close_pbx()
