"""Fixtures for the backend tests: the real server over HTTP, on SQLite and on PostgreSQL.

`server` is one `python main.py serve` per backend for the whole session (tests keep apart by
using their own users, question uuids and business lines); tests that restart a server or need
special settings start their own through `start_server`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.core.db import Database
from tests.helpers.postgres import fresh_database
from tests.server.support import BACKENDS, Actors, Backend, ServerFactory, ServerProcess


@contextlib.contextmanager
def _fresh_db_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'server.db'}"
    else:
        with fresh_database() as url:
            yield url


@contextlib.contextmanager
def _backend(
    name: str, folder: Path, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[Backend]:
    with _fresh_db_url(name, folder) as url:
        db = Database(url)
        db.migrate()  # the server migrates too; users are inserted before it starts
        proc = ServerProcess(url, folder, port=port, env=env)
        backend = Backend(name, url, db, proc)
        try:
            proc.start()
            yield backend
        finally:
            proc.stop()
            db.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """The shared server for this backend (one process for the session)."""
    folder = tmp_path_factory.mktemp(f"server-{request.param}")
    with _backend(request.param, folder) as backend:
        yield backend
        assert backend.proc.alive(), "the shared server died:\n" + backend.proc.log_tail()


@pytest.fixture
def actors(server: Backend) -> Iterator[Actors]:
    made = Actors(server)
    yield made
    made.close()


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start a dedicated server: start_server(backend, env={...}); stopped at teardown."""
    with contextlib.ExitStack() as stack:
        count = 0

        def start(name: str, env: dict[str, str] | None = None) -> Backend:
            nonlocal count
            count += 1
            return stack.enter_context(_backend(name, tmp_path / f"own-{count}", env=env))

        yield start
