"""Start the desktop app: Qt application, translations, the window, then the knowledge base
opened and its index checked in the background so the window is usable at once."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from agent_app.qtops import TaskManager, op
from agent_app.settings import Settings
from agent_app.ui.main_window import MainWindow
from kb import messages
from kb.knowledge_base import KnowledgeBase
from kb.paths import RESOURCES_DIR, resolve_data_dir

log = logging.getLogger(__name__)
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
_STARTED = time.perf_counter()


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Our .qm plus Qt's own (standard buttons); nothing to load for English."""
    translators: list[QTranslator] = []
    if language.startswith("en"):
        return translators
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS_DIR / f"seatdesk_{language}.qm")):
        app.installTranslator(ours)
        translators.append(ours)
    else:
        log.warning("no translation for %s", language)
    qt_own = QTranslator(app)
    if qt_own.load(
        QLocale(language),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        app.installTranslator(qt_own)
        translators.append(qt_own)
    return translators


class AppController:
    """Owns the window, the task manager and the knowledge base for one run of the app."""

    def __init__(self, data_dir: Path, settings: Settings) -> None:
        self.data_dir = data_dir
        self.settings = settings
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        self._app = app
        self._translators = install_translators(app, settings.language)
        self.taskman = TaskManager()
        self.window = MainWindow(self.taskman, settings)
        self.window.language_chosen.connect(self._save_language)
        self.window.closing.connect(self.shutdown)
        self.kb: KnowledgeBase | None = None
        self._shut = False

    def start(self) -> None:
        self.window.show()
        data_dir = self.data_dir

        def open_kb() -> tuple[KnowledgeBase, bool]:
            kb = KnowledgeBase(data_dir)
            kb.load_demo_if_empty()
            return kb, kb.open_index()

        op(open_kb).success(self._kb_opened).failure(self._kb_failed).run(self.taskman)

    def _kb_opened(self, result: tuple[KnowledgeBase, bool]) -> None:
        kb, index_ok = result
        self.kb = kb
        self.window.kb_pane.set_knowledge_base(kb)
        if index_ok:
            self.window.set_index_state("ready")
        else:
            self.rebuild_index()

    def _kb_failed(self, exc: BaseException) -> None:
        log.error("knowledge base could not be opened", exc_info=exc)
        self.window.set_index_state("failed")
        self.window.statusBar().showMessage(str(exc))

    def rebuild_index(self) -> None:
        kb = self.kb
        if kb is None:
            return
        self.window.set_index_state("rebuilding", 0, kb.store.count_searchable())

        def progress(done: int, total: int) -> None:
            self.taskman.call_on_gui(lambda: self.window.set_index_state("rebuilding", done, total))

        op(lambda: kb.rebuild_index(progress)).success(
            lambda _r: self.window.set_index_state("ready")
        ).failure(self._rebuild_failed).run(self.taskman, executor="index")

    def _rebuild_failed(self, exc: BaseException) -> None:
        log.error("index rebuild failed", exc_info=exc)
        self.window.set_index_state("failed")

    def _save_language(self, code: str) -> None:
        self.settings.language = code
        settings, data_dir = self.settings, self.data_dir
        op(lambda: settings.save(data_dir)).run(self.taskman)

    def shutdown(self) -> None:
        if self._shut:
            return
        self._shut = True
        self.taskman.shutdown()
        if self.kb is not None:
            self.kb.close()
        for translator in self._translators:
            self._app.removeTranslator(translator)


def run_app(data_dir: str | None = None, lang: str | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    folder = resolve_data_dir(data_dir)
    settings = Settings.load(folder)
    if lang:
        settings.language = lang
    messages.set_language(settings.language)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("SeatDesk")
    app.setOrganizationName("SeatDesk")
    controller = AppController(folder, settings)
    controller.start()
    if os.environ.get("SEATDESK_STARTUP_PROBE"):
        _probe_startup(controller, app, os.environ["SEATDESK_STARTUP_PROBE"])
    code = app.exec()
    controller.shutdown()
    return code


def _probe_startup(controller: AppController, app: QApplication, query: str) -> None:
    """For bench/startup.py: type `query` at once and quit when its results are on screen."""
    pane = controller.window.kb_pane
    # Measured from the launcher's clock when it gives one (SEATDESK_LAUNCHED_AT, epoch seconds),
    # so interpreter start-up and imports count too.
    launched = float(os.environ.get("SEATDESK_LAUNCHED_AT", "0"))
    origin = launched if launched else time.time() - (time.perf_counter() - _STARTED)
    shown = time.time()

    def results(count: int) -> None:
        print(
            f"SEATDESK_READY window_ms={(shown - origin) * 1000:.1f} "
            f"results_ms={(time.time() - origin) * 1000:.1f} count={count}",
            flush=True,
        )
        QTimer.singleShot(0, app.quit)

    pane.results_shown.connect(results)
    pane.search.setText(query)
