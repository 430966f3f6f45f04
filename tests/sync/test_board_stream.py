"""sync/board_stream.py against the real server (`main.py serve`, SQLite): the board first,
then changes; reconnection after the server went away; close() from another thread; refusals."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.supervision import BoardEvent
from common.timestamps import iso
from server.core.db import Database
from sync.api_client import ApiError, AuthError
from sync.board_stream import BoardStream, parse_events
from tests.server.support import Backend, ServerProcess


def test_parse_events_joins_data_and_skips_comments_and_unknown_events() -> None:
    lines = [
        ": ping",
        "",
        "event: seat",
        'data: {"agent_id": 7,',
        'data:  "agent": "a7", "state": "ready"}',
        "",
        "event: something_new",
        "data: {}",
        "",
        "event: board",
        'data: {"at": "2026-01-01T00:00:00.000+00:00", "agents": []}',
        "",
    ]
    events = list(parse_events(iter(lines)))
    assert [e.kind for e in events] == ["seat", "board"]
    assert events[0].seat is not None and events[0].seat.agent == "a7"
    assert events[1].board is not None and events[1].board.agents == []


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    db.migrate()
    proc = ServerProcess(url, tmp_path)
    try:
        proc.start()
        yield Backend("sqlite", url, db, proc)
    finally:
        proc.stop()
        db.dispose()


class Reader:
    """The stream on a worker thread, as the desktop runs it."""

    def __init__(self, stream: BoardStream) -> None:
        self.stream = stream
        self.events: queue.Queue[BoardEvent] = queue.Queue()
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for event in self.stream.events():
                self.events.put(event)
        except Exception as exc:  # looked at by the test
            self.error = exc
        finally:
            self.done.set()

    def next(self, kind: str) -> BoardEvent:
        while True:
            event = self.events.get(timeout=15)
            if event.kind == kind:
                return event


def _report(backend: Backend, token: str, state: str) -> None:
    with backend.client(token) as http:
        response = http.post("/supervision/seat", json={"state": state, "state_since": iso()})
        assert response.status_code == 200, response.text


def test_the_board_then_changes_and_again_after_the_server_restarts(backend: Backend) -> None:
    agent_id, _ = backend.add_user("agent")
    manager_id, _ = backend.add_user("manager")
    agent, manager = backend.mint_token(agent_id), backend.mint_token(manager_id)
    states: list[bool] = []
    stream = BoardStream(
        backend.base_url, manager, on_connection=states.append, backoff_first_s=0.1
    )
    reader = Reader(stream)
    try:
        first = reader.next("board").board
        assert first is not None
        assert [r.presence for r in first.agents if r.agent_id == agent_id] == ["never"]
        _report(backend, agent, "ready")
        seat = reader.next("seat").seat
        assert seat is not None and (seat.agent_id, seat.state) == (agent_id, "ready")

        backend.proc.stop()
        backend.proc.start()  # the same port
        _report(backend, agent, "break")
        again = reader.next("board").board  # a new connection starts with the whole board
        assert again is not None
        shown = [r.state for r in again.agents if r.agent_id == agent_id]
        if shown != ["break"]:
            # The stream (0.1 s backoff) was back before the report went in: the board shows
            # the state before it, and the change follows on the new connection.
            assert shown == ["ready"]
            seat = reader.next("seat").seat
            assert seat is not None and (seat.agent_id, seat.state) == (agent_id, "break")
        assert stream.connections == 2
        assert states[:3] == [True, False, True]
    finally:
        stream.close()
        reader.thread.join(timeout=10)
    assert reader.done.is_set() and reader.error is None


def test_close_from_another_thread_ends_a_quiet_stream(backend: Backend) -> None:
    manager_id, _ = backend.add_user("manager")
    stream = BoardStream(backend.base_url, backend.mint_token(manager_id))
    reader = Reader(stream)
    reader.next("board")
    stream.close()
    assert reader.done.wait(10), "the iteration did not end"
    assert reader.error is None


def test_a_role_without_the_board_or_an_ended_session_is_not_retried(backend: Backend) -> None:
    agent_id, _ = backend.add_user("agent")
    forbidden = Reader(BoardStream(backend.base_url, backend.mint_token(agent_id)))
    assert forbidden.done.wait(10)
    assert isinstance(forbidden.error, ApiError) and forbidden.error.status == 403
    ended = Reader(BoardStream(backend.base_url, "not-a-token"))
    assert ended.done.wait(10)
    assert isinstance(ended.error, AuthError)
