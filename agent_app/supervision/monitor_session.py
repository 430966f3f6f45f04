"""One supervisor's monitor session, Qt-free: whom to call for a board row (the seat's SIP URI
when it reports one, else the agent's user name on the supervisor's own domain; in PBX mode
the extension), and the audit items of the session (start, each mode switch, end, failure),
all tied together by the session's uuid (docs/supervision.md)."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from common.numbers import user_part
from common.supervision import BoardRow, MonitorSessionEvent

MODES = ("listen", "whisper", "barge")


def target_of(row: BoardRow) -> tuple[str, str]:
    """(what the supervisor's phone dials in bridge mode, the extension for PBX codes)."""
    uri = row.sip_uri
    if uri:
        return uri, user_part(uri)
    return row.agent, row.agent


@dataclass
class MonitorSession:
    agent: str
    agent_name: str
    call_id: str  # the monitored call's uuid
    mode: str
    pbx: bool = False
    uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
    grant_id: str = ""
    monitor_call_id: str = ""  # the engine's id of the monitor call
    started_at: datetime | None = None  # when the seat answered (None: still connecting)
    ended: bool = False

    def audit(self, kind: str, reason: str = "", mode: str | None = None) -> MonitorSessionEvent:
        return MonitorSessionEvent(
            uuid=str(uuidlib.uuid4()),
            session=self.uuid,
            kind=kind,  # type: ignore[arg-type]  # started, mode, ended, failed
            agent=self.agent,
            call_id=self.call_id,
            grant_id=self.grant_id[:64],
            mode=(self.mode if mode is None else mode),  # type: ignore[arg-type]
            at=datetime.now(UTC),
            reason=reason[:64],
        )
