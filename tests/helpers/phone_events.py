"""Engine events made by hand, for tests of the phone bar and the seat glue without pjsua2."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

from agent_app.phone import events as ev


class FakeCall:
    """One call's life as the engine would report it: each step returns the next CallEvent."""

    def __init__(self, number: str, direction: str = ev.INBOUND, display: str = "") -> None:
        now = time.time()
        state = ev.RINGING_IN if direction == ev.INBOUND else ev.DIALING
        self.snap = ev.CallSnapshot(
            id=uuid.uuid4().hex,
            account_id="default",
            direction=direction,
            remote_uri=f"sip:{number}@pbx",
            remote_number=number,
            remote_display=display,
            state=state,
            started_at=now,
        )

    def _event(self, kind: str, detail: str = "", **changes: object) -> ev.CallEvent:
        self.snap = replace(self.snap, **changes)  # type: ignore[arg-type]
        return ev.CallEvent(kind, replace(self.snap), detail)

    def incoming(self, waiting: bool = False) -> ev.CallEvent:
        return self._event("incoming", "waiting" if waiting else "")

    def dialing(self) -> ev.CallEvent:
        return self._event("state")

    def answered(self) -> ev.CallEvent:
        return self._event("state", state=ev.ACTIVE, answered_at=time.time())

    def held(self) -> ev.CallEvent:
        return self._event("hold", state=ev.HELD, local_hold=True)

    def resumed(self) -> ev.CallEvent:
        return self._event("hold", state=ev.ACTIVE, local_hold=False, hold_seconds=1.0)

    def action(self, detail: str, **changes: object) -> ev.CallEvent:
        """An "action" event: a hold, resume or transfer pending, done or failed."""
        return self._event("action", detail, **changes)

    def ended(self, reason: str = "answered", code: int = 200) -> ev.CallEvent:
        return self._event(
            "ended", state=ev.ENDED, ended_at=time.time(), end_reason=reason, status_code=code
        )
