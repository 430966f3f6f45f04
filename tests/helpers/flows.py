"""Steps the flow tests share: recording a question through the KB pane, pushing questions
as an agent would, waiting for the queue."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox

from agent_app.shell.app import AppController
from common.timestamps import now_iso as utcnow
from sync.api_client import ApiClient
from tests.helpers.corpus import type_text


def record_question(qtbot, app: AppController, query: str) -> str:  # type: ignore[no-untyped-def]
    """Type `query` in the KB pane and record it with 'Not answered'; its uuid."""
    pane = app.kb_view
    pane.search.clear()
    with qtbot.waitSignal(pane.results_shown, timeout=10_000):
        type_text(pane.search, query)
    pane.not_answered.click()
    qtbot.waitUntil(lambda: pane._dialog.isVisible())
    with qtbot.waitSignal(pane.question_recorded, timeout=10_000) as recorded:
        pane._dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    return str(recorded.args[0])


def push_questions(client: ApiClient, queries: list[str], line: str = "telecom") -> list[str]:
    """Questions as an agent's client pushes them from its outbox; their uuids."""
    items = [
        {"uuid": str(uuid.uuid4()), "query": q, "business_line": line, "created_at": utcnow()}
        for q in queries
    ]
    results = client.push("/questions/batch", items)
    assert {r.status for r in results} == {"stored"}
    return [item["uuid"] for item in items]


def server_question(client: ApiClient, question_uuid: str) -> dict[str, Any] | None:
    for question in client.questions(limit=500).items:
        if question.uuid == question_uuid:
            return question.model_dump()
    return None


def open_queue(qtbot, app: AppController, all_states: bool = True) -> Any:  # type: ignore[no-untyped-def]
    """Show the question queue (every state, so handled questions stay listed); its view."""
    queue = app.queue
    assert queue is not None
    app.window.show_view(queue.view)
    if all_states:
        with qtbot.waitSignal(queue.refreshed, timeout=10_000):
            queue.view.status_filter.setCurrentIndex(queue.view.status_filter.findData(""))
    return queue.view


def refreshed_with(qtbot, app: AppController, uuids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Refresh the queue until every question of `uuids` is listed."""
    queue = app.queue
    assert queue is not None

    def listed() -> bool:
        return set(uuids) <= {q["uuid"] for q in queue.view.items}

    while not listed():
        with qtbot.waitSignal(queue.refreshed, timeout=10_000):
            queue.refresh()
