"""Answers reach an agent who shares a PC (issue 11 #3): the agent asks and logs out, a
supervisor logs in on the same PC and answers there, and when the agent logs back in, 我的问题
shows the answer. The real app offscreen against the real backend over HTTP."""

from __future__ import annotations

from pathlib import Path

from agent_app.common.settings import Settings
from common.demo_accounts import DEMO_PASSWORD
from tests.agent_app.conftest import make_data_dir
from tests.agent_app.shell.test_login import login_dialog, submit
from tests.helpers.corpus import SMALL_CORPUS
from tests.helpers.flows import record_question


def test_the_agent_sees_the_answer_given_on_their_pc_while_they_were_away(
    qtbot, backend, api, tmp_path: Path, start_app
) -> None:  # type: ignore[no-untyped-def]
    agent, supervisor = backend.new_user("agent"), backend.new_user("supervisor")
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    app = start_app(folder, connect=True, settings=Settings(server_url=backend.url))
    status = app.window.sync_status

    def log_in(username: str) -> None:
        submit(qtbot, login_dialog(qtbot, app), username, DEMO_PASSWORD, remember=False)
        qtbot.waitUntil(lambda: app.sync.running, timeout=15_000)

    def a_round_done() -> None:
        with qtbot.waitSignal(app.sync.round_done, timeout=15_000):
            pass

    log_in(agent)
    uuid = record_question(qtbot, app, "小区快递柜收费吗")
    qtbot.waitUntil(lambda: status.pending_label.text() == "待发送 0", timeout=15_000)
    app.window.logout_action.trigger()

    log_in(supervisor)  # the same PC, the same data folder
    a_round_done()
    api(backend.url, supervisor).answer(uuid, "前12小时免费，之后每12小时0.5元")
    a_round_done()
    a_round_done()  # the supervisor's feed has certainly moved past the answer by now
    assert app.my_questions is None or app.my_questions.view.rows == []
    app.window.logout_action.trigger()

    log_in(agent)
    mine = app.my_questions
    assert mine is not None
    qtbot.waitUntil(lambda: mine.view.select_question(uuid), timeout=15_000)
    qtbot.waitUntil(lambda: "已答复" in mine.view.detail.toPlainText(), timeout=15_000)
    assert "前12小时免费" in mine.view.detail.toPlainText()
