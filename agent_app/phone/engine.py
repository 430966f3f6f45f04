"""The softphone engine: pjsua2 driven by whoever calls `poll()` (a Qt timer or a plain loop).

pjsua2 runs with no threads of its own (`threadCnt=0`, `mainThreadOnly`): every SIP and media
callback lands inside `poll()`, on the caller's thread. Callbacks only record what happened;
events are delivered to the listener after `libHandleEvents` returns, and actions the engine
takes itself (auto-answer, hang-up after a transfer, closing recorders) run from its own small
timer queue at the same point. That keeps pjsua2 out of re-entrant calls.

The engine is composed of collaborators it owns and hands narrow hooks to: `Registration`
(accounts and their registration), `AudioRouting` (devices, ringer, recorders, who hears whom),
`Monitoring` (supervisors' listen / whisper / barge calls, both sides: monitoring.py) and the
pjsua2 subclasses in sip_objects.py, whose callbacks it handles. Requests the far end
must answer (hold, resume, transfer) are tracked here until answered, failed or overdue, and
each of those steps is an event ("action") the phone bar and the call record can show.
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
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pjsua2 as pj

from agent_app.phone import events as ev
from agent_app.phone import media, pj_log
from agent_app.phone.audio_routing import AudioRouting, Leg
from agent_app.phone.binding_guard import guarded, keep_none_alive
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.dns_servers import dns_servers
from agent_app.phone.messages import PhoneError, dial_target, tr
from agent_app.phone.monitoring import Monitoring, MonitoringHooks
from agent_app.phone.registration import Registration, RegistrationHooks
from agent_app.phone.sip_headers import auto_answer_delay, headers_of, parse_name_addr
from agent_app.phone.sip_objects import SipAccount, SipCall, SipEndpoint
from common import monitor_grants as mg
from common.numbers import user_part

log = logging.getLogger(__name__)
# The pjsua2 wheels are built with PJSUA_MAX_CALLS = 4 (pjproject's default since 2.11): a
# larger uaConfig.maxCalls is ignored. Four covers a seat's worst case: a call on hold, a
# consultation, a conference leg and one waiting call.
PJSUA_CALL_SLOTS = 4
PJ_ETOOMANY = 70010
PJ_EINVALIDOP = 70013
# A hold or resume that pjsua refuses because an offer is under way (the far end is
# re-negotiating) is tried again after each of these waits, then reported as failed: a few
# quiet tries, not a burst of refusals in the log.
REOFFER_WAITS_S = (0.2, 0.5, 1.0, 2.0)
# Our re-INVITE (hold, resume) unanswered this long shows as failed; pjsip itself gives up on
# it only at its transaction timeout (32 s), and then ends the call.
OFFER_ANSWER_WAIT_S = 6.0
# A transfer with no final word this long is reported as failed (the customer stays on).
TRANSFER_WAIT_S = 10.0
# After the consultation leg of an attended transfer ends (the target took the customer's
# call, which replaced it), the final NOTIFY should follow at once; some phones never send a
# usable one, so after this long the transfer counts as done and the customer's leg is let go.
CONSULT_GONE_WAIT_S = 2.0
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


@dataclass
class _Offer:
    """Our re-INVITE for hold (`held`) or resume, sent and not answered yet."""

    held: bool
    token: int
    overdue: bool = False


@dataclass
class _Transfer:
    """A REFER of ours: blind (`consult` "") or attended (replacing the `consult` call)."""

    consult: str
    token: int
    accepted: bool = False  # the far end took the REFER (2xx)


class PhoneEngine:
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
        self.ep: SipEndpoint | None = None
        self.calls: dict[str, SipCall] = {}
        self.snapshots: dict[str, ev.CallSnapshot] = {}
        self.conference_ids: set[str] = set()
        self.busy_until = 0.0
        self._hold_started: dict[str, float] = {}
        self._post_dial: dict[str, str] = {}
        self._gave_up: set[str] = set()  # outgoing calls we cancelled for no answer
        self._offers: dict[str, _Offer] = {}  # call -> our hold/resume re-INVITE under way
        self._unanswered: set[str] = set()  # calls where a re-INVITE of ours went unanswered
        self._hung_up_here: set[str] = set()  # calls the agent (or the engine) hung up
        self._transfers: dict[str, _Transfer] = {}  # call -> our REFER under way
        self._pending: list[ev.Event] = []
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._timer_seq = itertools.count()
        self._graveyard: list[Any] = []  # pjsua2 objects to free between polls
        self._transports: dict[str, int] = {}
        self._recent_dials: deque[float] = deque()
        self._sip_objects: weakref.WeakSet[Any] = weakref.WeakSet()
        self._log_writer: pj_log.PythonLogWriter | None = None
        self.audio = AudioRouting(config, self._emit)
        self.registrar = Registration(
            config,
            RegistrationHooks(
                emit=self._emit,
                later=self.later,
                run_until=lambda done, wait: self.run_until(done, wait, step_ms=5),
                incoming_call=self._on_incoming_call,
                track=self._sip_objects.add,
                discard=self._graveyard.append,
            ),
        )
        self.monitoring = Monitoring(
            self.audio,
            MonitoringHooks(
                emit=self._emit,
                later=self.later,
                route=self._route_audio,
                call_audio=_call_audio,
                live_call=self._live_call_by_uuid,
                dial=self._dial_uri,
                track=self._sip_objects.add,
                discard=self._graveyard.append,
                busy=self._mark_busy,
            ),
            clock,
        )

    # -- what the collaborators hold, as the engine's own (callers and tests read these) -----
    @property
    def accounts(self) -> dict[str, SipAccount]:
        return self.registrar.accounts

    @property
    def account_configs(self) -> dict[str, AccountConfig]:
        return self.registrar.account_configs

    @property
    def registration(self) -> dict[str, ev.RegistrationEvent]:
        return self.registrar.states

    @property
    def muted(self) -> bool:
        return self.audio.muted

    @property
    def audio_notice(self) -> str | None:
        return self.audio.notice

    # -- lifecycle -------------------------------------------------------------------------
    @guarded
    def start(self) -> None:
        pj_log.route_before_create(self.config.log_level)
        ep = SipEndpoint(self)
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = min(PJSUA_CALL_SLOTS, max(1, self.config.max_calls))
        cfg.uaConfig.userAgent = self.config.user_agent
        # Media (RTP in, jitter buffers, the bridge) keeps pjmedia's own worker thread: it never
        # calls into Python, and audio must not wait for the GUI thread to poll.
        cfg.medConfig.threadCnt = 1
        self._log_writer = pj_log.PythonLogWriter()
        pj_log.configure(cfg, self.config.log_level, self._log_writer)
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
        self.audio.open(ep)
        self.apply_codecs(self.config.codecs)
        for account in self.config.accounts:
            if account.enabled:
                self.registrar.add_account(account)

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

    @guarded
    def local_port(self, transport: str = "udp") -> int:
        assert self.ep is not None
        info = self.ep.transportGetInfo(self._transports[transport])
        return int(info.localName.rsplit(":", 1)[1])

    @guarded
    def shutdown(self) -> None:
        """Hang up, unregister and free everything; quick even with calls up (no network wait)."""
        ep = self.ep
        if ep is None:
            return
        with contextlib.suppress(pj.Error):
            ep.hangupAllCalls()
        self._offers.clear()
        self._transfers.clear()
        self.monitoring.shutdown()
        self.audio.shutdown()
        self.registrar.shutdown()
        self.calls.clear()
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
        self.registrar.poll()
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
        keep_none_alive()

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

    def _emit(self, event: ev.Event) -> None:
        self._pending.append(event)

    # -- accounts (Registration) -------------------------------------------------------------
    @guarded
    def add_account(self, config: AccountConfig) -> None:
        self.registrar.add_account(config)

    @guarded
    def remove_account(self, account_id: str) -> None:
        self.registrar.remove_account(account_id)

    @guarded
    def reregister(self, account_id: str | None = None) -> None:
        self.registrar.reregister(account_id)

    def default_account_id(self) -> str:
        return self.registrar.default_account_id()

    def is_registered(self, account_id: str | None = None) -> bool:
        return self.registrar.is_registered(account_id)

    # -- audio (AudioRouting) ----------------------------------------------------------------
    @guarded
    def apply_codecs(self, order: list[str]) -> list[str]:
        """Give the listed codecs falling priorities, disable the rest; returns what is used."""
        assert self.ep is not None
        wanted = [c.lower() for c in order]
        used: list[tuple[int, str]] = []
        for codec in self.ep.codecEnum2():
            name = codec.codecId
            rank = next((i for i, w in enumerate(wanted) if name.lower().startswith(w)), None)
            priority = 0 if rank is None else 250 - rank
            self.ep.codecSetPriority(name, priority)
            if rank is not None:
                used.append((rank, name))
        return [name for _, name in sorted(used)]

    @guarded
    def set_mute(self, muted: bool) -> None:
        """Mute the agent's microphone on every call (the customer is still heard)."""
        self.audio.muted = muted
        self._route_audio()

    @guarded
    def use_tone_as_microphone(self, freq: int | None) -> None:
        """Replace the microphone with a steady tone (line checks, tests); None restores it."""
        self.audio.use_tone_as_microphone(freq)
        self._route_audio()

    @guarded
    def audio_devices(self) -> list[media.AudioDevice]:
        """The devices the settings offer: the wheel's own, else PortAudio's."""
        return self.audio.audio_devices()

    @guarded
    def refresh_audio_devices(self, include_portaudio: bool = False) -> bool:
        """Re-scan devices (a headset plugged in or out); True when the list changed. Skipped
        while calls are up: the sound device is never pulled from under a call."""
        if self.ep is None or any(s.state != ev.ENDED for s in self.snapshots.values()):
            return False
        return self.audio.refresh_devices(include_portaudio)

    @guarded
    def start_recording(self, call_id: str) -> str:
        """Record both sides of a call to a new WAV file; returns its path."""
        self._call(call_id)
        existing = self.audio.recorders.get(call_id)
        if existing is not None:
            return str(existing.path)
        snap = self.snapshots[call_id]
        path = self.recording_path(snap)
        try:
            self.audio.add_recorder(call_id, path)
        except pj.Error as exc:
            raise PhoneError(tr("action_failed", reason=exc.info())) from exc
        snap.recording_path = str(path)
        self._route_audio()
        self._emit(ev.CallEvent("recording", self._copy(call_id), "started"))
        return str(path)

    @guarded
    def stop_recording(self, call_id: str) -> None:
        recorder = self.audio.remove_recorder(call_id)
        if recorder is None:
            return
        self._graveyard.append(recorder)  # destroyed after this poll; the file closes with it
        # The WAV header is final one bridge tick after the port goes: report it after that.
        snap = self._copy(call_id)
        self.later(0.1, lambda: self._emit(ev.CallEvent("recording", snap, "closed")))

    def recording_path(self, snap: ev.CallSnapshot) -> Path:
        folder = Path(self.config.recording.folder or self.data_dir / "recordings")
        stamp = datetime.fromtimestamp(snap.started_at)
        number = "".join(ch for ch in snap.remote_number if ch.isalnum())[:24] or "unknown"
        name = f"{stamp:%Y%m%d-%H%M%S}_{snap.direction}_{number}_{uuid.uuid4().hex[:8]}.wav"
        return folder / f"{stamp:%Y-%m}" / name

    @guarded
    def listen_to_call(self, call_id: str, sink: pj.AudioMedia) -> None:
        """Let `sink` (a meter, a player's recorder) hear the call, on whatever port pjsua
        gives the call now or after a re-INVITE."""
        self._call(call_id)
        self.audio.add_listener(call_id, sink)
        self._route_audio()

    @guarded
    def stop_listening(self, call_id: str, sink: pj.AudioMedia) -> None:
        call = self.calls.get(call_id)
        self.audio.remove_listener(call_id, sink, _call_audio(call) if call else None)

    @guarded
    def call_audio(self, call_id: str) -> pj.AudioMedia | None:
        """The call's port on the bridge now (it changes with re-INVITEs: to hear a call for
        its whole length use `listen_to_call`)."""
        return _call_audio(self._call(call_id))

    @guarded
    def codec(self, call_id: str) -> str:
        """The audio codec the call settled on, e.g. "G722/16000" ("" before media is up)."""
        call = self._call(call_id)
        try:
            info = call.getStreamInfo(0)
        except pj.Error:
            return ""
        return f"{info.codecName}/{info.codecClockRate}"

    # -- calls -----------------------------------------------------------------------------
    @guarded
    def dial(
        self, text: str, account_id: str | None = None, headers: dict[str, str] | None = None
    ) -> str:
        """Start an outgoing call to what the agent typed; returns the call's id."""
        account = self.registrar.account(account_id)
        key = account.account_id
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

    @guarded
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

    @guarded
    def reject(self, call_id: str, busy: bool = False) -> None:
        """Refuse a ringing call: 486 Busy Here when `busy`, else 603 Decline."""
        call = self._call(call_id)
        prm = pj.CallOpParam(True)
        prm.statusCode = 486 if busy else 603
        self._act(lambda: call.hangup(prm))

    @guarded
    def hangup(self, call_id: str) -> None:
        call = self._call(call_id)
        prm = pj.CallOpParam(True)
        if self.snapshots[call_id].state == ev.RINGING_IN:
            prm.statusCode = 603
        self._act(lambda: call.hangup(prm))
        self._hung_up_here.add(call_id)

    @guarded
    def hangup_all(self) -> None:
        for call_id in list(self.calls):
            if self.snapshots[call_id].state != ev.ENDED:
                self.hangup(call_id)

    @guarded
    def hold(self, call_id: str) -> None:
        self._call(call_id)
        snap = self.snapshots[call_id]
        if snap.local_hold or snap.state != ev.ACTIVE:
            return
        snap.local_hold = True
        snap.state = ev.HELD
        self._hold_started[call_id] = self.clock()
        try:
            self._want_hold(call_id, held=True)
        except PhoneError:
            self._hold_started.pop(call_id, None)
            snap.local_hold = False
            snap.state = ev.ACTIVE
            raise
        self._route_audio()
        self._emit(ev.CallEvent("hold", self._copy(call_id)))

    @guarded
    def resume(self, call_id: str) -> None:
        self._call(call_id)
        snap = self.snapshots[call_id]
        if not snap.local_hold:
            return
        held_since = self._hold_started.get(call_id)
        self._end_hold(call_id)
        snap.state = ev.ACTIVE
        try:
            self._want_hold(call_id, held=False)
        except PhoneError:
            snap.local_hold = True
            snap.state = ev.HELD
            if held_since is not None:  # the hold goes on, and is counted from its start
                snap.hold_seconds -= self.clock() - held_since
                self._hold_started[call_id] = held_since
            raise
        self._route_audio()
        self._emit(ev.CallEvent("hold", self._copy(call_id)))

    def _want_hold(self, call_id: str, held: bool) -> None:
        """The audio follows the button at once; the re-INVITE goes now, or, while one of ours
        is still unanswered, once that one is over (only the last wish is sent)."""
        if call_id in self._offers:
            self._action(call_id, "hold" if held else "resume", "pending")
            return
        self._send_hold(call_id, held, 0)

    def _send_hold(self, call_id: str, held: bool, attempt: int) -> None:
        """The re-INVITE for hold or resume. pjsua refuses a new offer while the far end's is
        under way (PJ_EINVALIDOP): then it is tried again a few times, and reported as failed
        if it still cannot go."""
        call = self._call(call_id)
        name = "hold" if held else "resume"
        prm = pj.CallOpParam(True)
        if not held:
            prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        try:
            self.busy_until = time.monotonic() + FAST_POLL_S
            call.setHold(prm) if held else call.reinvite(prm)
        except pj.Error as exc:
            reason = exc.reason or exc.info()
            if exc.status != PJ_EINVALIDOP:
                if attempt == 0:
                    raise PhoneError(tr("action_failed", reason=reason)) from exc
                self._action_failed(call_id, name, reason)
                return
            if attempt >= len(REOFFER_WAITS_S):
                self._action_failed(call_id, name, reason)
                return
            if attempt == 0:
                self._action(call_id, name, "pending")
            wait = REOFFER_WAITS_S[attempt]
            self.later(wait, partial(self._retry_hold, call_id, held, attempt + 1))
            return
        token = next(self._timer_seq)
        self._offers[call_id] = _Offer(held, token)
        self._action(call_id, name, "pending")
        self.later(OFFER_ANSWER_WAIT_S, partial(self._offer_overdue, call_id, token))

    def _retry_hold(self, call_id: str, held: bool, attempt: int) -> None:
        snap = self.snapshots.get(call_id)
        if snap is None or snap.state == ev.ENDED:
            return
        if snap.local_hold != held or call_id in self._offers:
            return  # the agent changed their mind meanwhile: that wish has gone its own way
        self._send_hold(call_id, held, attempt)

    def _offer_overdue(self, call_id: str, token: int) -> None:
        offer = self._offers.get(call_id)
        if offer is None or offer.token != token:
            return
        offer.overdue = True  # still pjsua's until its transaction ends: nothing new is sent
        self._unanswered.add(call_id)
        self._action_failed(call_id, "hold" if offer.held else "resume", tr("no_response"))

    def _offer_answered(self, call_id: str, code: int) -> None:
        offer = self._offers.pop(call_id, None)
        snap = self.snapshots.get(call_id)
        if offer is None or snap is None or snap.state == ev.ENDED:
            return
        name = "hold" if offer.held else "resume"
        if code in (0, 408):
            self._unanswered.add(call_id)  # pjsip ends the call for it; the end text says why
        if 200 <= code < 300:
            self._action(call_id, name, "done")  # late or not, it went through
        elif not offer.overdue:
            self._action_failed(call_id, name, f"{code}")
        if snap.local_hold != offer.held:  # the agent pressed the other button meanwhile
            self.later(0, partial(self._send_latest_wish, call_id))

    def _send_latest_wish(self, call_id: str) -> None:
        snap = self.snapshots.get(call_id)
        if snap is not None and snap.state != ev.ENDED and call_id not in self._offers:
            self._send_hold(call_id, snap.local_hold, 1)

    def _action(self, call_id: str, name: str, step: str) -> None:
        snap = self.snapshots[call_id]
        snap.pending = name if step == "pending" else ""
        if step == "pending":
            snap.notice = ""
        self._emit(ev.CallEvent("action", self._copy(call_id), f"{name}_{step}"))

    def _action_failed(self, call_id: str, name: str, reason: str) -> None:
        snap = self.snapshots.get(call_id)
        if snap is None:
            return
        log.info("%s of call %s failed: %s", name, call_id[:8], reason)
        snap.notice = tr(f"{name}_failed", reason=reason)
        if name == "transfer":
            snap.transfer_result = "failed"
        self._action(call_id, name, "failed")

    @guarded
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

    @guarded
    def blind_transfer(self, call_id: str, target: str) -> None:
        """REFER the far end to `target`; our leg ends when the target answers."""
        call = self._call(call_id)
        account_id = self.snapshots[call_id].account_id
        uri = dial_target(target).sip_uri(self.account_configs[account_id].domain)
        self._act(lambda: call.xfer(uri, pj.CallOpParam(True)))
        self._transfer_started(call_id, "")

    @guarded
    def attended_transfer(self, call_id: str, consult_id: str) -> None:
        """Join the customer (`call_id`) to the party we consulted (`consult_id`) and leave."""
        call = self._call(call_id)
        consult = self._call(consult_id)
        self._act(lambda: call.xferReplaces(consult, pj.CallOpParam(True)))
        self._transfer_started(call_id, consult_id)

    def _transfer_started(self, call_id: str, consult_id: str) -> None:
        token = next(self._timer_seq)
        self._transfers[call_id] = _Transfer(consult_id, token)
        self.snapshots[call_id].transfer_result = ""
        self._action(call_id, "transfer", "pending")
        self.later(TRANSFER_WAIT_S, partial(self._transfer_overdue, call_id, token))

    def _transfer_overdue(self, call_id: str, token: int) -> None:
        transfer = self._transfers.get(call_id)
        if transfer is not None and transfer.token == token:
            self._transfer_over(call_id, False, tr("no_response"))

    def _transfer_over(self, call_id: str, succeeded: bool, reason: str = "") -> None:
        """The transfer's outcome, once: the customer's leg is let go when it succeeded, and
        stays (on hold, for an attended one) when it failed."""
        if self._transfers.pop(call_id, None) is None or call_id not in self.snapshots:
            return
        if succeeded:
            self.snapshots[call_id].transfer_result = "succeeded"
            self._action(call_id, "transfer", "succeeded")
            self.later(0, lambda: self._hangup_quietly(call_id))
        else:
            self._action_failed(call_id, "transfer", reason)

    def _consult_gone(self, call_id: str, token: int) -> None:
        transfer = self._transfers.get(call_id)
        if transfer is not None and transfer.token == token:
            log.info("transfer of %s: no final NOTIFY; the target has the call", call_id[:8])
            self._transfer_over(call_id, True)

    @guarded
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

    @guarded
    def split_conference(self) -> None:
        for call_id in self.conference_ids:
            if call_id in self.snapshots:
                self.snapshots[call_id].conference = False
        self.conference_ids = set()
        self._route_audio()

    # -- supervision (Monitoring; docs/supervision.md) ----------------------------------------
    @guarded
    def set_monitor_trust(self, public_key: str | None, agent: str) -> None:
        """The server's grant key (PEM or raw base64url) and this seat's username; the desktop
        sets them at login. Without a key every monitor request is refused."""
        self.monitoring.set_trust(public_key, agent)

    @guarded
    def monitor(self, agent_uri: str, grant_header: str, account_id: str | None = None) -> str:
        """Supervisor: call an agent's seat with a grant; returns the monitor call's id."""
        return self.monitoring.monitor(agent_uri, grant_header, account_id)

    @guarded
    def switch_monitor_mode(
        self, grant_header: str, monitor_call_id: str | None = None, *, reinvite: bool = False
    ) -> None:
        """Supervisor: switch mode with a new grant (in-dialog MESSAGE, or a re-INVITE)."""
        self.monitoring.switch_mode(grant_header, monitor_call_id, reinvite=reinvite)

    @guarded
    def stop_monitor(self, monitor_call_id: str | None = None) -> None:
        self.monitoring.stop(monitor_call_id)

    @guarded
    def add_speaker_tap(self, sink: pj.AudioMedia) -> None:
        """Let `sink` hear what the speaker plays (tests, benchmarks, line checks)."""
        self.audio.speaker_taps.append(sink)
        self._route_audio()

    @guarded
    def remove_speaker_tap(self, sink: pj.AudioMedia) -> None:
        if sink in self.audio.speaker_taps:
            self.audio.speaker_taps.remove(sink)
        for call in list(self.calls.values()) + [s.call for s in self.monitoring.live()]:
            audio = _call_audio(call)
            if audio is not None:
                media.transmit(audio, sink, False)

    def _live_call_by_uuid(self, call_uuid: str) -> str | None:
        """The engine id of the answered, not ended call the server knows as `call_uuid`."""
        for key, snap in self.snapshots.items():
            if snap.state in (ev.ACTIVE, ev.HELD) and mg.call_uuid(key) == call_uuid:
                return key
        return None

    def _dial_uri(self, text: str, account_id: str | None) -> tuple[SipAccount, str]:
        account = self.registrar.account(account_id)
        return account, dial_target(text).sip_uri(self.account_configs[account.account_id].domain)

    def _mark_busy(self) -> None:
        self.busy_until = time.monotonic() + FAST_POLL_S

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
        self.audio.forget(call_id)
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

    def _start_ringer(self, waiting: bool) -> None:
        self.audio.start_ringer(waiting)

    def _stop_ringer(self, answering: str = "", force: bool = False) -> None:
        """Silence the ringer, unless a call other than `answering` still rings."""
        others = (s for k, s in self.snapshots.items() if k != answering)
        if not force and any(s.state == ev.RINGING_IN for s in others):
            return
        self.audio.stop_ringer()

    def _route_audio(self) -> None:
        """Re-apply who hears whom; called after every media, hold, mute or conference change."""
        if self.ep is None:
            return
        legs = []
        for key, call in self.calls.items():
            snap = self.snapshots[key]
            audio = _call_audio(call) if snap.state != ev.ENDED else None
            if audio is not None:
                legs.append(Leg(key, audio, not snap.local_hold, key in self.conference_ids))
        self.audio.route(legs)
        self.monitoring.route(legs)

    # -- callbacks (inside libHandleEvents) --------------------------------------------------
    def on_transport_state(self, connected: bool, transport_type: str, status: int) -> None:
        if not connected:
            log.info("%s connection lost (status %s)", transport_type, status)
            self.registrar.transport_lost(transport_type)

    def _on_incoming_call(self, account: SipAccount, pj_call_id: int, message: str) -> None:
        if self.monitoring.offer(account, pj_call_id, message):
            return  # a supervisor's monitor request: never rings, never a call of the agent's
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

    def on_call_state(self, call: SipCall) -> None:
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
        self._offers.pop(key, None)
        transfer = self._transfers.pop(key, None)
        if transfer is not None:
            # The customer's leg ended with its transfer under way: it went through if the far
            # end took the REFER (it leaves once it is connected to the target).
            snap.transfer_result = "succeeded" if transfer.accepted else "failed"
        snap.pending = ""
        snap.ended_at = self.clock()
        snap.state = ev.ENDED
        snap.end_reason, snap.end_text = self._end_reason(snap, code)
        dropped = key in self._unanswered and key not in self._hung_up_here
        if snap.answered_at is not None and dropped:
            snap.end_text = tr("dropped_no_response")  # pjsip gave up on our re-INVITE
        elif snap.transfer_result == "succeeded":
            snap.end_text = tr("transfer_done")
        self.conference_ids.discard(key)
        snap.conference = False
        if key in self.audio.recorders:
            self.stop_recording(key)
        self._stop_ringer()
        self._emit(ev.CallEvent("ended", self._copy(key)))
        self.monitoring.call_ended(key)
        # pjsua2 needs the Call object until the DISCONNECTED callback returns; drop it after.
        self.later(0, lambda: self._forget_ended(key))
        self._route_audio()
        for customer, pending in self._transfers.items():
            if pending.consult == key:  # the consultation leg went: the target has the call
                self.later(
                    CONSULT_GONE_WAIT_S, partial(self._consult_gone, customer, pending.token)
                )

    def _forget_ended(self, key: str) -> None:
        self._gave_up.discard(key)
        self._unanswered.discard(key)
        self._hung_up_here.discard(key)
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

    def on_call_media_state(self, call: SipCall) -> None:
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

    def on_call_tsx_state(self, call: SipCall, method: str, code: int, done: bool) -> None:
        if done and method == "INVITE" and call.key in self._offers:
            self._offer_answered(call.key, code)

    def on_dtmf(self, call: SipCall, digit: str) -> None:
        if call.key in self.snapshots:
            self._emit(ev.DtmfEvent(call.key, digit))

    def on_transfer_request(self, call: SipCall, target: str) -> SipCall:
        new_call = SipCall(self, call.account)
        snap = self.snapshots[call.key]
        display, uri = parse_name_addr(target)
        new_key = self._register_call(
            new_call, snap.account_id, ev.OUTBOUND, uri, user_part(uri), display
        )
        self._emit(ev.CallEvent("transfer", self._copy(new_key), "transferred_by_remote"))
        return new_call

    def on_transfer_status(self, call: SipCall, code: int, reason: str, final: bool) -> None:
        key = call.key
        if key not in self.snapshots:
            return
        self._emit(ev.CallEvent("transfer", self._copy(key), f"{code} {reason}"))
        transfer = self._transfers.get(key)
        if transfer is None:
            if final and 200 <= code < 300:
                self.later(0, lambda: self._hangup_quietly(key))
            return
        if 200 <= code < 300 and final:
            self._transfer_over(key, True)
        elif code >= 300:
            self._transfer_over(key, False, f"{code} {reason}".strip())
        else:
            transfer.accepted = True  # the REFER was taken (202), the target is being called

    def _hangup_quietly(self, key: str) -> None:
        snap = self.snapshots.get(key)
        if snap and snap.state != ev.ENDED:
            with contextlib.suppress(PhoneError):
                self.hangup(key)

    def on_call_replaced(self, call: SipCall, new_pj_call_id: int) -> SipCall:
        new_call = SipCall(self, call.account, new_pj_call_id)
        snap = self.snapshots[call.key]
        info = new_call.getInfo()
        display, uri = parse_name_addr(info.remoteUri)
        new_key = self._register_call(
            new_call, snap.account_id, snap.direction, uri, user_part(uri), display
        )
        self._emit(ev.CallEvent("transfer", self._copy(new_key), "replaced"))
        return new_call


def _call_audio(call: SipCall) -> pj.AudioMedia | None:
    """The call's audio port on the bridge now, or None while it has no active audio."""
    try:
        info = call.getInfo()
    except pj.Error:
        return None
    for mi in info.media:
        if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status in (
            pj.PJSUA_CALL_MEDIA_ACTIVE,
            pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
            pj.PJSUA_CALL_MEDIA_LOCAL_HOLD,
        ):
            try:
                return call.getAudioMedia(mi.index)
            except pj.Error:
                return None
    return None


def _public_ca_file() -> str:
    try:
        import certifi
    except ImportError:
        return ""
    return str(certifi.where())
