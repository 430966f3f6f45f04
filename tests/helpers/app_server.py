"""The real FastAPI app in-process over HTTP on 127.0.0.1 with a clock the test moves (a
FakeClock as `app.state.clock`), on SQLite or PostgreSQL, and users with tokens made straight in
its database, each with an httpx client.

The shared `server` fixture is a separate process whose clock is the machine's; tests that need
time to pass on demand run the same app under uvicorn in a thread (as the embedded backend does)
with the test's clock. Areas subclass `AppServer` with their own data helpers (outbound:
tests/server/outbound/clocked.py; supervision: tests/server/supervision/support.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn

from server.app import create_app
from server.core.config import ServerSettings
from server.core.db import Database
from tests.helpers.clock import FakeClock
from tests.helpers.postgres import backend_url
from tests.server.support import insert_user, mint_token

# Monday 2026-09-14 10:00 China time (02:00 UTC): a working day inside the morning window.
MONDAY_10 = datetime(2026, 9, 14, 2, 0, tzinfo=UTC)


@dataclass
class User:
    id: int
    username: str
    role: str
    token: str
    http: httpx.Client


class AppServer:
    """The app under uvicorn in a thread; `lifespan` on starts and stops what `main.py serve`
    starts with it (the board hub and its PostgreSQL listener), off leaves them out."""

    __test__ = False
    # A user's display name; differs from the username by default so that a test notices
    # which of the two a reply carries.
    display_name = "{role} {n}"

    def __init__(self, db: Database, clock: FakeClock, *, lifespan: bool = False) -> None:
        self.db = db
        self.clock = clock
        self.lifespan = lifespan
        self.url = ""
        self.app: Any = None  # the FastAPI app, once started
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._clients: list[httpx.Client] = []
        self._count = 0

    @property
    def backend(self) -> str:
        return "sqlite" if self.db.is_sqlite else "postgresql"

    def next_number(self) -> int:
        """A number no other name made by this server has used (users, teams, campaigns)."""
        self._count += 1
        return self._count

    def start(self) -> None:
        app = self.app = create_app(ServerSettings(db_url=self.db.url), self.db)
        app.state.clock = self.clock
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on" if self.lifespan else "off",
            timeout_graceful_shutdown=2,
        )
        server = self._server = uvicorn.Server(config)
        started = threading.Event()

        async def serve() -> None:
            task = asyncio.ensure_future(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.01)
            started.set()
            await task

        self._thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
        self._thread.start()
        assert started.wait(30), "the app did not start"
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        for http in self._clients:
            http.close()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
            assert not self._thread.is_alive(), "the app did not stop"

    def user(self, role: str, **columns: Any) -> User:
        """A user of `role` with a token, made in the database; `columns` adds or overrides
        values of its `users` row (e.g. team_id). Its client is closed when the server stops."""
        n = self.next_number()
        username = f"{role}-{n}"
        display_name = self.display_name.format(role=role, n=n, username=username)
        user_id = insert_user(self.db, username, role, display_name=display_name, **columns)
        token = mint_token(self.db, user_id, 24 * 3600)
        http = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        self._clients.append(http)
        return User(user_id, username, role, token, http)


S = TypeVar("S", bound=AppServer)


@contextlib.contextmanager
def served(
    make: Callable[[Database, FakeClock], S], backend: str, sqlite_file: Path, start: datetime
) -> Iterator[S]:
    """A started server made by `make` on a migrated database: the SQLite file `sqlite_file`
    or a fresh PostgreSQL database (dropped after); stopped and disposed of afterwards."""
    with backend_url(backend, sqlite_file) as url:
        db = Database(url)
        db.migrate()
        server = make(db, FakeClock(start))
        try:
            server.start()
            yield server
        finally:
            server.stop()
            db.dispose()
