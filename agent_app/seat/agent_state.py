"""The agent's state 坐席状态: pure logic with an injectable clock, no threads and no timers.

States the agent chooses: READY 就绪, NOT_READY 未就绪 (with a reason code), BREAK 小休.
States the system sets: OFFLINE 离线 (logged out or the phone not registered) and
AFTER_CALL_WORK 话后处理 (wrap-up, entered when a call ends). Being on a call is a flag derived
from the calls (通话中), not a state anyone picks: an agent READY and on a call is talking, and
one who picks NOT_READY during a call stays on it and is Not Ready once it is wrapped up.

Rules (decided here, enforced by `AgentStateMachine`):
- Nothing but OFFLINE while the phone is unregistered; losing the registration makes the agent
  OFFLINE at once (a call in progress goes on and is still tracked). Registering again makes
  the agent NOT_READY (reason 'login'), or READY when `ready_on_register` is set.
- Logging out (`go_offline`) is refused during a call.
- Wrap-up: when the last call ends (and the caller says it deserves one), the agent enters
  AFTER_CALL_WORK with a deadline `wrap_up_limit_s` ahead; `tick(now)` at or past it returns
  the agent to the state held before wrap-up (the state during the call, normally READY). The
  agent may extend (`extend_wrap_up`, up to `wrap_up_max_s` in all), finish early
  (`finish_wrap_up`), or pick another state, which also ends the wrap-up.
- Ringing: calls routed by a queue are meant for READY agents who are not on a call
  (`accepts_routed_calls`; auto-answer only then). In NOT_READY, BREAK or AFTER_CALL_WORK an
  incoming call (a direct call, a customer calling back, a colleague) still rings and the agent
  may answer it by hand (`may_answer`); answering or dialing during wrap-up ends the wrap-up.
  OFFLINE answers nothing.

Every change yields a `StateChange`: the new state and when it began, and the previous state
with how long it lasted, so reports can add up time in state without pairing records.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from common.codes import Code
from common.timestamps import Clock, iso, seconds_between, utc_now


class AgentState(StrEnum):
    READY = "ready"
    NOT_READY = "not_ready"
    AFTER_CALL_WORK = "after_call_work"
    BREAK = "break"
    OFFLINE = "offline"


STATE_NAMES = {  # (zh_CN, en): the UI shows these; the codes are what is stored and sent
    AgentState.READY: ("就绪", "Ready"),
    AgentState.NOT_READY: ("未就绪", "Not ready"),
    AgentState.AFTER_CALL_WORK: ("话后处理", "Wrap-up"),
    AgentState.BREAK: ("小休", "Break"),
    AgentState.OFFLINE: ("离线", "Offline"),
}


# A not-ready reason is a configurable code with its names (the one model, common/codes.py).
ReasonCode = Code


DEFAULT_NOT_READY_REASONS = (
    ReasonCode("training", "培训", "Training"),
    ReasonCode("meeting", "会议", "Meeting"),
    ReasonCode("paperwork", "处理工单", "Paperwork"),
    ReasonCode("other", "其他", "Other"),
)
LOGIN_REASON = "login"  # the system's reason after registering; not offered to the agent


class TransitionError(Exception):
    """The change is not allowed now; `code` says why (the UI words it)."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True)
class StateConfig:
    not_ready_reasons: tuple[ReasonCode, ...] = DEFAULT_NOT_READY_REASONS
    wrap_up_enabled: bool = True
    wrap_up_limit_s: float | None = 30.0  # None: no automatic end, the agent finishes it
    wrap_up_extension_s: float = 30.0
    wrap_up_max_s: float = 300.0  # extensions stop here
    ready_on_register: bool = False

    def reason_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.not_ready_reasons)


