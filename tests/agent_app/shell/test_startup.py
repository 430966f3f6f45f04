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
    window, pane = controller.window, controller.kb_view
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
    pane = controller.kb_view
    with qtbot.waitSignal(pane.results_shown, timeout=10_000) as shown:
        type_text(pane.search, "宽带")
    assert shown.args[0] >= 3


def test_english_is_selectable(qtbot, data_dir: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    controller = start_app(data_dir, language="en")
    assert controller.kb_view.not_answered.text() == "Not answered"
    controller.window._choose_language("zh_CN")
    qtbot.waitUntil(lambda: (data_dir / "settings.json").exists(), timeout=10_000)
    assert '"zh_CN"' in (data_dir / "settings.json").read_text(encoding="utf-8")


def test_closing_during_a_rebuild_cancels_it(qtbot, tmp_path: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    # A large rebuild under way: closing the window stops it at its next batch instead of
    # holding the window until the whole index is written.
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS + synthetic_corpus(4000), index=False)
    controller = start_app(folder, wait_ready=False)
    window = controller.window
    qtbot.waitUntil(
        lambda: controller.kb is not None and controller.kb.state == "rebuilding", timeout=20_000
    )
    kb = controller.kb
    window.close()  # closing -> shutdown: the rebuild is cancelled, then the executors end
    assert not window.isVisible()
    assert kb.rebuild_cancelled, "the rebuild ran to its end: closing waited for it"
    assert kb.state == "broken"  # rebuilt at the next start
    assert not (folder / "index.building").exists()


def test_the_log_goes_to_a_rotating_file_in_the_data_folder(tmp_path: Path) -> None:
    import logging
    import logging.handlers

    from agent_app.shell.logs import log_file, setup_logging, stop_logging

    path = setup_logging(tmp_path, stderr=False)
    try:
        logging.getLogger("seatdesk.test").warning("磁盘快满了 disk nearly full")
        handlers = [
            h
            for h in logging.getLogger().handlers
            if isinstance(h, logging.handlers.RotatingFileHandler)
        ]
        assert [h.baseFilename for h in handlers] == [str(path)]
        assert handlers[0].maxBytes > 0 and handlers[0].backupCount > 0
        for handler in handlers:
            handler.flush()
    finally:
        stop_logging()
    assert path == log_file(tmp_path) and path.parent.parent == tmp_path
    assert "磁盘快满了 disk nearly full" in path.read_text(encoding="utf-8")


def test_after_a_crash_the_next_start_offers_the_log(qtbot, tmp_path: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    from agent_app.shell.logs import RUNNING_MARKER, log_file

    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    # A clean run: its shutdown removes the marker, so the next start offers nothing.
    clean = start_app(folder)
    clean.window.close()
    clean.shutdown()
    again = start_app(folder)
    assert not again.crashed_before
    assert again.crash_dialog is None
    # A run that never shut down (a crash) leaves the marker and the end of its log behind.
    log_file(folder).parent.mkdir(parents=True, exist_ok=True)
    log_file(folder).write_text(
        "2026-12-06 08:00:00 INFO MainThread app: started\n"
        "2026-12-06 08:00:05 ERROR MainThread app: Fatal Python error: none_dealloc\n",
        encoding="utf-8",
    )
    again.window.close()
    again.shutdown()
    assert not (folder / RUNNING_MARKER).exists()
    (folder / RUNNING_MARKER).write_text("running\n", encoding="utf-8")  # as a crash leaves it
    crashed = start_app(folder)
    assert crashed.crashed_before
    qtbot.waitUntil(lambda: crashed.crash_dialog is not None and crashed.crash_dialog.isVisible())
    dialog = crashed.crash_dialog
    assert "none_dealloc" in dialog.log_view.toPlainText()
    scroll = dialog.log_view.verticalScrollBar()
    assert scroll.value() == scroll.maximum()  # the end of the log, where the crash is
    assert dialog.folder_url().toLocalFile() == str(log_file(folder).parent)
    assert dialog.open_button.text() == "打开日志文件夹"
