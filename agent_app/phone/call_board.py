"""The seat's calls as the phone bar shows them, Qt-free: which calls are up, which one the
agent is working on, an attended transfer in progress, and which actions make sense now.

Fed with the engine's CallEvents; the phone bar enables its buttons from `actions()` and the
controller asks it which call an action is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_app.phone import events as ev

CONNECTED = (ev.ACTIVE, ev.HELD)
OUTGOING_SETUP = (ev.DIALING, ev.RINGING_OUT, ev.CONNECTING)


@dataclass
class Consultation:
    """An attended transfer: the customer waits on hold while the agent talks to `consult`."""

    customer: str
    consult: str


class CallBoard:
    def __init__(self) -> None:
        self.calls: dict[str, ev.CallSnapshot] = {}  # live calls, in the order they came
        self.current_id: str | None = None
        self.consultation: Consultation | None = None
        self.muted = False

    # -- events -----------------------------------------------------------------------------
    def apply(self, event: ev.CallEvent) -> None:
        snap = event.call
        if snap.state == ev.ENDED:
            self._drop(snap.id)
            return
        known = snap.id in self.calls
        self.calls[snap.id] = snap
        if not known and self.current_id is None:
            self.current_id = snap.id
        elif snap.state in (ev.ACTIVE, *OUTGOING_SETUP) and (
            not known or self._state_changed_to_live(event)
        ):
            self.current_id = snap.id  # the call the agent just answered or dialed

    def _state_changed_to_live(self, event: ev.CallEvent) -> bool:
        # Only a call that just connected takes over; resuming one (the agent's own choice,
        # or the engine joining a conference) leaves the current call as it is.
        return event.kind == "state" and event.call.state == ev.ACTIVE

    def _drop(self, call_id: str) -> None:
        self.calls.pop(call_id, None)
        consult = self.consultation
        if consult is not None and call_id in (consult.customer, consult.consult):
            self.consultation = None
        if self.current_id == call_id:
            self.current_id = self._next_current()
        if not self.calls:
            self.muted = False

    def _next_current(self) -> str | None:
        for wanted in ((ev.ACTIVE,), (ev.HELD,), OUTGOING_SETUP, (ev.RINGING_IN,)):
            for call_id, snap in self.calls.items():
                if snap.state in wanted:
                    return call_id
        return None

    # -- questions --------------------------------------------------------------------------
    @property
    def current(self) -> ev.CallSnapshot | None:
        return self.calls.get(self.current_id or "")

    def ringing(self) -> list[ev.CallSnapshot]:
        """Incoming calls not answered yet, oldest first."""
        return [s for s in self.calls.values() if s.state == ev.RINGING_IN]

    def connected(self) -> list[ev.CallSnapshot]:
        return [s for s in self.calls.values() if s.state in CONNECTED]

    def select(self, call_id: str) -> None:
        if call_id in self.calls:
            self.current_id = call_id

    def on_call(self) -> bool:
        return any(s.state != ev.RINGING_IN for s in self.calls.values())

    def actions(self) -> set[str]:
        """What the agent can do now (names as in phone_prefs.DEFAULT_SHORTCUTS)."""
        can: set[str] = set()
        current = self.current
        if self.ringing():
            can |= {"answer", "reject"}
        if current is not None:
            can.add("hangup")
            if current.state in CONNECTED:
                can |= {"hold", "transfer", "record"}
            if current.state == ev.ACTIVE:
                can.add("dtmf")
        if any(s.state == ev.ACTIVE for s in self.calls.values()):
            can.add("mute")
        live = self.connected()
        if self.consultation is not None:
            consult = self.calls.get(self.consultation.consult)
            if consult is not None and consult.state in CONNECTED:
                can.add("consult")  # now it completes the transfer
        elif current is not None and current.state in CONNECTED:
            can.add("consult")
        if len(live) >= 2 and not all(s.conference for s in live):
            can.add("conference")
        if not any(s.state in (ev.ACTIVE, *OUTGOING_SETUP) for s in self.calls.values()):
            can.add("dial")  # nothing up, or everyone on hold
        return can
