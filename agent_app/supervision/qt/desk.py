"""Supervision put together for one logged-in user (the app makes one per login):

- every seat: its state and current call go to the board (SeatReporter, its own thread); its
  engine gets the server's public key to verify grants; monitor calls the engine refused go
  to the audit through the outbox; the notice 本通话正在被监听/督导 while a monitor is attached,
  only when the center's policy says so;
- team leaders, supervisors and managers: the live board pane with the monitor bar on top.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from agent_app.phone import events as ev
from agent_app.phone.engine import PhoneEngine
from agent_app.shell.local_data import LocalData
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import TaskManager, op
from agent_app.supervision import audit
from agent_app.supervision.board import Thresholds
from agent_app.supervision.qt.board import BoardController
from agent_app.supervision.qt.monitor import MonitorController
from agent_app.supervision.seat_reporter import SeatReporter, seat_uri
from agent_app.supervision.views.board import BoardView
from agent_app.supervision.views.monitor_bar import MonitorBar
from common.roles import CALL_SUPERVISORS
from common.supervision import BoardRow, MonitorRejection, MonitorSessionEvent, PublicKeyReply
from sync.api_client import ApiClient
from sync.outbox import Outbox

if TYPE_CHECKING:
    from agent_app.common.settings import Settings
    from agent_app.phone.qt.phone_bar import PhoneController
    from agent_app.seat.qt.seat import SeatController
    from agent_app.shell.main_window import MainWindow

log = logging.getLogger(__name__)
ROLE = PaneRole.SUPERVISION


def reports_seat(role: str) -> bool:
    """Agents' seats are on the board (a seat that reports is listed, whatever its role: the
    supervisors, trainers and admins at their desks are not what the board is for)."""
    return role == "agent"


def has_board(role: str) -> bool:
    """Team leaders, supervisors and managers watch the board and monitor calls."""
    return role in CALL_SUPERVISORS


class SupervisionDesk(QObject):
    outbox_grew = Signal()
    session_expired = Signal()
    monitored_changed = Signal(bool)  # the agent's notice shown or hidden

    def __init__(
        self,
        taskman: TaskManager,
        window: MainWindow,
        settings: Settings,
        client: ApiClient,
        username: str,
        role: str,
        phone: PhoneController,
        seat: SeatController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.window = window
        self.client = client
        self.username = username
        self.role = role
        self.phone = phone
        self.seat = seat
        self.english = settings.language.startswith("en")
        self.outbox: Outbox | None = None
        self._unsent: list[Callable[[Outbox], None]] = []  # audit items before the data opens
        self.trust: PublicKeyReply | None = None
        self.show_monitored = False  # the center's policy (default: the agent is not told)
        self.monitors_attached: set[str] = set()  # monitor call ids at this seat
        self.closed = False
        # The agent's notice, in the status bar while a monitor is attached (policy allowing).
        self.monitored_label = QLabel(self.tr("This call is being monitored"))
        self.monitored_label.setObjectName("monitoredNotice")
        self.monitored_label.setStyleSheet(
            "QLabel { color: #ffffff; background: #b03030; padding: 1px 6px; }"
        )
        window.statusBar().addPermanentWidget(self.monitored_label)
        self.monitored_label.hide()

        # -- reporting this seat ------------------------------------------------------------
        self.reporter = SeatReporter(client.report_seat)
        self.reporter.sip_uri = seat_uri(phone.config)
        seat.state_changed.connect(self._seat_changed)
        self._seat_changed()
        if reports_seat(role):
            self.reporter.start()
        phone.phone_started.connect(self._phone_started)
        self._attached: object | None = None
        self._phone_started()
        self._fetch_trust()

        # -- the board and monitor bar (team leaders, supervisors, managers) ---------------
        self.board: BoardController | None = None
        self.monitor: MonitorController | None = None
        self.board_view: BoardView | None = None
        if has_board(role):
            view = self.board_view = BoardView(self.english)
            thresholds = Thresholds(settings.board_long_call_s, settings.board_long_not_ready_s)
            board = self.board = BoardController(client, view, thresholds, self.english, self)
            if role == "manager":  # only the manager reads the monitoring audit
                board.enable_audit(taskman)
            bar = MonitorBar()
            view.set_monitor_bar(bar)
            monitor = self.monitor = MonitorController(
                taskman, client, self.engine, self.queue_session_event, bar, self
            )
            board.monitor_requested.connect(self._monitor_requested)
            board.message.connect(lambda m: window.statusBar().showMessage(m, 8000))
            board.session_expired.connect(self.session_expired)
            monitor.session_expired.connect(self.session_expired)
            window.add_pane("supervision_board", view.title(), view, ROLE)
            board.start()

    # -- the phone ----------------------------------------------------------------------------
    def engine(self) -> PhoneEngine | None:
        phone = self.phone.phone
        return phone.engine if phone is not None else None

    def _phone_started(self) -> None:
        qt_phone = self.phone.phone
        if qt_phone is None or qt_phone is self._attached:
            return
        self._attached = qt_phone
        qt_phone.callChanged.connect(self._call_event)
        qt_phone.monitorChanged.connect(self._monitor_event)
        self.reporter.sip_uri = seat_uri(self.phone.config)
        self._give_trust()

    def _call_event(self, event: ev.CallEvent) -> None:
        if self.closed:
            return
        self.reporter.call_event(event)
        if self.monitor is not None:
            self.monitor.engine_event(event)

    def _monitor_event(self, event: ev.MonitorEvent) -> None:
        if self.closed:
            return
        if event.side == "supervisor":
            if self.monitor is not None:
                self.monitor.engine_event(event)
            return
        rejection = audit.rejection_of(event)
        if rejection is not None:
            self.queue_rejection(rejection)
            return
        if event.kind == "started":
            self.monitors_attached.add(event.monitor_call_id)
        elif event.kind == "ended":
            self.monitors_attached.discard(event.monitor_call_id)
        self._show_monitored()

    def _show_monitored(self) -> None:
        shown = self.show_monitored and bool(self.monitors_attached)
        if shown != self.monitored_label.isVisible():
            self.monitored_label.setVisible(shown)
            self.monitored_changed.emit(shown)

    # -- trust: the server's key and policy ---------------------------------------------------
    def _fetch_trust(self) -> None:
        client = self.client
        op(client.monitor_trust).success(self._trusted).failure(self._trust_failed).run(
            self.taskman, executor="net"
        )

    def _trusted(self, reply: PublicKeyReply) -> None:
        if self.closed:
            return
        self.trust = reply
        self.show_monitored = reply.show_monitored
        self._give_trust()
        self._show_monitored()

    def _trust_failed(self, exc: BaseException) -> None:
        # Without the key every monitor request is refused (and audited): safe, not silent.
        log.warning("the server's monitor key could not be fetched: %s", exc)

    def _give_trust(self) -> None:
        engine = self.engine()
        if engine is not None and self.trust is not None:
            engine.set_monitor_trust(self.trust.public_key, self.username)

    # -- the seat -------------------------------------------------------------------------------
    def _seat_changed(self) -> None:
        machine = self.seat.machine
        self.reporter.state_changed(str(machine.state.value), machine.reason, machine.since)

    # -- the audit through the outbox ------------------------------------------------------
    def set_data(self, data: LocalData | None) -> None:
        if data is None:
            return
        self.outbox = data.outbox
        waiting, self._unsent = self._unsent, []
        for write in waiting:
            self._queue(write)

    def queue_rejection(self, rejection: MonitorRejection) -> None:
        self._queue(lambda outbox: audit.queue_rejection(outbox, rejection))

    def queue_session_event(self, item: MonitorSessionEvent) -> None:
        self._queue(lambda outbox: audit.queue_session_event(outbox, item))

    def _queue(self, write: Callable[[Outbox], None]) -> None:
        outbox = self.outbox
        if outbox is None:
            self._unsent.append(write)
            return
        op(lambda: write(outbox)).success(lambda _r: self.outbox_grew.emit()).failure(
            lambda exc: log.warning("monitor audit not queued", exc_info=exc)
        ).run(self.taskman)

    # -- the board ------------------------------------------------------------------------------
    def _monitor_requested(self, row: BoardRow) -> None:
        if self.monitor is not None and self.board_view is not None:
            self.window.show_view(self.board_view)
            self.monitor.start(row)

    def close(self) -> None:
        """Logged out: the board's stream ends, a monitor call ends, the seat reports offline."""
        if self.closed:
            return
        self._seat_changed()
        self.closed = True
        if self.monitor is not None:
            self.monitor.close()
        if self.board is not None:
            self.board.close()
            if self.board_view is not None:
                self.window.remove_pane(self.board_view)
        try:
            self.seat.state_changed.disconnect(self._seat_changed)
            self.phone.phone_started.disconnect(self._phone_started)
        except (RuntimeError, TypeError):
            pass
        qt_phone = self._attached
        if qt_phone is not None:
            try:
                qt_phone.callChanged.disconnect(self._call_event)  # type: ignore[attr-defined]
                qt_phone.monitorChanged.disconnect(self._monitor_event)  # type: ignore[attr-defined]
            except (RuntimeError, TypeError):
                pass
        engine = self.engine()
        if engine is not None:
            engine.set_monitor_trust(None, "")
        self.window.statusBar().removeWidget(self.monitored_label)
        self.monitored_label.deleteLater()
        # The last report (offline) is sent by the reporter's own thread, which ends after it.
        self.reporter.stop_soon()
