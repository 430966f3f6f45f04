"""The real backend as a subprocess (`python main.py serve`), users, tokens and small helpers.

Tests talk to the server over HTTP on 127.0.0.1 only. Users are inserted straight into the
server's database (one argon2 hash per session, not per user) and most sessions get a token
minted in the database, because every real login costs an argon2 verification (~100-200 ms);
the login endpoint itself is exercised by test_auth.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import httpx
import sqlalchemy as sa

from server.core.db import Database
from server.core.security import expiry, hash_password, new_token, stamp, token_digest
from server.tables import questions, tokens, users
from tests.helpers.waiting import wait_until
from tests.rig import free_port as rig_free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"
BACKENDS = ("sqlite", "postgresql")
T = TypeVar("T")


def free_port() -> int:
    """A free TCP port from this pytest-xdist worker's own block (tests/rig free_port)."""
    return rig_free_port(udp=False, tcp=True)


class ServerProcess:
    """`python main.py serve` on 127.0.0.1; started and stopped by the test that owns it."""

    def __init__(
        self,
        db_url: str,
        workdir: Path,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.db_url = db_url
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.extra_env = dict(env or {})
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.workdir / f"server-{self.port}.log"
        self.starts = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ServerProcess:
        assert not self.alive(), "already running"
        env = dict(os.environ)
        env["SEATDESK_DATA_DIR"] = str(self.workdir / "data")
        env.update(self.extra_env)
        self.starts += 1
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed below
        try:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    str(REPO_ROOT / "main.py"),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--db",
                    self.db_url,
                ],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
        proc = self.proc

        def healthy() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"server exited with {proc.returncode} during start:\n{self.log_tail()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                return httpx.get(self.base_url + "/health", timeout=2).status_code == 200
            return False

        try:
            wait_until(healthy, timeout, "the server to answer /health", interval=0.05)
        except AssertionError:
            self.stop(kill=True)
            raise
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, kill: bool = False, timeout: float = 15.0) -> None:
        """Terminate (SIGTERM: uvicorn's graceful shutdown) or kill (SIGKILL) the process."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout)
        self.proc = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@cache
def password_hash(password: str) -> str:
    return hash_password(password)


def insert_user(
    db: Database, username: str, role: str, *, password: str = PASSWORD, **columns: Any
) -> int:
    """A user written straight into a server's database (the columns of
    server.services.users.create_user); `columns` adds or overrides values (team_id,
    display_name, which is the username unless given). Returns its id."""
    values = {
        "username": username,
        "display_name": username,
        "role": role,
        "password_hash": password_hash(password),
        "disabled": False,
        "created_at": stamp(),
        **columns,
    }
    with db.write() as conn:
        return int(conn.execute(users.insert().values(**values)).inserted_primary_key[0])  # type: ignore[index]


def mint_token(db: Database, user_id: int, ttl_s: int = 3600) -> str:
    """A session token for `user_id` written straight into the database (no login round)."""
    token = new_token()
    with db.write() as conn:
        conn.execute(
            tokens.insert().values(
                token_hash=token_digest(token),
                user_id=user_id,
                created_at=stamp(),
                expires_at=expiry(ttl_s),
            )
        )
    return token


@dataclass
class Actor:
    """A user with an authenticated HTTP client."""

    id: int
    username: str
    role: str
    password: str
    token: str
    http: httpx.Client


@dataclass
class Backend:
    """The running server under test, plus a direct handle on its database."""

    name: str
    db_url: str
    db: Database
    proc: ServerProcess

    @property
    def base_url(self) -> str:
        return self.proc.base_url

    def client(self, token: str | None = None, timeout: float = 30.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def add_user(
        self, role: str, username: str | None = None, password: str = PASSWORD
    ) -> tuple[int, str]:
        """Insert a user directly (same columns as server.services.users.create_user)."""
        username = username or f"{role}-{uuidlib.uuid4().hex[:10]}"
        return insert_user(self.db, username, role, password=password), username

    def mint_token(self, user_id: int, ttl_s: int = 3600) -> str:
        return mint_token(self.db, user_id, ttl_s)

    def login(self, username: str, password: str = PASSWORD) -> httpx.Response:
        with self.client() as http:
            return http.post("/auth/login", json={"username": username, "password": password})

    def alive(self) -> bool:
        if not self.proc.alive():
            return False
        try:
            return httpx.get(self.base_url + "/health", timeout=10).status_code == 200
        except httpx.HTTPError:
            return False

    def scalar(self, statement: Any) -> Any:
        with self.db.read() as conn:
            return conn.execute(statement).scalar()


ServerFactory = Callable[..., Backend]


class Actors:
    """Per-test users: `actors("agent")` gives a fresh agent with a ready client."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._clients: list[httpx.Client] = []

    def __call__(self, role: str, *, login: bool = False, username: str | None = None) -> Actor:
        user_id, name = self.backend.add_user(role, username)
        if login:
            response = self.backend.login(name)
            assert response.status_code == 200, response.text
            token = response.json()["token"]
        else:
            token = self.backend.mint_token(user_id)
        http = self.backend.client(token)
        self._clients.append(http)
        return Actor(user_id, name, role, PASSWORD, token, http)

    def anonymous(self) -> httpx.Client:
        http = self.backend.client()
        self._clients.append(http)
        return http

    def close(self) -> None:
        for http in self._clients:
            http.close()


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def question(query: str = "宽带怎么开发票", **fields: Any) -> dict[str, Any]:
    """One outbox item for /questions/batch."""
    item: dict[str, Any] = {"uuid": new_uuid(), "query": query}
    item.update(fields)
    return item


def push(actor: Actor, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = actor.http.post("/questions/batch", json={"items": items})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    assert len(results) == len(items)
    return results


def ask(actor: Actor, query: str = "宽带怎么开发票", **fields: Any) -> str:
    """Push one question; returns its uuid.

    Only checks that the item was acknowledged (stored or duplicate): whether a new item is
    reported as "stored" is test_questions.py's business, not every test's.
    """
    item = question(query, **fields)
    ack = push(actor, [item])[0]
    assert ack["status"] in ("stored", "duplicate"), ack
    return str(item["uuid"])


def all_changes(
    actor: Actor, since: int = 0, limit: int = 1000
) -> tuple[list[dict[str, Any]], int]:
    """Pull the feed to its end; returns the changes and the final next_since."""
    out: list[dict[str, Any]] = []
    for _ in range(10_000):
        response = actor.http.get("/changes", params={"since": since, "limit": limit})
        assert response.status_code == 200, response.text
        page = response.json()
        out.extend(page["changes"])
        assert page["next_since"] >= since
        since = page["next_since"]
        if not page["has_more"]:
            return out, since
    raise AssertionError("the feed never ended")


def count_questions(backend: Backend, agent_id: int) -> int:
    return int(
        backend.scalar(
            sa.select(sa.func.count())
            .select_from(questions)
            .where(questions.c.agent_id == agent_id)
        )
    )
