"""pjsua2 subclasses: they only translate callbacks into calls on the engine.

Callbacks run inside `libHandleEvents` on the polling thread. They never act on pjsua2
themselves beyond what the callback allows; the engine records what happened and defers work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pjsua2 as pj

if TYPE_CHECKING:
    from agent_app.phone.engine import PhoneEngine


class SipAccount(pj.Account):
    def __init__(self, engine: PhoneEngine, account_id: str) -> None:
        super().__init__()
        self.engine = engine
        self.account_id = account_id

    def onRegState(self, prm: pj.OnRegStateParam) -> None:  # noqa: N802 (pjsua2 names)
        self.engine._on_reg_state(self, prm.code, prm.reason, prm.expiration, prm.status)

    def onRegStarted(self, prm: pj.OnRegStartedParam) -> None:  # noqa: N802
        self.engine._on_reg_started(self, bool(prm.renew))

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:  # noqa: N802
        self.engine._on_incoming_call(self, prm.callId, prm.rdata.wholeMsg)


class SipCall(pj.Call):
    def __init__(self, engine: PhoneEngine, account: SipAccount, call_id: int = -1) -> None:
        if call_id == -1:
            super().__init__(account)
        else:
            super().__init__(account, call_id)
        self.engine = engine
        self.key = ""  # the engine's id for this call, set when it is registered

    def onCallState(self, prm: pj.OnCallStateParam) -> None:  # noqa: N802
        self.engine._on_call_state(self)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:  # noqa: N802
        self.engine._on_call_media_state(self)

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:  # noqa: N802
        self.engine._on_dtmf(self, prm.digit)

    def onCallTransferRequest(self, prm: pj.OnCallTransferRequestParam) -> None:  # noqa: N802
        # We are asked to call someone else (the far end transfers us): accept and track the
        # new call like any outgoing one.
        new_call = SipCall(self.engine, self.engine._account_of(self))
        prm.newCall = new_call
        self.engine._on_transfer_request(self, new_call, prm.dstUri)

    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:  # noqa: N802
        self.engine._on_transfer_status(self, prm.statusCode, prm.reason, prm.finalNotify)
        prm.cont = not prm.finalNotify

    def onCallReplaced(self, prm: pj.OnCallReplacedParam) -> None:  # noqa: N802
        # Attended transfer, target side: a new INVITE replaces this call.
        new_call = SipCall(self.engine, self.engine._account_of(self), prm.newCallId)
        prm.newCall = new_call
        self.engine._on_call_replaced(self, new_call)
