"""The authoring window with no server at all (a laptop off the network): the article list
finds the local knowledge base's articles by title, type and review date with the user's
drafts first; a new article's type brings its template; an article is edited from its
version with the save indicator; the preview follows; submitting queues the proposal; the
history says it needs the server. Real widgets on a real data folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agent_app.authoring.drafts import OUTBOX_KIND
from agent_app.authoring.listing import ListFilter, list_rows
from agent_app.authoring.qt.editor_window import EditorWindowController
from agent_app.shell.app import install_translators
from agent_app.shell.local_data import LocalData
from agent_app.shell.taskman import TaskManager
from common.texts import set_language
from tests.agent_app.conftest import make_data_dir
from tests.helpers.corpus import SMALL_CORPUS, type_text


@pytest.fixture
def data(tmp_path: Path):  # type: ignore[no-untyped-def]
    set_language("zh_CN")
    local = LocalData(make_data_dir(tmp_path / "laptop", SMALL_CORPUS, index=False))
    yield local
    local.close()


@pytest.fixture
def window(qtbot, qapp, data: LocalData):  # type: ignore[no-untyped-def]
    translators = install_translators(qapp, "zh_CN")
    taskman = TaskManager()
    controller = EditorWindowController(taskman, data.authoring, data.kb, "trainer", lambda: None)
    qtbot.addWidget(controller.window)
    yield controller
    controller.close()
    taskman.shutdown()
    for translator in translators:
        qapp.removeTranslator(translator)


def test_the_list_finds_by_title_type_and_review_date_drafts_first(data: LocalData) -> None:
    first = SMALL_CORPUS[0]
    data.kb.store.database.execute(
        "UPDATE articles SET review_due = '2020-01-01' WHERE uuid = ?", [first.uuid]
    )
    draft = data.authoring.new_draft("trainer", {"type": "flow", "title": "宽带报装流程"})
    data.authoring.new_draft("someone-else", {"type": "faq", "title": "宽带别人的草稿"})
    rows = list_rows(data.kb, data.authoring, "trainer", ListFilter(text="宽带"))
    assert rows[0].uuid == draft.uuid and rows[0].kind == "draft"
    assert "宽带别人的草稿" not in [r.title for r in rows]
    assert {r.title for r in rows[1:]} >= {first.title}
    assert all("宽带" in r.title for r in rows)
    flows = list_rows(data.kb, data.authoring, "trainer", ListFilter(type="flow"))
    assert flows[0].uuid == draft.uuid
    assert {r.type for r in flows} == {"flow"}
    assert {r.uuid for r in flows[1:]} == {a.uuid for a in SMALL_CORPUS if a.type == "flow"}
    due = list_rows(data.kb, data.authoring, "trainer", ListFilter(due_only=True), date(2026, 1, 1))
    assert [r.uuid for r in due] == [first.uuid]
    mine = list_rows(data.kb, data.authoring, "trainer", ListFilter(drafts_only=True))
    assert [r.uuid for r in mine] == [draft.uuid]


def test_a_new_article_takes_its_types_template(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.new_article("faq")
    editor = window.window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.title_edit.isEnabled())
    assert editor.type_combo.isEnabled()  # a new article may still change its type
    assert "## 问题" in editor.body_edit.toPlainText()
    editor.type_combo.setFocus()
    qtbot.keyClick(editor.type_combo, Qt.Key.Key_Down)  # 常见问题 -> 话术
    assert editor.type_combo.currentData() == "script"
    assert "[[方便 -> 介绍方案]]" in editor.body_edit.toPlainText()
    # Once the trainer has written something, another type keeps their text.
    editor.body_edit.moveCursor(editor.body_edit.textCursor().MoveOperation.End)
    type_text(editor.body_edit, "自己写的")
    qtbot.keyClick(editor.type_combo, Qt.Key.Key_Down)
    assert editor.type_combo.currentData() == "flow"
    assert "自己写的" in editor.body_edit.toPlainText()
    # ... and is told what a flow needs: numbered steps ending in 复述, a contact point.
    type_text(editor.title_edit, "流程")
    qtbot.waitUntil(lambda: "接触点" in editor.problems_label.text(), timeout=5_000)
    assert not editor.submit_button.isEnabled()


def test_edit_offline_preview_save_and_queue(qtbot, window, data: LocalData) -> None:  # type: ignore[no-untyped-def]
    article = SMALL_CORPUS[0]
    window.edit_article(article.uuid)
    editor = window.window.editor
    qtbot.waitUntil(lambda: editor.title_edit.text() == article.title, timeout=5_000)
    assert not editor.type_combo.isEnabled()  # an article keeps its type
    assert editor.history_button.isEnabled()
    editor.body_edit.moveCursor(editor.body_edit.textCursor().MoveOperation.End)
    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(window.editor.preview_shown, timeout=5_000):
        type_text(editor.body_edit, "**离线补充**")
    qtbot.waitUntil(lambda: "离线补充" in editor.preview.toPlainText(), timeout=5_000)
    assert "**" not in editor.preview.toPlainText()
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("已保存草稿"), timeout=5_000)
    [draft] = data.authoring.for_user("trainer")
    assert draft.base_version == article.version and draft.content["body"].endswith("**离线补充**")

    # Opening the article again finds the same draft (not a second one).
    window.edit_article(article.uuid)
    qtbot.waitUntil(lambda: window.editor.draft is not None)
    qtbot.wait(200)
    assert len(data.authoring.for_user("trainer")) == 1

    qtbot.keyClick(editor.body_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: data.outbox.count() == 1, timeout=5_000)
    [entry] = data.outbox.pending(OUTBOX_KIND, 10)
    assert entry.payload["base_version"] == article.version
    assert entry.payload["content"]["body"].endswith("**离线补充**")
    qtbot.waitUntil(lambda: not editor.title_edit.isEnabled(), timeout=5_000)

    window.show_history(article.uuid)
    assert window.window.tabs.currentWidget() is window.window.history
    assert "登录" in window.window.history.heading.text()


def test_a_draft_discarded_and_a_published_one_no_longer_listed(
    qtbot, window, data: LocalData
) -> None:  # type: ignore[no-untyped-def]
    window.new_article("faq")
    editor = window.window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.title_edit.isEnabled())
    type_text(editor.title_edit, "不要了")
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("已保存草稿"), timeout=5_000)
    assert len(data.authoring.for_user("trainer")) == 1
    window.editor.discard(confirmed=True)  # the confirmation box answered 放弃
    qtbot.waitUntil(lambda: data.authoring.for_user("trainer") == [], timeout=5_000)
    # The store forgets the draft on a worker thread; the editor closes in the callback after.
    qtbot.waitUntil(
        lambda: not editor.title_edit.isEnabled() and not editor.submit_button.isEnabled(),
        timeout=5_000,
    )

    done = data.authoring.new_draft("trainer", {"type": "faq", "title": "已发布的", "body": "x"})
    proposal = data.authoring.submit(done.uuid, "trainer")
    data.authoring.put_state("trainer", {"uuid": proposal, "state": "published"})
    titles = [r.title for r in list_rows(data.kb, data.authoring, "trainer", ListFilter())]
    assert "已发布的" not in titles and "不要了" not in titles
