"""Logging in: the dialog's errors in Chinese, the built-in backend, remembered passwords kept
only in the keyring, automatic login at the next start, and a clean shutdown."""

from __future__ import annotations

import threading
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.shell.login_dialog import LoginDialog
from common.demo_accounts import DEMO_PASSWORD
from server.core.config import ServerSettings
from server.embedded import EmbeddedServer
from sync.api_client import ApiError
from tests.agent_app.conftest import make_data_dir
from tests.helpers.backend import create_user
from tests.helpers.corpus import SMALL_CORPUS

SECRET = "Zh-only-known-to-keyring-8472"


def login_dialog(qtbot, controller) -> LoginDialog:  # type: ignore[no-untyped-def]
    session = controller.session
    qtbot.waitUntil(lambda: session.dialog is not None and session.dialog.isVisible())
    assert session.dialog is not None
    return session.dialog


def submit(qtbot, dialog: LoginDialog, username: str, password: str, remember: bool = True) -> None:  # type: ignore[no-untyped-def]
    if username != dialog.username_edit.text():
        dialog.username_edit.clear()
        qtbot.keyClicks(dialog.username_edit, username)
    dialog.password_edit.clear()
    qtbot.keyClicks(dialog.password_edit, password)
    dialog.remember_check.setChecked(remember)
    dialog.login_button.click()


def files_containing(folder: Path, secret: str) -> list[Path]:
    needles = [secret.encode("utf-8"), secret.encode("utf-16-le")]
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(n in path.read_bytes() for n in needles)
    ]


def test_login_embedded_remembered_in_keyring_only(
    qtbot, tmp_path, start_app, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    before = set(threading.enumerate())
    controller = start_app(folder, connect=True)  # no server set: the built-in backend
    dialog = login_dialog(qtbot, controller)
    # First start of the built-in backend: the dialog says how to log in.
    qtbot.waitUntil(dialog.demo_note.isVisible, timeout=20_000)
    assert "supervisor" in dialog.demo_note.text()
    assert DEMO_PASSWORD in dialog.demo_note.text()
    url = controller.session.backend.url
    create_user(url, folder, "zhang", SECRET, "agent")

    # The KB pane works while nobody is logged in.
    assert controller.window.sync_status.online_label.text().endswith("未登录")

    submit(qtbot, dialog, "zhang", "not-the-password")
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=10_000)
    assert "用户名或密码错误" in dialog.error_label.text()
    assert dialog.username_edit.text() == "zhang"
    assert controller.login is None

    submit(qtbot, dialog, "zhang", SECRET, remember=True)
    qtbot.waitUntil(lambda: controller.login is not None, timeout=10_000)
    assert not dialog.isVisible()
    assert controller.login.session.role == "agent"
    assert controller.window.sync_status.user_label.text().startswith("zhang")
    qtbot.waitUntil(lambda: controller.window.sync_status.online_label.text().endswith("在线"))
    assert memory_keyring.entries == {("SeatDesk", "embedded/zhang"): SECRET}
    qtbot.waitUntil(lambda: Settings.load(folder).username == "zhang", timeout=5_000)

    # Shutdown stops the sync worker and the built-in backend, and does so at once.
    ours = {"seatdesk-sync", "seatdesk-embedded-server"}
    started = [t for t in threading.enumerate() if t.name in ours and t not in before]
    assert {t.name for t in started} == ours
    controller.window.close()
    controller.shutdown()
    assert not any(t.is_alive() for t in started)

    # The password is in the keyring and nowhere in the data folder.
    assert files_containing(folder, SECRET) == []
    saved = Settings.load(folder)
    assert (saved.username, saved.remember_password, saved.server_url) == ("zhang", True, "")

    # Next start: logged in without being asked.
    again = start_app(folder, connect=True, settings=Settings.load(folder))
    qtbot.waitUntil(lambda: again.login is not None, timeout=20_000)
    assert again.login.session.username == "zhang"
    assert again.session.dialog is None
    assert not again.session.backend.first_start  # the users were made on the first start


def test_unreachable_server_and_too_many_attempts(qtbot, tmp_path, start_app) -> None:  # type: ignore[no-untyped-def]
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    strict = EmbeddedServer(
        tmp_path / "srv",
        ServerSettings(db_url=str(tmp_path / "srv.db"), login_free_failures=0),
    )
    (tmp_path / "srv").mkdir()
    url = strict.start()
    try:
        controller = start_app(
            folder, connect=True, settings=Settings(server_url="http://127.0.0.1:9")
        )
        dialog = login_dialog(qtbot, controller)
        assert dialog.server_edit.text() == "http://127.0.0.1:9"
        submit(qtbot, dialog, "agent", DEMO_PASSWORD)
        qtbot.waitUntil(dialog.error_label.isVisible, timeout=15_000)
        assert "无法连接" in dialog.error_label.text()
        assert dialog.username_edit.text() == "agent"
        assert dialog.password_edit.text() == DEMO_PASSWORD  # nothing typed is lost

        dialog.server_edit.setText(url)
        submit(qtbot, dialog, "agent", "wrong-1")
        qtbot.waitUntil(lambda: "用户名或密码错误" in dialog.error_label.text(), timeout=10_000)
        # With no free failures, the next attempt within seconds is refused with 429.
        submit(qtbot, dialog, "agent", "wrong-2")
        qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)
        assert "次数过多" in dialog.error_label.text()
        assert dialog.username_edit.text() == "agent"
        assert controller.login is None
    finally:
        strict.stop()


