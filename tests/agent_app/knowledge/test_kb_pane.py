"""The knowledge-base pane with real widgets over a real knowledge base."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from agent_app.knowledge.views.result_delegate import HIT_ROLE
from agent_app.questions.views.unanswered_dialog import UnansweredDialog
from tests.helpers.corpus import type_text


def titles(pane) -> list[str]:  # type: ignore[no-untyped-def]
    return [pane.model.item(r).data(HIT_ROLE).title for r in range(pane.model.rowCount())]


def type_query(qtbot, pane, text: str) -> int:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(pane.results_shown, timeout=10_000) as blocker:
        type_text(pane.search, text)
    return int(blocker.args[0])


def test_typing_shows_results_with_highlighted_snippets(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    count = type_query(qtbot, pane, "宽带怎么报装")
    assert count >= 1
    assert titles(pane)[0] == "宽带报装需要准备哪些材料"
    first = pane.model.item(0).data(HIT_ROLE)
    assert "<b>" in first.snippet
    assert "条结果" in pane.result_label.text()


def test_only_the_latest_query_is_shown(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    type_query(qtbot, pane, "物业")
    pane.search.clear()
    type_query(qtbot, pane, "携号转网")
    assert titles(pane)[0] == "携号转网办理条件"


def test_keyboard_first(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    window, pane = app.window, app.kb_view
    window.activateWindow()
    pane.results.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(pane.search.hasFocus)
    type_query(qtbot, pane, "宽带")
    assert pane.model.rowCount() >= 3
    assert pane.results.currentIndex().row() == 0
    qtbot.keyClick(pane.search, Qt.Key.Key_Down)
    qtbot.keyClick(pane.search, Qt.Key.Key_Down)
    assert pane.results.currentIndex().row() == 2
    qtbot.keyClick(pane.search, Qt.Key.Key_Up)
    assert pane.results.currentIndex().row() == 1
    expected = pane.current_hit().uuid
    with qtbot.waitSignal(pane.article_opened, timeout=10_000) as opened:
        qtbot.keyClick(pane.search, Qt.Key.Key_Return)
    assert opened.args == [expected]
    assert pane.article_view.title.text() == pane.current_hit().title
    qtbot.keyClick(pane.search, Qt.Key.Key_Escape)
    assert pane.search.text() == ""
    assert pane.model.rowCount() == 0


def test_filters_narrow_results(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    type_query(qtbot, pane, "报修 宽带 物业")
    assert {
        pane.model.item(r).data(HIT_ROLE).business_line for r in range(pane.model.rowCount())
    } == {
        "telecom",
        "property",
    }
    with qtbot.waitSignal(pane.results_shown, timeout=10_000):
        pane.line_filter.setCurrentIndex(pane.line_filter.findData("property"))
    lines = {pane.model.item(r).data(HIT_ROLE).business_line for r in range(pane.model.rowCount())}
    assert lines == {"property"}
    with qtbot.waitSignal(pane.results_shown, timeout=10_000):
        pane.type_filter.setCurrentIndex(pane.type_filter.findData("flow"))
    assert titles(pane) == ["电梯故障报修流程"]


def test_not_answered_stores_the_question(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    type_query(qtbot, pane, "宽带能不能开发票")
    closest = pane.current_hit()
    qtbot.keyClick(app.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: (
            isinstance(QApplication.activeModalWidget(), UnansweredDialog)
            or pane._dialog.isVisible()
        )
    )
    dialog = pane._dialog
    assert dialog.question == "宽带能不能开发票"
    type_text(dialog.note_edit, "客户要电子发票")
    with qtbot.waitSignal(pane.question_recorded, timeout=10_000) as recorded:
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    rows = app.data.questions.for_user("")  # asked before anyone logged in
    assert [r["uuid"] for r in rows] == recorded.args
    assert rows[0]["query"] == "宽带能不能开发票"
    assert rows[0]["note"] == "客户要电子发票"
    assert rows[0]["closest_article_uuid"] == closest.uuid
    assert "业务主管" in app.window.statusBar().currentMessage()


def test_helpful_feedback_is_kept(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    type_query(qtbot, pane, "携号转网")
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        pane.open_current()
    uuid = pane.article_view.article.uuid
    pane.article_view.helpful.click()
    qtbot.waitUntil(lambda: app.kb.store.feedback_counts(uuid).get("helpful") == 1, timeout=10_000)
    assert not pane.article_view.helpful.isEnabled()
    assert app.kb.store.feedback_counts(uuid).get("click") == 1


def test_settled_searches_are_logged_once(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    type_query(qtbot, pane, "完全无关的火星问题")
    qtbot.waitUntil(lambda: bool(app.kb.store.empty_searches()), timeout=10_000)
    assert [r["query"] for r in app.kb.store.empty_searches()] == ["完全无关的火星问题"]


def test_not_answered_proposes_the_best_match_for_the_question(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    # The agent reads an article for one question...
    type_query(qtbot, pane, "携号转网")
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        pane.open_current()
    opened = pane.article_view.article
    # ...then the customer asks another; the closest article is the best match for it.
    pane.search.clear()
    type_query(qtbot, pane, "宽带能不能开发票")
    best = pane.current_hit()
    assert best.uuid != opened.uuid
    pane.not_answered.click()
    qtbot.waitUntil(lambda: pane._dialog is not None and pane._dialog.isVisible())
    dialog = pane._dialog
    assert dialog.closest.text() == best.title
    with qtbot.waitSignal(pane.question_recorded, timeout=10_000):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    rows = app.data.questions.for_user("")
    assert rows[0]["closest_article_uuid"] == best.uuid


def test_not_answered_while_still_typing_searches_the_question(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    pane = app.kb_view
    type_query(qtbot, pane, "携号转网")
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        pane.open_current()
    pane.search.setText("电梯故障报修")  # results on screen are still for 携号转网
    pane.record_not_answered()
    dialog = pane._dialog
    qtbot.waitUntil(lambda: dialog.closest.text() == "电梯故障报修流程", timeout=10_000)
