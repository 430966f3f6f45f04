"""What this seat tells the supervisors' board (issue 14, docs/supervision.md): the agent's
state and current call as they change, plus a heartbeat every `HEARTBEAT_S` seconds so the
board can tell a live seat from a lost one. Qt-free.

Every report carries the seat's whole present state, so nothing has to be queued: live state
is perishable, and a report that failed is simply replaced by the next one. A change is sent
at once; a failed send is tried again at the next heartbeat (not in a tight loop while the
server is away). Sending happens on a small thread of its own, never on the caller's (the GUI)
thread: `state_changed` and `call_event` only note what changed and wake the thread.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from agent_app.phone import events as ev
from agent_app.phone.config import PhoneConfig
from common.monitor_grants import call_uuid
from common.numbers import mask
from common.supervision import HEARTBEAT_S, SeatCall, SeatReport
from common.timestamps import Clock, utc_now

log = logging.getLogger(__name__)
# The wire takes numbers of these characters only (common/supervision.py `Number`).
_NUMBER_CHARS = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+*#_.-")
STATES = ("ready", "not_ready", "after_call_work", "break", "offline")
# What the wire takes as a seat's SIP URI (common/supervision.py `SipUri`).
_SIP_URI = re.compile(r"(sips?:[^\s<>\"]{1,251})?")


def seat_uri(config: PhoneConfig) -> str:
    """sip:<user>@<domain> of the seat's default account ('' without one, or when it is not
    something the wire takes: a report must never fail on it)."""
    accounts = [a for a in config.accounts if a.enabled and a.user and a.domain]
    chosen = next((a for a in accounts if a.default), accounts[0] if accounts else None)
    uri = f"sip:{chosen.user}@{chosen.domain}" if chosen else ""
    return uri if _SIP_URI.fullmatch(uri) else ""


def _moment(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def seat_call(snap: ev.CallSnapshot) -> SeatCall:
    """The wire's view of a call of the engine: its record uuid (what grants name), direction,
    start, queue or campaign (the headers the call came with) and the number, masked."""
    number = "".join(ch for ch in mask(snap.remote_number or "") if ch in _NUMBER_CHARS)
    started = _moment(snap.started_at) or datetime.now(UTC)
    return SeatCall(
        call_uuid=call_uuid(snap.id),
        direction="outbound" if snap.direction == ev.OUTBOUND else "inbound",
        started_at=started,
        answered_at=_moment(snap.answered_at),
        queue=snap.headers.get("x-queue", "")[:64],
        campaign=snap.headers.get("x-campaign", "")[:200],
        number=number[:64],
    )


@dataclass
class _Seat:
    state: str = "offline"
    reason: str = ""
    since: datetime | None = None


class SeatReporter:
    """Reports one user's seat through `send` (ApiClient.report_seat) on its own thread.

    `start()` begins (the first report goes at once); `stop()` sends what is still unsent,
    waiting at most `stop_wait_s`, and ends the thread.
    """

    def __init__(
        self,
        send: Callable[[SeatReport], object],
        *,
        clock: Clock = utc_now,
        heartbeat_s: float = HEARTBEAT_S,
        stop_wait_s: float = 3.0,
    ) -> None:
        self.send = send
        self.clock = clock
        self.heartbeat_s = heartbeat_s
        self.stop_wait_s = stop_wait_s
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._seat = _Seat()
        self._calls: dict[str, ev.CallSnapshot] = {}  # live calls by engine id, oldest first
        self._changed = True  # a change not yet taken by the server
        self._thread: threading.Thread | None = None
        self.sip_uri = ""  # where a supervisor's phone reaches this seat (its default account)
        # What happened, for the status line and tests.
        self.events_sent = 0
        self.heartbeats_sent = 0
        self.failures = 0
        self.beats = 0  # heartbeat times that came, sent or not (at most one try each)
        self.last_error: BaseException | None = None
        self.online = False  # the last send reached the server

    # -- what the window tells it (any thread) ------------------------------------------------
    def state_changed(self, state: str, reason: str = "", since: datetime | None = None) -> None:
        state = state if state in STATES else "offline"
        with self._lock:
            seat = self._seat
            if (seat.state, seat.reason, seat.since) == (state, reason, since):
                return
            self._seat = _Seat(state, reason if state == "not_ready" else "", since)
            self._changed = True
        self._wake.set()

    def call_event(self, event: ev.CallEvent) -> None:
        snap = event.call
        with self._lock:
            before = self.current_call()
            if snap.state == ev.ENDED:
                self._calls.pop(snap.id, None)
            else:
                self._calls[snap.id] = snap
            after = self.current_call()
            if before == after:
                return  # e.g. a hold: the board shows nothing of it
            self._changed = True
        self._wake.set()

    def current_call(self) -> SeatCall | None:
        """The call the board shows: the newest answered one, else the newest ringing one."""
        calls = list(self._calls.values())
        answered = [c for c in calls if c.answered_at is not None]
        chosen = (answered or calls)[-1:] or None
        return seat_call(chosen[0]) if chosen else None

    def report(self, kind: str = "event") -> SeatReport:
        with self._lock:
            seat, call = self._seat, self.current_call()
        return SeatReport(
            kind=kind,  # type: ignore[arg-type]  # "event" or "heartbeat"
            state=seat.state,  # type: ignore[arg-type]  # one of STATES
            reason=seat.reason[:64],
            state_since=seat.since or self.clock(),
            call=call,
            sip_uri=self.sip_uri,  # whom a supervisor's phone calls (seat_uri())
        )

    # -- the thread ----------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="seatdesk-seat-report", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Send what is unsent (the agent going offline, say), then end the thread (waiting
        for it at most `stop_wait_s`)."""
        thread = self._thread
        self.stop_soon()
        if thread is not None:
            thread.join(self.stop_wait_s)

    def stop_soon(self) -> None:
        """As stop(), without waiting: the thread sends the last report and ends by itself."""
        self._stop.set()
        self._wake.set()
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        next_beat = time.monotonic()  # the first report goes at once
        while True:
            woke = self._wake.wait(max(0.0, next_beat - time.monotonic()))
            self._wake.clear()
            stopping = self._stop.is_set()
            with self._lock:
                changed = self._changed
            due = time.monotonic() >= next_beat
            if due:
                self.beats += 1
            if changed and (woke or due or stopping):
                if self._send("event"):
                    next_beat = time.monotonic() + self.heartbeat_s
                elif not stopping:
                    # Not again before the next heartbeat: a server that is away stays away
                    # for a while, and what is sent then carries everything anyway.
                    next_beat = time.monotonic() + self.heartbeat_s
            elif due and not stopping:
                self._send("heartbeat")
                next_beat = time.monotonic() + self.heartbeat_s
            if stopping:
                return

    def _send(self, kind: str) -> bool:
        with self._lock:
            self._changed = False
        report = self.report(kind)
        try:
            self.send(report)
        except Exception as exc:  # the server away, a session that ended: the next beat tries
            with self._lock:
                self._changed = True
            self.failures += 1
            self.last_error = exc
            if self.online:
                log.info("seat report failed (%s); again at the next heartbeat", exc)
            self.online = False
            return False
        self.online = True
        if kind == "event":
            self.events_sent += 1
        else:
            self.heartbeats_sent += 1
        return True
