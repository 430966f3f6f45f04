"""没帮助 with a reason: the agent's optional reason (Enter sends, Esc skips), kept locally as
before and queued for the server, where the trainers' list shows it: exactly once."""

from __future__ import annotations

import json
import uuid as uuidlib

from PySide6.QtCore import Qt

from agent_app.knowledge.feedback import OUTBOX_KIND
from agent_app.knowledge.views.not_helpful_dialog import NotHelpfulDialog
from common.authoring import ProposalContent, ProposalIn
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


def test_the_reason_reaches_the_trainers_list_exactly_once(  # type: ignore[no-untyped-def]
    qtbot, logged_in_app, backend, api
) -> None:
    trainer = api(backend.url, backend.new_user("trainer"))
    manager = api(backend.url, backend.new_user("manager"))
    article = str(uuidlib.uuid4())
    proposal = ProposalIn(
        uuid=str(uuidlib.uuid4()),
        article_uuid=article,
        base_version=None,
        content=ProposalContent(type="faq", title="夜间宽带维护通知", body="每周二凌晨维护。"),
    )
    manager.approve_proposal(trainer.submit_proposal(proposal).uuid)
    app = logged_in_app(backend.url, backend.new_user("agent"))
    qtbot.waitUntil(lambda: app.kb.store.get_article(article) is not None, timeout=15_000)
    pane = app.kb_view
    assert open_first(qtbot, pane, "夜间宽带维护通知") == article
    pane.article_view.not_helpful.click()
    dialog = dialog_of(qtbot, pane)
    type_text(dialog.reason_edit, "维护时间改成周三了")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    def votes() -> list:  # type: ignore[type-arg]
        return [v for v in trainer.attention().not_helpful if v.article.uuid == article]

    qtbot.waitUntil(lambda: bool(votes()), timeout=20_000)
    # More sync rounds go by: the item was acknowledged and is not sent again.
    qtbot.waitUntil(lambda: app.data.outbox.count() == 0, timeout=10_000)
    for _ in range(3):
        with qtbot.waitSignal(app.sync.round_done, timeout=10_000):
            app.sync.notify()
    (vote,) = votes()
    assert vote.count == 1
    assert vote.reasons == ["维护时间改成周三了"]
