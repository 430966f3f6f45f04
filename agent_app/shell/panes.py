"""The frame's registry of panes: each capability's qt/ module contributes its views to the main
window by role, and the role decides where a pane sits by default (the knowledge base in the
middle, the call and customer on the left, questions on the right, call history below), so an
agent on a call sees them side by side. Where each pane ends up after the agent moves it is
remembered per user (QMainWindow.saveState, one entry per user name, in the data folder)."""

from __future__ import annotations

import base64
import enum
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

log = logging.getLogger(__name__)
LAYOUTS_FILE = "layouts.json"
# Bump when the set of panes or their names change: an old saved state would misplace them.
LAYOUT_VERSION = 1


class PaneRole(enum.Enum):
    """What a pane is for; the frame places it by role. New capabilities add a role here."""

    KNOWLEDGE = "knowledge"  # the middle of the window (QMainWindow's central widget)
    CALL = "call"  # the call and customer: wrap-up now, the screen-pop customer later
    QUESTIONS = "questions"  # 我的问题, beside the knowledge base
    WORKLIST = "worklist"  # a wide list worked through below the KB: the question queue (and
    # the outbound lists to come)
    HISTORY = "history"  # call history
    SCRIPT = "script"  # outbound script and survey (to come)
    OUTBOUND = "outbound"  # the agent's outbound worklist: record, script, survey, outcome;
    # beside the knowledge base (right), where an agent on a campaign call sees both
    CAMPAIGNS = "campaigns"  # the supervisor's outbound campaigns, progress and report: wide,
    # below the knowledge base, a tab beside the question queue
    AUTHORING = "authoring"  # 知识编写: the articles and drafts a trainer, supervisor or
    # manager edits, beside the knowledge base (right); the editor opens in its own window
    SUPERVISION = "supervision"  # 实时监控: the supervisors' live board of agents and the
    # monitor bar; wide, below the knowledge base, a tab beside the question queue


DOCK_AREAS: dict[PaneRole, Qt.DockWidgetArea] = {
    PaneRole.CALL: Qt.DockWidgetArea.LeftDockWidgetArea,
    PaneRole.SCRIPT: Qt.DockWidgetArea.LeftDockWidgetArea,
    PaneRole.QUESTIONS: Qt.DockWidgetArea.RightDockWidgetArea,
    PaneRole.OUTBOUND: Qt.DockWidgetArea.RightDockWidgetArea,
    PaneRole.HISTORY: Qt.DockWidgetArea.BottomDockWidgetArea,
    PaneRole.WORKLIST: Qt.DockWidgetArea.BottomDockWidgetArea,
    PaneRole.CAMPAIGNS: Qt.DockWidgetArea.BottomDockWidgetArea,
    PaneRole.AUTHORING: Qt.DockWidgetArea.RightDockWidgetArea,
    PaneRole.SUPERVISION: Qt.DockWidgetArea.BottomDockWidgetArea,
}
# A first width (left/right) or height (bottom) in pixels, before the agent drags the splitter.
DEFAULT_SIZES: dict[PaneRole, int] = {
    PaneRole.CALL: 296,
    PaneRole.SCRIPT: 260,
    PaneRole.QUESTIONS: 320,
    PaneRole.OUTBOUND: 400,
    PaneRole.HISTORY: 190,
    PaneRole.WORKLIST: 330,
    PaneRole.CAMPAIGNS: 360,
    PaneRole.AUTHORING: 330,
    PaneRole.SUPERVISION: 360,
}


@dataclass
class Pane:
    """One contributed pane: `key` names it in saved layouts (stable, ASCII)."""

    key: str
    title: str
    widget: QWidget
    role: PaneRole
    dock: QDockWidget | None = None  # None for the central (knowledge) pane


class LayoutStore:
    """Saved window layouts, one per user, in one small JSON file of the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LAYOUTS_FILE

    def _read(self) -> dict[str, str]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("window layouts unreadable: %s", self.path)
            return {}
        return {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    def load(self, user: str) -> bytes | None:
        value = self._read().get(user)
        if not value:
            return None
        try:
            return base64.b64decode(value)
        except ValueError:
            return None

    def save(self, user: str, state: bytes) -> None:
        layouts = self._read()
        layouts[user] = base64.b64encode(state).decode("ascii")
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(layouts, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)
