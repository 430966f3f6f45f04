"""What the engine reports. Plain dataclasses, delivered on the thread that polls the engine."""

from __future__ import annotations

from dataclasses import dataclass, field

# Call states as the agent sees them.
DIALING = "dialing"  # INVITE sent, nothing back yet
RINGING_OUT = "ringing_out"  # the far end rings (180/183)
RINGING_IN = "ringing_in"  # an incoming call rings here
CONNECTING = "connecting"  # answered, waiting for ACK
ACTIVE = "active"
HELD = "held"  # on hold by us
ENDED = "ended"

INBOUND = "inbound"
OUTBOUND = "outbound"


@dataclass
class CallSnapshot:
    id: str
    account_id: str
    direction: str
    remote_uri: str
    remote_number: str
    remote_display: str
    state: str
    started_at: float
    answered_at: float | None = None
    ended_at: float | None = None
    local_hold: bool = False
    remote_hold: bool = False
    hold_seconds: float = 0.0
    status_code: int = 0
    reason: str = ""
    end_reason: str = ""  # answered, missed, rejected, busy, no_answer, cancelled, failed
    end_text: str = ""  # a sentence for the agent, in their language
    recording_path: str = ""
    conference: bool = False
    auto_answer_in: float | None = None  # seconds until auto-answer, when scheduled
    # A request the far end has not answered yet: "hold", "resume" or "transfer" ("" none).
    pending: str = ""
    transfer_result: str = ""  # "", "succeeded" or "failed": what the call record keeps
    notice: str = ""  # the last failure, a sentence for the agent in their language
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def talk_seconds(self) -> float:
        if self.answered_at is None:
            return 0.0
        end = self.ended_at if self.ended_at is not None else self.answered_at
        return max(0.0, end - self.answered_at - self.hold_seconds)


@dataclass
class RegistrationEvent:
    account_id: str
    state: str  # "registering", "registered", "failed", "unregistered"
    code: int
    reason: str
    text: str  # for the agent
    expires: int = 0


@dataclass
class CallEvent:
    # "incoming", "state", "media", "hold", "recording", "transfer", "ended", and "action":
    # a request waiting for the far end or done with it, detail "<hold|resume|transfer>_
    # <pending|done|failed>" (transfer: "_succeeded" instead of "_done").
    kind: str
    call: CallSnapshot
    detail: str = ""


@dataclass
class DtmfEvent:
    call_id: str
    digit: str


@dataclass
class NoticeEvent:
    key: str
    text: str


@dataclass
class MonitorEvent:
    """Supervision (listen / whisper / barge; agent_app/phone/monitoring.py, docs/supervision.md).

    At the agent's seat each one is an audit record the desktop forwards to the server: kind
    "started", "mode", "refused" (an INVITE refused, `reason` a GrantError reason),
    "switch_refused" (a mode switch refused) or "ended" (`reason` "stopped", "call_ended" or
    "shutdown"). At the supervisor's seat: "started", "mode", "switch_refused", "failed"
    (`reason` the SIP code) and "ended". Grant fields are what the grant claimed ("" unknown).
    """

    kind: str
    side: str  # "agent" or "supervisor"
    monitor_call_id: str = ""  # the engine's id of the monitor call ("" for a refusal)
    mode: str = ""
    reason: str = ""
    grant_id: str = ""
    supervisor: str = ""
    agent: str = ""
    call_uuid: str = ""  # the monitored call, as the server knows it
    remote_uri: str = ""
    at: float = 0.0
    duration_s: float | None = None


Event = RegistrationEvent | CallEvent | DtmfEvent | NoticeEvent | MonitorEvent
