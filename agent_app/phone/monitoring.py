"""Supervision in the softphone: listen, whisper and barge over a client-side bridge.

One `Monitoring`, owned by the engine (engine.py) like `Registration` and `AudioRouting`, plays
both sides (docs/supervision.md is the contract; common/monitor_grants.py the grant):

* the AGENT's seat: an INVITE with `X-SeatDesk-Monitor` / `X-SeatDesk-Grant` is never a call
  for the agent. Its grant is verified against the server's public key, this agent and the
  live call it names (and not used before). Valid: answered 200 at once, silently (no ringer,
  no call event, no call record); its port is routed with one-way bridge connections for the
  grant's mode (AudioRouting.route_monitor). Invalid: 403, audited, never connected.
  An in-dialog MESSAGE with a new grant switches mode (pjsip answers it 200 itself, so the
  verdict goes back as a MESSAGE of our own); so does a re-INVITE whose header carries one
  (pjsua answers the re-INVITE for its media whatever the verdict, which again goes back as
  our MESSAGE). The monitor call is hung up when the monitored
  call ends.
* the SUPERVISOR's seat: `monitor()` places the call with the grant, `switch_mode()` sends the
  MESSAGE (or the re-INVITE), `stop()` hangs up. The supervisor's microphone reaches the call only in whisper and
  barge.

Every route is re-applied from the engine's `_route_audio` (after any media change of any call:
hold, resume, re-INVITE, codec lock) and after the monitor call's own media changes, because
pjsua gives a call a new bridge port when its media is re-negotiated.

Monitor calls live here, not among the engine's calls: they never count as the agent's calls.
Like every pjsua2 Call they are kept until DISCONNECTED, then freed between polls.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

import pjsua2 as pj
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from agent_app.phone import events as ev
from agent_app.phone.audio_routing import AudioRouting, Leg
from agent_app.phone.messages import PhoneError, tr
from agent_app.phone.sip_headers import headers_of, parse_name_addr
from agent_app.phone.sip_objects import SipAccount
from common import monitor_grants as mg

log = logging.getLogger(__name__)

MONITOR_HEADER = "X-SeatDesk-Monitor"  # marks an INVITE as a monitor request; value: the mode
# The agent's verdict on a mode switch, sent back in the dialog: "ok <mode>" or
# "refused <reason>" (the MESSAGE itself is always answered 200 by pjsip).
STATUS_CONTENT_TYPE = "application/x-seatdesk-monitor-status"
_HEADERS = (MONITOR_HEADER.lower(), mg.HEADER.lower())
AGENT = "agent"
SUPERVISOR = "supervisor"


class MonitorHandler(Protocol):
    def on_monitor_state(self, call: MonitorCall) -> None: ...
    def on_monitor_media(self, call: MonitorCall) -> None: ...
    def on_monitor_message(self, call: MonitorCall, content_type: str, body: str) -> None: ...
    def on_monitor_reinvite(self, call: MonitorCall, message: str) -> None: ...


class MonitorCall(pj.Call):
    """A monitor call (either side). Transfers are refused: a monitor call goes nowhere else."""

    def __init__(self, handler: MonitorHandler, account: SipAccount, call_id: int = -1) -> None:
        if call_id == -1:
            super().__init__(account)
        else:
            super().__init__(account, call_id)
        self.handler = handler
        self.account = account
        self.key = ""

    def onCallState(self, prm: pj.OnCallStateParam) -> None:  # noqa: N802 (pjsua2 names)
        self.handler.on_monitor_state(self)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:  # noqa: N802
        self.handler.on_monitor_media(self)

    def onInstantMessage(self, prm: pj.OnInstantMessageParam) -> None:  # noqa: N802
        self.handler.on_monitor_message(self, prm.contentType, prm.msgBody)

    def onCallTransferRequest(self, prm: pj.OnCallTransferRequestParam) -> None:  # noqa: N802
        prm.statusCode = 603

    def onCallTsxState(self, prm: pj.OnCallTsxStateParam) -> None:  # noqa: N802
        # A re-INVITE from the far end, as it arrives: its headers may carry a new grant
        # (pjsua2 hands the re-offer callback the SDP only).
        if prm.e.type != pj.PJSIP_EVENT_TSX_STATE:
            return
        state = prm.e.body.tsxState
        tsx = state.tsx
        if (
            tsx.role == pj.PJSIP_ROLE_UAS
            and tsx.method == "INVITE"
            and tsx.state == pj.PJSIP_TSX_STATE_TRYING
            and state.type == pj.PJSIP_EVENT_RX_MSG
        ):
            self.handler.on_monitor_reinvite(self, state.src.rdata.wholeMsg)


@dataclass
class MonitoringHooks:
    """What Monitoring needs from the engine."""

    emit: Callable[[ev.Event], None]
    later: Callable[[float, Callable[[], None]], None]
    route: Callable[[], None]  # re-apply all routing (the engine's _route_audio)
    call_audio: Callable[[pj.Call], pj.AudioMedia | None]
    live_call: Callable[[str], str | None]  # call uuid -> engine id of that live call
    dial: Callable[[str, str | None], tuple[SipAccount, str]]  # text -> account, SIP URI
    track: Callable[[Any], None]  # pjsua2 objects to disown at shutdown
    discard: Callable[[Any], None]  # pjsua2 objects to free after this poll
    busy: Callable[[], None]  # SIP traffic follows: poll quickly


@dataclass
class _Session:
    key: str
    call: MonitorCall
    side: str
    remote_uri: str
    mode: str = ""
    grant: mg.Grant | None = None
    target: str = ""  # agent's side: the engine id of the monitored call
    refused: bool = False
    started_at: float | None = None
    ended: bool = False
    end_reason: str = ""
    confirmed_mode: str = ""  # supervisor's side: the last mode the agent's seat took


class Monitoring:
    def __init__(
        self, audio: AudioRouting, hooks: MonitoringHooks, clock: Callable[[], float] = time.time
    ) -> None:
        self.audio = audio
        self.hooks = hooks
        self.clock = clock
        self.public_key: Ed25519PublicKey | None = None
        self.agent = ""
        self.seen = mg.SeenGrants()
        self.sessions: dict[str, _Session] = {}

    # -- configuration ---------------------------------------------------------------------
    def set_trust(self, public_key: str | Ed25519PublicKey | None, agent: str) -> None:
        """The server's public key (PEM or raw base64url) and this seat's username. Without a
        key every monitor request is refused ("no_trust")."""
        if isinstance(public_key, str):
            public_key = mg.public_key_from_text(public_key)
        self.public_key = public_key
        self.agent = agent

    def live(self) -> list[_Session]:
        return [s for s in self.sessions.values() if not s.refused and not s.ended]

    def session(self, monitor_call_id: str | None = None, side: str | None = None) -> _Session:
        if monitor_call_id is not None:
            found = self.sessions.get(monitor_call_id)
            if found is None or found.ended or found.refused:
                raise PhoneError(tr("no_call"))
            return found
        candidates = [s for s in self.live() if side is None or s.side == side]
        if not candidates:
            raise PhoneError(tr("no_call"))
        return candidates[-1]

    # -- agent's side ----------------------------------------------------------------------
    def offer(self, account: SipAccount, pj_call_id: int, message: str) -> bool:
        """An incoming INVITE: True when it is a monitor request (handled here, whatever the
        verdict), False for an ordinary call."""
        headers = headers_of(message, _HEADERS)
        if not headers:
            return False
        call = MonitorCall(self, account, pj_call_id)
        key = uuid.uuid4().hex
        call.key = key
        self.hooks.track(call)
        _, remote = parse_name_addr(call.getInfo().remoteUri)
        session = _Session(key, call, AGENT, remote)
        self.sessions[key] = session
        value = headers.get(mg.HEADER.lower(), "")
        prm = pj.CallOpParam(True)
        try:
            grant, target = self._verify(value, None, None)
        except mg.GrantError as exc:
            session.refused = True
            self._emit("refused", session, exc.grant or _claims(value), reason=exc.reason)
            log.warning("monitor request from %s refused: %s", remote, exc)
            prm.statusCode = 403
            call.hangup(prm)
            return True
        session.grant, session.mode, session.target = grant, grant.mode, target
        session.confirmed_mode = grant.mode
        session.started_at = self.clock()
        prm.statusCode = 200
        call.answer(prm)
        self.hooks.busy()
        self._emit("started", session, grant)
        return True

    def _verify(
        self, value: str, supervisor: str | None, call_uuid: str | None
    ) -> tuple[mg.Grant, str]:
        """The grant and the engine id of the live call it names, or GrantError."""
        if self.public_key is None:
            raise mg.GrantError("no_trust", grant=_claims(value))
        claimed = call_uuid
        if claimed is None:
            with contextlib.suppress(mg.GrantError):
                claimed = mg.read_grant(value).call_id
        target = self.hooks.live_call(claimed) if claimed else None
        grant = mg.verify_grant(
            self.public_key,
            value,
            agent=self.agent,
            call_id=claimed if target else None,
            now=self.clock(),
            seen_ids=self.seen,
            supervisor=supervisor,
        )
        assert target is not None
        return grant, target

    def _switch_at_agent(self, session: _Session, content_type: str, body: str) -> None:
        if content_type.split(";")[0].strip().lower() != mg.MESSAGE_CONTENT_TYPE:
            return
        self._switch_to(session, body)

    def _switch_to(self, session: _Session, body: str) -> None:
        assert session.grant is not None
        try:
            grant, _ = self._verify(body, session.grant.supervisor, session.grant.call_id)
        except mg.GrantError as exc:
            self._emit("switch_refused", session, exc.grant or _claims(body), reason=exc.reason)
            self._send(session, STATUS_CONTENT_TYPE, f"refused {exc.reason}")
            return
        session.grant, session.mode = grant, grant.mode
        self.hooks.route()
        self._emit("mode", session, grant)
        self._send(session, STATUS_CONTENT_TYPE, f"ok {grant.mode}")

    def call_ended(self, engine_call_id: str) -> None:
        """A call of the engine ended: its monitor calls end too."""
        for session in self.live():
            if session.side == AGENT and session.target == engine_call_id:
                session.end_reason = "call_ended"
                self.hooks.later(0, partial(self._hangup, session))

    # -- supervisor's side -----------------------------------------------------------------
    def monitor(self, agent_uri: str, grant_header: str, account_id: str | None = None) -> str:
        """Call the agent's seat with the grant; returns the monitor call's id."""
        try:
            claims = mg.read_grant(grant_header)
        except mg.GrantError as exc:
            raise PhoneError(tr("action_failed", reason=str(exc))) from exc
        account, uri = self.hooks.dial(agent_uri, account_id)
        call = MonitorCall(self, account)
        key = uuid.uuid4().hex
        call.key = key
        self.hooks.track(call)
        session = _Session(key, call, SUPERVISOR, uri, mode=claims.mode, grant=claims)
        prm = pj.CallOpParam(True)
        for name, value in ((MONITOR_HEADER, claims.mode), (mg.HEADER, grant_header.strip())):
            header = pj.SipHeader()
            header.hName, header.hValue = name, value
            prm.txOption.headers.append(header)
        self.sessions[key] = session
        self.hooks.busy()
        try:
            call.makeCall(uri, prm)
        except pj.Error as exc:
            self.sessions.pop(key, None)
            self.hooks.discard(call)
            raise PhoneError(tr("call_failed", reason=exc.reason or exc.info())) from exc
        return key

    def switch_mode(
        self, grant_header: str, monitor_call_id: str | None = None, *, reinvite: bool = False
    ) -> None:
        """Ask the agent's seat to switch to the new grant's mode: an in-dialog MESSAGE, or
        (`reinvite`) a re-INVITE carrying the grant in its header. Our own microphone follows
        at once; the seat's verdict comes back as a MonitorEvent."""
        session = self.session(monitor_call_id, SUPERVISOR)
        try:
            claims = mg.read_grant(grant_header)
        except mg.GrantError as exc:
            raise PhoneError(tr("action_failed", reason=str(exc))) from exc
        session.mode, session.grant = claims.mode, claims
        self.hooks.route()
        if not reinvite:
            self._send(session, mg.MESSAGE_CONTENT_TYPE, grant_header.strip(), raise_errors=True)
            return
        prm = pj.CallOpParam(True)
        header = pj.SipHeader()
        header.hName, header.hValue = mg.HEADER, grant_header.strip()
        prm.txOption.headers.append(header)
        self.hooks.busy()
        try:
            session.call.reinvite(prm)
        except pj.Error as exc:
            raise PhoneError(tr("action_failed", reason=exc.reason or exc.info())) from exc

    def stop(self, monitor_call_id: str | None = None) -> None:
        session = self.session(monitor_call_id, SUPERVISOR)
        session.end_reason = "stopped"
        self._hangup(session)

    def _status_at_supervisor(self, session: _Session, content_type: str, body: str) -> None:
        if content_type.split(";")[0].strip().lower() != STATUS_CONTENT_TYPE:
            return
        verdict, _, detail = body.strip().partition(" ")
        if verdict == "ok":
            session.confirmed_mode = detail
            self._emit("mode", session, session.grant, mode=detail)
        else:
            # The seat kept the old mode: so does our microphone.
            session.mode = session.confirmed_mode
            self.hooks.route()
            self._emit("switch_refused", session, session.grant, reason=detail)

    # -- both sides ------------------------------------------------------------------------
    def route(self, legs: list[Leg]) -> None:
        """Connect every live monitor call for its mode (after AudioRouting.route(legs))."""
        by_key = {leg.key: leg for leg in legs}
        for session in self.live():
            audio = self.hooks.call_audio(session.call)
            if audio is None:
                continue
            if session.side == SUPERVISOR:
                self.audio.route_monitor(audio, session.mode, None, side=SUPERVISOR)
                continue
            target = by_key.get(session.target)
            others = []
            if target is not None and target.conference:
                others = [leg for leg in legs if leg.conference and leg.key != target.key]
            self.audio.route_monitor(audio, session.mode, target, side=AGENT, others=others)

    def shutdown(self) -> None:
        for session in self.live():
            session.ended = True
            self._emit("ended", session, session.grant, reason="shutdown")
        self.sessions.clear()

    # -- callbacks (inside libHandleEvents) ------------------------------------------------
    def on_monitor_state(self, call: MonitorCall) -> None:
        session = self.sessions.get(call.key)
        if session is None:
            return
        try:
            info = call.getInfo()
        except pj.Error:
            return
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED and session.side == SUPERVISOR:
            if session.started_at is None:
                session.started_at = self.clock()
                session.confirmed_mode = session.mode
                self._emit("started", session, session.grant)
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self._on_disconnected(session, info.lastStatusCode)

    def _on_disconnected(self, session: _Session, code: int) -> None:
        if session.ended:
            return
        session.ended = True
        if not session.refused:
            if session.started_at is None:
                self._emit("failed", session, session.grant, reason=str(code))
            else:
                self._emit(
                    "ended",
                    session,
                    session.grant,
                    reason=session.end_reason or "stopped",
                    duration_s=round(self.clock() - session.started_at, 3),
                )
        # pjsua2 needs the Call until this callback returns; let go of it after.
        self.hooks.later(0, lambda: self._forget(session.key))
        self.hooks.route()

    def _forget(self, key: str) -> None:
        session = self.sessions.pop(key, None)
        if session is not None:
            self.hooks.discard(session.call)

    def on_monitor_media(self, call: MonitorCall) -> None:
        if call.key in self.sessions:
            self.hooks.route()

    def on_monitor_message(self, call: MonitorCall, content_type: str, body: str) -> None:
        session = self.sessions.get(call.key)
        if session is None or session.ended or session.refused:
            return
        # Acting on pjsua (routing, our own MESSAGE) waits until this callback has returned.
        if session.side == AGENT:
            self.hooks.later(0, lambda: self._switch_at_agent(session, content_type, body))
        else:
            self.hooks.later(0, lambda: self._status_at_supervisor(session, content_type, body))

    def on_monitor_reinvite(self, call: MonitorCall, message: str) -> None:
        session = self.sessions.get(call.key)
        if session is None or session.ended or session.refused or session.side != AGENT:
            return
        value = headers_of(message, (mg.HEADER.lower(),)).get(mg.HEADER.lower())
        if value:  # a re-INVITE without a grant only re-negotiates media
            self.hooks.later(0, lambda: self._switch_to(session, value))

    # -- helpers ---------------------------------------------------------------------------
    def _send(
        self, session: _Session, content_type: str, body: str, raise_errors: bool = False
    ) -> None:
        prm = pj.SendInstantMessageParam()
        prm.contentType = content_type
        prm.content = body
        self.hooks.busy()
        try:
            session.call.sendInstantMessage(prm)
        except pj.Error as exc:
            log.warning("monitor MESSAGE not sent: %s", exc.info())
            if raise_errors:
                raise PhoneError(tr("action_failed", reason=exc.reason or exc.info())) from exc

    def _hangup(self, session: _Session) -> None:
        if session.ended:
            return
        self.hooks.busy()
        with contextlib.suppress(pj.Error):
            session.call.hangup(pj.CallOpParam(True))

    def _emit(
        self,
        kind: str,
        session: _Session,
        grant: mg.Grant | None,
        *,
        reason: str = "",
        mode: str | None = None,
        duration_s: float | None = None,
    ) -> None:
        self.hooks.emit(
            ev.MonitorEvent(
                kind=kind,
                side=session.side,
                monitor_call_id="" if session.refused else session.key,
                mode=mode if mode is not None else (grant.mode if grant else session.mode),
                reason=reason,
                grant_id=grant.grant_id if grant else "",
                supervisor=grant.supervisor if grant else "",
                agent=grant.agent if grant else "",
                call_uuid=grant.call_id if grant else "",
                remote_uri=session.remote_uri,
                at=self.clock(),
                duration_s=duration_s,
            )
        )


def _claims(value: str) -> mg.Grant | None:
    """What a grant claims, unverified, for the audit of a refusal (None: unreadable)."""
    try:
        return mg.read_grant(value)
    except mg.GrantError:
        return None
