"""Fixtures shared by the whole test suite: temporary knowledge bases and message language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kb import messages
from kb.knowledge_base import KnowledgeBase

pytest_plugins = ["tests.rig.fixtures"]

KbFactory = Callable[..., KnowledgeBase]


@pytest.fixture
def kb_factory(tmp_path: Path) -> Iterator[KbFactory]:
    """Open knowledge bases in temporary folders; every one is closed at teardown.

    `kb_factory()` gives a fresh data folder; `kb_factory(path)` (re)opens that folder.
    `index=True` also makes the search index ready (building it when needed).
    """
    opened: list[KnowledgeBase] = []
    counter = 0

    def open_kb(data_dir: Path | None = None, index: bool = False) -> KnowledgeBase:
        nonlocal counter
        if data_dir is None:
            counter += 1
            data_dir = tmp_path / f"data{counter}"
        kb = KnowledgeBase(data_dir)
        opened.append(kb)
        if index:
            kb.ensure_index()
        return kb

    yield open_kb
    for kb in reversed(opened):
        kb.close()  # closing twice is harmless, so tests may close early


@pytest.fixture
def kb(kb_factory: KbFactory) -> KnowledgeBase:
    """An empty knowledge base whose search index is ready."""
    return kb_factory(index=True)


@pytest.fixture
def zh_messages() -> Iterator[None]:
    """User-facing messages in Simplified Chinese (the default), restored afterwards."""
    before = messages.language()
    messages.set_language("zh_CN")
    yield
    messages.set_language(before)


@pytest.fixture
def en_messages() -> Iterator[None]:
    """User-facing messages in English, restored afterwards."""
    before = messages.language()
    messages.set_language("en")
    yield
    messages.set_language(before)


@pytest.fixture(autouse=True)
def language_restored() -> Iterator[None]:
    """The texts' language is one state of the process (common/texts.py): whatever a test sets
    it to, the next test starts from the one before. (Two tests that check English messages
    left it English, and a Chinese import report on the same xdist worker came out English.)"""
    before = messages.language()
    yield
    messages.set_language(before)
