"""The after-call work panel (话后处理): the call just ended, a wrap-up category, a note, the
countdown until the seat returns to its state, Extend and Done. It sits beside the knowledge
base so the agent can still look things up while wrapping up."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.phone.views.phone_texts import clock_text

STYLE = """
#wrapUpPanel { background: #eff6ff; border: 1px solid #bfdbfe; border-radius: 8px; }
#wrapUpTitle { color: #1d4ed8; font-size: 16px; font-weight: 700; }
#wrapUpCountdown { color: #1d4ed8; font-family: "DejaVu Sans Mono", monospace;
    font-size: 22px; font-weight: 700; }
#wrapUpSummary { color: #334155; }
#wrapUpPanel QRadioButton { font-size: 13px; padding: 3px; }
#wrapUpDone { background: #1d4ed8; color: white; border: none; border-radius: 6px;
    padding: 7px 18px; font-weight: 600; }
#wrapUpDone:disabled { background: #93c5fd; }
#wrapUpExtend { border: 1px solid #93c5fd; border-radius: 6px; padding: 6px 12px;
    background: white; color: #1d4ed8; }
"""


class WrapUpPanel(QFrame):
    entry_changed = Signal(str, str)  # category code, note
    finish_requested = Signal(str, str)
    extend_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wrapUpPanel")
        self.setMinimumWidth(280)
        self.setMaximumWidth(360)
        self.call_uuid = ""
        title = QLabel(self.tr("Wrap-up"))
        title.setObjectName("wrapUpTitle")
        self.countdown = QLabel()
        self.countdown.setObjectName("wrapUpCountdown")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.countdown)
        self.summary = QLabel()
        self.summary.setObjectName("wrapUpSummary")
        self.summary.setWordWrap(True)
        self.categories = QButtonGroup(self)
        self.categories.setExclusive(True)
        self.category_grid = QGridLayout()
        self.category_grid.setSpacing(4)
        self.note = QPlainTextEdit()
        self.note.setObjectName("wrapUpNote")
        self.note.setPlaceholderText(self.tr("Note: what the customer wanted, what was done"))
        self.note.textChanged.connect(self._changed)
        self.extend_button = QPushButton(self.tr("Extend"))
        self.extend_button.setObjectName("wrapUpExtend")
        self.extend_button.clicked.connect(self.extend_requested.emit)
        self.done_button = QPushButton(self.tr("Done"))
        self.done_button.setObjectName("wrapUpDone")
        self.done_button.setToolTip(self.tr("Save and finish wrap-up (Ctrl+Enter)"))
        self.done_button.clicked.connect(self._finish)
        buttons = QHBoxLayout()
        buttons.addWidget(self.extend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("Category")))
        layout.addLayout(self.category_grid)
        layout.addWidget(QLabel(self.tr("Note")))
        layout.addWidget(self.note, 1)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._finish)
        self.setStyleSheet(STYLE)

    def set_categories(self, categories: list[tuple[str, str]]) -> None:
        """(code, name) pairs; Alt+1, Alt+2, ... pick them."""
        for button in self.categories.buttons():
            self.categories.removeButton(button)
            button.deleteLater()
        for i, (code, name) in enumerate(categories):
            button = QRadioButton(f"&{i + 1} {name}" if i < 9 else name)
            button.setObjectName(f"wrapUpCategory_{code}")
            button.setProperty("code", code)
            button.toggled.connect(self._changed)
            self.categories.addButton(button, i)
            self.category_grid.addWidget(button, i // 2, i % 2)

    def start(self, call_uuid: str, summary: str) -> None:
        self.call_uuid = call_uuid
        self.summary.setText(summary)
        self.categories.setExclusive(False)
        for button in self.categories.buttons():
            button.setChecked(False)
        self.categories.setExclusive(True)
        self.note.blockSignals(True)
        self.note.clear()
        self.note.blockSignals(False)
        self._update_done()
        self.show()

    def set_summary(self, summary: str) -> None:
        self.summary.setText(summary)

    def show_countdown(self, seconds: float | None) -> None:
        self.countdown.setText("" if seconds is None else clock_text(seconds))
        self.extend_button.setEnabled(seconds is not None)

    def category(self) -> str:
        button = self.categories.checkedButton()
        return str(button.property("code")) if button is not None else ""

    def choose(self, code: str) -> None:
        for button in self.categories.buttons():
            if button.property("code") == code:
                button.setChecked(True)

    def _changed(self) -> None:
        self._update_done()
        self.entry_changed.emit(self.category(), self.note.toPlainText())

    def _update_done(self) -> None:
        self.done_button.setEnabled(bool(self.category()))

    def _finish(self) -> None:
        if self.isVisible() and self.category():
            self.finish_requested.emit(self.category(), self.note.toPlainText().strip())
