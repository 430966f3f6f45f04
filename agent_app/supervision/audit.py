"""The monitoring audit the desktop owes the server, queued in the outbox so a report made
while the server is away is sent later (docs/supervision.md): the supervisor's own monitor
sessions (start, each mode switch, end, failure) and the monitor calls an agent's engine
refused. Qt-free."""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime

from agent_app.phone import events as ev
from common.monitor_grants import REASONS
from common.supervision import (
    REJECTIONS_PATH,
    SESSIONS_PATH,
    MonitorRejection,
    MonitorSessionEvent,
)
from sync.outbox import Outbox

SESSION_KIND = "monitor_session"
SESSION_PATH = SESSIONS_PATH
REJECTION_KIND = "monitor_rejection"
REJECTION_PATH = REJECTIONS_PATH
# The refusals an engine reports that the wire knows (GrantError reasons and "no_trust").
_REJECTION_REASONS = (*REASONS, "no_trust")


def _moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC) if epoch else datetime.now(UTC)


def rejection_of(event: ev.MonitorEvent) -> MonitorRejection | None:
    """The audit item for an agent-side refusal (None for any other monitor event)."""
    if event.side != "agent" or event.kind not in ("refused", "switch_refused"):
        return None
    reason = event.reason if event.reason in _REJECTION_REASONS else "malformed"
    return MonitorRejection(
        uuid=str(uuidlib.uuid4()),
        kind=event.kind,  # type: ignore[arg-type]  # checked above
        reason=reason,  # type: ignore[arg-type]
        grant_id=event.grant_id[:64],
        supervisor=event.supervisor[:64],
        call_id=event.call_uuid[:64],
        mode=event.mode[:64],
        remote_uri=event.remote_uri[:255],
        at=_moment(event.at),
    )


def queue_rejection(outbox: Outbox, rejection: MonitorRejection) -> None:
    payload = rejection.model_dump(mode="json")
    outbox.enqueue(REJECTION_KIND, payload.pop("uuid"), payload)


def queue_session_event(outbox: Outbox, item: MonitorSessionEvent) -> None:
    payload = item.model_dump(mode="json")
    outbox.enqueue(SESSION_KIND, payload.pop("uuid"), payload)