def test_too_many_attempts_is_said_in_chinese(qtbot, data_dir, start_app) -> None:  # type: ignore[no-untyped-def]
    """What the dialog shows for the server's 429 (its words, in the user's language)."""
    controller = start_app(
        data_dir, connect=True, settings=Settings(server_url="http://127.0.0.1:9")
    )
    dialog = login_dialog(qtbot, controller)
    qtbot.keyClicks(dialog.username_edit, "agent")
    refusal = ApiError(
        429, "too many failed logins; try again in 7 s / 登录失败次数过多，请 7 秒后再试"
    )
    controller.session._login_failed(controller.session._attempt, "", refusal)
    assert dialog.error_label.text() == "登录失败次数过多，请 7 秒后再试"
    assert dialog.username_edit.text() == "agent"


def test_without_a_secure_keyring_only_the_username_is_remembered(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(keyring.backends.fail.Keyring())  # as on a Linux box without one
    assert not credentials.secure_storage_available()
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    controller = start_app(folder, connect=True, settings=Settings(server_url=server))
    dialog = login_dialog(qtbot, controller)
    qtbot.waitUntil(dialog.keyring_note.isVisible, timeout=5_000)
    assert dialog.remember_check.text() == "记住用户名"
    assert "只记住用户名" in dialog.keyring_note.text()
    submit(qtbot, dialog, "agent", DEMO_PASSWORD, remember=True)
    qtbot.waitUntil(lambda: controller.login is not None, timeout=10_000)
    assert "只记住了用户名" in controller.window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: Settings.load(folder).username == "agent", timeout=5_000)
    assert Settings.load(folder).remember_password is False
    assert files_containing(folder, DEMO_PASSWORD) == []


@pytest.mark.parametrize(
    ("username", "sees_mine", "sees_queue"),
    [("agent", True, False), ("supervisor", False, True), ("trainer", False, False)],
)
def test_the_window_adapts_to_the_role(
    qtbot, server, logged_in_app, username, sees_mine, sees_queue
) -> None:  # type: ignore[no-untyped-def]
    controller = logged_in_app(server, username)
    window = controller.window
    titles = window.pane_titles()
    assert titles[0] == "知识库"
    assert ("我的问题" in titles) is sees_mine
    assert ("问题队列" in titles) is sees_queue
    # Side by side, not tabs: the role's pane is on screen together with the knowledge base.
    role_view = controller.my_questions.view if sees_mine else None
    if sees_queue:
        role_view = controller.queue.view
    if role_view is not None:
        assert role_view.isVisible() and controller.kb_view.isVisible()


def test_log_out_ends_the_session_and_forgets_the_password(
    qtbot, backend, logged_in_app, memory_keyring
) -> None:  # type: ignore[no-untyped-def]
    agent = backend.new_user("agent")
    controller = logged_in_app(backend.url, agent)
    window = controller.window
    assert memory_keyring.entries
    assert window.logout_action.isEnabled()
    window.logout_action.trigger()
    dialog = login_dialog(qtbot, controller)
    assert dialog.username_edit.text() == agent
    assert controller.login is None and controller.my_questions is None
    assert window.pane_titles() == ["知识库"]
    assert window.sync_status.online_label.text().endswith("未登录")
    qtbot.waitUntil(lambda: not memory_keyring.entries, timeout=10_000)
    assert controller.settings.remember_password is False


def test_the_login_dialog_grows_with_its_notices(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    height = dialog.height()
    dialog.show_demo_note(
        ("agent", "supervisor", "trainer", "manager"),
        "demo-Pass-2024",
        Path("/a/rather/long/path/to/the/data/folder/first-login.txt"),
    )
    dialog.set_secure_storage(False)
    dialog.show_error(
        "无法连接服务器 http://example.invalid:8000。请检查地址和网络，或留空以使用本机内置服务。"
    )
    assert dialog.height() > height
    for label in (dialog.demo_note, dialog.keyring_note, dialog.error_label):
        assert label.isVisible()
        assert label.height() >= label.heightForWidth(label.width()), label.objectName()
        assert dialog.rect().contains(label.geometry()), label.objectName()
