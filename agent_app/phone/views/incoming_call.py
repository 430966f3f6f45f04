"""The incoming-call banner under the phone bar: who calls (masked where policy says so), the
queue, this customer's past calls, and Answer / Reject (the phone bar's own actions, so the
same shortcuts work). The tray notification is sent by the controller beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

STYLE = """
#incomingBanner { background: #fffbeb; border-top: 1px solid #fcd34d;
    border-bottom: 2px solid #f59e0b; }
#incomingTitle { color: #b45309; font-weight: 700; font-size: 13px; }
#incomingNumber { color: #0f172a; font-weight: 700; font-size: 18px; }
#incomingDetail { color: #475569; }
#incomingHistory { color: #334155; }
#incomingBanner QToolButton { font-size: 14px; padding: 6px 18px; border-radius: 6px;
    font-weight: 600; }
#bannerAnswer { background: #16a34a; color: white; border: 1px solid #15803d; }
#bannerAnswer:hover { background: #15803d; }
#bannerReject { background: white; color: #b91c1c; border: 1px solid #fca5a5; }
"""


class IncomingCallBanner(QFrame):
    def __init__(self, answer: QAction, reject: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incomingBanner")
        icon = QLabel("☎")
        icon.setStyleSheet("font-size: 26px; color: #d97706;")
        self.title = QLabel()
        self.title.setObjectName("incomingTitle")
        self.number = QLabel()
        self.number.setObjectName("incomingNumber")
        self.detail = QLabel()
        self.detail.setObjectName("incomingDetail")
        self.history = QLabel()
        self.history.setObjectName("incomingHistory")
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setWordWrap(True)
        who = QVBoxLayout()
        who.setSpacing(0)
        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.title)
        head.addWidget(self.number)
        head.addWidget(self.detail)
        head.addStretch(1)
        who.addLayout(head)
        who.addWidget(self.history)
        self.answer_button = QToolButton()
        self.answer_button.setObjectName("bannerAnswer")
        self.answer_button.setDefaultAction(answer)
        self.reject_button = QToolButton()
        self.reject_button.setObjectName("bannerReject")
        self.reject_button.setDefaultAction(reject)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(12)
        layout.addWidget(icon)
        layout.addLayout(who, 1)
        layout.addWidget(self.answer_button)
        layout.addWidget(self.reject_button)
        self.setStyleSheet(STYLE)

    def show_call(self, number: str, display: str, queue: str, waiting: bool, more: int) -> None:
        title = self.tr("Call waiting") if waiting else self.tr("Incoming call")
        self.title.setText(title)
        self.number.setText(number)
        details = [
            d for d in (display, self.tr("Queue: %1").replace("%1", queue) if queue else "") if d
        ]
        if more:
            details.append(self.tr("%n more ringing", "", more))
        self.detail.setText("  ·  ".join(details))
        self.history.setText(self.tr("Looking up past calls…"))

    def show_history(self, lines: list[str], total: int) -> None:
        if not total:
            self.history.setText(self.tr("No earlier calls from this number."))
            return
        head = self.tr("%n earlier call(s):", "", total)
        self.history.setText(f"{head}  " + "  |  ".join(lines))
