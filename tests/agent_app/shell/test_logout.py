"""Hot-desking: what one user leaves behind at logout is gone for the next one: their search,
the article they read, their call history, their questions, and the phone's registration."""

from __future__ import annotations

from pathlib import Path

from agent_app.common.settings import Settings
from common.demo_accounts import DEMO_PASSWORD
from tests.agent_app.conftest import make_data_dir
from tests.agent_app.shell.test_login import login_dialog, submit
from tests.helpers.corpus import SMALL_CORPUS
from tests.helpers.flows import record_question
from tests.helpers.phone_events import FakeCall


def test_the_next_user_sees_nothing_of_the_last_one(
    qtbot, backend, tmp_path: Path, start_app
) -> None:  # type: ignore[no-untyped-def]
    first, second = backend.new_user("agent"), backend.new_user("agent")
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    app = start_app(folder, connect=True, settings=Settings(server_url=backend.url))
    submit(qtbot, login_dialog(qtbot, app), first, DEMO_PASSWORD, remember=False)
    qtbot.waitUntil(lambda: app.my_questions is not None, timeout=15_000)

    # Agent A works: a question recorded, an article read, a call taken.
    mine = app.my_questions
    record_question(qtbot, app, "宽带能开电子发票吗")
    qtbot.waitUntil(lambda: len(mine.view.rows) == 1, timeout=10_000)
    pane = app.kb_view
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        pane.open_current()
    qtbot.waitUntil(lambda: app.seat.call_log is not None, timeout=10_000)
    app.seat.registration(True)
    call = FakeCall("13800138000")
    for event in (call.incoming(), call.answered(), call.ended()):
        app.phone.call_changed(event)
    app.phone.show_history_tab()
    history = app.phone.history
    qtbot.waitUntil(lambda: history.table.rowCount() == 1, timeout=10_000)

    # A logs out: nothing of theirs stays on screen.
    app.window.logout_action.trigger()
    dialog = login_dialog(qtbot, app)
    assert app.my_questions is None
    assert pane.search.text() == "" and pane.model.rowCount() == 0
    assert pane.article_view.article is None
    assert history.table.rowCount() == 0

    # B logs in on the same PC: none of A's questions or calls.
    submit(qtbot, dialog, second, DEMO_PASSWORD, remember=False)
    qtbot.waitUntil(lambda: app.my_questions is not None, timeout=15_000)
    theirs = app.my_questions
    with qtbot.waitSignal(theirs.loaded, timeout=10_000):
        theirs.reload()
    assert theirs.view.rows == []
    with qtbot.waitSignal(app.phone.call_history.loaded, timeout=10_000):
        history.refresh_requested.emit()
    assert history.table.rowCount() == 0
    # The same customer calls B: none of A's notes about them show.
    again = FakeCall("13800138000")
    with qtbot.waitSignal(app.phone.call_pane.history_shown, timeout=10_000):
        app.phone.call_changed(again.incoming())
    pane_history = app.phone.call_pane.view.history
    assert [pane_history.item(i).text() for i in range(pane_history.count())] == [
        "该号码无历史来电。"
    ]
    qtbot.waitUntil(lambda: "无历史来电" in app.phone.bar.banner.history.text(), timeout=10_000)
    app.phone.call_changed(again.ended(reason="missed", code=487))
    # A's records are still kept locally, under A's name (sent or to be sent).
    assert [r.user for r in app.seat.call_log.recent(10)] == [second, first]
