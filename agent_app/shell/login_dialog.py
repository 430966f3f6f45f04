"""The login dialog: server, user name, password, 'remember'. It only lays out and reports;
the session controller logs in off the GUI thread and tells it what happened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agent_app.shell.dialog_feedback import grow_to_fit


class LoginDialog(QDialog):
    login_requested = Signal(str, str, str, bool)  # server URL, user name, password, remember

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Log in to SeatDesk"))
        self.setMinimumWidth(440)
        self.server_edit = QLineEdit()
        self.server_edit.setObjectName("loginServer")
        self.server_edit.setPlaceholderText(self.tr("Empty: the built-in service on this computer"))
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("loginUsername")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("loginPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox(self.tr("Remember password"))
        self.remember_check.setObjectName("loginRemember")
        self.keyring_note = self._note("loginKeyringNote", "color: #92400e;")
        self.demo_note = self._note("loginDemoNote", "color: #1e3a8a; background: #eff6ff;")
        self.error_label = self._note("loginError", "color: #b91c1c; font-weight: 600;")
        self.busy_label = self._note("loginBusy", "color: #6b7280;")

        form = QFormLayout()
        form.addRow(self.tr("Server address"), self.server_edit)
        form.addRow(self.tr("User name"), self.username_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow("", self.remember_check)
        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(
            self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        later = self.buttons.addButton(self.tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setToolTip(self.tr("Keep working without logging in; questions wait in the outbox."))
        self.buttons.accepted.connect(self._request)
        self.buttons.rejected.connect(self.reject)

        layout = self.main_layout = QVBoxLayout(self)
        layout.addWidget(self.demo_note)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.buttons)

    def _note(self, name: str, style: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(style + " padding: 4px;")
        label.hide()
        return label

    # -- what the controller tells it ---------------------------------------------------------
    def set_values(self, server_url: str, username: str, remember: bool) -> None:
        self.server_edit.setText(server_url)
        self.username_edit.setText(username)
        self.remember_check.setChecked(remember)
        (self.password_edit if username else self.username_edit).setFocus()

    def set_secure_storage(self, available: bool) -> None:
        if available:
            self.remember_check.setText(self.tr("Remember password"))
            self.keyring_note.hide()
            return
        self.remember_check.setText(self.tr("Remember user name"))
        self.keyring_note.setText(
            self.tr(
                "This computer has no secure password store, so only the user name is "
                "remembered; the password is asked for at each start."
            )
        )
        self.keyring_note.show()
        self._grow()

    def show_demo_note(self, usernames: tuple[str, ...], password: str, admin_file: Path) -> None:
        """First start of the built-in service: say how to log in."""
        text = self.tr(
            "The built-in service has just been set up. Demo users: %1; their password: %2. "
            "The administrator's password is in %3."
        )
        text = (
            text.replace("%1", ", ".join(usernames))
            .replace("%2", password)
            .replace("%3", str(admin_file))
        )
        self.demo_note.setText(text)
        self.demo_note.show()
        self._grow()

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.login_button.setEnabled(not busy)
        for edit in (self.server_edit, self.username_edit, self.password_edit):
            edit.setReadOnly(busy)
        self.busy_label.setText(message)
        self.busy_label.setVisible(busy and bool(message))
        self._grow()

    def show_error(self, message: str) -> None:
        """Keep everything typed; the password is selected, ready to be typed again."""
        self.set_busy(False)
        self.error_label.setText(message)
        self.error_label.show()
        self._grow()
        self.password_edit.setFocus()
        self.password_edit.selectAll()

    def _grow(self) -> None:
        grow_to_fit(self, self.main_layout)

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # -- what the user does -------------------------------------------------------------------
    def _request(self) -> None:
        username = self.username_edit.text().strip()
        if not username:
            self.username_edit.setFocus()
            return
        if not self.password_edit.text():
            self.password_edit.setFocus()
            return
        self.clear_error()
        self.login_requested.emit(
            self.server_edit.text().strip(),
            username,
            self.password_edit.text(),
            self.remember_check.isChecked(),
        )
