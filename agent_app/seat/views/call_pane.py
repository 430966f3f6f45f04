"""The call and customer pane (通话与客户): who is on the line now (number, name, queue, state)
and what happened on their earlier calls, and below it the wrap-up form once the call ends.
It sits left of the knowledge base, so an agent on a call sees the customer and the articles
together.

Layout only: the controller (agent_app/seat/qt/call_pane.py) says what to show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QVBoxLayout, QWidget

MIN_WIDTH = 296  # the wrap-up form's own minimum, and the pane's margins

STYLE = """
#callPaneCard { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 8px; }
#callPaneNumber { font-size: 18px; font-weight: 700; color: #0f172a; }
#callPaneName { font-size: 14px; color: #334155; }
#callPaneDetail { color: #64748b; }
#callPaneHistoryTitle { color: #334155; font-weight: 600; margin-top: 6px; }
"""


class CallPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callPane")
        self.setMinimumWidth(MIN_WIDTH)
        self.card = QFrame()
        self.card.setObjectName("callPaneCard")
        self.number = QLabel()
        self.number.setObjectName("callPaneNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name = QLabel()
        self.name.setObjectName("callPaneName")
        self.name.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("callPaneDetail")
        self.detail.setWordWrap(True)
        self.history_title = QLabel(self.tr("Earlier calls"))
        self.history_title.setObjectName("callPaneHistoryTitle")
        self.history = QListWidget()
        self.history.setObjectName("callPaneHistory")
        self.history.setWordWrap(True)
        self.history.setMaximumHeight(150)
        card = QVBoxLayout(self.card)
        card.setContentsMargins(10, 8, 10, 8)
        card.addWidget(self.number)
        card.addWidget(self.name)
        card.addWidget(self.detail)
        card.addWidget(self.history_title)
        card.addWidget(self.history)
        self.main = QVBoxLayout(self)
        self.main.setContentsMargins(4, 4, 4, 4)
        self.main.addWidget(self.card)
        self.main.addStretch(1)
        self.setStyleSheet(STYLE)
        self.show_call("", "", "")

    def set_wrap_up_panel(self, panel: QWidget) -> None:
        """The wrap-up form lives below the customer (shown only during after-call work)."""
        self.main.insertWidget(1, panel, 1)

    def show_call(self, number: str, name: str, detail: str) -> None:
        """The customer on the line ('' number: no call)."""
        self.card.setVisible(bool(number))
        self.number.setText(number)
        self.name.setText(name)
        self.name.setVisible(bool(name))
        self.detail.setText(detail)

    def show_ended(self) -> None:
        self.detail.setText(self.tr("Call ended — wrap-up"))

    def show_history(self, lines: list[str] | None) -> None:
        """Earlier calls, newest first (None: still being looked up)."""
        self.history.clear()
        if lines is None:
            self.history.addItem(self.tr("Looking up earlier calls…"))
        elif not lines:
            self.history.addItem(self.tr("No earlier calls from this number."))
        else:
            self.history.addItems(lines)
