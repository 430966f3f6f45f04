"""The backend in-process: uvicorn in a thread on 127.0.0.1, a free port, SQLite in the data
folder. Used by the desktop app when no server URL is configured, and by tests."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import socket
import threading
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from server.app import create_app
from server.core.config import ServerSettings
from server.core.db import Database
from server.core.private_files import private_dir, private_sqlite
from server.services.first_start import credentials_note, ensure_first_users

log = logging.getLogger(__name__)
SERVER_DB_FILE = "seatdesk-server.db"


class EmbeddedServer:
    def __init__(
        self, data_dir: Path, settings: ServerSettings | None = None, demo: bool = False
    ) -> None:
        self.data_dir = Path(data_dir)
        # The app's own built-in backend (demo=True) gets the demo campaign on its first start;
        # tests' backends do not (server/services/outbound/demo.py).
        self.demo = demo
        self.settings = dataclasses.replace(
            settings or ServerSettings(db_url=str(self.data_dir / SERVER_DB_FILE)),
            first_login_file=str(credentials_note(self.data_dir)),
        )
        self.first_login_note: str | None = None
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._db: Database | None = None
        self._app: FastAPI | None = None

    def start(self, timeout: float = 20.0) -> str:
        # The data folder holds the databases and the admin's first password: owner only.
        private_dir(self.data_dir)
        self._db = Database(self.settings.db_url)
        if self._db.sqlite_file is not None:
            private_sqlite(self._db.sqlite_file)
        self._db.migrate()
        self.first_login_note = ensure_first_users(self._db, self.data_dir, self.demo)
        app = create_app(self.settings, self._db)
        self._app = app
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        # Requests still running 2 s into a stop are cancelled: a supervisor's board stream
        # never ends by itself.
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
        )
        self._server = uvicorn.Server(config)
        started = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            server = self._server
            assert server is not None
            loop.run_until_complete(self._serve(server, sock, started))
            loop.close()

        self._thread = threading.Thread(target=serve, name="seatdesk-embedded-server", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise RuntimeError("embedded backend did not start")
        self.url = f"http://127.0.0.1:{port}"
        log.info("embedded backend on %s", self.url)
        return self.url

    @staticmethod
    async def _serve(server: uvicorn.Server, sock: socket.socket, started: threading.Event) -> None:
        task = asyncio.ensure_future(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        started.set()
        await task

    def stop(self) -> None:
        if self._app is not None:
            # Long-polls and board streams end now, so the stop does not wait them out and
            # cancel them (uvicorn logs each cancelled request as an error).
            self._app.state.changes_signal.close_threadsafe()
            self._app.state.board_hub.close_streams_threadsafe()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._db is not None:
            self._db.dispose()
