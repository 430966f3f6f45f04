"""Fixtures for the desktop tests: real widgets offscreen on a real knowledge-base folder, a
real backend over HTTP on 127.0.0.1, and an in-memory keyring in place of the OS's store."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QLocale

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.shell.app import AppController
from common.demo_accounts import DEMO_PASSWORD
from kb.knowledge_base import KnowledgeBase
from kb.models import Article
from sync.api_client import ApiClient
from tests.helpers.backend import TestBackend
from tests.helpers.corpus import SMALL_CORPUS
from tests.helpers.memory_keyring import MemoryKeyring

FAST_PULL_S = 0.3  # the changes feed is pulled this often in tests, so answers arrive soon


def make_data_dir(folder: Path, articles: list[Article], index: bool) -> Path:
    """A data folder holding `articles`; with index=False its index must be built at start."""
    kb = KnowledgeBase(folder)
    kb.store.set_meta("demo_loaded", "1")  # these tests bring their own articles
    with kb.store.transaction():
        for article in articles:
            kb.store.save_article(article)
    if index:
        kb.ensure_index()
    kb.close()
    return folder


@pytest.fixture(scope="package", autouse=True)
def no_garbage_collection_on_workers() -> Iterator[None]:
    """As the app does (agent_app/qtgc.py): no automatic collection, which could run on a
    worker thread and destroy Qt objects there; each test's garbage is collected after it."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def default_locale_restored() -> Iterator[None]:
    """The app sets Qt's default locale to its language (install_translators): each test
    starts from the one before."""
    before = QLocale()
    yield
    QLocale.setDefault(before)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory keyring; the machine's own is never touched."""
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)


StartApp = Callable[..., AppController]


@pytest.fixture
def start_app(qtbot) -> Iterator[StartApp]:  # type: ignore[no-untyped-def]
    """start_app(folder, language, ...) -> a started AppController; shut down after the test.

    connect=False (the default) keeps it local: no backend, no login dialog.
    """
    controllers: list[AppController] = []

    def start(
        folder: Path,
        language: str = "zh_CN",
        wait_ready: bool = True,
        connect: bool = False,
        settings: Settings | None = None,
    ) -> AppController:
        if settings is None:
            settings = Settings(language=language, search_log_idle_ms=50)
        settings.pull_interval_s = FAST_PULL_S
        controller = AppController(folder, settings, connect=connect)
        qtbot.addWidget(controller.window)
        controllers.append(controller)
        controller.start()
        if wait_ready:
            qtbot.waitUntil(
                lambda: controller.kb is not None and controller.kb.is_ready, timeout=30_000
            )
        return controller

    yield start
    for controller in controllers:
        controller.window.close()
        controller.shutdown()


@pytest.fixture
def app(data_dir: Path, start_app: StartApp) -> Iterator[AppController]:
    yield start_app(data_dir)


# -- a shared backend -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestBackend]:
    """One real backend for the session (tests make their own users on it)."""
    running = TestBackend(tmp_path_factory.mktemp("server"))
    running.start()
    yield running
    running.stop()


@pytest.fixture
def server(backend: TestBackend) -> str:
    """The shared backend's URL."""
    return backend.url


@pytest.fixture
def api() -> Iterator[Callable[..., ApiClient]]:
    """api(url, username, password=demo) -> a logged-in ApiClient, closed after the test."""
    clients: list[ApiClient] = []

    def login(url: str, username: str, password: str = DEMO_PASSWORD) -> ApiClient:
        client = ApiClient(url)
        clients.append(client)
        client.login(username, password)
        return client

    yield login
    for client in clients:
        client.close()


@pytest.fixture
def logged_in_app(qtbot, tmp_path: Path, start_app: StartApp) -> StartApp:  # type: ignore[no-untyped-def]
    """logged_in_app(url, username, name) -> an app that logged in by itself at start (its
    password remembered in the keyring, as after an earlier 'remember password')."""

    def start(url: str, username: str, name: str = "") -> AppController:
        folder = make_data_dir(tmp_path / (name or username), SMALL_CORPUS, index=True)
        credentials.save_password(url, username, DEMO_PASSWORD)
        settings = Settings(
            search_log_idle_ms=50, server_url=url, username=username, remember_password=True
        )
        controller = start_app(folder, connect=True, settings=settings)
        qtbot.waitUntil(lambda: controller.sync.running, timeout=15_000)
        return controller

    return start
