"""The supervisors' board stream, read on a worker thread: Server-Sent Events from
`GET /supervision/board/stream` as typed `BoardEvent`s, reconnecting with a bounded backoff.

Qt-free: the desktop runs `BoardStream.events()` on a thread of its own and hands each event
to the window. After every (re)connection the server sends the whole board first (`board`),
so a reader never has to guess what it missed while it was away; then `seat` events, one per
changed row. `close()` from any thread ends the iteration.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator

import httpx

from common.supervision import PING_S, STREAM_PATH, BoardEvent
from sync.api_client import ApiError, AuthError

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 15.0
# Nothing at all (not even the server's keep-alive) for this long: the connection is dead.
READ_TIMEOUT_S = 3 * PING_S


class BoardStream:
    """One supervisor's stream of board events.

    `on_connection(True/False)` is called when the stream is up or has dropped (the window
    can say "reconnecting"). A 401 or 403 ends the iteration with AuthError / ApiError: a
    session that ended or a role without the board does not get better by retrying.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        on_connection: Callable[[bool], None] | None = None,
        backoff_first_s: float = BACKOFF_FIRST_S,
        backoff_max_s: float = BACKOFF_MAX_S,
        read_timeout_s: float = READ_TIMEOUT_S,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.on_connection = on_connection
        self.backoff_first_s = backoff_first_s
        self.backoff_max_s = backoff_max_s
        self._timeout = httpx.Timeout(10.0, connect=3.0, read=read_timeout_s)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._response: httpx.Response | None = None
        self.connections = 0  # how many times it connected (tests, diagnostics)

    @property
    def closed(self) -> bool:
        return self._stop.is_set()

    def close(self) -> None:
        """Stop: the iteration ends soon after (the open connection is closed under it)."""
        self._stop.set()
        with self._lock:
            response = self._response
        if response is not None:
            _shut(response)

    def events(self) -> Iterator[BoardEvent]:
        """Board events until `close()`; reconnects after any drop, waiting 0.5 s, 1 s, 2 s
        ... up to `backoff_max_s` between attempts (reset once connected)."""
        backoff = self.backoff_first_s
        with httpx.Client(base_url=self.base_url, timeout=self._timeout) as http:
            while not self._stop.is_set():
                connected = False
                try:
                    for event in self._one_connection(http):
                        if not connected:
                            connected = True
                            backoff = self.backoff_first_s
                        yield event
                except ApiError:
                    raise
                except (httpx.HTTPError, OSError, RuntimeError, ValueError) as exc:
                    if self._stop.is_set():
                        break
                    log.info("board stream dropped (%s); again in %.1f s", exc, backoff)
                finally:
                    self._set_response(None)
                    if connected:
                        self._tell(False)
                if self._stop.wait(backoff):
                    break
                backoff = min(backoff * 2, self.backoff_max_s)

    def _one_connection(self, http: httpx.Client) -> Iterator[BoardEvent]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
        with http.stream("GET", STREAM_PATH, headers=headers) as response:
            if response.status_code in (401, 403):
                response.read()
                detail = _detail(response)
                error = AuthError if response.status_code == 401 else ApiError
                raise error(response.status_code, detail)
            if response.status_code != 200:
                raise httpx.HTTPStatusError(
                    f"board stream: HTTP {response.status_code}",
                    request=response.request,
                    response=response,
                )
            self._set_response(response)
            if self._stop.is_set():
                return
            self.connections += 1
            self._tell(True)
            yield from parse_events(response.iter_lines())

    def _set_response(self, response: httpx.Response | None) -> None:
        with self._lock:
            self._response = response

    def _tell(self, connected: bool) -> None:
        if self.on_connection is not None:
            self.on_connection(connected)


def parse_events(lines: Iterator[str]) -> Iterator[BoardEvent]:
    """SSE lines to events: `event:` names it, `data:` lines are joined, a blank line ends
    it; comments (': ping') and events of kinds this client does not know are skipped."""
    name = ""
    data: list[str] = []
    for line in lines:
        if not line:
            if name in ("board", "seat") and data:
                payload = json.loads("\n".join(data))
                yield BoardEvent.model_validate({"kind": name, name: payload})
            name, data = "", []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)


def _shut(response: httpx.Response) -> None:
    """Wake the thread blocked reading `response`: closing a socket from another thread does
    not end a blocked read, shutting it down does (on Windows as on POSIX)."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    # It is going away anyway: an error while shutting it says nothing.
    with contextlib.suppress(OSError):
        if isinstance(sock, socket.socket):
            sock.shutdown(socket.SHUT_RDWR)


def _detail(response: httpx.Response) -> object:
    try:
        return response.json().get("detail", response.text)
    except ValueError:
        return response.text
