"""没帮助: the agent may say why in a few words, or not at all. It must not slow a call down: the
field has the focus, Enter sends, Esc skips (the vote is kept either way), and the usual
reasons are one click or Alt+1..3 away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

MAX_REASON = 500


class NotHelpfulDialog(QDialog):
    """Accepted: the reason typed or picked; rejected (Esc, 跳过): no reason."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notHelpfulDialog")
        self.setWindowTitle(self.tr("Not helpful"))
        layout = QVBoxLayout(self)
        prompt = QLabel(self.tr("Why was “%1” not helpful? (optional)").replace("%1", title))
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("notHelpfulReason")
        self.reason_edit.setMaxLength(MAX_REASON)
        self.reason_edit.setPlaceholderText(self.tr("Enter sends, Esc skips"))
        self.reason_edit.returnPressed.connect(self.accept)
        layout.addWidget(self.reason_edit)
        quick = QHBoxLayout()
        self.quick_buttons: list[QPushButton] = []
        for number, text in enumerate(
            (self.tr("Out of date"), self.tr("Wrong answer"), self.tr("Does not cover the case")),
            start=1,
        ):
            button = QPushButton(f"&{number} {text}")
            button.setObjectName(f"notHelpfulQuick{number}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, t=text: self.choose(t))
            quick.addWidget(button)
            self.quick_buttons.append(button)
        quick.addStretch(1)
        layout.addLayout(quick)
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton(
            self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.skip_button = buttons.addButton(
            self.tr("Skip"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.send_button.setObjectName("notHelpfulSend")
        self.skip_button.setObjectName("notHelpfulSkip")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self, text: str) -> None:
        """A usual reason, sent at once."""
        self.reason_edit.setText(text)
        self.accept()

    @property
    def reason(self) -> str:
        return (
            self.reason_edit.text().strip() if self.result() == QDialog.DialogCode.Accepted else ""
        )
