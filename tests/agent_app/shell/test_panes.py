"""The window's panes: contributed by role and placed side by side, each user's arrangement
kept (in the data folder) and brought back for that user only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

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
