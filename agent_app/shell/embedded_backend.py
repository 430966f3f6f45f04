"""The built-in backend of a workstation with no server configured: started once, on first
need, from a background thread; stopped when the app shuts down. Qt-free."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from common.demo_accounts import CREDENTIALS_FILE, DEMO_PASSWORD, DEMO_USERS

if TYPE_CHECKING:
    from server.embedded import EmbeddedServer

DEMO_USERNAMES = tuple(username for username, _role, _name in DEMO_USERS)


class EmbeddedBackend:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._server: EmbeddedServer | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self.url = ""

    def start(self) -> str:
        """The backend's URL, starting it first if needed (blocks: call off the GUI thread).

        Callers racing here wait for the one start rather than starting two servers.
        """
        with self._lock:
            if self._stopped:
                raise RuntimeError("the built-in backend has been stopped")
            if not self.url:
                # Imported here, off the GUI thread: the server stack is slow to import.
                from server.embedded import EmbeddedServer

                self.data_dir.mkdir(parents=True, exist_ok=True)  # may race the KB's opening
                self._server = EmbeddedServer(self.data_dir, demo=True)  # + the demo campaign
                self.url = self._server.start()
            return self.url

    @property
    def first_start(self) -> bool:
        """True when this run created the backend's users (show how to log in)."""
        return self._server is not None and self._server.first_login_note is not None

    @property
    def credentials_file(self) -> Path:
        return self.data_dir / CREDENTIALS_FILE

    @property
    def demo_password(self) -> str:
        return DEMO_PASSWORD

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self.url and self._server is not None:
                self._server.stop()
                self.url = ""
