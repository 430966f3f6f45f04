"""A password that must be replaced first (the first administrator's generated one): after
logging in, the app asks for a new one, the server's rules and refusals are shown in Chinese,
and the login goes on with the new password; cancelling logs out. Against a real backend
over HTTP, in the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from agent_app.common.settings import Settings
from agent_app.shell.change_password_dialog import ChangePasswordDialog
from common.demo_accounts import CREDENTIALS_FILE
from sync.api_client import ApiClient, ApiError, AuthError
from tests.agent_app.conftest import make_data_dir
from tests.agent_app.shell.test_login import login_dialog, submit
from tests.helpers.backend import TestBackend, admin_password
from tests.helpers.corpus import SMALL_CORPUS

CHOSEN = "Admin-chosen-2026"


@pytest.fixture
def fresh_backend(tmp_path: Path) -> Iterator[TestBackend]:
    """A backend at its first start: its admin must replace the generated password."""
    (tmp_path / "srv").mkdir()
    running = TestBackend(tmp_path / "srv")
    running.start()
    yield running
    running.stop()


def password_dialog(qtbot, controller) -> ChangePasswordDialog:  # type: ignore[no-untyped-def]
    session = controller.session
    qtbot.waitUntil(
        lambda: session.password_dialog is not None and session.password_dialog.isVisible(),
        timeout=15_000,
    )
    assert session.password_dialog is not None
    return session.password_dialog


def type_new(qtbot, dialog: ChangePasswordDialog, new: str, repeat: str) -> None:  # type: ignore[no-untyped-def]
    dialog.new_edit.clear()
    dialog.repeat_edit.clear()
    qtbot.keyClicks(dialog.new_edit, new)
    qtbot.keyClicks(dialog.repeat_edit, repeat)
    dialog.change_button.click()


def error_shown(qtbot, dialog: ChangePasswordDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: text in dialog.error_label.text(), timeout=10_000)
    assert dialog.error_label.isVisible()
    assert dialog.isVisible()


def shown_password_dialogs() -> list[ChangePasswordDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, ChangePasswordDialog) and w.isVisible()
    ]


def start(tmp_path: Path, start_app, backend: TestBackend):  # type: ignore[no-untyped-def]
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    settings = Settings(search_log_idle_ms=50, server_url=backend.url)
    return folder, start_app(folder, connect=True, settings=settings)


def test_the_first_admin_chooses_a_password_and_the_login_goes_on(
    qtbot, tmp_path, start_app, memory_keyring, fresh_backend
) -> None:  # type: ignore[no-untyped-def]
    generated = admin_password(fresh_backend.data_dir)
    folder, controller = start(tmp_path, start_app, fresh_backend)
    login = login_dialog(qtbot, controller)
    submit(qtbot, login, "admin", generated, remember=True)

    dialog = password_dialog(qtbot, controller)
    assert not login.isVisible()
    assert controller.login is None, "nothing else works for this session yet"
    assert memory_keyring.entries == {}, "the generated password is never remembered"
    assert "8" in dialog.rules_label.text() and "至少" in dialog.rules_label.text()
    pending = controller.session.pending
    with pytest.raises(ApiError) as refused:  # what the app got before this dialog existed
        pending.client.questions()
    assert refused.value.status == 403

    # Checked here first: two different entries, a short one.
    type_new(qtbot, dialog, CHOSEN, CHOSEN + "x")
    error_shown(qtbot, dialog, "两次输入的密码不一致")
    type_new(qtbot, dialog, "short", "short")
    error_shown(qtbot, dialog, "至少 8 个字符")
    # Refused by the server, in its own (Chinese) words.
    type_new(qtbot, dialog, generated, generated)
    error_shown(qtbot, dialog, "新密码不能与当前密码相同")
    assert controller.login is None

    type_new(qtbot, dialog, CHOSEN, CHOSEN)
    qtbot.waitUntil(lambda: controller.login is not None, timeout=15_000)
    assert controller.session.password_dialog is None
    assert not shown_password_dialogs()
    assert controller.session.pending is None
    session = controller.login.session
    assert (session.username, session.role, session.must_change_password) == (
        "admin",
        "admin",
        False,
    )
    # The same session now works, and the app is logged in with it.
    assert controller.login.client.questions().total >= 0
    qtbot.waitUntil(lambda: controller.sync.running, timeout=15_000)
    qtbot.waitUntil(lambda: controller.window.sync_status.online_label.text().endswith("在线"))
    # The new password is the one remembered, and the only one that logs in.
    assert memory_keyring.entries == {("SeatDesk", f"{fresh_backend.url}/admin"): CHOSEN}
    qtbot.waitUntil(lambda: Settings.load(folder).remember_password, timeout=5_000)
    assert not (fresh_backend.data_dir / CREDENTIALS_FILE).exists()
    check = ApiClient(fresh_backend.url)
    try:
        with pytest.raises(AuthError):
            check.login("admin", generated)
        assert not check.login("admin", CHOSEN).must_change_password
    finally:
        check.close()


def test_cancel_logs_out_and_a_later_change_is_not_remembered_unless_asked(
    qtbot, tmp_path, start_app, memory_keyring, fresh_backend
) -> None:  # type: ignore[no-untyped-def]
    generated = admin_password(fresh_backend.data_dir)
    _folder, controller = start(tmp_path, start_app, fresh_backend)
    login = login_dialog(qtbot, controller)
    submit(qtbot, login, "admin", generated, remember=False)
    dialog = password_dialog(qtbot, controller)
    token = controller.session.pending.session.token

    dialog.cancel_button.click()
    qtbot.waitUntil(login.isVisible, timeout=10_000)
    assert "密码未修改" in login.error_label.text()
    assert controller.login is None and controller.session.pending is None
    assert not controller.session.busy
    assert not shown_password_dialogs()

    def revoked() -> bool:
        old = ApiClient(fresh_backend.url, token=token)
        try:
            old.me()
        except AuthError:
            return True
        finally:
            old.close()
        return False

    qtbot.waitUntil(revoked, timeout=10_000)  # the session ended on the server

    # Nothing changed: the next login asks again; this time the password is changed, and,
    # 'remember' being off, kept nowhere.
    submit(qtbot, login, "admin", generated, remember=False)
    dialog = password_dialog(qtbot, controller)
    type_new(qtbot, dialog, CHOSEN, CHOSEN)
    qtbot.waitUntil(lambda: controller.login is not None, timeout=15_000)
    assert memory_keyring.entries == {}
    assert not controller.login.session.must_change_password
