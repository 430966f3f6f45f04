"""Fixtures of the supervision tests: a clocked app per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.supervision.support import LiveApp, live_app


@pytest.fixture
def app(backend_name: str, tmp_path: Path) -> Iterator[LiveApp]:
    with live_app(backend_name, tmp_path) as running:
        yield running
