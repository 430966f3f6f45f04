"""Words and figures the phone's widgets share: state colours, durations, call states.

The seat's own names (agent states, reason codes, wrap-up categories) come in both languages
from agent_app.seat; `pick` chooses the one for the window's language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent_app.phone import events as ev
from agent_app.phone.messages import tr as phone_tr
from common import texts

# Agent states and call states -> (background, text) colours of their badges.
STATE_COLOURS = {
    "ready": ("#15803d", "#ffffff"),
    "not_ready": ("#b45309", "#ffffff"),
    "after_call_work": ("#1d4ed8", "#ffffff"),
    "break": ("#7c3aed", "#ffffff"),
    "offline": ("#6b7280", "#ffffff"),
    "talking": ("#dc2626", "#ffffff"),
}
CALL_COLOURS = {
    ev.RINGING_IN: "#d97706",
    ev.DIALING: "#2563eb",
    ev.RINGING_OUT: "#2563eb",
    ev.CONNECTING: "#2563eb",
    ev.ACTIVE: "#15803d",
    ev.HELD: "#b45309",
}


# Chinese or English by the language chosen (the one rule of common/texts.py).
pick = texts.pick


def clock_text(seconds: float) -> str:
    """00:42, 12:05, 1:02:03."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def call_state_text(snap: ev.CallSnapshot) -> str:
    if snap.state == ev.RINGING_IN:
        return QCoreApplication.translate("PhoneTexts", "Incoming call")
    if snap.state in (ev.DIALING, ev.CONNECTING):
        return QCoreApplication.translate("PhoneTexts", "Calling…")
    if snap.state == ev.RINGING_OUT:
        return QCoreApplication.translate("PhoneTexts", "Ringing…")
    if snap.pending:  # a hold, resume or transfer the far end has not answered yet
        return phone_tr(f"{snap.pending}_pending")
    if snap.state == ev.HELD:
        return QCoreApplication.translate("PhoneTexts", "On hold")
    if snap.conference:
        return QCoreApplication.translate("PhoneTexts", "Conference")
    if snap.remote_hold:
        return QCoreApplication.translate("PhoneTexts", "Held by the other side")
    return QCoreApplication.translate("PhoneTexts", "Talking")


def refusal_text(code: str) -> str:
    """Why the agent's state change was refused (agent_app.seat TransitionError codes)."""
    texts = {
        "not_registered": QCoreApplication.translate(
            "PhoneTexts", "The phone is not registered: the state stays Offline."
        ),
        "on_call": QCoreApplication.translate("PhoneTexts", "Not during a call."),
        "unknown_reason": QCoreApplication.translate(
            "PhoneTexts", "Choose a reason from the list."
        ),
        "not_in_wrap_up": QCoreApplication.translate(
            "PhoneTexts", "There is no wrap-up in progress."
        ),
    }
    return texts.get(code, QCoreApplication.translate("PhoneTexts", "That is not possible now."))
