"""Start-up: the window is usable before the index is rebuilt, and stays responsive meanwhile."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from tests.agent_app.conftest import make_data_dir
from tests.helpers.corpus import SMALL_CORPUS, synthetic_corpus, type_text


def test_gui_stays_responsive_and_answers_during_rebuild(qtbot, tmp_path: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    # 2,500 articles and no index: the rebuild takes long enough to be watched.
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS + synthetic_corpus(2500), index=False)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    controller = start_app(folder, wait_ready=False)
    window, pane = controller.window, controller.window.kb_pane
    qtbot.waitUntil(
        lambda: controller.kb is not None and controller.kb.state == "rebuilding", timeout=20_000
    )
    assert window.index_progress.isVisible()
    ticks_at_start = len(ticks)

    # While the index is rebuilt the agent still types and gets (simple-search) answers.
    with qtbot.waitSignal(pane.results_shown, timeout=20_000) as shown:
        type_text(pane.search, "携号转网")
    assert shown.args[0] >= 1
    assert controller.kb.state == "rebuilding", "rebuild ended before the check: corpus too small"
    assert "简易搜索" in pane.result_label.text()
    assert pane.current_hit().title == "携号转网办理条件"

    # (The index is ready on the worker thread a moment before the window hears of it.)
    qtbot.waitUntil(
        lambda: controller.kb.is_ready and not window.index_progress.isVisible(), timeout=120_000
    )
    # The GUI thread kept running its timers throughout the rebuild.
    assert len(ticks) - ticks_at_start > 10
    assert window.index_label.text() == "知识库已就绪"
    timer.stop()

    pane.search.clear()
    with qtbot.waitSignal(pane.results_shown, timeout=10_000):
        type_text(pane.search, "携号转网")
    assert "简易搜索" not in pane.result_label.text()


def test_first_start_loads_demo_knowledge_base(qtbot, tmp_path: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    controller = start_app(tmp_path / "fresh")
    assert controller.kb.store.count_searchable() >= 150
    pane = controller.window.kb_pane
    with qtbot.waitSignal(pane.results_shown, timeout=10_000) as shown:
        type_text(pane.search, "宽带")
    assert shown.args[0] >= 3


def test_english_is_selectable(qtbot, data_dir: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    controller = start_app(data_dir, language="en")
    assert controller.window.kb_pane.not_answered.text() == "Not answered"
    controller.window._choose_language("zh_CN")
    qtbot.waitUntil(lambda: (data_dir / "settings.json").exists(), timeout=10_000)
    assert '"zh_CN"' in (data_dir / "settings.json").read_text(encoding="utf-8")
