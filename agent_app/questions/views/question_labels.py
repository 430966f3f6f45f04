"""Translated names of question states and business lines, shared by the question views (and
the KB pane's business-line filter)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox

from kb.business_lines import BUILT_IN, BusinessLine

BUILT_IN_NAMES = {line.code: line for line in BUILT_IN}

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


def line_name(code: str, english: bool, lines: Mapping[str, BusinessLine] | None = None) -> str:
    """A line's name in the UI language; `lines` are the workstation's (inactive ones too),
    the built-in seven until they are read. An unknown code shows as itself."""
    line = (BUILT_IN_NAMES if lines is None else lines).get(code)
    return code if line is None else line.name(chinese=not english)


def fill_line_combo(combo: QComboBox, lines: Sequence[BusinessLine], english: bool) -> bool:
    """Offer the active `lines` after the combo's first item ('all' or 'none'), in their order
    (built-in first). The current choice stays when it is still offered; no signal is emitted.
    True when the choice had to go (its line was deactivated): the caller applies the change."""
    current = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(1)
        for line in lines:
            if line.active:
                combo.addItem(line.name(chinese=not english), line.code)
        index = combo.findData(current)
        combo.setCurrentIndex(max(0, index))
    finally:
        combo.blockSignals(False)
    return index < 0


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
