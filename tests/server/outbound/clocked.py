"""The real FastAPI app over HTTP on 127.0.0.1 with a clock the test moves (FakeClock as
`app.state.clock`, the clock the campaign routes read), on SQLite or PostgreSQL, plus users,
campaigns and records made straight in its database.

The shared `server` fixture is a separate process whose clock is the machine's; the hand-out,
the retry engine and the callbacks need time to pass on demand, so these tests run the same
app in-process under uvicorn (as the embedded backend does) with the test's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvicorn

from server.app import create_app
from server.core.config import ServerSettings
from server.core.db import Database
from server.core.security import expiry, new_token, stamp, token_digest
from server.tables import campaign_records, campaigns, tokens, users
from tests.helpers.clock import FakeClock
from tests.helpers.postgres import fresh_database
from tests.server.support import PASSWORD, password_hash

# Monday 2026-09-14 10:00 China time (02:00 UTC): a working day inside the morning window.
MONDAY_10 = datetime(2026, 9, 14, 2, 0, tzinfo=UTC)


@dataclass
class User:
    id: int
    username: str
    role: str
    http: httpx.Client


class ClockedServer:
    __test__ = False

    def __init__(self, db: Database, clock: FakeClock) -> None:
        self.db = db
        self.clock = clock
        self.url = ""
        self.app: Any = None  # the FastAPI app, once started
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._clients: list[httpx.Client] = []
        self._count = 0

    @property
    def backend(self) -> str:
        return "sqlite" if self.db.is_sqlite else "postgresql"

    def start(self) -> None:
        app = self.app = create_app(ServerSettings(db_url=self.db.url), self.db)
        app.state.clock = self.clock
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        self._server = server
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

    # -- people ---------------------------------------------------------------------------------
    def user(self, role: str) -> User:
        self._count += 1
        username = f"{role}-{self._count}"
        with self.db.write() as conn:
            user_id = int(
                conn.execute(
                    users.insert().values(
                        username=username,
                        display_name=username,
                        role=role,
                        password_hash=password_hash(PASSWORD),
                        disabled=False,
                        created_at=stamp(),
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
            )
            token = new_token()
            conn.execute(
                tokens.insert().values(
                    token_hash=token_digest(token),
                    user_id=user_id,
                    created_at=stamp(),
                    expires_at=expiry(24 * 3600),
                )
            )
        http = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        self._clients.append(http)
        return User(user_id, username, role, http)

    # -- data -----------------------------------------------------------------------------------
    def campaign(self, manager: User, **fields: Any) -> dict[str, Any]:
        self._count += 1
        body = {"name": f"活动-{self._count}", **fields}
        response = manager.http.post("/campaigns", json=body)
        assert response.status_code == 201, response.text
        campaign: dict[str, Any] = response.json()
        return campaign

    def records(self, campaign_id: int, phones: list[str], **values: Any) -> list[int]:
        """Records in list order (row numbers from 1), pending and due now unless `values`."""
        ids = []
        with self.db.write() as conn:
            for row, phone in enumerate(phones, start=1):
                result = conn.execute(
                    campaign_records.insert().values(
                        campaign_id=campaign_id,
                        row_number=row,
                        name=f"客户{row}",
                        phone=phone,
                        phone_key=phone,
                        fields=json.dumps({"楼盘": "阳光花园"}, ensure_ascii=False),
                        updated_at=stamp(),
                        **values,
                    )
                )
                ids.append(int(result.inserted_primary_key[0]))  # type: ignore[index]
        return ids

    def record(self, record_id: int) -> Any:
        with self.db.read() as conn:
            return conn.execute(
                sa.select(campaign_records).where(campaign_records.c.id == record_id)
            ).one()

    def set_record(self, record_id: int, **values: Any) -> None:
        with self.db.write() as conn:
            conn.execute(
                campaign_records.update().where(campaign_records.c.id == record_id).values(**values)
            )

    def campaign_row(self, campaign_id: int) -> Any:
        with self.db.read() as conn:
            return conn.execute(sa.select(campaigns).where(campaigns.c.id == campaign_id)).one()


@contextlib.contextmanager
def clocked_server(backend: str, folder: Path) -> Iterator[ClockedServer]:
    url_cm = (
        contextlib.nullcontext(f"sqlite:///{folder / 'outbound.db'}")
        if backend == "sqlite"
        else fresh_database()
    )
    with url_cm as url:
        db = Database(url)
        db.migrate()
        server = ClockedServer(db, FakeClock(MONDAY_10))
        try:
            server.start()
            yield server
        finally:
            server.stop()
            db.dispose()
