"""A pjsua2 phone in its own process ("customer", "transfer target", ...), driven by JSON lines.

pjsua2 allows one Endpoint per process, so every far-end phone of a test is one of these.
tests/rig/peer_client.py starts and drives it; run by hand for a look:

    python tests/rig/peer.py --log /tmp/peer.log
    {"id": 1, "cmd": "register", "user": "customer2001", "password": "...", "registrar": "sip:127.0.0.1:5070"}

Protocol: one JSON object per line on stdin, each {"id": N, "cmd": NAME, ...args}; every
command gets exactly one {"type": "reply", "id": N, "ok": true, "result": ...} (or "ok": false
with "error"). Things that happen arrive as {"type": EVENT, ...} lines, e.g. reg_state,
incoming_call, call_state, media_state, dtmf_received, transfer_request, transfer_status,
message_received, error. The first line is {"type": "ready", "udp_port": ..., "tcp_port": ...}.

pjsua2 runs with threadCnt=0 and mainThreadOnly=True: everything pjsua2 happens on the main
thread, which polls libHandleEvents(10). A reader thread only turns stdin lines into a queue.
Audio: the null sound device; a tone generator / WAV player feeds every call, and the recorder
gets what the phone hears (all calls mixed).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, TextIO

import pjsua2 as pj

from tests.rig import rtp_block

HOST = "127.0.0.1"

CALL_STATES = {
    pj.PJSIP_INV_STATE_NULL: "NULL",
    pj.PJSIP_INV_STATE_CALLING: "CALLING",
    pj.PJSIP_INV_STATE_INCOMING: "INCOMING",
    pj.PJSIP_INV_STATE_EARLY: "EARLY",
    pj.PJSIP_INV_STATE_CONNECTING: "CONNECTING",
    pj.PJSIP_INV_STATE_CONFIRMED: "CONFIRMED",
    pj.PJSIP_INV_STATE_DISCONNECTED: "DISCONNECTED",
}
MEDIA_STATUS = {
    pj.PJSUA_CALL_MEDIA_NONE: "NONE",
    pj.PJSUA_CALL_MEDIA_ACTIVE: "ACTIVE",
    pj.PJSUA_CALL_MEDIA_LOCAL_HOLD: "LOCAL_HOLD",
    pj.PJSUA_CALL_MEDIA_REMOTE_HOLD: "REMOTE_HOLD",
    pj.PJSUA_CALL_MEDIA_ERROR: "ERROR",
}
MEDIA_DIRS = {
    pj.PJMEDIA_DIR_NONE: "none",
    pj.PJMEDIA_DIR_ENCODING: "sendonly",
    pj.PJMEDIA_DIR_DECODING: "recvonly",
    pj.PJMEDIA_DIR_ENCODING_DECODING: "sendrecv",
}
DTMF_METHODS = {"rfc2833": pj.PJSUA_DTMF_METHOD_RFC2833, "info": pj.PJSUA_DTMF_METHOD_SIP_INFO}
DTMF_METHOD_NAMES = {v: k for k, v in DTMF_METHODS.items()}


class CommandError(Exception):
    pass


def parse_headers(whole_msg: str) -> dict[str, str]:
    """Header name -> value (first occurrence, name as written) of a raw SIP message."""
    head = whole_msg.replace("\r\n", "\n").split("\n\n", 1)[0]
    headers: dict[str, str] = {}
    last = ""
    for line in head.split("\n")[1:]:
        if line[:1] in (" ", "\t") and last:  # folded continuation line
            headers[last] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue
        last = name.strip()
        headers.setdefault(last, value.strip())
    return headers


class PeerAccount(pj.Account):
    def __init__(self, peer: Peer) -> None:
        super().__init__()
        self.peer = peer
        self.reg_events = 0  # onRegState calls so far

    def onRegState(self, prm: pj.OnRegStateParam) -> None:  # noqa: N802 - pjsua2 API
        self.peer.guard(self._reg_state, prm)

    def _reg_state(self, prm: pj.OnRegStateParam) -> None:
        self.reg_events += 1
        info = self.getInfo()
        self.peer.emit(
            "reg_state",
            code=int(prm.code),
            reason=str(prm.reason),
            expiration=int(prm.expiration),
            registered=bool(info.regIsActive),
        )

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:  # noqa: N802
        self.peer.guard(self.peer.on_incoming_call, self, prm)

    def onInstantMessage(self, prm: pj.OnInstantMessageParam) -> None:  # noqa: N802
        self.peer.guard(self.peer.on_message, None, prm)


class PeerCall(pj.Call):
    def __init__(self, peer: Peer, account: pj.Account, call_id: int = pj.PJSUA_INVALID_ID):
        super().__init__(account, call_id)
        self.peer = peer
        self.cid = call_id
        self.media_dir = "none"
        self.connected: list[Any] = []  # AudioMedia objects this call is wired to

    def onCallState(self, prm: pj.OnCallStateParam) -> None:  # noqa: N802
        self.peer.guard(self.peer.on_call_state, self)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:  # noqa: N802
        self.peer.guard(self.peer.on_call_media_state, self)

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:  # noqa: N802
        self.peer.emit(
            "dtmf_received",
            call_id=self.cid,
            digit=str(prm.digit),
            method=DTMF_METHOD_NAMES.get(int(prm.method), str(prm.method)),
        )

    def onCallTransferRequest(self, prm: pj.OnCallTransferRequestParam) -> None:  # noqa: N802
        self.peer.guard(self.peer.on_transfer_request, self, prm)

    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:  # noqa: N802
        self.peer.emit(
            "transfer_status",
            call_id=self.cid,
            code=int(prm.statusCode),
            reason=str(prm.reason),
            final=bool(prm.finalNotify),
        )

    def onInstantMessage(self, prm: pj.OnInstantMessageParam) -> None:  # noqa: N802
        self.peer.guard(self.peer.on_message, self, prm)

    def onCallReplaced(self, prm: pj.OnCallReplacedParam) -> None:  # noqa: N802
        # Attended transfer, target side: an INVITE with Replaces takes this call's place.
        # pjsua2 needs a Call object for the new call, else the process dies.
        self.peer.guard(self.peer.on_call_replaced, self, prm)


class Peer:
    def __init__(self, out: TextIO, log_path: str | None, log_level: int) -> None:
        self.out = out
        self.commands: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.quitting = False
        self.ep = pj.Endpoint()
        self.ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = 16
        cfg.uaConfig.userAgent = "SeatDesk-rig-peer"
        cfg.logConfig.consoleLevel = 0
        cfg.logConfig.level = log_level
        cfg.logConfig.msgLogging = True
        if log_path:
            cfg.logConfig.filename = log_path
        cfg.medConfig.noVad = True
        cfg.medConfig.ecTailLen = 0
        self.ep.libInit(cfg)
        self.transports: dict[str, int] = {}
        self.ports: dict[str, int] = {}
        for name, kind in (("udp", pj.PJSIP_TRANSPORT_UDP), ("tcp", pj.PJSIP_TRANSPORT_TCP)):
            tcfg = pj.TransportConfig()
            tcfg.port = 0
            tcfg.boundAddress = HOST
            tcfg.publicAddress = HOST
            tid = self.ep.transportCreate(kind, tcfg)
            self.transports[name] = tid
            self.ports[name] = int(self.ep.transportGetInfo(tid).localName.rsplit(":", 1)[1])
        self.ep.libStart()
        self.ep.audDevManager().setNullDev()
        for codec, priority in (("PCMU/8000", 255), ("PCMA/8000", 254)):
            self.ep.codecSetPriority(codec, priority)
        self.account: PeerAccount | None = None
        self.calls: dict[int, PeerCall] = {}
        self.pending_calls: list[PeerCall] = []  # created for a transfer, id not known yet
        self.dead_calls: list[PeerCall] = []
        self.auto_answer_code: int | None = None
        self.ring = True
        self.accept_transfers = True
        self.tone: pj.ToneGenerator | None = None
        self.player: pj.AudioMediaPlayer | None = None
        self.recorder: pj.AudioMediaRecorder | None = None

    # -- output ------------------------------------------------------------------------------
    def emit(self, kind: str, **fields: Any) -> None:
        fields["type"] = kind
        fields["t"] = round(time.monotonic(), 4)
        self.out.write(json.dumps(fields) + "\n")
        self.out.flush()

    def guard(self, func: Callable[..., None], *args: Any) -> None:
        """Run a callback body; an exception must not cross back into pjsua2's C code."""
        try:
            func(*args)
        except Exception as exc:  # noqa: BLE001 - reported, never raised into C
            self.emit("error", message=f"{type(exc).__name__}: {exc}", trace=traceback.format_exc())

    # -- main loop ---------------------------------------------------------------------------
    def run(self) -> None:
        self.emit("ready", udp_port=self.ports["udp"], tcp_port=self.ports["tcp"], pid=os.getpid())
        last_gc = time.monotonic()
        while not self.quitting:
            self.ep.libHandleEvents(10)
            while True:
                try:
                    cmd = self.commands.get_nowait()
                except queue.Empty:
                    break
                if cmd is None:  # stdin closed: the client is gone
                    self.quitting = True
                    break
                self.dispatch(cmd)
            self.drop_dead_calls()
            if time.monotonic() - last_gc > 1.0:
                gc.collect()
                last_gc = time.monotonic()
        self.shutdown()

    def dispatch(self, cmd: dict[str, Any]) -> None:
        req_id = cmd.pop("id", None)
        name = str(cmd.pop("cmd", ""))
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None:
            self.reply(req_id, ok=False, error=f"unknown command {name!r}")
            return
        try:
            result = handler(**cmd)
        except pj.Error as exc:
            self.reply(req_id, ok=False, error=f"{exc.title}: {exc.reason} (status {exc.status})")
            return
        except Exception as exc:  # noqa: BLE001 - every failure goes back as the reply
            self.reply(req_id, ok=False, error=f"{type(exc).__name__}: {exc}")
            return
        self.reply(req_id, ok=True, result=result)

    def reply(self, req_id: Any, **fields: Any) -> None:
        self.emit("reply", id=req_id, **fields)

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ep.libHandleEvents(10)

    def drop_dead_calls(self) -> None:
        # A Call object is dropped only after DISCONNECTED, outside its own callback.
        if self.dead_calls:
            self.dead_calls.clear()

    # -- callbacks ---------------------------------------------------------------------------
    def on_incoming_call(self, account: PeerAccount, prm: pj.OnIncomingCallParam) -> None:
        call = PeerCall(self, account, prm.callId)
        call.cid = call.getId()
        self.calls[call.cid] = call
        info = call.getInfo()
        self.emit(
            "incoming_call",
            call_id=call.cid,
            remote_uri=str(info.remoteUri),
            local_uri=str(info.localUri),
            headers=parse_headers(str(prm.rdata.wholeMsg)),
            src=str(prm.rdata.srcAddress),
        )
        op = pj.CallOpParam()
        if self.auto_answer_code is not None:
            op.statusCode = self.auto_answer_code
            call.answer(op)
        elif self.ring:
            op.statusCode = 180
            call.answer(op)

    def on_call_state(self, call: PeerCall) -> None:
        info = call.getInfo()
        if call.cid < 0:  # a call created by us for a transfer: learn its id now
            call.cid = int(info.id)
            if call in self.pending_calls:
                self.pending_calls.remove(call)
            self.calls[call.cid] = call
        state = CALL_STATES.get(info.state, str(info.state))
        self.emit(
            "call_state",
            call_id=call.cid,
            state=state,
            state_text=str(info.stateText),
            last_status=int(info.lastStatusCode),
            last_reason=str(info.lastReason),
            role="caller" if info.role == pj.PJSIP_ROLE_UAC else "callee",
            remote_uri=str(info.remoteUri),
        )
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            call.connected.clear()
            self.calls.pop(call.cid, None)
            self.dead_calls.append(call)

    def on_call_media_state(self, call: PeerCall) -> None:
        info = call.getInfo()
        status = "NONE"
        direction = "none"
        for media in info.media:
            if media.type == pj.PJMEDIA_TYPE_AUDIO:
                status = MEDIA_STATUS.get(media.status, str(media.status))
                direction = MEDIA_DIRS.get(media.dir, str(media.dir))
                break
        call.media_dir = direction
        self.route_call_audio(call)
        self.emit("media_state", call_id=call.cid, status=status, dir=direction)

    def on_transfer_request(self, call: PeerCall, prm: pj.OnCallTransferRequestParam) -> None:
        self.emit("transfer_request", call_id=call.cid, target=str(prm.dstUri))
        if not self.accept_transfers:
            prm.statusCode = 603
            return
        assert self.account is not None
        new_call = PeerCall(self, self.account)
        self.pending_calls.append(new_call)
        prm.newCall = new_call

    def on_call_replaced(self, old: PeerCall, prm: pj.OnCallReplacedParam) -> None:
        assert self.account is not None
        new_call = PeerCall(self, self.account, prm.newCallId)
        new_call.cid = prm.newCallId
        self.calls[new_call.cid] = new_call
        prm.newCall = new_call
        self.emit("call_replaced", call_id=old.cid, new_call_id=new_call.cid)

    def on_message(self, call: PeerCall | None, prm: pj.OnInstantMessageParam) -> None:
        self.emit(
            "message_received",
            call_id=call.cid if call is not None else None,
            from_uri=str(prm.fromUri),
            content_type=str(prm.contentType),
            body=str(prm.msgBody),
        )

    # -- audio routing -----------------------------------------------------------------------
    def audio_of(self, call: PeerCall) -> pj.AudioMedia | None:
        info = call.getInfo()
        for media in info.media:
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.audioConfSlot >= 0:
                return call.getAudioMedia(media.index)
        return None

    def route_call_audio(self, call: PeerCall) -> None:
        """(Re)connect sources -> call and call -> recorder; run on every media change."""
        audio = self.audio_of(call)
        call.connected = [audio] if audio is not None else []
        if audio is None:
            return
        if self.tone is not None:
            self.tone.startTransmit(audio)
        if self.player is not None:
            self.player.startTransmit(audio)
        if self.recorder is not None:
            audio.startTransmit(self.recorder)

    def route_all(self) -> None:
        for call in list(self.calls.values()):
            if call.isActive():
                self.route_call_audio(call)

    # -- helpers -----------------------------------------------------------------------------
    def pick_call(self, call_id: int | None) -> PeerCall:
        if call_id is not None:
            try:
                return self.calls[int(call_id)]
            except KeyError:
                raise CommandError(f"no call {call_id}") from None
        if not self.calls:
            raise CommandError("no call")
        return list(self.calls.values())[-1]  # the newest one

    def need_account(self) -> PeerAccount:
        if self.account is None:
            raise CommandError("no account: register first")
        return self.account

    # -- commands ----------------------------------------------------------------------------
    def cmd_info(self) -> dict[str, Any]:
        return {
            "udp_port": self.ports["udp"],
            "tcp_port": self.ports["tcp"],
            "calls": {cid: CALL_STATES.get(c.getInfo().state) for cid, c in self.calls.items()},
        }

    def cmd_register(
        self,
        user: str,
        password: str | None = None,
        registrar: str = "",
        transport: str = "udp",
        proxy: str | None = None,
        domain: str = HOST,
        register: bool = True,
        expires: int = 300,
        display_name: str | None = None,
    ) -> dict[str, Any]:
        """Create the account (one per peer). register=False: an identity without REGISTER,
        still sending its requests through `proxy` (default: the registrar, loose routed)."""
        if self.account is not None:
            raise CommandError("this peer already has an account")
        transport = transport.lower()
        if transport not in self.transports:
            raise CommandError(f"unknown transport {transport!r}")
        acfg = pj.AccountConfig()
        name = f'"{display_name}" ' if display_name else ""
        acfg.idUri = f"{name}<sip:{user}@{domain}>"
        tparam = ";transport=tcp" if transport == "tcp" else ""
        if registrar and register:
            acfg.regConfig.registrarUri = registrar + tparam
        acfg.regConfig.registerOnAdd = bool(register and registrar)
        acfg.regConfig.timeoutSec = int(expires)
        acfg.regConfig.retryIntervalSec = 0  # a refused REGISTER is final in tests
        acfg.regConfig.unregWaitMsec = 500
        if proxy is None and registrar:
            proxy = registrar + tparam + ";lr"
        if proxy:
            acfg.sipConfig.proxies.append(proxy)
        acfg.sipConfig.transportId = self.transports[transport]
        if password is not None:
            acfg.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", user, 0, password))
        acfg.natConfig.contactRewriteUse = 0
        acfg.natConfig.viaRewriteUse = 0
        acfg.natConfig.sdpNatRewriteUse = 0
        acfg.mediaConfig.transportConfig.boundAddress = HOST
        acfg.mediaConfig.transportConfig.publicAddress = HOST
        # Each pytest-xdist worker's peers use their own RTP block (the child inherits
        # PYTEST_XDIST_WORKER), so peers of parallel tests do not contend for ports.
        rtp = rtp_block()
        acfg.mediaConfig.transportConfig.port = rtp.start
        acfg.mediaConfig.transportConfig.portRange = len(rtp)
        account = PeerAccount(self)
        account.create(acfg)
        self.account = account
        return {"uri": f"sip:{user}@{domain}", "transport": transport}

    def cmd_unregister(self) -> None:
        self.need_account().setRegistration(False)

    def cmd_reregister(self) -> None:
        self.need_account().setRegistration(True)

    def cmd_call(self, uri: str, headers: dict[str, str] | None = None) -> int:
        account = self.need_account()
        call = PeerCall(self, account)
        op = pj.CallOpParam(True)
        for hname, hvalue in (headers or {}).items():
            hdr = pj.SipHeader()
            hdr.hName = hname
            hdr.hValue = hvalue
            op.txOption.headers.append(hdr)
        call.makeCall(uri, op)
        call.cid = call.getId()
        self.calls[call.cid] = call
        return call.cid

    def cmd_answer(self, code: int = 200, call_id: int | None = None) -> None:
        op = pj.CallOpParam()
        op.statusCode = int(code)
        self.pick_call(call_id).answer(op)

    def cmd_reject(self, code: int = 486, call_id: int | None = None) -> None:
        op = pj.CallOpParam()
        op.statusCode = int(code)
        self.pick_call(call_id).hangup(op)

    def cmd_hangup(self, call_id: int | None = None, code: int | None = None) -> None:
        op = pj.CallOpParam()
        if code is not None:
            op.statusCode = int(code)
        self.pick_call(call_id).hangup(op)

    def cmd_hold(self, call_id: int | None = None) -> None:
        self.pick_call(call_id).setHold(pj.CallOpParam(True))

    def cmd_unhold(self, call_id: int | None = None) -> None:
        op = pj.CallOpParam(True)
        op.opt.flag = pj.PJSUA_CALL_UNHOLD
        self.pick_call(call_id).reinvite(op)

    def cmd_send_dtmf(
        self, digits: str, method: str = "rfc2833", call_id: int | None = None, duration: int = 0
    ) -> None:
        if method not in DTMF_METHODS:
            raise CommandError(f"unknown DTMF method {method!r} (rfc2833 or info)")
        prm = pj.CallSendDtmfParam()
        prm.digits = str(digits)
        prm.method = DTMF_METHODS[method]
        if duration:
            prm.duration = int(duration)
        self.pick_call(call_id).sendDtmf(prm)

    def cmd_transfer(self, target: str, call_id: int | None = None) -> None:
        self.pick_call(call_id).xfer(target, pj.CallOpParam(True))

    def cmd_send_message(self, body: str, call_id: int | None = None) -> None:
        prm = pj.SendInstantMessageParam()
        prm.content = body
        prm.contentType = "text/plain"
        self.pick_call(call_id).sendInstantMessage(prm)

    def cmd_play_tone(self, freq_hz: float, freq2_hz: float = 0, volume: int = 0) -> None:
        """A continuous tone into every call (now and later) until stop_tone."""
        self.cmd_stop_tone()
        tone = pj.ToneGenerator()
        tone.createToneGenerator(16000, 1)
        desc = pj.ToneDesc()
        desc.freq1 = int(freq_hz)
        desc.freq2 = int(freq2_hz)
        desc.on_msec = 10000
        desc.off_msec = 0
        if volume:
            desc.volume = int(volume)
        tones = pj.ToneDescVector()
        tones.append(desc)
        tone.play(tones, True)
        self.tone = tone
        self.route_all()

    def cmd_stop_tone(self) -> None:
        if self.tone is not None:
            tone, self.tone = self.tone, None
            for call in self.calls.values():
                for audio in call.connected:
                    with contextlib.suppress(pj.Error):
                        tone.stopTransmit(audio)
            tone.stop()
            del tone

    def cmd_play_file(self, path: str, loop: bool = True) -> None:
        """A WAV file into every call until stop_file (looped unless loop=False)."""
        self.cmd_stop_file()
        player = pj.AudioMediaPlayer()
        player.createPlayer(path, 0 if loop else pj.PJMEDIA_FILE_NO_LOOP)
        self.player = player
        self.route_all()

    def cmd_stop_file(self) -> None:
        if self.player is not None:
            player, self.player = self.player, None
            for call in self.calls.values():
                for audio in call.connected:
                    with contextlib.suppress(pj.Error):
                        player.stopTransmit(audio)
            del player

    def cmd_record_start(self, path: str) -> None:
        """Record what this phone hears (all calls mixed) into a WAV file until record_stop."""
        self.cmd_record_stop()
        recorder = pj.AudioMediaRecorder()
        recorder.createRecorder(path)
        self.recorder = recorder
        self.route_all()

    def cmd_record_stop(self) -> None:
        """Close the recording; the WAV is complete when this returns."""
        if self.recorder is None:
            return
        recorder, self.recorder = self.recorder, None
        for call in self.calls.values():
            for audio in call.connected:
                with contextlib.suppress(pj.Error):
                    audio.stopTransmit(recorder)
        del recorder
        gc.collect()
        # The file is finished only after the bridge has let go of the port: a tick or two.
        self.pump(0.06)

    def cmd_auto_answer(self, enabled: bool = True, code: int = 200) -> None:
        self.auto_answer_code = int(code) if enabled else None

    def cmd_set_ring(self, enabled: bool = True) -> None:
        """Whether an incoming call is answered 180 Ringing at once (default yes)."""
        self.ring = bool(enabled)

    def cmd_accept_transfers(self, enabled: bool = True) -> None:
        self.accept_transfers = bool(enabled)

    def cmd_quit(self) -> None:
        self.quitting = True

    # -- shutdown ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        try:
            if self.calls:
                self.ep.hangupAllCalls()
                deadline = time.monotonic() + 1.0
                while self.calls and time.monotonic() < deadline:
                    self.ep.libHandleEvents(10)
            self.cmd_stop_tone()
            self.cmd_stop_file()
            self.cmd_record_stop()
            account = self.account
            if account is not None and account.getInfo().regIsActive:
                # Unregister for real (the registrar's 401 challenge included), so the
                # registrar forgets this contact now rather than when it expires.
                seen = account.reg_events
                account.setRegistration(False)
                deadline = time.monotonic() + 1.0
                while account.reg_events == seen and time.monotonic() < deadline:
                    self.ep.libHandleEvents(10)
            if account is not None:
                account.shutdown()
        except pj.Error as exc:
            self.emit("error", message=f"during shutdown: {exc.info()}")
        self.account = None
        self.calls.clear()
        self.pending_calls.clear()
        self.dead_calls.clear()
        gc.collect()
        self.ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        self.emit("bye")


def read_commands(stream: TextIO, commands: queue.Queue[dict[str, Any] | None]) -> None:
    """Reader thread: stdin lines -> queue; never touches pjsua2. None marks the end."""
    for line in stream:
        line = line.strip()
        if not line:
            continue
        try:
            cmd = json.loads(line)
        except ValueError:
            cmd = {"cmd": "__bad__", "line": line}
        if isinstance(cmd, dict):
            commands.put(cmd)
    commands.put(None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--log", help="pjsua2 log file (SIP messages included)")
    parser.add_argument("--log-level", type=int, default=4)
    args = parser.parse_args(argv)
    # The protocol gets a private copy of stdout; fd 1 then points at stderr, so anything the
    # C library prints cannot corrupt the JSON stream.
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    gc.disable()  # collections run only on the main thread, from the loop (see run())
    peer = Peer(out, args.log, args.log_level)
    reader = threading.Thread(
        target=read_commands, args=(sys.stdin, peer.commands), name="stdin", daemon=True
    )
    reader.start()
    try:
        peer.run()
    finally:
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
