"""Fixtures for the desktop tests: real widgets offscreen on a real knowledge-base folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.qtapp import AppController
from agent_app.settings import Settings
from kb.knowledge_base import KnowledgeBase
from kb.models import Article

from .corpus import SMALL_CORPUS


def make_data_dir(folder: Path, articles: list[Article], index: bool) -> Path:
    """A data folder holding `articles`; with index=False its index must be built at start."""
    kb = KnowledgeBase(folder)
    kb.store.set_meta("demo_loaded", "1")  # these tests bring their own articles
    with kb.store.lock, kb.store.db.atomic():
        for article in articles:
            kb.store.save_article(article)
    if index:
        kb.ensure_index()
    kb.close()
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)


@pytest.fixture
def start_app(qtbot):  # type: ignore[no-untyped-def]
    """start_app(folder, language) -> a started AppController; shut down after the test."""
    controllers: list[AppController] = []

    def start(folder: Path, language: str = "zh_CN", wait_ready: bool = True) -> AppController:
        controller = AppController(folder, Settings(language=language, search_log_idle_ms=50))
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
def app(data_dir: Path, start_app) -> Iterator[AppController]:  # type: ignore[no-untyped-def]
    yield start_app(data_dir)
