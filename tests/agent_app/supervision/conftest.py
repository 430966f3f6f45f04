"""Fixtures of the supervision desktop tests: a real backend of their own whose clock the test
can move on (so a seat that stops reporting turns lost without waiting 30 s), or a real server
process that can be stopped and started again on the same port; teams and users written
straight into the server's database (one cached password hash, no login round per user), each
person with a logged-in ApiClient."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from common.timestamps import utc_now
from server.core.db import Database
from server.core.security import stamp
from server.tables import teams
from sync.api_client import ApiClient
from tests.helpers.backend import TestBackend
from tests.server.support import ServerProcess, insert_user, mint_token


class MovableClock:
    """The server's clock: real time plus an offset the test moves forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@dataclass
class Person:
    id: int
    username: str
    role: str
    client: ApiClient


class People:
    """Users and teams made in a server's database, each user with a session of its own."""

    def __init__(self, db: Database, url: str) -> None:
        self.db = db
        self.url = url
        self._numbers = itertools.count(1)
        self.clients: list[ApiClient] = []

    def team(self, name: str) -> int:
        with self.db.write() as conn:
            return int(
                conn.execute(
                    teams.insert().values(name=name, created_at=stamp(), updated_at=stamp())
                ).inserted_primary_key[0]  # type: ignore[index]
            )

    def person(self, role: str, team_id: int | None = None, name: str = "") -> Person:
        username = name or f"{role}-{next(self._numbers)}"
        user_id = insert_user(self.db, username, role, team_id=team_id)
        token = mint_token(self.db, user_id, 24 * 3600)
        client = ApiClient(self.url, token)
        self.clients.append(client)
        return Person(user_id, username, role, client)

    def close(self) -> None:
        for client in self.clients:
            client.close()


class Center(People):
    """The embedded backend (FastAPI under uvicorn in this process) with a movable clock."""

    def __init__(self, folder: Path) -> None:
        self.backend = TestBackend(folder)
        url = self.backend.start()
        embedded = self.backend._server
        assert embedded._server is not None and embedded._db is not None
        self.clock = MovableClock()
        embedded._server.config.app.state.clock = self.clock
        super().__init__(embedded._db, url)

    def close(self) -> None:
        super().close()
        self.backend.stop()


class ServerCenter(People):
    """`main.py serve` in a process of its own on SQLite: stop() and start() it again on the
    same port, as a server restart or a network cut looks to the desktop."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder / 'server.db'}"
        db = Database(url)
        db.migrate()
        self.process = ServerProcess(url, folder)
        super().__init__(db, self.process.base_url)
        self.process.start()

    def close(self) -> None:
        super().close()
        self.process.stop(kill=True)
        self.db.dispose()


@pytest.fixture
def center(tmp_path: Path) -> Iterator[Center]:
    running = Center(tmp_path / "server")
    yield running
    running.close()


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[ServerCenter]:
    running = ServerCenter(tmp_path / "served")
    yield running
    running.close()


@pytest.fixture
def chinese(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The app's Chinese translation installed (as the app does at start), removed after."""
    from agent_app.shell.app import install_translators

    translators = install_translators(qapp, "zh_CN")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
