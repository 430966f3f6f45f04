"""What a trainer typed just before quitting or logging out is kept: the editor saves 600 ms
after typing stops, on the db executor, and shutdown cancels the work still queued there; so
closing writes the last text itself, waiting for it. Checked with the db executor busy when
the app quits (a search or an index update in the queue's way), and after a restart."""

from __future__ import annotations

import threading
import time
from typing import Any

from agent_app.shell.app import AppController
from tests.agent_app.authoring.test_editor import open_desk
from tests.helpers.corpus import type_text

BUSY_AT_MOST_S = 3.0  # less than the editor's wait on closing (article_editor.CLOSE_WAIT_S)


def occupy_the_db_executor_until_shutdown(app: AppController) -> threading.Event:
    """Something long on the serial db executor when the app quits: it ends once the task
    manager has shut down (or after a few seconds, so a closing that waits for the queue gets
    its turn)."""
    started = threading.Event()
    taskman = app.taskman

    def busy() -> None:
        started.set()
        deadline = time.monotonic() + BUSY_AT_MOST_S
        while not taskman.closed and time.monotonic() < deadline:
            time.sleep(0.02)

    taskman.executors["db"].submit(busy)
    return started


def new_faq_with_title(qtbot, app: AppController, title: str) -> Any:  # type: ignore[no-untyped-def]
    desk = open_desk(qtbot, app)
    [faq] = [a for a in desk.view.new_button.menu().actions() if a.objectName() == "new-faq"]
    faq.trigger()
    editor = desk.editor.window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.title_edit.isEnabled())
    with qtbot.waitSignal(desk.editor.editor.saved, timeout=5_000):
        type_text(editor.title_edit, title)
    return desk, editor


def bodies(app: AppController, user: str) -> dict[str, str]:
    """The user's drafts on disk as the restarted app reads them: title -> body."""
    assert app.data is not None
    return {
        str(d.content.get("title")): str(d.content.get("body"))
        for d in app.data.authoring.for_user(user)
    }


def test_text_typed_just_before_quitting_is_there_after_a_restart(
    qtbot, backend, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    trainer = backend.new_user("trainer")
    app = logged_in_app(backend.url, trainer)
    desk, editor = new_faq_with_title(qtbot, app, "停电报修怎么登记")
    started = occupy_the_db_executor_until_shutdown(app)
    assert started.wait(5)
    editor.body_edit.moveCursor(editor.body_edit.textCursor().MoveOperation.End)
    type_text(editor.body_edit, "最后一句：先问清楼栋号")
    assert desk.editor.editor.dirty  # typed, not saved yet: the pause has not passed
    app.window.close()  # quit at once

    again = logged_in_app(backend.url, trainer)  # the same data folder
    qtbot.waitUntil(lambda: again.data is not None)
    assert bodies(again, trainer)["停电报修怎么登记"].endswith("最后一句：先问清楼栋号")


def test_text_typed_just_before_logging_out_is_kept(qtbot, backend, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    trainer = backend.new_user("trainer")
    app = logged_in_app(backend.url, trainer)
    desk, editor = new_faq_with_title(qtbot, app, "燃气表不走字")
    assert occupy_the_db_executor_until_shutdown(app).wait(5)
    editor.body_edit.moveCursor(editor.body_edit.textCursor().MoveOperation.End)
    type_text(editor.body_edit, "登出前写的一句")
    assert desk.editor.editor.dirty
    app.window.logout_action.trigger()
    qtbot.waitUntil(lambda: app.authoring is None, timeout=10_000)
    # Read at once: the save was written while the editor closed, not queued behind the rest.
    assert bodies(app, trainer)["燃气表不走字"].endswith("登出前写的一句")
