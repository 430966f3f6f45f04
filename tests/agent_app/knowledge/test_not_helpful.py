"""没帮助 with a reason: the agent's optional reason (Enter sends, Esc skips), kept locally as
before and queued for the server, where the trainers' list shows it: exactly once."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from agent_app.knowledge.feedback import OUTBOX_KIND
from agent_app.knowledge.views.not_helpful_dialog import NotHelpfulDialog
from tests.helpers.corpus import type_text


def open_first(qtbot, pane, query: str) -> str:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(pane.results_shown, timeout=10_000):
        type_text(pane.search, query)
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        pane.open_current()
    return str(pane.article_view.article.uuid)


def queued(app) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = app.data.database.query(
        "SELECT payload FROM outbox WHERE kind = ? ORDER BY id", [OUTBOX_KIND]
    )
    return [json.loads(r["payload"]) for r in rows]


def dialog_of(qtbot, pane) -> NotHelpfulDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: (
            pane.article_view.not_helpful_dialog is not None
            and pane.article_view.not_helpful_dialog.isVisible()
        )
    )
    dialog = pane.article_view.not_helpful_dialog
    qtbot.waitUntil(dialog.reason_edit.hasFocus)
    return dialog


def test_enter_sends_the_reason_typed(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    uuid = open_first(qtbot, pane, "携号转网")
    qtbot.mouseClick(pane.article_view.not_helpful, Qt.MouseButton.LeftButton)
    dialog = dialog_of(qtbot, pane)
    type_text(dialog.reason_edit, "资费已经变了")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(queued(app)) == 1, timeout=10_000)
    item = queued(app)[0]
    assert item["article_uuid"] == uuid
    assert item["kind"] == "not_helpful"
    assert item["reason"] == "资费已经变了"
    # Kept locally as before (the ranking reads it), once.
    assert app.kb.store.feedback_counts(uuid).get("not_helpful") == 1
    assert not pane.article_view.not_helpful.isEnabled()
    assert not dialog.isVisible()


def test_escape_skips_the_reason_and_keeps_the_vote(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    uuid = open_first(qtbot, pane, "携号转网")
    pane.article_view.not_helpful.click()
    dialog = dialog_of(qtbot, pane)
    type_text(dialog.reason_edit, "不想说了")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(queued(app)) == 1, timeout=10_000)
    assert queued(app)[0]["reason"] == ""
    assert app.kb.store.feedback_counts(uuid).get("not_helpful") == 1


def test_a_usual_reason_is_one_keystroke(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    open_first(qtbot, pane, "携号转网")
    pane.article_view.not_helpful.click()
    dialog = dialog_of(qtbot, pane)
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(queued(app)) == 1, timeout=10_000)
    assert queued(app)[0]["reason"] == dialog.quick_buttons[0].text().split(" ", 1)[1]


def test_helpful_goes_to_the_server_too_and_a_click_does_not(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    uuid = open_first(qtbot, pane, "携号转网")  # the opening click: local ranking only
    pane.article_view.helpful.click()
    qtbot.waitUntil(lambda: len(queued(app)) == 1, timeout=10_000)
    assert queued(app)[0]["kind"] == "helpful"
    assert app.kb.store.feedback_counts(uuid) == {"click": 1, "helpful": 1}
