"""The behaviour of the supervisors' board: the server's board stream read on a thread of its
own (sync/board_stream.py reconnects with backoff), each event handed to the GUI thread by a
queued signal and applied to the table there; durations tick locally once a second from the
known start times, so the server is never polled. A dropped stream shows 连接中断，正在重连
until it is back (the server then sends the whole board again). Double-click on an agent with
a call asks to monitor it."""

from __future__ import annotations

import contextlib
import logging
import threading

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal

from agent_app.seat.agent_state import DEFAULT_NOT_READY_REASONS
from agent_app.shell.taskman import TaskManager
from agent_app.supervision.board import BoardFilter, BoardModel, Thresholds
from agent_app.supervision.qt.audit import AuditController, open_audit
from agent_app.supervision.qt.board_table import BoardProxy, BoardTableModel
from agent_app.supervision.views.board import BoardView
from common.supervision import BoardEvent, BoardRow
from sync.api_client import ApiClient, ApiError, AuthError
from sync.board_stream import BoardStream

log = logging.getLogger(__name__)
TICK_MS = 1000


class BoardController(QObject):
    # From the reader's thread (queued to the GUI thread by Qt).
    _event = Signal(object)  # BoardEvent
    _connection = Signal(bool)
    _ended = Signal(object)  # the exception that ended the stream, or None
    monitor_requested = Signal(object)  # BoardRow: an agent with a call up
    session_expired = Signal()
    message = Signal(str)
    updated = Signal()  # the table shows a new event (tests, the bench)

    def __init__(
        self,
        client: ApiClient,
        view: BoardView,
        thresholds: Thresholds,
        english: bool,
        parent: QObject | None = None,
        backoff_first_s: float = 0.5,
        backoff_max_s: float = 15.0,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.view = view
        self.board = BoardModel(thresholds)
        # Owned by the view: the table never outlives the model it shows.
        self.model = BoardTableModel(self.board, english, view)
        self.model.reason_names = {
            r.code: (r.en if english else r.zh) for r in DEFAULT_NOT_READY_REASONS
        }
        self.proxy = BoardProxy(view)
        self.proxy.setSourceModel(self.model)
        view.set_model(self.proxy)
        view.filters_changed.connect(self._filters_changed)
        view.activated.connect(self._activated)
        self.connected = False
        self.events_seen = 0
        self._taskman: TaskManager | None = None  # set for the manager: the audit button
        self.audit: AuditController | None = None
        self._backoff = (backoff_first_s, backoff_max_s)
        self._stream: BoardStream | None = None
        self._thread: threading.Thread | None = None
        self._event.connect(self._on_event)
        self._connection.connect(self._on_connection)
        self._ended.connect(self._on_ended)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        view.set_connection(self.tr("Connecting to the live board…"))
        self._show_summary()

    def set_reason_names(self, names: dict[str, str]) -> None:
        """Not-ready reason codes and their names (the center's list as this workstation has it)."""
        self.model.reason_names.update(names)

    # -- the stream -----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        first, most = self._backoff
        stream = self._stream = BoardStream(
            self.client.base_url,
            self.client.token,
            on_connection=self._connection.emit,
            backoff_first_s=first,
            backoff_max_s=most,
        )

        def read() -> None:
            try:
                for event in stream.events():
                    self._event.emit(event)
            except Exception as exc:  # an ended session or a refused role: handed to the GUI
                self._safe_emit_end(exc)
                return
            self._safe_emit_end(None)

        self._thread = threading.Thread(target=read, name="seatdesk-board-stream", daemon=True)
        self._thread.start()
        self._timer.start()

    def _safe_emit_end(self, exc: BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the controller is gone already
            self._ended.emit(exc)

    def close(self) -> None:
        self._timer.stop()
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(2.0)

    # -- on the GUI thread ----------------------------------------------------------------
    def _on_event(self, event: BoardEvent) -> None:
        if self._stream is None:
            return  # closed: late events are dropped
        self.events_seen += 1
        agent_id = self.board.apply(event)
        if agent_id is None:
            self.model.reload()
            self.view.set_teams(self.board.teams)
        else:
            teams = len(self.board.teams)
            self.model.row_changed(agent_id)
            if len(self.board.teams) != teams:
                self.view.set_teams(self.board.teams)
        self._show_summary()
        self.updated.emit()

    def _on_connection(self, up: bool) -> None:
        self.connected = up
        self.view.set_connection("" if up else self.tr("Connection lost, reconnecting…"))

    def _on_ended(self, exc: BaseException | None) -> None:
        if exc is None or self._stream is None:
            return
        log.info("board stream ended: %s", exc)
        self._timer.stop()
        if isinstance(exc, AuthError):
            self.session_expired.emit()
            text = self.tr("Your session has ended: log in again to see the board.")
        elif isinstance(exc, ApiError):
            text = exc.message
        else:
            text = self.tr("The live board stopped: %1").replace("%1", str(exc))
        self.view.set_connection(text)

    def _tick(self) -> None:
        self.model.tick()
        column = self.proxy.sortColumn()
        if column in (3, 5):  # sorted by a ticking duration: keep the order true
            self.proxy.invalidate()
        self._show_summary()

    def _filters_changed(self) -> None:
        view = self.view
        self.proxy.set_filter(
            BoardFilter(view.team_filter(), view.state_filter(), view.text_filter())
        )
        self._show_summary()

    def _show_summary(self) -> None:
        shown = [
            live
            for live in self.board.rows.values()
            if self.proxy.filter.team_id is None or live.row.team_id == self.proxy.filter.team_id
        ]
        self.view.set_summary(dict(self.board.summary(shown)), len(shown))

    def _activated(self, index: QModelIndex) -> None:
        row = self.proxy.row_at(index)
        if row is None:
            return
        if row.presence == "lost":
            self.message.emit(
                self.tr("%1's seat has stopped reporting: nothing to monitor.").replace(
                    "%1", _name(row)
                )
            )
            return
        if row.call is None or row.presence != "live":
            self.message.emit(self.tr("%1 has no call to monitor.").replace("%1", _name(row)))
            return
        self.monitor_requested.emit(row)

    # -- the monitoring audit (the manager's) ------------------------------------------------
    def enable_audit(self, taskman: TaskManager) -> None:
        """Show the board's 监听审计 button (only the manager reads the audit)."""
        self._taskman = taskman
        self.view.audit_requested.connect(self.open_audit)
        self.view.show_audit_button()

    def open_audit(self) -> AuditController | None:
        if self._taskman is None:
            return None
        audit = self.audit = open_audit(self._taskman, self.client, self.view.window())
        audit.session_expired.connect(self.session_expired)
        return audit

    def row_of(self, agent: str) -> BoardRow | None:
        return next((r.row for r in self.board.rows.values() if r.row.agent == agent), None)


def _name(row: BoardRow) -> str:
    return row.display_name or row.agent
