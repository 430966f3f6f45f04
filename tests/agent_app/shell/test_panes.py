"""The window's panes: contributed by role and placed side by side, each user's arrangement
kept (in the data folder) and brought back for that user only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar

from agent_app.shell.panes import LAYOUTS_FILE, PaneRole

RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


def history_dock(app):  # type: ignore[no-untyped-def]
    app.phone.show_history_tab()
    pane = app.window.pane_of(app.phone.history)
    assert pane is not None and pane.role is PaneRole.HISTORY and pane.dock is not None
    return pane.dock


def test_panes_sit_beside_the_knowledge_base(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    window = app.window
    dock = history_dock(app)
    assert window.centralWidget() is app.kb_view
    assert window.dockWidgetArea(dock) == BOTTOM
    assert dock.isVisible() and app.kb_view.isVisible()
    assert window.pane_titles() == ["知识库", "通话记录"]
    # The agent may close a pane; the View menu brings it back.
    dock.close()
    assert window.pane_titles() == ["知识库"]
    toggle = dock.toggleViewAction()
    assert toggle in window.panes_menu.actions()
    toggle.trigger()
    assert dock.isVisible()


def test_each_user_gets_their_own_layout_back(qtbot, data_dir: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    app = start_app(data_dir)
    window = app.window
    dock = history_dock(app)
    window.addDockWidget(RIGHT, dock)  # as zhang drags it beside the KB
    window.save_layout("zhang")
    window.reset_layout()
    assert window.dockWidgetArea(dock) == BOTTOM
    window.save_layout("li")  # li keeps the default
    assert window.restore_layout("zhang")
    assert window.dockWidgetArea(dock) == RIGHT
    assert window.restore_layout("li")
    assert window.dockWidgetArea(dock) == BOTTOM
    assert not window.restore_layout("wang")  # nobody saved one for wang: left as it is
    assert (data_dir / LAYOUTS_FILE).is_file()
    window.close()
    app.shutdown()

    # Next start, same PC: zhang's arrangement comes back.
    again = start_app(data_dir)
    dock = history_dock(again)
    assert again.window.dockWidgetArea(dock) == BOTTOM
    assert again.window.restore_layout("zhang")
    assert again.window.dockWidgetArea(dock) == RIGHT


def test_panes_below_the_kb_share_the_width_at_1024_px(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    from agent_app.questions.views.question_queue import QuestionQueueView

    window = app.window
    history = history_dock(app)
    queue = QuestionQueueView(False)
    pane = window.add_pane("question_queue", "问题队列", queue, PaneRole.WORKLIST)
    # Side by side they would need more than a 1024-pixel screen: they are stacked as tabs,
    # the newest in front, and the window still fits.
    assert window.tabifiedDockWidgets(pane.dock) == [history]
    assert front_tab(window) == "问题队列"
    assert window.minimumSizeHint().width() <= 1024
    window.show_view(app.phone.history)
    assert front_tab(window) == "通话记录"


def front_tab(window) -> str:  # type: ignore[no-untyped-def]
    """The title in front among the panes stacked below the KB (QMainWindow's own tab bar)."""
    bars = [b for b in window.findChildren(QTabBar) if b.parent() is window]
    assert len(bars) == 1
    return str(bars[0].tabText(bars[0].currentIndex()))


def test_the_layout_comes_back_at_the_next_login(qtbot, backend, tmp_path: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    from agent_app.common.settings import Settings
    from common.demo_accounts import DEMO_PASSWORD
    from tests.agent_app.conftest import make_data_dir
    from tests.agent_app.shell.test_login import login_dialog, submit
    from tests.helpers.corpus import SMALL_CORPUS

    agent = backend.new_user("agent")
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    app = start_app(folder, connect=True, settings=Settings(server_url=backend.url))
    window = app.window
    submit(qtbot, login_dialog(qtbot, app), agent, DEMO_PASSWORD, remember=False)
    qtbot.waitUntil(lambda: app.my_questions is not None, timeout=15_000)
    dock = window.pane_of(app.my_questions.view).dock
    assert window.dockWidgetArea(dock) == RIGHT
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)  # the agent moves it
    window.logout_action.trigger()  # the layout is kept for this user
    submit(qtbot, login_dialog(qtbot, app), agent, DEMO_PASSWORD, remember=False)
    qtbot.waitUntil(lambda: app.my_questions is not None, timeout=15_000)
    dock = window.pane_of(app.my_questions.view).dock
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.LeftDockWidgetArea


def test_the_window_opens_no_larger_than_the_screen(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    room = app.window.screen().availableGeometry()
    assert app.window.width() <= room.width() and app.window.height() <= room.height()
