"""The twelve-key pad: digits for the number field when idle, DTMF tones during a call."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")
LETTERS = {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV"}
LETTERS["9"] = "WXYZ"


class DialPad(QWidget):
    digit_pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialPad")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(8, 8, 8, 8)
        self.buttons: dict[str, QPushButton] = {}
        for i, key in enumerate(KEYS):
            letters = LETTERS.get(key, "")
            button = QPushButton(f"{key}\n{letters}" if letters else key)
            button.setObjectName(f"dialKey{key}")
            button.setFixedSize(64, 48)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, k=key: self.digit_pressed.emit(k))
            self.buttons[key] = button
            grid.addWidget(button, i // 3, i % 3)
        self.setStyleSheet(
            "QPushButton { font-size: 15px; font-weight: 600; border: 1px solid #cbd5e1;"
            " border-radius: 8px; background: #f8fafc; }"
            "QPushButton:hover { background: #e2e8f0; }"
            "QPushButton:pressed { background: #cbd5e1; }"
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        text = event.text()
        if text in self.buttons:
            self.digit_pressed.emit(text)
            return
        super().keyPressEvent(event)
