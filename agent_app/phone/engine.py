"""The softphone engine: pjsua2 driven by whoever calls `poll()` (a Qt timer or a plain loop).

pjsua2 runs with no threads of its own (`threadCnt=0`, `mainThreadOnly`): every SIP and media
callback lands inside `poll()`, on the caller's thread. Callbacks only record what happened;
events are delivered to the listener after `libHandleEvents` returns, and actions the engine
takes itself (auto-answer, hang-up after a transfer, closing recorders) run from its own small
timer queue at the same point. That keeps pjsua2 out of re-entrant calls.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import itertools
import logging
import socket
import time
import uuid
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pjsua2 as pj

from agent_app.phone import events as ev
from agent_app.phone import media, sound_bridge
from agent_app.phone.audio_routing import AudioMixin
from agent_app.phone.binding_guard import keep_none_alive
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.dns_servers import dns_servers
from agent_app.phone.host_lookup import HostLookup
from agent_app.phone.messages import PhoneError, dial_target, tr
from agent_app.phone.registration import UNREGISTER_WAIT_S, RegistrationMixin
from agent_app.phone.sip_headers import auto_answer_delay, headers_of, parse_name_addr
from agent_app.phone.sip_objects import SipAccount, SipCall
from common.numbers import user_part

log = logging.getLogger(__name__)
# The pjsua2 wheels are built with PJSUA_MAX_CALLS = 4 (pjproject's default since 2.11): a
# larger uaConfig.maxCalls is ignored. Four covers a seat's worst case: a call on hold, a
# consultation, a conference leg and one waiting call.
PJSUA_CALL_SLOTS = 4
PJ_ETOOMANY = 70010
PJ_EINVALIDOP = 70013
REOFFER_WAIT_S = 0.1  # a hold or resume waiting for the offer before it to finish ...
REOFFER_TRIES = 50  # ... for at most this many waits
# pjlib's select() loop watches at most 64 sockets and frees a closed one only 500 ms later;
# each call opens two (RTP, RTCP). Calls set up faster than this would exhaust it, and pjlib
# aborts the process when that happens, so dialling is limited to a pace no person reaches.
SOCKET_REUSE_S = 0.6
MAX_DIALS_PER_REUSE = 8
FAST_POLL_S = 0.5  # after SIP traffic or an action, the driver should poll quickly this long
MAX_DRAIN = 32  # extra non-blocking rounds per poll while events keep coming
Listener = Callable[[ev.Event], None]

_END_REASONS = {
    486: ("busy", "sip_busy"),
    600: ("busy", "sip_busy"),
    603: ("rejected", "sip_rejected"),
    404: ("failed", "sip_not_found"),
    480: ("no_answer", "sip_unavailable"),
    408: ("no_answer", "sip_no_answer"),
    487: ("cancelled", "sip_cancelled"),
}


class PhoneEngine(RegistrationMixin, AudioMixin):
    """One per process (pjsua2 allows one endpoint). Not thread-safe: use it from one thread."""

    def __init__(
        self,
        config: PhoneConfig,
        data_dir: Path,
        listener: Listener | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.data_dir = Path(data_dir)
        self.listeners: list[Listener] = [listener] if listener else []
        self.clock = clock
        self.ep: pj.Endpoint | None = None
        self.accounts: dict[str, SipAccount] = {}
        self.account_configs: dict[str, AccountConfig] = {}
        self.registration: dict[str, ev.RegistrationEvent] = {}
        self.calls: dict[str, SipCall] = {}
        self.snapshots: dict[str, ev.CallSnapshot] = {}
        self.conference_ids: set[str] = set()
        self.muted = False
        self.audio_notice: str | None = None
        self._sound: sound_bridge.SoundBridge | None = None
        self._ring_out: sound_bridge.Ringer | None = None
        self._recorders: dict[str, media.Recorder] = {}
        self._hold_started: dict[str, float] = {}
        self._post_dial: dict[str, str] = {}
        self._gave_up: set[str] = set()  # outgoing calls we cancelled for no answer
        self._pending: list[ev.Event] = []
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._timer_seq = itertools.count()
        self._graveyard: list[Any] = []  # pjsua2 objects to free between polls
        self._mic_override: media.ToneSource | None = None
        self._ringer: media.ToneSource | None = None
        self._transports: dict[str, int] = {}
        self.busy_until = 0.0
        self._recent_dials: deque[float] = deque()
        self._host_lookup = HostLookup()
        self._lookups: dict[str, tuple[AccountConfig, Future[str]]] = {}
        self._reg_answer: dict[str, int] = {}  # account -> token of its last REGISTER answer
        self._sip_objects: weakref.WeakSet[Any] = weakref.WeakSet()

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        ep = pj.Endpoint()
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = min(PJSUA_CALL_SLOTS, max(1, self.config.max_calls))
        cfg.uaConfig.userAgent = self.config.user_agent
        # Media (RTP in, jitter buffers, the bridge) keeps pjmedia's own worker thread: it never
        # calls into Python, and audio must not wait for the GUI thread to poll.
        cfg.medConfig.threadCnt = 1
        cfg.logConfig.level = self.config.log_level
        cfg.logConfig.consoleLevel = self.config.log_level
        stun = sorted({s for a in self.config.accounts for s in a.stun_servers})
        for server in stun:
            cfg.uaConfig.stunServer.append(server)
        cfg.uaConfig.stunIgnoreFailure = True
        for server in dns_servers(self.config.dns_servers):
            cfg.uaConfig.nameserver.append(server)
        ep.libInit(cfg)
        self.ep = ep
        self._create_transports()
        ep.libStart()
        self.open_audio()
        self.apply_codecs(self.config.codecs)
        for account in self.config.accounts:
            if account.enabled:
                self.add_account(account)

    def _create_transports(self) -> None:
        assert self.ep is not None
        kinds = {
            "udp": pj.PJSIP_TRANSPORT_UDP,
            "tcp": pj.PJSIP_TRANSPORT_TCP,
            "tls": pj.PJSIP_TRANSPORT_TLS,
        }
        for name, kind in kinds.items():
            tc = pj.TransportConfig()
            tc.port = self.config.sip_port if name == "udp" else 0
            if self.config.bind_address:
                tc.boundAddress = self.config.bind_address
            if name != "udp":
                # SIP messages are small and answered at once: Nagle's algorithm would hold
                # each behind the peer's delayed ACK (40 ms per round trip measured here).
                nodelay = pj.SockOpt()
                nodelay.level, nodelay.optName = socket.IPPROTO_TCP, socket.TCP_NODELAY
                nodelay.setOptValInt(1)
                tc.sockOptParams.sockOpts.append(nodelay)
            if name == "tls":
                # TLS 1.2 or 1.3 only (`proto` wins over `method`); a server certificate that
                # does not verify against tls_ca_file ends the connection before any SIP.
                # pjsip loads no system CAs: without a CA file of the center's own, trust the
                # public CAs that certifi (already here for httpx) carries.
                tc.tlsConfig.CaListFile = self.config.tls_ca_file or _public_ca_file()
                tc.tlsConfig.verifyServer = self.config.tls_verify_server
                tc.tlsConfig.method = pj.PJSIP_TLSV1_2_METHOD
                tc.tlsConfig.proto = pj.PJ_SSL_SOCK_PROTO_TLS1_2 | pj.PJ_SSL_SOCK_PROTO_TLS1_3
            try:
                self._transports[name] = self.ep.transportCreate(kind, tc)
            except pj.Error as exc:
                if name == "udp":
                    raise PhoneError(tr("action_failed", reason=exc.info())) from exc
                log.warning("no %s transport: %s", name, exc.info())

    def local_port(self, transport: str = "udp") -> int:
        assert self.ep is not None
        info = self.ep.transportGetInfo(self._transports[transport])
        return int(info.localName.rsplit(":", 1)[1])

    def shutdown(self) -> None:
        """Hang up, unregister and free everything; quick even with calls up (no network wait)."""
        ep = self.ep
        if ep is None:
            return
        with contextlib.suppress(pj.Error):
            ep.hangupAllCalls()
        self._stop_ringer(force=True)
        self._recorders.clear()
        self._mic_override = None
        self._ringer = None
        self.close_audio()
        self._host_lookup.shutdown()
        self._lookups.clear()
        self._unregister_all(UNREGISTER_WAIT_S)
        for account in self.accounts.values():
            with contextlib.suppress(pj.Error):
                account.shutdown()
        self.calls.clear()
        self.accounts.clear()
        self._graveyard.clear()
        gc.collect()
        # A Call or Account still referenced elsewhere (a traceback, a test's local) would run
        # its C++ destructor after libDestroy, which pjsua answers with an assertion. Such
        # survivors are disowned: Python lets them go without touching pjsua again.
        for survivor in list(self._sip_objects):
            survivor.thisown = False
        ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        self.ep = None

    # -- polling ---------------------------------------------------------------------------
    def poll(self, max_ms: int = 0) -> None:
        """Handle SIP/media work for up to `max_ms`, then run due timers and deliver events."""
        if self.ep is None:
            return
        keep_none_alive()
        if self._lookups:
            self._finish_lookups()
        handled = self.ep.libHandleEvents(max_ms)
        if handled > 0:
            self.busy_until = time.monotonic() + FAST_POLL_S
            # Each call handles a few socket events at most: drain what is waiting.
            for _ in range(MAX_DRAIN):
                if self.ep.libHandleEvents(0) <= 0:
                    break
        now = time.monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, _, action = heapq.heappop(self._timers)
            try:
                action()
            except PhoneError as exc:
                log.warning("scheduled phone action failed: %s", exc)
        self._graveyard.clear()
        pending, self._pending = self._pending, []
        if pending:
            self.busy_until = time.monotonic() + FAST_POLL_S
        for event in pending:
            for listener in list(self.listeners):
                listener(event)

    def run_until(self, done: Callable[[], bool], timeout: float, step_ms: int = 10) -> bool:
        """Poll until `done()` or `timeout` seconds: for tests, `doctor` and scripts."""
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                return False
            self.poll(step_ms)
        return True

    @property
    def busy(self) -> bool:
        """True shortly after any SIP traffic or action: answers are likely to follow soon."""
        return time.monotonic() < self.busy_until

    def later(self, seconds: float, action: Callable[[], None]) -> None:
        heapq.heappush(self._timers, (time.monotonic() + seconds, next(self._timer_seq), action))

    def _next_token(self) -> int:
        return next(self._timer_seq)

    def _emit(self, event: ev.Event) -> None:
        self._pending.append(event)

    # -- calls -----------------------------------------------------------------------------
    def dial(
        self, text: str, account_id: str | None = None, headers: dict[str, str] | None = None
    ) -> str:
        """Start an outgoing call to what the agent typed; returns the call's id."""
        key = account_id or self.default_account_id()
        account = self.accounts.get(key)
        if account is None:  # its registrar's name is still being looked up
            state = self.registration.get(key)
            raise PhoneError(tr("not_registered", reason=state.text if state else ""))
        target = dial_target(text)
        if len(self.active_calls()) >= self.config.max_calls:
            raise PhoneError(tr("too_many_calls", limit=self.config.max_calls))
        now = time.monotonic()
        while self._recent_dials and now - self._recent_dials[0] > SOCKET_REUSE_S:
            self._recent_dials.popleft()
        if len(self._recent_dials) >= MAX_DIALS_PER_REUSE:
            raise PhoneError(tr("dialling_too_fast"))
        self._recent_dials.append(now)
        domain = self.account_configs[key].domain
        uri = target.sip_uri(domain)
        call = SipCall(self, account)
        self.busy_until = time.monotonic() + FAST_POLL_S
        prm = pj.CallOpParam(True)
        for name, value in (headers or {}).items():
            header = pj.SipHeader()
            header.hName, header.hValue = name, value
            prm.txOption.headers.append(header)
        call_key = self._register_call(call, key, ev.OUTBOUND, uri, target.number, "")
        try:
            call.makeCall(uri, prm)
        except pj.Error as exc:
            self._forget(call_key)
            if exc.status == PJ_ETOOMANY:  # every pjsua slot taken (some may be closing)
                raise PhoneError(tr("too_many_calls", limit=PJSUA_CALL_SLOTS)) from exc
            raise PhoneError(tr("call_failed", reason=exc.reason or exc.info())) from exc
        if target.extension:
            self._post_dial[call_key] = target.extension
        timeout = self.config.no_answer_timeout_s
        self.later(timeout, lambda: self._give_up_if_unanswered(call_key))
        return call_key

    def answer(self, call_id: str, hold_others: bool = True) -> None:
        """Answer a ringing call; calls already up are put on hold first (call waiting)."""
        call = self._call(call_id)
        if self.snapshots[call_id].state != ev.RINGING_IN:
            return
        if hold_others:
            for other, snap in self.snapshots.items():
                if (
                    other != call_id
                    and snap.state == ev.ACTIVE
                    and other not in self.conference_ids
                ):
                    self.hold(other)
        self._stop_ringer(answering=call_id)
        prm = pj.CallOpParam(True)
        prm.statusCode = 200
        self._act(lambda: call.answer(prm))
        self.snapshots[call_id].auto_answer_in = None

    def reject(self, call_id: str, busy: bool = False) -> None:
        """Refuse a ringing call: 486 Busy Here when `busy`, else 603 Decline."""
        call = self._call(call_id)
        prm = pj.CallOpParam(True)
        prm.statusCode = 486 if busy else 603
        self._act(lambda: call.hangup(prm))

    def hangup(self, call_id: str) -> None:
        call = self._call(call_id)
        prm = pj.CallOpParam(True)
        if self.snapshots[call_id].state == ev.RINGING_IN:
            prm.statusCode = 603
        self._act(lambda: call.hangup(prm))

    def hangup_all(self) -> None:
        for call_id in list(self.calls):
            if self.snapshots[call_id].state != ev.ENDED:
                self.hangup(call_id)

    def hold(self, call_id: str) -> None:
        self._call(call_id)
        snap = self.snapshots[call_id]
        if snap.local_hold or snap.state != ev.ACTIVE:
            return
        self._send_hold(call_id, held=True)
        snap.local_hold = True
        snap.state = ev.HELD
        self._hold_started[call_id] = self.clock()
        self._route_audio()
        self._emit(ev.CallEvent("hold", self._copy(call_id)))

    def resume(self, call_id: str) -> None:
        self._call(call_id)
        snap = self.snapshots[call_id]
        if not snap.local_hold:
            return
        self._send_hold(call_id, held=False)
        self._end_hold(call_id)
        snap.state = ev.ACTIVE
        self._route_audio()
        self._emit(ev.CallEvent("hold", self._copy(call_id)))

    def _send_hold(self, call_id: str, held: bool, tries: int = REOFFER_TRIES) -> None:
        """The re-INVITE for hold or resume. pjsua refuses a new offer while one is still
        under way (PJ_EINVALIDOP: the agent pressed Hold, then Conference, quickly; or the far
        end is re-negotiating): then it is sent once that is over, unless the agent has
        changed their mind meanwhile. The audio follows the button at once either way."""
        call = self._call(call_id)
        prm = pj.CallOpParam(True)
        if not held:
            prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        try:
            self.busy_until = time.monotonic() + FAST_POLL_S
            call.setHold(prm) if held else call.reinvite(prm)
        except pj.Error as exc:
            if exc.status != PJ_EINVALIDOP or tries <= 0:
                raise PhoneError(tr("action_failed", reason=exc.reason or exc.info())) from exc
            self.later(REOFFER_WAIT_S, lambda: self._retry_hold(call_id, held, tries - 1))

    def _retry_hold(self, call_id: str, held: bool, tries: int) -> None:
        snap = self.snapshots.get(call_id)
        if snap is not None and snap.state != ev.ENDED and snap.local_hold == held:
            self._send_hold(call_id, held, tries)

    def send_dtmf(self, call_id: str, digits: str) -> str:
        """Send digits in RTP (RFC 2833); falls back to SIP INFO. Returns the method used."""
        call = self._call(call_id)
        methods = [pj.PJSUA_DTMF_METHOD_RFC2833, pj.PJSUA_DTMF_METHOD_SIP_INFO]
        if self.config.dtmf_method == "info":
            methods.reverse()
        last: pj.Error | None = None
        for method in methods:
            prm = pj.CallSendDtmfParam()
            prm.digits = digits
            prm.method = method
            try:
                call.sendDtmf(prm)
                return "info" if method == pj.PJSUA_DTMF_METHOD_SIP_INFO else "rfc2833"
            except pj.Error as exc:
                last = exc
        assert last is not None
        raise PhoneError(tr("action_failed", reason=last.reason or last.info()))

    def blind_transfer(self, call_id: str, target: str) -> None:
        """REFER the far end to `target`; our leg ends when the target answers."""
        call = self._call(call_id)
        account_id = self.snapshots[call_id].account_id
        uri = dial_target(target).sip_uri(self.account_configs[account_id].domain)
        self._act(lambda: call.xfer(uri, pj.CallOpParam(True)))

    def attended_transfer(self, call_id: str, consult_id: str) -> None:
        """Join the customer (`call_id`) to the party we consulted (`consult_id`) and leave."""
        call = self._call(call_id)
        consult = self._call(consult_id)
        self._act(lambda: call.xferReplaces(consult, pj.CallOpParam(True)))

    def conference(self, call_ids: list[str] | None = None) -> None:
        """Join calls on the local bridge: everyone hears everyone (three-way calling)."""
        ids = call_ids or [k for k, s in self.snapshots.items() if s.state in (ev.ACTIVE, ev.HELD)]
        if len(ids) < 2:
            raise PhoneError(tr("need_two_calls"))
        for call_id in ids:
            self._call(call_id)
            if self.snapshots[call_id].local_hold:
                self.resume(call_id)
        self.conference_ids = set(ids)
        for call_id in ids:
            self.snapshots[call_id].conference = True
            self._emit(ev.CallEvent("media", self._copy(call_id), "conference"))
        self._route_audio()

    def split_conference(self) -> None:
        for call_id in self.conference_ids:
            if call_id in self.snapshots:
                self.snapshots[call_id].conference = False
        self.conference_ids = set()
        self._route_audio()

    def snapshot(self, call_id: str) -> ev.CallSnapshot:
        """The call as it is now; PhoneError once it has ended and been let go."""
        if call_id not in self.snapshots:
            raise PhoneError(tr("no_call"))
        return self._copy(call_id)

    def active_calls(self) -> list[ev.CallSnapshot]:
        return [self._copy(k) for k, s in self.snapshots.items() if s.state != ev.ENDED]

    # -- internals -------------------------------------------------------------------------
    def _call(self, call_id: str) -> SipCall:
        call = self.calls.get(call_id)
        if call is None or self.snapshots[call_id].state == ev.ENDED:
            raise PhoneError(tr("no_call"))
        return call

    def _act(self, action: Callable[[], None]) -> None:
        self.busy_until = time.monotonic() + FAST_POLL_S
        try:
            action()
        except pj.Error as exc:
            raise PhoneError(tr("action_failed", reason=exc.reason or exc.info())) from exc

    def _account_of(self, call: SipCall) -> SipAccount:
        return self.accounts[self.snapshots[call.key].account_id]

    def _register_call(
        self, call: SipCall, account_id: str, direction: str, uri: str, number: str, display: str
    ) -> str:
        key = uuid.uuid4().hex
        call.key = key
        self._sip_objects.add(call)
        self.calls[key] = call
        self.snapshots[key] = ev.CallSnapshot(
            id=key,
            account_id=account_id,
            direction=direction,
            remote_uri=uri,
            remote_number=number,
            remote_display=display,
            state=ev.DIALING if direction == ev.OUTBOUND else ev.RINGING_IN,
            started_at=self.clock(),
        )
        return key

    def _forget(self, call_id: str) -> None:
        call = self.calls.pop(call_id, None)
        self.snapshots.pop(call_id, None)
        if call is not None:
            self._graveyard.append(call)

    def _copy(self, call_id: str) -> ev.CallSnapshot:
        snap = self.snapshots[call_id]
        copy = ev.CallSnapshot(**{**snap.__dict__, "headers": dict(snap.headers)})
        if call_id in self._hold_started:
            copy.hold_seconds += self.clock() - self._hold_started[call_id]
        return copy

    def _end_hold(self, call_id: str) -> None:
        started = self._hold_started.pop(call_id, None)
        if started is not None:
            self.snapshots[call_id].hold_seconds += self.clock() - started
        self.snapshots[call_id].local_hold = False

    def _give_up_if_unanswered(self, call_id: str) -> None:
        snap = self.snapshots.get(call_id)
        if snap and snap.state in (ev.DIALING, ev.RINGING_OUT):
            self._gave_up.add(call_id)
            self.hangup(call_id)

    # -- callbacks (inside libHandleEvents) --------------------------------------------------
    def _on_incoming_call(self, account: SipAccount, pj_call_id: int, message: str) -> None:
        call = SipCall(self, account, pj_call_id)
        info = call.getInfo()
        display, uri = parse_name_addr(info.remoteUri)
        headers = headers_of(message)
        key = self._register_call(
            call, account.account_id, ev.INBOUND, uri, user_part(uri), display
        )
        self.snapshots[key].headers = headers
        if len(self.active_calls()) > self.config.max_calls:
            prm = pj.CallOpParam(True)
            prm.statusCode = 486  # this seat has as many calls as it can take
            call.hangup(prm)
            return
        busy = any(
            s.state in (ev.ACTIVE, ev.HELD, ev.CONNECTING, ev.DIALING, ev.RINGING_OUT)
            for k, s in self.snapshots.items()
            if k != key
        )
        prm = pj.CallOpParam(True)
        prm.statusCode = 180
        call.answer(prm)
        delay = self._auto_answer_delay(headers, busy)
        if delay is not None:
            self.snapshots[key].auto_answer_in = delay
            self.later(delay, lambda: self._auto_answer(key))
        self._start_ringer(waiting=busy)
        self._emit(ev.CallEvent("incoming", self._copy(key), "waiting" if busy else ""))

    def _auto_answer_delay(self, headers: dict[str, str], busy: bool) -> float | None:
        if busy:
            return None  # never drop a customer on hold because a second call came in
        settings = self.config.auto_answer
        requested = auto_answer_delay(headers) if settings.honour_server_request else None
        if requested is not None:
            return requested
        return settings.delay_s if settings.enabled else None

    def _auto_answer(self, call_id: str) -> None:
        snap = self.snapshots.get(call_id)
        if snap and snap.state == ev.RINGING_IN:
            self.answer(call_id)

    def _on_call_state(self, call: SipCall) -> None:
        key = call.key
        snap = self.snapshots.get(key)
        if snap is None:
            return
        info = call.getInfo()
        state = info.state
        snap.status_code = info.lastStatusCode
        snap.reason = info.lastReason
        if state == pj.PJSIP_INV_STATE_EARLY and snap.direction == ev.OUTBOUND:
            snap.state = ev.RINGING_OUT
        elif state == pj.PJSIP_INV_STATE_CONNECTING:
            snap.state = ev.CONNECTING
        elif state == pj.PJSIP_INV_STATE_CONFIRMED:
            if snap.answered_at is None:
                snap.answered_at = self.clock()
                self._on_answered(key)
            snap.state = ev.HELD if snap.local_hold else ev.ACTIVE
        elif state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self._on_disconnected(key, info.lastStatusCode, info.lastReason)
            return
        self._emit(ev.CallEvent("state", self._copy(key)))

    def _on_answered(self, key: str) -> None:
        self._stop_ringer()
        if self.config.recording.policy == "always":
            self.later(0, lambda: self._record_if_live(key))
        extension = self._post_dial.pop(key, "")
        if extension:
            self.later(1.0, lambda: self._send_post_dial(key, extension))

    def _record_if_live(self, key: str) -> None:
        if key in self.snapshots and self.snapshots[key].state != ev.ENDED:
            self.start_recording(key)

    def _send_post_dial(self, key: str, digits: str) -> None:
        if key in self.snapshots and self.snapshots[key].state == ev.ACTIVE:
            self.send_dtmf(key, digits)

    def _on_disconnected(self, key: str, code: int, reason: str) -> None:
        snap = self.snapshots[key]
        if snap.state == ev.ENDED:
            return
        self._end_hold(key)
        snap.ended_at = self.clock()
        snap.state = ev.ENDED
        snap.end_reason, snap.end_text = self._end_reason(snap, code)
        self.conference_ids.discard(key)
        snap.conference = False
        if key in self._recorders:
            self.stop_recording(key)
        self._stop_ringer()
        self._emit(ev.CallEvent("ended", self._copy(key)))
        # pjsua2 needs the Call object until the DISCONNECTED callback returns; drop it after.
        self.later(0, lambda: self._forget_ended(key))
        self._route_audio()

    def _forget_ended(self, key: str) -> None:
        self._gave_up.discard(key)
        self._forget(key)

    def _end_reason(self, snap: ev.CallSnapshot, code: int) -> tuple[str, str]:
        if snap.answered_at is not None:
            return "answered", ""
        if snap.direction == ev.INBOUND:
            if code in (486, 603):
                return "rejected", tr("sip_rejected")
            return "missed", tr("sip_cancelled") if code == 487 else ""
        if snap.id in self._gave_up:
            return "no_answer", tr("sip_no_answer")
        if code in _END_REASONS:
            reason, key = _END_REASONS[code]
            return reason, tr(key)
        return "failed", tr("sip_failed", code=code)

    def _on_call_media_state(self, call: SipCall) -> None:
        key = call.key
        snap = self.snapshots.get(key)
        if snap is None:
            return
        try:
            info = call.getInfo()
        except pj.Error:
            return
        remote_hold = any(
            mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_REMOTE_HOLD
            for mi in info.media
        )
        changed = remote_hold != snap.remote_hold
        snap.remote_hold = remote_hold
        self._route_audio()
        self._emit(ev.CallEvent("media", self._copy(key), "remote_hold" if changed else ""))

    def _on_dtmf(self, call: SipCall, digit: str) -> None:
        if call.key in self.snapshots:
            self._emit(ev.DtmfEvent(call.key, digit))

    def _on_transfer_request(self, call: SipCall, new_call: SipCall, target: str) -> None:
        snap = self.snapshots[call.key]
        display, uri = parse_name_addr(target)
        new_key = self._register_call(
            new_call, snap.account_id, ev.OUTBOUND, uri, user_part(uri), display
        )
        self._emit(ev.CallEvent("transfer", self._copy(new_key), "transferred_by_remote"))

    def _on_transfer_status(self, call: SipCall, code: int, reason: str, final: bool) -> None:
        key = call.key
        if key not in self.snapshots:
            return
        self._emit(ev.CallEvent("transfer", self._copy(key), f"{code} {reason}"))
        if final and 200 <= code < 300:
            self.later(0, lambda: self._hangup_quietly(key))

    def _hangup_quietly(self, key: str) -> None:
        snap = self.snapshots.get(key)
        if snap and snap.state != ev.ENDED:
            with contextlib.suppress(PhoneError):
                self.hangup(key)

    def _on_call_replaced(self, old: SipCall, new_call: SipCall) -> None:
        snap = self.snapshots[old.key]
        info = new_call.getInfo()
        display, uri = parse_name_addr(info.remoteUri)
        new_key = self._register_call(
            new_call, snap.account_id, snap.direction, uri, user_part(uri), display
        )
        self._emit(ev.CallEvent("transfer", self._copy(new_key), "replaced"))


def _public_ca_file() -> str:
    try:
        import certifi
    except ImportError:
        return ""
    return str(certifi.where())
