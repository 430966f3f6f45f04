"""The search-vocabulary editor in the real window against the real backend, and what it does
for an agent on another workstation: after one sync the agent's search finds through the new
synonym, and a new user word has the agent's index rebuilt (on the index executor)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from sync.api_client import ApiClient
from tests.helpers.backend import TestBackend


def test_saved_vocabulary_reaches_an_agent_s_search(  # type: ignore[no-untyped-def]
    qtbot, logged_in_app, backend: TestBackend, api: Callable[..., ApiClient]
) -> None:
    trainer_name = backend.new_user("trainer")
    agent_app = logged_in_app(backend.url, backend.new_user("agent"))
    target = next(a.uuid for a in agent_app.kb.store.articles() if a.title == "宽带断网怎么排查")
    assert target not in [h.uuid for h in agent_app.kb.search("小白盒").hits]

    app = logged_in_app(backend.url, trainer_name)
    qtbot.waitUntil(lambda: app.review_desk is not None and app.review_desk.attention is not None)
    attention = app.review_desk.attention.view
    app.window.show_view(attention)
    qtbot.mouseClick(attention.vocabulary_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.review_desk.vocabulary is not None)
    controller = app.review_desk.vocabulary
    dialog = controller.dialog
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=15_000)  # loaded

    # A group of one term is refused before anything is sent, and the row is selected.
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.groups.item(dialog.groups.rowCount() - 1, 0).setText("光猫")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "至少要有两个不同的词" in dialog.status.text()
    assert dialog.groups.currentRow() == dialog.groups.rowCount() - 1
    dialog.groups.item(dialog.groups.rowCount() - 1, 0).setText("光猫、小白盒")
    dialog.words.setPlainText("翼支付")
    with qtbot.waitSignal(controller.saved, timeout=15_000):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = api(backend.url, trainer_name).vocabulary()
    assert ["光猫", "小白盒"] in stored.synonym_groups
    assert "翼支付" in stored.user_words
    assert "已保存" in dialog.status.text()

    # The agent's workstation: one sync later the synonym finds the article, from the index
    # rebuilt for the new word (the app runs it on its index executor).
    def found() -> bool:
        response = agent_app.kb.search("小白盒")
        return (
            agent_app.kb.is_ready
            and not response.from_fallback
            and target in [h.uuid for h in response.hits]
        )

    qtbot.waitUntil(found, timeout=30_000)
    assert "翼支付" in agent_app.kb.analyzer.words("翼支付账户")
    dialog.close()
