"""Offline: a question recorded while the server is down waits in the outbox (离线, 待发送 1)
and is sent once the server is back; nothing is lost."""

from __future__ import annotations

from agent_app.common import credentials
from agent_app.common.settings import Settings
from common.demo_accounts import DEMO_PASSWORD
from tests.agent_app.conftest import make_data_dir
from tests.helpers.backend import TestBackend
from tests.helpers.corpus import SMALL_CORPUS
from tests.helpers.flows import record_question, server_question


def test_question_recorded_offline_is_sent_when_the_server_is_back(
    qtbot, tmp_path, start_app, api
) -> None:  # type: ignore[no-untyped-def]
    first = TestBackend(tmp_path / "server")
    (tmp_path / "server").mkdir()
    url = first.start()
    folder = make_data_dir(tmp_path / "agent", SMALL_CORPUS, index=True)
    credentials.save_password(url, "agent", DEMO_PASSWORD)
    settings = Settings(server_url=url, username="agent", remember_password=True)
    app = start_app(folder, connect=True, settings=settings)
    status = app.window.sync_status
    qtbot.waitUntil(lambda: status.online_label.text().endswith("在线"), timeout=15_000)

    first.stop()
    uuid = record_question(qtbot, app, "宽带欠费停机后多久恢复")
    qtbot.waitUntil(lambda: status.online_label.text().endswith("离线"), timeout=10_000)
    qtbot.waitUntil(lambda: status.pending_label.text() == "待发送 1", timeout=10_000)
    assert status.online_label.toolTip()  # the last error, for whoever looks
    assert app.data.outbox.count() == 1

    # The backend comes back (same database, a new address): log in there; the outbox empties.
    second = TestBackend(tmp_path / "server")
    back = second.start()
    try:
        app.session.show_login()
        dialog = app.session.dialog
        dialog.server_edit.setText(back)
        qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
        dialog.login_button.click()
        qtbot.waitUntil(lambda: status.online_label.text().endswith("在线"), timeout=15_000)
        assert status.pending_label.text() == "待发送 0"
        supervisor = api(back, "supervisor")
        assert server_question(supervisor, uuid)["query"] == "宽带欠费停机后多久恢复"
    finally:
        app.window.close()
        app.shutdown()
        second.stop()


def test_not_logged_in_the_kb_works_and_questions_wait(qtbot, data_dir, start_app) -> None:  # type: ignore[no-untyped-def]
    app = start_app(data_dir, connect=True, settings=Settings(server_url="http://127.0.0.1:9"))
    qtbot.waitUntil(lambda: app.session.dialog is not None and app.session.dialog.isVisible())
    app.session.dialog.reject()  # 暂不登录
    status = app.window.sync_status
    assert status.online_label.text().endswith("未登录")
    assert status.login_button.isVisible()
    record_question(qtbot, app, "物业费能不能开专票")
    qtbot.waitUntil(lambda: status.pending_label.text() == "待发送 1", timeout=10_000)
    assert [q["query"] for q in app.data.questions.for_user("")] == ["物业费能不能开专票"]
