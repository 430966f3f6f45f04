"""设置 > 话机设置 on the Qt side: opens the dialog (after asking the keyring, off the GUI thread,
which accounts have a kept password), keeps what the agent saved in the one settings file and
new passwords in the keyring only, then hands the phone its new configuration."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from agent_app.common.settings import Settings
from agent_app.phone import credentials as phone_credentials
from agent_app.phone.config import PhoneConfig
from agent_app.phone.prefs import DEFAULT_SHORTCUTS, shortcuts
from agent_app.phone.views.phone_settings import DeviceLister, PhoneSettings, PhoneSettingsDialog
from agent_app.shell.taskman import TaskManager, op

log = logging.getLogger(__name__)


class PhoneSettingsFlow(QObject):
    saved = Signal(object)  # PhoneSettings, as the agent saved them (no passwords)
    ready = Signal(object, bool)  # the PhoneConfig with passwords; whether the keyring kept them

    def __init__(
        self,
        taskman: TaskManager,
        settings: Settings,
        data_dir: Path,
        window: QWidget,
        current: Callable[[], PhoneSettings],
        devices: DeviceLister,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.settings = settings
        self.data_dir = data_dir
        self.window = window
        self._current = current
        self._devices = devices
        self.dialog: PhoneSettingsDialog | None = None
        self.closed = False
        # Passwords the keyring could not keep (no secure store here), by account id: used
        # until SeatDesk closes, and kept across re-saves of the dialog.
        self.session_passwords: dict[str, str] = {}

    def open(self) -> None:
        data = self._current()
        accounts = [a.id for a in data.config.accounts]

        session = set(self.session_passwords)

        def kept() -> set[str]:
            return {a for a in accounts if a in session or phone_credentials.load_password(a)}

        op(kept).success(lambda ids: self._show(data, ids)).run(self.taskman, executor="net")

    def _show(self, data: PhoneSettings, kept: set[str]) -> None:
        if self.closed:
            return
        if self.dialog is not None:
            self.dialog.raise_()
            return
        data.kept_passwords = kept
        data.session_passwords = {a for a in kept if a in self.session_passwords}
        dialog = self.dialog = PhoneSettingsDialog(data, self._devices, self.window)
        dialog.saved.connect(self.apply)
        dialog.finished.connect(self._closed)
        dialog.open()

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def close(self) -> None:
        self.closed = True
        if self.dialog is not None:
            self.dialog.close()

    def apply(self, data: PhoneSettings) -> None:
        """Keep the settings (the file on the db executor, passwords in the keyring on the
        net one), announce them at once, and the configuration with passwords when ready."""
        settings = self.settings
        settings.phone = data.config.to_dict()
        settings.phone_shortcuts = {
            k: v for k, v in data.shortcuts.items() if DEFAULT_SHORTCUTS.get(k) != v
        }
        settings.wrap_up_enabled = data.wrap_up_enabled
        settings.wrap_up_limit_s = data.wrap_up_limit_s
        data_dir = self.data_dir
        op(lambda: settings.save(data_dir)).run(self.taskman)
        self.saved.emit(data)
        config = data.config
        # An empty field never overwrites a kept secret: only passwords typed now are saved,
        # and an account still configured is never forgotten (a removed id added again).
        new = {a: p for a, p in data.new_passwords.items() if p}
        present = {a.id for a in config.accounts}
        removed = [a for a in data.removed if a not in present]
        for account_id in removed:
            self.session_passwords.pop(account_id, None)
        session = dict(self.session_passwords)

        def keep() -> tuple[PhoneConfig, bool, dict[str, str]]:
            for account_id in removed:
                phone_credentials.forget_password(account_id)
            unkept = {a: p for a, p in new.items() if not phone_credentials.save_password(a, p)}
            typed = copy.deepcopy(config)
            for account in typed.accounts:  # typed now, else kept this session, else keyring
                account.password = new.get(account.id) or session.get(account.id, "")
            return phone_credentials.with_passwords(typed), not unkept, unkept

        op(keep).success(self._kept).run(self.taskman, "net")

    def _kept(self, result: tuple[PhoneConfig, bool, dict[str, str]]) -> None:
        config, kept, unkept = result
        self.session_passwords.update(unkept)
        self.ready.emit(config, kept)


def current_settings(
    settings: Settings, config: PhoneConfig, wrap_up_limit_s: float
) -> PhoneSettings:
    """What the dialog starts from."""
    return PhoneSettings(
        config=copy.deepcopy(config),
        shortcuts=shortcuts(settings.phone_shortcuts),
        wrap_up_enabled=settings.wrap_up_enabled,
        wrap_up_limit_s=wrap_up_limit_s,
    )