@dataclass(frozen=True)
class StateChange:
    """One change of state (or of the on-call flag); the record reports and the board use."""

    uuid: str
    user: str
    state: AgentState
    reason: str
    on_call: bool
    started_at: datetime
    previous_state: AgentState
    previous_reason: str
    previous_on_call: bool
    previous_started_at: datetime
    previous_seconds: float
    # The call it is about: the call that started or ended; for a change that ends a wrap-up,
    # the call that was wrapped up.
    call_uuid: str = ""

    @property
    def ended_wrap_up(self) -> tuple[str, float] | None:
        """(call uuid, wrap-up seconds) when this change ends a wrap-up, else None."""
        if self.previous_state is AgentState.AFTER_CALL_WORK:
            return self.call_uuid, self.previous_seconds
        return None

    def to_payload(self) -> dict[str, Any]:
        """What the server receives (the user comes from the session, never from here)."""
        return {
            "uuid": self.uuid,
            "state": self.state.value,
            "reason": self.reason,
            "on_call": self.on_call,
            "call_uuid": self.call_uuid,
            "started_at": iso(self.started_at),
            "previous_state": self.previous_state.value,
            "previous_reason": self.previous_reason,
            "previous_on_call": self.previous_on_call,
            "previous_started_at": iso(self.previous_started_at),
            "previous_seconds": self.previous_seconds,
        }


@dataclass
class _Segment:
    state: AgentState
    reason: str
    on_call: bool
    since: datetime


