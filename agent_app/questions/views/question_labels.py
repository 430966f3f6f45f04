"""Translated names of question states and business lines, shared by the question views."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kb.models import BUSINESS_LINES

STATUSES = ("open", "claimed", "answered", "rejected", "merged")


def status_name(code: str) -> str:
    names = {
        "open": QCoreApplication.translate("QuestionStatus", "Open"),
        "claimed": QCoreApplication.translate("QuestionStatus", "Claimed"),
        "answered": QCoreApplication.translate("QuestionStatus", "Answered"),
        "rejected": QCoreApplication.translate("QuestionStatus", "Rejected"),
        "merged": QCoreApplication.translate("QuestionStatus", "Merged"),
    }
    return names.get(code, code)


def status_color(code: str) -> str:
    return {
        "open": "#b45309",
        "claimed": "#1d4ed8",
        "answered": "#15803d",
        "rejected": "#b91c1c",
        "merged": "#6b7280",
    }.get(code, "#111827")


def line_name(code: str, english: bool) -> str:
    names = BUSINESS_LINES.get(code)
    if names is None:
        return code
    return names[1] if english else names[0]


def role_name(code: str) -> str:
    names = {
        "agent": QCoreApplication.translate("Role", "Agent"),
        "team_leader": QCoreApplication.translate("Role", "Team leader"),
        "supervisor": QCoreApplication.translate("Role", "Business supervisor"),
        "trainer": QCoreApplication.translate("Role", "Trainer"),
        "manager": QCoreApplication.translate("Role", "Center manager"),
        "admin": QCoreApplication.translate("Role", "Administrator"),
    }
    return names.get(code, code)
