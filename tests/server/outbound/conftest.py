"""Fixtures of the outbound backend tests: the app with a clock the test moves, per backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server.outbound.clocked import MONDAY_10, ClockedServer, clocked_server
from tests.server.support import BACKENDS


@pytest.fixture(scope="module", params=BACKENDS)
def clocked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClockedServer]:
    """One app per backend and test module; each test starts on Monday 10:00 China time."""
    folder = tmp_path_factory.mktemp(f"outbound-{request.param}")
    with clocked_server(request.param, folder) as server:
        yield server


@pytest.fixture
def app(clocked: ClockedServer) -> ClockedServer:
    clocked.clock.now = MONDAY_10
    return clocked