@dataclass
class AgentStateMachine:
    """One agent's state. Methods return the StateChange they caused (None: nothing changed);
    persist each with AgentStateLog.record. The Qt layer calls `tick()` when `deadline` passes."""

    user: str
    config: StateConfig = field(default_factory=StateConfig)
    clock: Clock = utc_now

    def __post_init__(self) -> None:
        self._now = self.clock()
        self._segment = _Segment(AgentState.OFFLINE, "", False, self._now)
        self.registered = False
        self._calls: list[str] = []
        self._resume: tuple[AgentState, str] = (AgentState.NOT_READY, LOGIN_REASON)
        self._wrap_call = ""
        self._wrap_started: datetime | None = None
        self.deadline: datetime | None = None  # wrap-up ends here (None: no timer running)

    # -- what the UI and the phone ask ----------------------------------------------------------
    @property
    def state(self) -> AgentState:
        return self._segment.state

    @property
    def reason(self) -> str:
        return self._segment.reason

    @property
    def on_call(self) -> bool:
        return bool(self._calls)

    @property
    def since(self) -> datetime:
        return self._segment.since

    @property
    def accepts_routed_calls(self) -> bool:
        """Queues should offer calls to this agent (and auto-answer may pick them up)."""
        return self.registered and self.state is AgentState.READY and not self._calls

    @property
    def may_answer(self) -> bool:
        """An incoming call may be answered by hand (in any state but OFFLINE)."""
        return self.registered and self.state is not AgentState.OFFLINE

    def seconds_in_state(self, now: datetime | None = None) -> float:
        return seconds_between(self._segment.since, now or self.clock())

    # -- the agent's choices --------------------------------------------------------------------
    def set_ready(self) -> StateChange | None:
        return self._choose(AgentState.READY, "")

    def set_not_ready(self, reason: str) -> StateChange | None:
        if reason not in self.config.reason_codes():
            raise TransitionError("unknown_reason", reason)
        return self._choose(AgentState.NOT_READY, reason)

    def take_break(self) -> StateChange | None:
        return self._choose(AgentState.BREAK, "")

    def go_offline(self) -> StateChange | None:
        """Log out of the seat; refused during a call."""
        if self._calls:
            raise TransitionError("on_call")
        return self._go_offline()

    def finish_wrap_up(self) -> StateChange | None:
        """Done with wrap-up early: back to the state before it. None if not in wrap-up."""
        if self.state is not AgentState.AFTER_CALL_WORK:
            return None
        return self._leave_wrap_up()

    def extend_wrap_up(self, seconds: float | None = None) -> datetime | None:
        """More time for wrap-up (default `wrap_up_extension_s`, capped at `wrap_up_max_s` in
        all); returns the new deadline."""
        if self.state is not AgentState.AFTER_CALL_WORK:
            raise TransitionError("not_in_wrap_up")
        if self.deadline is None or self._wrap_started is None:
            return None  # no timer: wrap-up already lasts until the agent finishes it
        extra = self.config.wrap_up_extension_s if seconds is None else max(0.0, seconds)
        cap = self._wrap_started + timedelta(seconds=self.config.wrap_up_max_s)
        self.deadline = max(self.deadline, min(self.deadline + timedelta(seconds=extra), cap))
        return self.deadline

    # -- what the phone reports -----------------------------------------------------------------
    def set_registered(self, registered: bool) -> StateChange | None:
        self.registered = registered
        if not registered:
            return self._go_offline()
        if self.state is AgentState.OFFLINE:
            if self.config.ready_on_register:
                return self._choose(AgentState.READY, "")
            return self._choose(AgentState.NOT_READY, LOGIN_REASON)
        return None

    def call_started(self, call_uuid: str) -> StateChange | None:
        """A call is under way (answered here, or dialed out); ends a wrap-up in progress.
        `call_uuid` is the call record's uuid (CallLog.record_started), which the server
        links the state change to."""
        if call_uuid in self._calls:
            return None
        self._calls.append(call_uuid)
        if self.state is AgentState.AFTER_CALL_WORK:
            wrapped = self._wrap_call
            self._end_wrap_up()
            state, reason = self._resume
            return self._move(state, reason, call_uuid=wrapped)
        return self._move(self.state, self.reason, call_uuid=call_uuid)

    def call_ended(self, call_uuid: str, wrap_up: bool = True) -> StateChange | None:
        """A call is over. `wrap_up=False` for calls that never connected (unless the campaign
        wants a disposition for them): no after-call work then."""
        if call_uuid not in self._calls:
            return None
        self._calls.remove(call_uuid)
        if self._calls:
            return None  # still on another call
        wants = wrap_up and self.config.wrap_up_enabled and self.state is not AgentState.OFFLINE
        if not wants:
            return self._move(self.state, self.reason, call_uuid=call_uuid)
        self._resume = (self.state, self.reason)
        change = self._move(AgentState.AFTER_CALL_WORK, "", call_uuid=call_uuid)
        self._wrap_call = call_uuid
        self._wrap_started = self._now
        limit = self.config.wrap_up_limit_s
        self.deadline = None if limit is None else self._now + timedelta(seconds=limit)
        return change

    def tick(self, now: datetime | None = None) -> StateChange | None:
        """Let time pass: a wrap-up whose deadline is reached ends here."""
        if self.deadline is None or self.state is not AgentState.AFTER_CALL_WORK:
            return None
        moment = now or self.clock()
        if moment < self.deadline:
            return None
        return self._leave_wrap_up(at=self.deadline)

    # -- internals ------------------------------------------------------------------------------
    def _choose(self, state: AgentState, reason: str) -> StateChange | None:
        if not self.registered:
            raise TransitionError("not_registered")
        wrapped = self._wrap_call if self.state is AgentState.AFTER_CALL_WORK else ""
        self._end_wrap_up()
        self._resume = (state, reason)
        return self._move(state, reason, call_uuid=wrapped)

    def _leave_wrap_up(self, at: datetime | None = None) -> StateChange | None:
        wrapped = self._wrap_call
        self._end_wrap_up()
        state, reason = self._resume
        return self._move(state, reason, call_uuid=wrapped, at=at)

    def _go_offline(self) -> StateChange | None:
        wrapped = self._wrap_call
        self._end_wrap_up()
        return self._move(AgentState.OFFLINE, "", call_uuid=wrapped)

    def _end_wrap_up(self) -> None:
        self.deadline = None
        self._wrap_started = None
        self._wrap_call = ""

    def _move(
        self, state: AgentState, reason: str, call_uuid: str = "", at: datetime | None = None
    ) -> StateChange | None:
        now = at or self.clock()
        now = max(now, self._segment.since)  # never before the segment it ends
        self._now = now
        before = self._segment
        after = _Segment(state, reason, bool(self._calls), now)
        if (before.state, before.reason, before.on_call) == (state, reason, after.on_call):
            return None
        self._segment = after
        return StateChange(
            uuid=str(uuidlib.uuid4()),
            user=self.user,
            state=state,
            reason=reason,
            on_call=after.on_call,
            started_at=now,
            previous_state=before.state,
            previous_reason=before.reason,
            previous_on_call=before.on_call,
            previous_started_at=before.since,
            previous_seconds=seconds_between(before.since, now),
            call_uuid=call_uuid,
        )
