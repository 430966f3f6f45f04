"""A lean HTTP/1.1 client for load generators: one keep-alive connection, requests written by
hand, replies read by Content-Length.

The load generator shares the machine with the server it measures. httpx's AsyncClient spends
about 0.7 ms of CPU per request (measured in bench/campaign.py's bursts: more than the
server's own 0.3 ms per next-record request), so with 200 agents asking at once the burst
mostly measured the client working through its own replies. This one spends a few tens of
microseconds. It speaks only what the benchmarks need: JSON bodies, replies with a
Content-Length (every JSON reply of the API), and a new connection when the server has closed
an idle one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import urlsplit


class RawHttpError(Exception):
    """The connection failed or the reply could not be read."""


class RawConnection:
    def __init__(self, base_url: str, token: str = "") -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._head = f"Host: {self.host}:{self.port}\r\n"
        if token:
            self._head += f"Authorization: Bearer {token}\r\n"
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def request(self, method: str, path: str, payload: Any = None) -> tuple[int, bytes]:
        """(status, body). Opens the connection when there is none (again after a failure)."""
        body = b"" if payload is None else json.dumps(payload).encode()
        head = f"{method} {path} HTTP/1.1\r\n{self._head}Content-Length: {len(body)}\r\n"
        if body:
            head += "Content-Type: application/json\r\n"
        if self._reader is not None and self._reader.at_eof():
            # The server closed the idle connection (uvicorn's keep-alive timeout is 5 s).
            await self.close()
        if self._writer is None:
            await self.open()
        assert self._reader is not None and self._writer is not None
        try:
            self._writer.write(head.encode("latin-1") + b"\r\n" + body)
            header = await self._reader.readuntil(b"\r\n\r\n")
            status = int(header[9:12])
            length = -1
            keep = True
            for line in header.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    keep = False
            if length < 0:
                raise RawHttpError("a reply without Content-Length")
            data = await self._reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            await self.close()
            raise RawHttpError(f"{type(exc).__name__}: {exc}") from exc
        if not keep:
            await self.close()
        return status, data
