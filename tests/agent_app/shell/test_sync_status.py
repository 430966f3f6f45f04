"""The status bar says when sync is not running (issue 11 #2): a sync thread that died shows
同步已停止, and the controller's watchdog starts it again. Real widgets offscreen, a real worker
and local database, a server address nothing listens on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from agent_app.shell.app import install_translators
from agent_app.shell.local_data import LocalData
from agent_app.shell.sync_controller import SyncController
from agent_app.shell.sync_status import SyncStatusWidget
from agent_app.shell.taskman import TaskManager
from sync.api_client import ApiClient
from tests.server.support import free_port


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    translators = install_translators(qapp, "zh_CN")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_a_dead_sync_thread_shows_and_the_watchdog_restarts_it(
    qtbot, tmp_path: Path, chinese: None
) -> None:  # type: ignore[no-untyped-def]
    data = LocalData(tmp_path / "seat")
    taskman = TaskManager()
    controller = SyncController(taskman)
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    controller.status_changed.connect(lambda s: widget.show_status(s, controller.logged_in))
    url = f"http://127.0.0.1:{free_port()}"
    client = ApiClient(url)
    try:
        controller.start(data, client, url, "agent1", pull_interval=0.05)
        controller.watchdog.stop()  # first see the dead thread as the user would
        worker = controller.worker
        assert worker is not None

        def overflow() -> float:  # what 2**1024 did inside the loop's except block
            raise OverflowError("(34, 'Numerical result out of range')")

        worker.backoff_delay = overflow  # type: ignore[method-assign]
        qtbot.waitUntil(lambda: widget.online_label.text() == "● 同步已停止", timeout=15_000)
        # The status is told as the loop fails; the thread ends a moment later.
        qtbot.waitUntil(lambda: not worker.alive, timeout=5_000)
        assert "Numerical result" in widget.online_label.toolTip()

        del worker.backoff_delay  # the bug is gone: the watchdog's restart sticks
        controller.watchdog.setInterval(50)
        controller.watchdog.start()
        qtbot.waitUntil(lambda: widget.online_label.text() == "● 离线", timeout=15_000)
        assert worker.alive and worker.status.restarts == 1
        assert controller.status.restarts == 1
    finally:
        controller.stop(wait=True)
        taskman.shutdown()
        client.close()
        data.close()
