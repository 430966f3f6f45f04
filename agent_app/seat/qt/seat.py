"""The seat on the Qt side: the agent state machine, its wrap-up timer, and the call log fed
from the phone's events.

Every write (call records, state changes) runs on the TaskManager's serial `db` executor, so
the GUI thread never waits on disk and the writes keep their order. Writes that queue
something for the server announce `outbox_grew`. Writes asked for before the knowledge base
(the one local database) is open wait in a list and run once it is.
"""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal

from agent_app.common.code_lists import CodeLists
from agent_app.phone import events as ev
from agent_app.seat.agent_state import (
    DEFAULT_NOT_READY_REASONS,
    AgentState,
    AgentStateMachine,
    ReasonCode,
    StateChange,
    StateConfig,
    TransitionError,
)
from agent_app.seat.call_log import (
    DEFAULT_WRAP_UP_CATEGORIES,
    END_REASONS,
    CallLog,
    WrapUpCategory,
)
from agent_app.seat.state_log import AgentStateLog
from agent_app.shell.taskman import Changes, TaskManager, op
from common.center_codes import NOT_READY, WRAP_UP
from common.timestamps import Clock, utc_now
from localdb import LocalDatabase
from sync.outbox import Outbox

log = logging.getLogger(__name__)
Write = Callable[[CallLog, AgentStateLog], object]
SHUTDOWN_WAIT_S = 5.0
# The engine's "action" details that settle a transfer, and what the call record keeps.
TRANSFER_OUTCOMES = {"transfer_failed": "failed", "transfer_succeeded": "succeeded"}


def record_id(call_id: str) -> str:
    """The call record's uuid for an engine call id (the engine's ids are uuid4 hex)."""
    try:
        return str(uuidlib.UUID(call_id))
    except ValueError:
        return str(uuidlib.uuid5(uuidlib.NAMESPACE_OID, call_id))


def _ender(rid: str, now: datetime) -> Write:
    return lambda calls, _states: calls.record_ended(rid, at=now)


