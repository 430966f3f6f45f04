"""The supervisor's monitor bar (layout only): whom they monitor and for how long, the mode
buttons 监听 / 耳语 / 强插 with their shortcuts, 结束, and a line for what went wrong."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SHORTCUTS = {
    "listen": "Ctrl+Alt+L",
    "whisper": "Ctrl+Alt+W",
    "barge": "Ctrl+Alt+B",
    "stop": "Ctrl+Alt+E",
}


class MonitorBar(QFrame):
    mode_requested = Signal(str)  # listen, whisper, barge
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monitorBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#monitorBar { background: #eef4ff; }")
        self.who = QLabel()
        self.who.setObjectName("monitorWho")
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.timer = QLabel("0:00")
        self.timer.setObjectName("monitorTimer")
        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.who, 1)
        row.addWidget(self.timer)
        texts = {
            "listen": self.tr("Listen"),
            "whisper": self.tr("Whisper"),
            "barge": self.tr("Barge in"),
        }
        tips = {
            "listen": self.tr("You hear the customer and the agent; nobody hears you."),
            "whisper": self.tr("The agent hears you; the customer does not."),
            "barge": self.tr("Everyone hears everyone."),
        }
        for mode, text in texts.items():
            button = QPushButton(text)
            button.setObjectName(f"monitor_{mode}")
            button.setCheckable(True)
            button.setShortcut(QKeySequence(SHORTCUTS[mode]))
            button.setToolTip(f"{tips[mode]} ({SHORTCUTS[mode]})")
            button.clicked.connect(lambda _c=False, m=mode: self.mode_requested.emit(m))
            self.group.addButton(button)
            self.buttons[mode] = button
            row.addWidget(button)
        self.stop_button = QPushButton(self.tr("End"))
        self.stop_button.setObjectName("monitor_stop")
        self.stop_button.setShortcut(QKeySequence(SHORTCUTS["stop"]))
        self.stop_button.setToolTip(self.tr("End monitoring (%1)").replace("%1", SHORTCUTS["stop"]))
        self.stop_button.clicked.connect(self.stop_requested.emit)
        row.addWidget(self.stop_button)
        self.notice = QLabel()
        self.notice.setObjectName("monitorNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        self.show_idle()

    def show_session(self, text: str, mode: str, busy: bool) -> None:
        """Monitoring (or connecting to) someone: `text` says whom and how."""
        self.show()
        self.who.setText(text)
        button = self.buttons.get(mode)
        if button is not None:
            button.setChecked(True)
        for each in self.buttons.values():
            each.setEnabled(not busy)
        self.stop_button.setEnabled(True)

    def show_idle(self) -> None:
        self.who.setText("")
        self.timer.setText("0:00")
        for each in self.buttons.values():
            each.setEnabled(False)
        self.stop_button.setEnabled(False)

    def set_elapsed(self, text: str) -> None:
        self.timer.setText(text)

    def set_notice(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #a00000;" if error else "")
        self.notice.setVisible(bool(text))
