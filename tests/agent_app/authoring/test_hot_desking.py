"""Two trainers share a PC: the first one's drafts (and the window they were written in) are
gone from the screen when they log out, the next trainer sees none of them, and they are all
there again when the first one logs back in. The real app offscreen against the real backend."""

from __future__ import annotations

from pathlib import Path

from agent_app.common.settings import Settings
from common.demo_accounts import DEMO_PASSWORD
from tests.agent_app.conftest import make_data_dir
from tests.agent_app.shell.test_login import login_dialog, submit
from tests.helpers.corpus import SMALL_CORPUS, type_text


def test_a_shared_pc_shows_each_trainer_only_their_drafts(
    qtbot, backend, tmp_path: Path, start_app
) -> None:  # type: ignore[no-untyped-def]
    first, second = backend.new_user("trainer"), backend.new_user("trainer")
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    app = start_app(folder, connect=True, settings=Settings(server_url=backend.url))

    def log_in(username: str):  # type: ignore[no-untyped-def]
        submit(qtbot, login_dialog(qtbot, app), username, DEMO_PASSWORD, remember=False)
        qtbot.waitUntil(lambda: app.authoring is not None and app.authoring.editor is not None)
        return app.authoring

    desk = log_in(first)
    desk.editor.new_article("faq")
    editor = desk.editor.window.editor
    qtbot.waitUntil(lambda: editor.isVisible() and editor.title_edit.isEnabled())
    type_text(editor.title_edit, "第一位培训师的草稿")
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("已保存草稿"), timeout=5_000)
    desk.view.drafts_check.setChecked(True)
    qtbot.waitUntil(lambda: [r.title for r in desk.view.rows] == ["第一位培训师的草稿"])
    window = desk.editor.window
    app.window.logout_action.trigger()
    qtbot.waitUntil(lambda: app.authoring is None)
    assert not window.isVisible()

    desk = log_in(second)

    def listed_now() -> list[str]:
        """The list for the filter as it stands (the reads run in order on the db thread:
        once this one is shown, no earlier one can follow it)."""
        shown: list[list[str]] = []
        desk.listed.connect(lambda: shown.append([r.title for r in desk.view.rows]))
        desk.reload()
        count = len(shown)
        qtbot.waitUntil(lambda: len(shown) > count and not desk._filter_timer.isActive())
        qtbot.wait(300)
        return shown[-1]

    desk.view.drafts_check.setChecked(True)
    assert listed_now() == []
    desk.view.drafts_check.setChecked(False)
    desk.view.search.setText("草稿")
    assert "第一位培训师的草稿" not in listed_now()
    app.window.logout_action.trigger()
    qtbot.waitUntil(lambda: app.authoring is None)

    desk = log_in(first)
    desk.view.drafts_check.setChecked(True)
    qtbot.waitUntil(lambda: [r.title for r in desk.view.rows] == ["第一位培训师的草稿"])
