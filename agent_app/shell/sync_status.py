"""The status-bar corner that says who is logged in, whether the server is reachable (or sync
has stopped), and how many records wait in the outbox."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from agent_app.common.local_time import local_stamp
from sync.worker import SyncStatus


class SyncStatusWidget(QWidget):
    login_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.online_label = QLabel()
        self.online_label.setObjectName("onlineLabel")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pendingLabel")
        self.login_button = QPushButton(self.tr("Log in…"))
        self.login_button.setObjectName("statusLoginButton")
        self.login_button.setFlat(True)
        self.login_button.clicked.connect(self.login_clicked.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.user_label, self.online_label, self.pending_label, self.login_button):
            layout.addWidget(widget)
        self.set_user("", "")
        self.show_status(SyncStatus(), logged_in=False)

    def set_user(self, name: str, role_name: str) -> None:
        # Demo users are named after their role: "业务主管（演示）" needs no "（业务主管）".
        shown = name if not name or role_name in name else f"{name}（{role_name}）"
        self.user_label.setText(shown)
        self.user_label.setToolTip(role_name)
        self.user_label.setVisible(bool(name))
        self.login_button.setVisible(not name)

    def show_status(self, status: SyncStatus, logged_in: bool) -> None:
        if not logged_in:
            text, color = self.tr("Not logged in"), "#6b7280"
            tip = self.tr("Questions are kept and sent once you log in.")
        elif status.stopped:
            # The sync thread died: nothing goes out until the watchdog restarts it. Say so,
            # rather than 'Online' or 'Offline', which both promise that sync is trying.
            text, color = self.tr("Sync stopped"), "#b91c1c"
            tip = self.tr("Sending and receiving have stopped; restarting. %1").replace(
                "%1", status.last_error
            )
        elif status.auth_required:
            text, color = self.tr("Log in again"), "#b45309"
            tip = status.last_error
        elif status.online:
            text, color = self.tr("Online"), "#15803d"
            tip = self.tr("Last synchronised %1").replace("%1", local_stamp(status.last_sync_at))
        elif status.last_error:
            text, color = self.tr("Offline"), "#b91c1c"
            tip = status.last_error
        else:
            text, color = self.tr("Connecting…"), "#6b7280"
            tip = ""
        self.online_label.setText(f"● {text}")
        self.online_label.setStyleSheet(f"color: {color};")
        self.online_label.setToolTip(tip)
        self.pending_label.setText(self.tr("To send: %1").replace("%1", str(status.pending)))
        self.pending_label.setToolTip(
            self.tr("Questions and searches waiting to be sent to the server")
        )
