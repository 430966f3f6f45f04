"""How the app server uses PostgreSQL and TCP under load (issue 11, point 19): each process
keeps to its connection pool, `serve --workers N` answers without Nagle delays, and a server
whose pools could exhaust PostgreSQL's connections says so when it starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import uvicorn
from uvicorn.server import ServerState

from server.cli import NoDelayHTTPProtocol, _check_connection_budget
from server.core.db import Database
from server.services.broadcast import LISTENER_APP_NAME
from tests.helpers.postgres import fresh_database, pg_url
from tests.helpers.waiting import wait_until
from tests.server.support import REPO_ROOT, Backend, free_port, question


def _plain(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


@contextlib.contextmanager
def _serve(db_url: str, workdir: Path, workers: int, env: dict[str, str]) -> Iterator[str]:
    """`python main.py serve --workers N` on 127.0.0.1; yields its base URL and its log."""
    port = free_port()
    log_path = workdir / "serve.log"
    command = [sys.executable, str(REPO_ROOT / "main.py"), "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--db", db_url, "--workers", str(workers)]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env={**os.environ, "SEATDESK_DATA_DIR": str(workdir / "data"), **env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert proc.poll() is None, log_path.read_text(errors="replace")
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(base_url + "/health", timeout=2).status_code == 200
        return False

    try:
        wait_until(healthy, 90, "the server to answer /health", interval=0.1)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _connections(conn: psycopg.Connection[tuple[int]], listeners: bool = False) -> int:
    """Client connections to this database, other than the one asking (one connection asks
    throughout: a closed one's backend stays in the list for a moment while it exits): the
    pools' or, with `listeners`, the LISTEN connections each process holds outside its pool."""
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
        "AND (application_name LIKE %s) = %s",
        (f"{LISTENER_APP_NAME}%", listeners),
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("workers", [1, 2])
def test_each_server_process_keeps_to_its_pool_under_load(tmp_path: Path, workers: int) -> None:
    pool_size = 3
    with fresh_database() as url:
        db = Database(url)
        db.migrate()
        backend = Backend("postgresql", url, db, None)  # type: ignore[arg-type]
        tokens = [backend.mint_token(backend.add_user("agent")[0]) for _ in range(24)]
        db.dispose()  # from here on, every connection to the database is the server's
        env = {"SEATDESK_SERVER_DB_POOL_SIZE": str(pool_size)}
        with (
            _serve(url, tmp_path, workers, env) as base_url,
            psycopg.connect(_plain(url), autocommit=True) as watching,
        ):
            most = 0
            done = threading.Event()

            def watch() -> None:
                nonlocal most
                while not done.is_set():
                    most = max(most, _connections(watching))

            watcher = threading.Thread(target=watch)
            watcher.start()
            barrier = threading.Barrier(len(tokens))
            codes: list[int] = []

            def agent(token: str) -> None:
                headers = {"Authorization": f"Bearer {token}"}
                with httpx.Client(base_url=base_url, headers=headers, timeout=60) as http:
                    barrier.wait(30)  # all at once: more requests than connections
                    for _ in range(4):
                        pushed = http.post("/questions/batch", json={"items": [question()]})
                        pulled = http.get("/changes", params={"since": 0})
                        codes.extend([pushed.status_code, pulled.status_code])

            threads = [threading.Thread(target=agent, args=(t,)) for t in tokens]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            done.set()
            watcher.join(30)
            after = _connections(watching)
            listening = _connections(watching, listeners=True)
    assert codes == [200] * (len(tokens) * 8)
    # The start-up process (migrations) has closed its connections when the workers serve.
    assert most <= pool_size * workers, most
    assert after <= pool_size * workers, after
    # Beside its pool each process holds one LISTEN connection per channel (changes, board).
    assert listening <= 2 * workers, listening


def test_workers_turn_nagle_off_on_each_connection() -> None:
    """With --workers, uvicorn binds the socket itself with protocol number 0, and asyncio
    then leaves Nagle on for the connections it accepts; the server's protocol turns it off,
    and still answers HTTP."""

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        assert scope["type"] == "http"
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    async def exchange() -> tuple[int, bytes]:
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        config.load()
        state = ServerState()
        made: list[NoDelayHTTPProtocol] = []

        def protocol() -> NoDelayHTTPProtocol:
            made.append(NoDelayHTTPProtocol(config=config, server_state=state, app_state={}))
            return made[-1]

        listener = socket.socket(family=socket.AF_INET)  # as uvicorn's Config.bind_socket()
        listener.bind(("127.0.0.1", 0))
        server = await asyncio.get_running_loop().create_server(protocol, sock=listener)
        try:
            reader, writer = await asyncio.open_connection(*listener.getsockname()[:2])
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = await asyncio.wait_for(reader.readuntil(b"ok"), 30)
            # Kept alive: the server's end of the connection is still open.
            accepted = made[0].transport.get_extra_info("socket")
            nodelay = accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            writer.close()
            return nodelay, answer
        finally:
            server.close()
            await server.wait_closed()

    nodelay, answer = asyncio.run(exchange())
    assert nodelay != 0
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok")


def test_start_warns_when_the_pools_could_exhaust_postgresql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = Database(pg_url())
    try:
        _check_connection_budget(db, 10)
        assert capsys.readouterr().err == ""
        _check_connection_budget(db, 100_000)
        err = capsys.readouterr().err
    finally:
        db.dispose()
    assert "max_connections" in err and "100000" in err
    assert err.startswith("警告")  # Chinese first
