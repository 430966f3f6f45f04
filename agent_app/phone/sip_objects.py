"""pjsua2 subclasses: they translate pjsua2's callbacks into calls on a handler they are given.

Callbacks run inside `libHandleEvents` on the polling thread. They never act on pjsua2
themselves beyond what the callback allows; the handler records what happened and defers work.
The handlers are narrow protocols (below), so these classes know nothing of the engine.
"""

from __future__ import annotations

from typing import Protocol

import pjsua2 as pj


class AccountHandler(Protocol):
    """What an account reports: its registration, and calls that arrive on it."""

    def on_reg_started(self, account: SipAccount, renew: bool) -> None: ...
    def on_reg_state(
        self, account: SipAccount, code: int, reason: str, expires: int, status: int
    ) -> None: ...
    def on_incoming_call(self, account: SipAccount, pj_call_id: int, message: str) -> None: ...


class CallHandler(Protocol):
    """What a call reports. The two that hand pjsua a new Call return it."""

    def on_call_state(self, call: SipCall) -> None: ...
    def on_call_media_state(self, call: SipCall) -> None: ...
    def on_call_tsx_state(self, call: SipCall, method: str, code: int, done: bool) -> None: ...
    def on_dtmf(self, call: SipCall, digit: str) -> None: ...
    def on_transfer_request(self, call: SipCall, target: str) -> SipCall: ...
    def on_transfer_status(self, call: SipCall, code: int, reason: str, final: bool) -> None: ...
    def on_call_replaced(self, call: SipCall, new_pj_call_id: int) -> SipCall: ...


class TransportHandler(Protocol):
    def on_transport_state(self, connected: bool, transport_type: str, status: int) -> None: ...


class SipAccount(pj.Account):
    def __init__(self, handler: AccountHandler, account_id: str) -> None:
        super().__init__()
        self.handler = handler
        self.account_id = account_id

    def onRegState(self, prm: pj.OnRegStateParam) -> None:  # noqa: N802 (pjsua2 names)
        self.handler.on_reg_state(self, prm.code, prm.reason, prm.expiration, prm.status)

    def onRegStarted(self, prm: pj.OnRegStartedParam) -> None:  # noqa: N802
        self.handler.on_reg_started(self, bool(prm.renew))

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:  # noqa: N802
        self.handler.on_incoming_call(self, prm.callId, prm.rdata.wholeMsg)


class SipCall(pj.Call):
    def __init__(self, handler: CallHandler, account: SipAccount, call_id: int = -1) -> None:
        if call_id == -1:
            super().__init__(account)
        else:
            super().__init__(account, call_id)
        self.handler = handler
        self.account = account
        self.key = ""  # the engine's id for this call, set when it is registered

    def onCallState(self, prm: pj.OnCallStateParam) -> None:  # noqa: N802
        self.handler.on_call_state(self)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:  # noqa: N802
        self.handler.on_call_media_state(self)

    def onCallTsxState(self, prm: pj.OnCallTsxStateParam) -> None:  # noqa: N802
        # Only our own requests in the dialog (re-INVITE, REFER) matter: their final answer,
        # or their timeout, ends a pending hold, resume or transfer.
        if prm.e.type != pj.PJSIP_EVENT_TSX_STATE:
            return
        tsx = prm.e.body.tsxState.tsx
        if tsx.role != pj.PJSIP_ROLE_UAC:
            return
        done = tsx.state in (pj.PJSIP_TSX_STATE_COMPLETED, pj.PJSIP_TSX_STATE_TERMINATED)
        self.handler.on_call_tsx_state(self, tsx.method, tsx.statusCode, done)

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:  # noqa: N802
        self.handler.on_dtmf(self, prm.digit)

    def onCallTransferRequest(self, prm: pj.OnCallTransferRequestParam) -> None:  # noqa: N802
        # We are asked to call someone else (the far end transfers us): accept and track the
        # new call like any outgoing one.
        prm.newCall = self.handler.on_transfer_request(self, prm.dstUri)

    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:  # noqa: N802
        self.handler.on_transfer_status(self, prm.statusCode, prm.reason, prm.finalNotify)
        prm.cont = not prm.finalNotify

    def onCallReplaced(self, prm: pj.OnCallReplacedParam) -> None:  # noqa: N802
        # Attended transfer, target side: a new INVITE replaces this call.
        prm.newCall = self.handler.on_call_replaced(self, prm.newCallId)


class SipEndpoint(pj.Endpoint):
    """The endpoint, reporting connection-oriented transports (TCP, TLS) that go down."""

    def __init__(self, handler: TransportHandler) -> None:
        super().__init__()
        self.handler = handler

    def onTransportState(self, prm: pj.OnTransportStateParam) -> None:  # noqa: N802
        if prm.state == pj.PJSIP_TP_STATE_CONNECTED:
            self.handler.on_transport_state(True, str(prm.type), 0)
        elif prm.state == pj.PJSIP_TP_STATE_DISCONNECTED:
            self.handler.on_transport_state(False, str(prm.type), int(prm.lastError))
