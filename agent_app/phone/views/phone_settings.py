"""设置 > 话机设置: SIP accounts, audio devices, shortcuts, auto-answer, wrap-up, recording and
codec order. Edits a copy; `saved` hands the result to the controller, which keeps passwords in
the keyring (never in the settings file) and applies the rest to the phone."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_app.phone.config import DEFAULT_CODECS, TRANSPORTS, AccountConfig, PhoneConfig
from agent_app.phone.media import AudioDevice
from agent_app.phone.prefs import CONFIGURABLE, DEFAULT_SHORTCUTS, conflicts

DeviceLister = Callable[[bool], list[AudioDevice] | None]  # refresh? -> devices (None: no phone)


@dataclass
class PhoneSettings:
    """What the dialog edits, and what it hands back."""

    config: PhoneConfig
    shortcuts: dict[str, str]
    wrap_up_enabled: bool = True
    wrap_up_limit_s: float = 30.0
    kept_passwords: set[str] = field(default_factory=set)  # account ids with a kept password
    # ...of which kept only until SeatDesk closes (no secure store on this computer)
    session_passwords: set[str] = field(default_factory=set)
    new_passwords: dict[str, str] = field(default_factory=dict)  # typed in this dialog
    removed: list[str] = field(default_factory=list)  # account ids deleted


class PhoneSettingsDialog(QDialog):
    saved = Signal(object)  # PhoneSettings

    def __init__(
        self, settings: PhoneSettings, devices: DeviceLister, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("phoneSettingsDialog")
        self.setWindowTitle(self.tr("Phone settings"))
        self.resize(640, 520)
        self.data = copy.deepcopy(settings)
        self.data.new_passwords = {}
        self.data.removed = []
        self._devices = devices
        self._loading = False
        self.tabs = QTabWidget()
        self.tabs.addTab(self._accounts_tab(), self.tr("Accounts"))
        self.tabs.addTab(self._audio_tab(), self.tr("Audio"))
        self.tabs.addTab(self._calls_tab(), self.tr("Calls"))
        self.tabs.addTab(self._shortcuts_tab(), self.tr("Shortcuts"))
        self.tabs.addTab(self._codecs_tab(), self.tr("Codecs"))
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fill_accounts()
        self._fill_devices(refresh=False)

    # -- accounts ---------------------------------------------------------------------------
    def _accounts_tab(self) -> QWidget:
        page = QWidget()
        self.account_list = QListWidget()
        self.account_list.setObjectName("accountList")
        self.account_list.currentRowChanged.connect(self._show_account)
        add = QPushButton(self.tr("Add"))
        add.setObjectName("addAccount")
        add.clicked.connect(self.add_account)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_account)
        self.default_button = QPushButton(self.tr("Make default"))
        self.default_button.clicked.connect(self.make_default)
        side = QVBoxLayout()
        side.addWidget(self.account_list, 1)
        for button in (add, self.remove_button, self.default_button):
            side.addWidget(button)
        self.label_edit = QLineEdit()
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("sipUser")
        self.domain_edit = QLineEdit()
        self.domain_edit.setObjectName("sipDomain")
        self.domain_edit.setPlaceholderText("pbx.example.com:5060")
        self.auth_edit = QLineEdit()
        self.auth_edit.setPlaceholderText(self.tr("Same as the user"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("sipPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # Whether a password is kept for the account: an empty field keeps it as it is.
        self.password_state = QLabel()
        self.password_state.setObjectName("sipPasswordState")
        self.display_edit = QLineEdit()
        self.transport_combo = QComboBox()
        for name in TRANSPORTS:
            self.transport_combo.addItem(name.upper(), name)
        self.proxy_edit = QLineEdit()
        self.proxy_edit.setPlaceholderText("sip:proxy.example.com;lr")
        self.stun_edit = QLineEdit()
        self.stun_edit.setPlaceholderText("stun.example.com:3478, …")
        self.ice_check = QCheckBox(self.tr("Use ICE"))
        self.expiry_spin = QSpinBox()
        self.expiry_spin.setRange(30, 86400)
        self.expiry_spin.setSuffix(self.tr(" s"))
        self.enabled_check = QCheckBox(self.tr("Enabled"))
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.addRow(self.tr("Name"), self.label_edit)
        form.addRow(self.tr("User / extension"), self.user_edit)
        form.addRow(self.tr("Domain"), self.domain_edit)
        form.addRow(self.tr("Auth user"), self.auth_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow(self.tr("Stored password"), self.password_state)
        form.addRow(self.tr("Display name"), self.display_edit)
        form.addRow(self.tr("Transport"), self.transport_combo)
        form.addRow(self.tr("Outbound proxy"), self.proxy_edit)
        form.addRow(self.tr("STUN servers"), self.stun_edit)
        form.addRow("", self.ice_check)
        form.addRow(self.tr("Registration expiry"), self.expiry_spin)
        form.addRow("", self.enabled_check)
        for edit in (
            self.label_edit,
            self.user_edit,
            self.domain_edit,
            self.auth_edit,
            self.password_edit,
            self.display_edit,
            self.proxy_edit,
            self.stun_edit,
        ):
            edit.textEdited.connect(self._store_account)
        self.transport_combo.currentIndexChanged.connect(self._store_account)
        self.ice_check.toggled.connect(self._store_account)
        self.expiry_spin.valueChanged.connect(self._store_account)
        self.enabled_check.toggled.connect(self._store_account)
        layout = QHBoxLayout(page)
        layout.addLayout(side, 2)
        layout.addWidget(self.form, 5)
        return page

    def _fill_accounts(self, select: int = 0) -> None:
        self.account_list.blockSignals(True)
        self.account_list.clear()
        for account in self.data.config.accounts:
            self.account_list.addItem(QListWidgetItem(self._account_title(account)))
        self.account_list.blockSignals(False)
        has = bool(self.data.config.accounts)
        self.form.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.default_button.setEnabled(has)
        if has:
            self.account_list.setCurrentRow(min(select, len(self.data.config.accounts) - 1))
            self._show_account(self.account_list.currentRow())

    def _account_title(self, account: AccountConfig) -> str:
        name = account.label or (f"{account.user}@{account.domain}" if account.user else "—")
        # Outside the f-string: lupdate does not see a tr() inside one (it went untranslated).
        default = self.tr("(default)")
        return f"{name} {default}" if account.default else name

    def _current(self) -> AccountConfig | None:
        row = self.account_list.currentRow()
        accounts = self.data.config.accounts
        return accounts[row] if 0 <= row < len(accounts) else None

    def _show_account(self, _row: int) -> None:
        account = self._current()
        if account is None:
            return
        self._loading = True
        self.label_edit.setText(account.label)
        self.user_edit.setText(account.user)
        self.domain_edit.setText(account.domain)
        self.auth_edit.setText(account.auth_user)
        self.password_edit.setText(self.data.new_passwords.get(account.id, ""))
        self._show_password_state(account)
        self.display_edit.setText(account.display_name)
        self.transport_combo.setCurrentIndex(self.transport_combo.findData(account.transport))
        self.proxy_edit.setText(account.outbound_proxy)
        self.stun_edit.setText(", ".join(account.stun_servers))
        self.ice_check.setChecked(account.ice)
        self.expiry_spin.setValue(account.reg_expiry_s)
        self.enabled_check.setChecked(account.enabled)
        self._loading = False

    def _show_password_state(self, account: AccountConfig) -> None:
        kept = account.id in self.data.kept_passwords
        typed = bool(self.data.new_passwords.get(account.id))
        self.password_edit.setPlaceholderText(
            self.tr("Leave empty to keep the stored password") if kept else ""
        )
        if typed:
            text, colour = self.tr("New password, saved with these settings"), "#b45309"
        elif account.id in self.data.session_passwords:
            text, colour = self.tr("Not saved: used until SeatDesk closes"), "#b45309"
        elif kept:
            text, colour = self.tr("Saved"), "#15803d"
        else:
            text, colour = self.tr("Not saved"), "#b91c1c"
        self.password_state.setText(text)
        self.password_state.setStyleSheet(f"color: {colour};")

    def _store_account(self) -> None:
        account = self._current()
        if account is None or self._loading:
            return
        account.label = self.label_edit.text().strip()
        account.user = self.user_edit.text().strip()
        account.domain = self.domain_edit.text().strip()
        account.auth_user = self.auth_edit.text().strip()
        if self.password_edit.text():
            self.data.new_passwords[account.id] = self.password_edit.text()
            self._show_password_state(account)
        account.display_name = self.display_edit.text().strip()
        account.transport = str(self.transport_combo.currentData())
        account.outbound_proxy = self.proxy_edit.text().strip()
        account.stun_servers = [s.strip() for s in self.stun_edit.text().split(",") if s.strip()]
        account.ice = self.ice_check.isChecked()
        account.reg_expiry_s = self.expiry_spin.value()
        account.enabled = self.enabled_check.isChecked()
        item = self.account_list.currentItem()
        if item is not None:
            item.setText(self._account_title(account))

    def add_account(self) -> None:
        accounts = self.data.config.accounts
        ids = {a.id for a in accounts}
        new_id = "default" if "default" not in ids else f"acc-{uuid.uuid4().hex[:8]}"
        accounts.append(AccountConfig(id=new_id, default=not accounts))
        self._fill_accounts(select=len(accounts) - 1)
        self.user_edit.setFocus()

    def remove_account(self) -> None:
        account = self._current()
        if account is None:
            return
        self.data.config.accounts.remove(account)
        self.data.new_passwords.pop(account.id, None)
        self.data.removed.append(account.id)
        if account.default and self.data.config.accounts:
            self.data.config.accounts[0].default = True
        self._fill_accounts()

    def make_default(self) -> None:
        current = self._current()
        for account in self.data.config.accounts:
            account.default = account is current
        self._fill_accounts(select=self.account_list.currentRow())

    # -- audio ------------------------------------------------------------------------------
    def _audio_tab(self) -> QWidget:
        page = QWidget()
        self.microphone_combo = QComboBox()
        self.microphone_combo.setObjectName("microphoneCombo")
        self.speaker_combo = QComboBox()
        self.speaker_combo.setObjectName("speakerCombo")
        self.ringer_combo = QComboBox()
        self.ringer_combo.setObjectName("ringerCombo")
        self.refresh_button = QPushButton(self.tr("Refresh devices"))
        self.refresh_button.setObjectName("refreshDevices")
        self.refresh_button.clicked.connect(lambda: self._fill_devices(refresh=True))
        self.audio_note = QLabel()
        self.audio_note.setWordWrap(True)
        self.audio_note.setStyleSheet("color: #64748b;")
        form = QFormLayout(page)
        form.addRow(self.tr("Microphone"), self.microphone_combo)
        form.addRow(self.tr("Speaker / headset"), self.speaker_combo)
        form.addRow(self.tr("Ringer"), self.ringer_combo)
        form.addRow("", self.refresh_button)
        form.addRow("", self.audio_note)
        return page

    def _fill_devices(self, refresh: bool) -> None:
        devices = self._devices(refresh)
        audio = self.data.config.audio
        note = ""
        if devices is None:
            devices = []
            note = self.tr("The phone is not running: devices are listed once it starts.")
        elif not devices:
            note = self.tr("No sound device found: calls connect without sound.")
        self.audio_note.setText(note)
        for combo, wanted, inputs, default in (
            (self.microphone_combo, audio.microphone, True, self.tr("System default")),
            (self.speaker_combo, audio.speaker, False, self.tr("System default")),
            (self.ringer_combo, audio.ringer, False, self.tr("Same as the speaker")),
        ):
            combo.clear()
            combo.addItem(default, "")
            for device in devices:
                if (device.inputs if inputs else device.outputs) > 0:
                    combo.addItem(device.name, device.name)
            if wanted and combo.findData(wanted) < 0:
                combo.addItem(self.tr("%1 (not connected)").replace("%1", wanted), wanted)
            combo.setCurrentIndex(max(0, combo.findData(wanted)))

    # -- calls: auto-answer, wrap-up, recording ---------------------------------------------
    def _calls_tab(self) -> QWidget:
        page = QWidget()
        config = self.data.config
        self.auto_check = QCheckBox(self.tr("Answer calls automatically"))
        self.auto_check.setObjectName("autoAnswer")
        self.auto_check.setChecked(config.auto_answer.enabled)
        self.auto_delay = QDoubleSpinBox()
        self.auto_delay.setRange(0, 30)
        self.auto_delay.setSuffix(self.tr(" s"))
        self.auto_delay.setValue(config.auto_answer.delay_s)
        self.honour_check = QCheckBox(
            self.tr("Answer when the server asks (intercom, answer-after)")
        )
        self.honour_check.setChecked(config.auto_answer.honour_server_request)
        self.wrap_check = QCheckBox(self.tr("Wrap-up after each connected call"))
        self.wrap_check.setObjectName("wrapUpEnabled")
        self.wrap_check.setChecked(self.data.wrap_up_enabled)
        self.wrap_spin = QSpinBox()
        self.wrap_spin.setRange(5, 600)
        self.wrap_spin.setSuffix(self.tr(" s"))
        self.wrap_spin.setValue(int(self.data.wrap_up_limit_s))
        self.record_combo = QComboBox()
        self.record_combo.setObjectName("recordingPolicy")
        self.record_combo.addItem(self.tr("When the agent presses Record"), "button")
        self.record_combo.addItem(self.tr("Every call, from the answer"), "always")
        self.record_combo.setCurrentIndex(
            max(0, self.record_combo.findData(config.recording.policy))
        )
        self.folder_edit = QLineEdit(config.recording.folder)
        self.folder_edit.setPlaceholderText(self.tr("The data folder's 'recordings'"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(browse)
        form = QFormLayout(page)
        form.addRow(self.tr("Auto-answer"), self.auto_check)
        form.addRow(self.tr("After"), self.auto_delay)
        form.addRow("", self.honour_check)
        form.addRow(self.tr("Wrap-up"), self.wrap_check)
        form.addRow(self.tr("Wrap-up time"), self.wrap_spin)
        form.addRow(self.tr("Recording"), self.record_combo)
        form.addRow(self.tr("Recordings folder"), folder)
        self.ca_edit = QLineEdit(config.tls_ca_file)
        self.ca_edit.setObjectName("tlsCaFile")
        self.ca_edit.setPlaceholderText(
            self.tr("Public CAs (for a center's own CA, pick its file)")
        )
        ca_browse = QPushButton(self.tr("Browse…"))
        ca_browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(ca_browse)
        self.verify_check = QCheckBox(self.tr("Refuse servers whose certificate does not verify"))
        self.verify_check.setObjectName("tlsVerify")
        self.verify_check.setChecked(config.tls_verify_server)
        form.addRow(self.tr("TLS CA certificates"), ca_row)
        form.addRow("", self.verify_check)
        return page

    def _browse_ca(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("TLS CA certificates"), "", self.tr("Certificates (*.pem *.crt)")
        )
        if chosen:
            self.ca_edit.setText(chosen)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Recordings folder"))
        if chosen:
            self.folder_edit.setText(chosen)

    # -- shortcuts --------------------------------------------------------------------------
    def _shortcuts_tab(self) -> QWidget:
        page = QWidget()
        names = {
            "answer": self.tr("Answer"),
            "hangup": self.tr("Hang up"),
            "hold": self.tr("Hold / resume"),
            "mute": self.tr("Mute"),
            "transfer": self.tr("Transfer"),
            "consult": self.tr("Consult / complete transfer"),
            "reject": self.tr("Reject"),
        }
        self.shortcut_edits: dict[str, QKeySequenceEdit] = {}
        form = QFormLayout(page)
        for action in CONFIGURABLE:
            edit = QKeySequenceEdit(QKeySequence(self.data.shortcuts.get(action, "")))
            edit.setObjectName(f"shortcut_{action}")
            self.shortcut_edits[action] = edit
            form.addRow(names[action], edit)
        reset = QPushButton(self.tr("Restore defaults"))
        reset.clicked.connect(self._reset_shortcuts)
        form.addRow("", reset)
        return page

    def _reset_shortcuts(self) -> None:
        for action, edit in self.shortcut_edits.items():
            edit.setKeySequence(QKeySequence(DEFAULT_SHORTCUTS[action]))

    # -- codecs -----------------------------------------------------------------------------
    def _codecs_tab(self) -> QWidget:
        page = QWidget()
        self.codec_list = QListWidget()
        self.codec_list.setObjectName("codecList")
        wanted = self.data.config.codecs
        for codec in wanted + [c for c in DEFAULT_CODECS if c not in wanted]:
            item = QListWidgetItem(codec)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if codec in wanted else Qt.CheckState.Unchecked
            )
            self.codec_list.addItem(item)
        up = QPushButton(self.tr("Up"))
        up.clicked.connect(lambda: self._move_codec(-1))
        down = QPushButton(self.tr("Down"))
        down.clicked.connect(lambda: self._move_codec(1))
        side = QVBoxLayout()
        side.addWidget(up)
        side.addWidget(down)
        side.addStretch(1)
        layout = QHBoxLayout(page)
        layout.addWidget(self.codec_list, 1)
        layout.addLayout(side)
        return page

    def _move_codec(self, step: int) -> None:
        row = self.codec_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.codec_list.count():
            return
        item = self.codec_list.takeItem(row)
        self.codec_list.insertItem(target, item)
        self.codec_list.setCurrentRow(target)

    # -- saving -----------------------------------------------------------------------------
    def result_settings(self) -> PhoneSettings:
        data = copy.deepcopy(self.data)
        config = data.config
        audio = config.audio
        audio.microphone = str(self.microphone_combo.currentData() or "")
        audio.speaker = str(self.speaker_combo.currentData() or "")
        audio.ringer = str(self.ringer_combo.currentData() or "")
        config.auto_answer.enabled = self.auto_check.isChecked()
        config.auto_answer.delay_s = self.auto_delay.value()
        config.auto_answer.honour_server_request = self.honour_check.isChecked()
        config.recording.policy = str(self.record_combo.currentData())
        config.recording.folder = self.folder_edit.text().strip()
        config.tls_ca_file = self.ca_edit.text().strip()
        config.tls_verify_server = self.verify_check.isChecked()
        config.codecs = [
            self.codec_list.item(i).text()
            for i in range(self.codec_list.count())
            if self.codec_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        data.wrap_up_enabled = self.wrap_check.isChecked()
        data.wrap_up_limit_s = float(self.wrap_spin.value())
        for action, edit in self.shortcut_edits.items():
            data.shortcuts[action] = edit.keySequence().toString(
                QKeySequence.SequenceFormat.PortableText
            )
        for account in config.accounts:
            account.password = ""
        return data

    def problems(self, data: PhoneSettings) -> list[str]:
        found = []
        for account in data.config.accounts:
            if account.enabled and (not account.user or not account.domain):
                found.append(self.tr("Every enabled account needs a user and a domain."))
                break
        if not data.config.codecs:
            found.append(self.tr("Choose at least one codec."))
        clashes = conflicts({a: data.shortcuts.get(a, "") for a in DEFAULT_SHORTCUTS})
        if clashes:
            found.append(
                self.tr("These shortcuts are the same keys: %1").replace(
                    "%1", ", ".join(f"{a} / {b}" for a, b in clashes)
                )
            )
        return found

    def _save(self) -> None:
        data = self.result_settings()
        problems = self.problems(data)
        self.error.setText("\n".join(problems))
        if problems:
            return
        self.saved.emit(data)
        self.accept()


def password_prompt(account: str, parent: QWidget | None = None) -> QInputDialog:
    """Asks for a SIP password at registration where the OS has no secure store to keep it."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("sipPasswordPrompt")
    dialog.setWindowTitle(QCoreApplication.translate("PhoneSettingsDialog", "Phone password"))
    dialog.setLabelText(
        QCoreApplication.translate(
            "PhoneSettingsDialog",
            "This computer has no secure password store, so the phone's password is not kept.\n"
            "Enter the password of %1 (used until SeatDesk closes):",
        ).replace("%1", account)
    )
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    return dialog
