"""The strip under a supervisor's dialog that says what went wrong, and after a conflict
offers to copy the text typed so far: nothing typed is ever lost."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLayout, QPushButton, QWidget


def grow_to_fit(window: QWidget, layout: QLayout) -> None:
    """Make room for a notice shown after a dialog opened: wrapped labels need more height than
    Qt gives a window already on screen, and were cut off."""
    layout.activate()
    width = window.width()
    needed = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    if needed > window.height():
        window.resize(width, needed)


class DialogFeedback(QWidget):
    def __init__(self, text_to_copy: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text_to_copy = text_to_copy
        self.label = QLabel()
        self.label.setObjectName("dialogFeedback")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy my text"))
        self.copy_button.setObjectName("copyMyText")
        self.copy_button.clicked.connect(self.copy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignTop)
        self.clear()

    def clear(self) -> None:
        self.label.clear()
        self.hide()

    def show_error(self, message: str) -> None:
        self._show(message, "#b91c1c", copy=False)

    def show_conflict(self, message: str) -> None:
        self._show(message, "#92400e", copy=True)

    def show_info(self, message: str) -> None:
        self._show(message, "#6b7280", copy=False)

    def _show(self, message: str, color: str, copy: bool) -> None:
        self.label.setText(message)
        self.label.setStyleSheet(f"color: {color}; padding: 4px;")
        self.copy_button.setVisible(copy)
        self.show()

    def copy(self) -> None:
        QApplication.clipboard().setText(self._text_to_copy())
        self.copy_button.setText(self.tr("Copied"))
