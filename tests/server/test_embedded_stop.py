"""Stopping the embedded backend (the app quitting) while an agent's feed long-poll and a
manager's board stream are open: both are answered at once instead of being held until the
shutdown's grace period runs out and uvicorn cancels them, logging each as an error."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import httpx
import pytest

from common.demo_accounts import DEMO_PASSWORD
from tests.helpers.backend import TestBackend
from tests.helpers.waiting import wait_until


def _token(url: str, username: str) -> str:
    reply = httpx.post(f"{url}/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    reply.raise_for_status()
    return str(reply.json()["token"])


def test_stopping_answers_open_long_polls_and_ends_board_streams(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    backend = TestBackend(tmp_path)
    url = backend.start()
    stopped = False
    try:
        agent = _token(url, backend.new_user("agent"))
        manager = _token(url, backend.new_user("manager"))
        signal = backend._server._app.state.changes_signal  # type: ignore[union-attr]
        results: dict[str, object] = {}

        def long_poll() -> None:
            try:
                since = httpx.get(
                    f"{url}/changes", headers={"Authorization": f"Bearer {agent}"}
                ).json()["next_since"]
                reply = httpx.get(
                    f"{url}/changes",
                    params={"since": since, "wait": 30},
                    headers={"Authorization": f"Bearer {agent}"},
                    timeout=60,
                )
                results["poll"] = reply.status_code
            except httpx.HTTPError as exc:
                results["poll"] = exc

        def board() -> None:
            lines = []
            try:
                with httpx.stream(
                    "GET",
                    f"{url}/supervision/board/stream",
                    headers={"Authorization": f"Bearer {manager}"},
                    timeout=60,
                ) as reply:
                    for line in reply.iter_lines():
                        lines.append(line)
                results["board"] = lines
            except httpx.HTTPError as exc:
                results["board"] = exc

        threads = [threading.Thread(target=long_poll), threading.Thread(target=board)]
        for thread in threads:
            thread.start()
        hub = backend._server._app.state.board_hub  # type: ignore[union-attr]
        wait_until(
            lambda: len(signal._waiters) == 1 and len(hub._subscribers) == 1,
            timeout=20,
            what="a waiting long-poll and an open board stream",
        )
        with caplog.at_level(logging.ERROR):
            backend.stop()
            stopped = True
        for thread in threads:
            thread.join(timeout=20)
            assert not thread.is_alive()
        # The long-poll got its (empty) page, the stream its first board and then its end.
        assert results["poll"] == 200
        board_lines = results["board"]
        assert isinstance(board_lines, list)
        assert any(line.startswith("event: board") for line in board_lines)
        cancelled = [r for r in caplog.records if "Cancel" in r.getMessage()]
        assert cancelled == []
    finally:
        if not stopped:
            backend.stop()
