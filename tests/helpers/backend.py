"""A real backend for the desktop tests, and users made on it through the admin API."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx

from common.demo_accounts import CREDENTIALS_FILE, DEMO_PASSWORD
from server.embedded import EmbeddedServer

# The admin's own password, once the generated one has been replaced (the backend deletes the
# note then), per data folder.
_CHOSEN: dict[Path, str] = {}


def admin_password(data_dir: Path) -> str:
    """The administrator's password: as the backend's first start wrote it down, or as
    `create_user` replaced it at the first login."""
    if data_dir in _CHOSEN:
        return _CHOSEN[data_dir]
    note = (data_dir / CREDENTIALS_FILE).read_text(encoding="utf-8")
    return note.split("admin 密码 / password: ")[1].splitlines()[0].strip()


def create_user(url: str, data_dir: Path, username: str, password: str, role: str) -> None:
    with httpx.Client(base_url=url) as http:
        generated = admin_password(data_dir)
        login = http.post("/auth/login", json={"username": "admin", "password": generated})
        login.raise_for_status()
        if login.json().get("must_change_password"):
            # The first admin must choose a password before doing anything else.
            chosen = generated + "-chosen"
            changed = http.post(
                "/auth/password",
                headers={"Authorization": f"Bearer {login.json()['token']}"},
                json={"old_password": generated, "new_password": chosen},
            )
            changed.raise_for_status()
            _CHOSEN[data_dir] = chosen
        response = http.post(
            "/users",
            headers={"Authorization": f"Bearer {login.json()['token']}"},
            json={"username": username, "password": password, "role": role},
        )
        response.raise_for_status()


class TestBackend:
    """EmbeddedServer on 127.0.0.1 (FastAPI under uvicorn, SQLite file)."""

    __test__ = False  # not a test class

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._server = EmbeddedServer(data_dir)
        self._numbers = itertools.count(1)
        self.url = ""

    def start(self) -> str:
        self.url = self._server.start()
        return self.url

    def stop(self) -> None:
        self._server.stop()

    def new_user(self, role: str) -> str:
        """A fresh user of `role` (password: the demo password), so tests sharing the backend
        do not see each other's questions and answers."""
        username = f"{role}-{next(self._numbers)}"
        create_user(self.url, self.data_dir, username, DEMO_PASSWORD, role)
        return username
