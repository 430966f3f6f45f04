"""The dialog a user whose password must be replaced sees right after logging in (the first
administrator, whose password was generated, or anyone an admin flagged): the new password
twice, the rules it must meet, and the server's answer. It only lays out and reports; the
session controller calls the server off the GUI thread and tells it what happened."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agent_app.shell.dialog_feedback import grow_to_fit
from common import passwords


class ChangePasswordDialog(QDialog):
    change_requested = Signal(str)  # the new password, typed the same twice and long enough

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("Choose a new password"))
        self.setMinimumWidth(440)
        intro = self._label("changePasswordIntro", "")
        intro.setText(
            self.tr(
                "%1 must replace the password before using SeatDesk: it was generated, or an "
                "administrator asked for a new one."
            ).replace("%1", username)
        )
        intro.show()
        self.rules_label = self._label("changePasswordRules", "color: #374151;")
        self.rules_label.setText(
            self.tr(
                "At least %1 characters (spaces at either end do not count), and not the "
                "password you just logged in with."
            ).replace("%1", str(passwords.MIN_LENGTH))
        )
        self.rules_label.show()
        self.new_edit = self._password("changePasswordNew")
        self.repeat_edit = self._password("changePasswordRepeat")
        self.error_label = self._label("changePasswordError", "color: #b91c1c; font-weight: 600;")
        self.busy_label = self._label("changePasswordBusy", "color: #6b7280;")

        form = QFormLayout()
        form.addRow(self.tr("New password"), self.new_edit)
        form.addRow(self.tr("New password again"), self.repeat_edit)
        self.buttons = QDialogButtonBox()
        self.change_button = self.buttons.addButton(
            self.tr("Change password"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.change_button.setObjectName("changePasswordButton")
        self.change_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel and log out"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("changePasswordCancel")
        self.buttons.accepted.connect(self._request)
        self.buttons.rejected.connect(self.reject)

        layout = self.main_layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.rules_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.buttons)
        self.new_edit.setFocus()

    def _label(self, name: str, style: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        if style:
            label.setStyleSheet(style + " padding: 4px;")
        label.hide()
        return label

    def _password(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(passwords.MAX_LENGTH)
        return edit

    # -- what the controller tells it ---------------------------------------------------------
    def set_busy(self, busy: bool, message: str = "") -> None:
        self.change_button.setEnabled(not busy)
        for edit in (self.new_edit, self.repeat_edit):
            edit.setReadOnly(busy)
        self.busy_label.setText(message)
        self.busy_label.setVisible(busy and bool(message))
        self._grow()

    def show_error(self, message: str) -> None:
        """The user types again: both fields are emptied, the first has the focus."""
        self.set_busy(False)
        self.error_label.setText(message)
        self.error_label.show()
        self.new_edit.clear()
        self.repeat_edit.clear()
        self.new_edit.setFocus()
        self._grow()

    def _grow(self) -> None:
        grow_to_fit(self, self.main_layout)

    # -- what the user does -------------------------------------------------------------------
    def _request(self) -> None:
        new, repeat = self.new_edit.text(), self.repeat_edit.text()
        if not new:
            self.new_edit.setFocus()
            return
        if new != repeat:
            self.show_error(self.tr("The two passwords are not the same; type them again."))
            return
        if passwords.too_short(new):
            self.show_error(
                self.tr("The new password needs at least %1 characters.").replace(
                    "%1", str(passwords.MIN_LENGTH)
                )
            )
            return
        self.error_label.clear()
        self.error_label.hide()
        self.change_requested.emit(new)