def _moment(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


class SeatController(QObject):
    state_changed = Signal()  # the machine's state, reason, on-call flag or deadline changed
    wrap_up_started = Signal(str)  # the call record's uuid
    wrap_up_ended = Signal(str)
    refused = Signal(str)  # a change the agent asked for is not allowed: TransitionError.code
    outbox_grew = Signal()
    codes_changed = Signal()  # the center's wrap-up categories or not-ready reasons changed

    def __init__(
        self,
        taskman: TaskManager,
        config: StateConfig,
        user: str = "",
        clock: Clock = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.machine = AgentStateMachine(user, config, clock)
        self.clock = clock
        self.call_log: CallLog | None = None
        self.state_log: AgentStateLog | None = None
        self._waiting: list[tuple[Write, bool]] = []
        self._started: set[str] = set()
        self._answered: set[str] = set()
        self._ended: set[str] = set()
        self._entries: dict[str, tuple[str, str]] = {}  # wrap-up category and note so far
        self._closing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._tick)
        # The center's lists (synced; the built-in defaults until a sync brings them): the
        # active codes are offered, every code names the records that carry it.
        self.code_lists: CodeLists | None = None
        self._wrap_up_offered: tuple[WrapUpCategory, ...] = DEFAULT_WRAP_UP_CATEGORIES
        self._wrap_up_named: tuple[WrapUpCategory, ...] = DEFAULT_WRAP_UP_CATEGORIES
        self._reasons_named: tuple[ReasonCode, ...] = config.not_ready_reasons
        taskman.data_changed.connect(self._data_changed)

    # -- set-up -----------------------------------------------------------------------------
    def set_store(self, database: LocalDatabase, outbox: Outbox) -> None:
        """The local database is open: records can be written (waiting ones first). Records
        of calls a crash left open are closed as 'interrupted'."""
        self.call_log = CallLog(database, user=self.machine.user, outbox=outbox)
        self.state_log = AgentStateLog(database, outbox)
        self._write(lambda calls, _states: calls.recover_interrupted(), sends=True)
        waiting, self._waiting = self._waiting, []
        for write, sends in waiting:
            self._write(write, sends)

    def set_user(self, user: str) -> None:
        self.machine.user = user
        if self.call_log is not None:
            self.call_log.user = user

    def set_code_lists(self, lists: CodeLists) -> None:
        """The workstation's mirror of the center's lists: read now, and after each sync page
        that changed them (Changes.CODES)."""
        self.code_lists = lists
        self.refresh_codes()

    def refresh_codes(self) -> None:
        lists = self.code_lists
        if lists is None:
            return

        def read() -> tuple[tuple[WrapUpCategory, ...], ...]:
            wrap, reasons = DEFAULT_WRAP_UP_CATEGORIES, DEFAULT_NOT_READY_REASONS
            return (
                lists.codes(WRAP_UP, wrap),
                lists.codes(WRAP_UP, wrap, include_inactive=True),
                lists.codes(NOT_READY, reasons),
                lists.codes(NOT_READY, reasons, include_inactive=True),
            )

        op(read).success(self._codes_read).run(self.taskman)

    def _codes_read(self, lists: tuple[tuple[WrapUpCategory, ...], ...]) -> None:
        wrap_offered, wrap_named, reasons_offered, reasons_named = lists
        # A list the center emptied would leave nothing to pick (no way to go Not Ready):
        # the built-in codes stand in then.
        self._wrap_up_offered = wrap_offered or DEFAULT_WRAP_UP_CATEGORIES
        self._wrap_up_named = wrap_named + tuple(
            c for c in self._wrap_up_offered if c not in wrap_named
        )
        offered = reasons_offered or DEFAULT_NOT_READY_REASONS
        self._reasons_named = reasons_named + tuple(c for c in offered if c not in reasons_named)
        self.machine.config = replace(self.machine.config, not_ready_reasons=offered)
        self.codes_changed.emit()

    def _data_changed(self, changes: Changes) -> None:
        if Changes.CODES in changes:
            self.refresh_codes()

    def wrap_up_categories(self) -> tuple[WrapUpCategory, ...]:
        """Every wrap-up category, deactivated ones too: to name the records by."""
        return self._wrap_up_named

    def offered_wrap_up_categories(self) -> tuple[WrapUpCategory, ...]:
        """The active wrap-up categories in the center's order: what the agent picks from."""
        return self._wrap_up_offered

    def not_ready_reasons(self) -> tuple[ReasonCode, ...]:
        """The active not-ready reasons in the center's order (the state menu)."""
        return self.machine.config.not_ready_reasons

    def reason_name_codes(self) -> tuple[ReasonCode, ...]:
        """Every not-ready reason, deactivated ones too: to name the current state by."""
        return self._reasons_named

    # -- the agent's choices ----------------------------------------------------------------
    def choose(self, state: str, reason: str = "") -> bool:
        """READY / NOT_READY (with a reason) / BREAK / OFFLINE; False (and `refused`) when the
        machine does not allow it now."""
        machine = self.machine
        actions: dict[str, Callable[[], StateChange | None]] = {
            AgentState.READY: machine.set_ready,
            AgentState.NOT_READY: lambda: machine.set_not_ready(reason),
            AgentState.BREAK: machine.take_break,
            AgentState.OFFLINE: machine.go_offline,
        }
        try:
            change = actions[AgentState(state)]()
        except (TransitionError, KeyError) as exc:
            self.refused.emit(getattr(exc, "code", "not_allowed"))
            return False
        self._handle(change)
        return True

    def set_wrap_up_entry(self, call_uuid: str, category: str, note: str) -> None:
        """What the agent has entered so far; written whenever the wrap-up ends."""
        self._entries[call_uuid] = (category, note)

    def finish_wrap_up(self, call_uuid: str, category: str, note: str) -> None:
        self.set_wrap_up_entry(call_uuid, category, note)
        change = self.machine.finish_wrap_up()
        if change is None:  # the wrap-up had already ended (its time ran out): keep the entry
            self._write_wrap_up(call_uuid, None)
        self._handle(change)

    def extend_wrap_up(self) -> None:
        try:
            self.machine.extend_wrap_up()
        except TransitionError as exc:
            self.refused.emit(exc.code)
            return
        self._arm()
        self.state_changed.emit()

    def seconds_left(self) -> float | None:
        """Until the wrap-up ends by itself (None: no wrap-up timer running)."""
        deadline = self.machine.deadline
        if deadline is None:
            return None
        return max(0.0, (deadline - self.clock()).total_seconds())

    # -- what the phone reports -------------------------------------------------------------
    def registration(self, registered: bool) -> None:
        if registered != self.machine.registered or not registered:
            self._handle(self.machine.set_registered(registered))

    def call_event(self, event: ev.CallEvent, local_number: str = "") -> None:
        snap = event.call
        rid = record_id(snap.id)
        if rid not in self._started:
            self._started.add(rid)
            self._write(
                lambda calls, _s: calls.record_started(
                    snap.direction,
                    snap.remote_number,
                    local_number=local_number,
                    remote_display=snap.remote_display,
                    queue=snap.headers.get("x-queue", ""),
                    campaign=snap.headers.get("x-campaign", ""),
                    uuid=rid,
                    at=_moment(snap.started_at),
                ),
                changes=True,
            )
            if snap.direction == ev.OUTBOUND and snap.state != ev.ENDED:
                self._handle(self.machine.call_started(rid))
        if snap.answered_at is not None and rid not in self._answered:
            self._answered.add(rid)
            at = _moment(snap.answered_at)
            self._write(lambda calls, _s: calls.record_answered(rid, at=at))
            self._handle(self.machine.call_started(rid))
        if event.kind == "hold" and snap.state != ev.ENDED:
            held = snap.local_hold
            self._write(lambda calls, _s: calls.record_hold(rid, held))
        if event.kind == "action" and snap.state != ev.ENDED:
            result = TRANSFER_OUTCOMES.get(event.detail)
            if result is not None:  # kept now: the call may go on long after it failed
                self._write(lambda calls, _s: calls.record_transfer(rid, result), changes=True)
        if snap.state == ev.ENDED and rid not in self._ended:
            self._ended.add(rid)
            self._write_end(snap, rid)
            self._handle(self.machine.call_ended(rid, wrap_up=snap.answered_at is not None))

    def _write_end(self, snap: ev.CallSnapshot, rid: str) -> None:
        reason = snap.end_reason if snap.end_reason in END_REASONS else None
        answered = snap.answered_at is not None
        self._write(
            lambda calls, _s: calls.record_ended(
                rid,
                end_reason=reason,
                sip_code=snap.status_code or None,
                at=_moment(snap.ended_at),
                hold_seconds=snap.hold_seconds if answered else None,
                recording_path=snap.recording_path or None,
                # "" (none tried) leaves what an earlier action event recorded.
                transfer_result=snap.transfer_result or None,
                end_text=snap.end_text,
            ),
            sends=True,
            changes=True,
        )

    # -- shutdown ---------------------------------------------------------------------------
    def shutdown(self) -> None:
        """The app is closing (the phone is already down): calls still open end now, the agent
        goes offline, and every write queued so far is finished before the database closes
        (a bounded wait on the serial executor, which runs them in order)."""
        self._timer.stop()
        self._closing = True
        now = self.clock()
        for rid in sorted(self._started - self._ended):
            self._ended.add(rid)
            self._waiting.append((_ender(rid, now), True))
            self._handle(self.machine.call_ended(rid, wrap_up=False))
        self._handle(self.machine.set_registered(False))
        writes, self._waiting = self._waiting, []
        call_log, state_log = self.call_log, self.state_log
        if call_log is None or state_log is None or not writes or self.taskman.closed:
            return

        def finish() -> None:
            for write, _sends in writes:
                try:
                    write(call_log, state_log)
                except Exception:
                    log.warning("a seat record could not be written at shutdown", exc_info=True)

        try:
            self.taskman.executors["db"].submit(finish).result(timeout=SHUTDOWN_WAIT_S)
        except Exception:
            log.warning("seat records not all written at shutdown", exc_info=True)

    # -- internals --------------------------------------------------------------------------
    def _handle(self, change: StateChange | None) -> None:
        if change is None:
            return
        self._write(lambda _c, states: states.record(change), sends=True)
        ended = change.ended_wrap_up
        if ended is not None and ended[0]:
            self._write_wrap_up(ended[0], ended[1])
            if not self._closing:
                self.wrap_up_ended.emit(ended[0])
        self._arm()
        if self._closing:
            return
        if change.state is AgentState.AFTER_CALL_WORK:
            self.wrap_up_started.emit(change.call_uuid)
        self.state_changed.emit()

    def _write_wrap_up(self, call_uuid: str, seconds: float | None) -> None:
        category, note = self._entries.pop(call_uuid, ("", ""))

        def write(calls: CallLog, _s: AgentStateLog) -> object:
            record = calls.get(call_uuid)
            if record is None:
                return None
            acw = record.acw_seconds if seconds is None else seconds
            return calls.record_wrap_up(call_uuid, category, note, acw)

        self._write(write, sends=True, changes=True)

    def _write(self, write: Write, sends: bool = False, changes: bool = False) -> None:
        call_log, state_log = self.call_log, self.state_log
        if call_log is None or state_log is None or self._closing:
            self._waiting.append((write, sends))
            return
        job = op(lambda: write(call_log, state_log)).failure(self._write_failed)
        if sends:
            job.success(lambda _r: self.outbox_grew.emit())
        if changes:
            job.changes(Changes.CALLS)
        job.run(self.taskman)

    def _write_failed(self, exc: BaseException) -> None:
        log.warning("a seat record could not be written", exc_info=exc)

    def _arm(self) -> None:
        deadline = self.machine.deadline
        if deadline is None or self._closing:
            self._timer.stop()
            return
        ms = max(0.0, (deadline - self.clock()).total_seconds() * 1000)
        self._timer.start(int(ms) + 5)

    def _tick(self) -> None:
        change = self.machine.tick(self.clock())
        if change is None:
            self._arm()  # woke a little early
        self._handle(change)
