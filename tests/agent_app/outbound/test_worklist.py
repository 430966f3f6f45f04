"""The agent's worklist pane in the real app, against the real server over HTTP (its clock
moved by the test): take a record, read the script with the customer's fields, answer the
survey, record the outcome by its shortcut; a success needs the required answers; the callback
picker keeps to calling hours; a due callback brings its record back with a toast."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.agent_app.outbound.desk import (
    agent_app,
    campaign_with_survey,
    take_next,
    worklist,
)
from tests.helpers.corpus import type_text
from tests.server.outbound.clocked import clocked_server


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "server").mkdir()
    with clocked_server("sqlite", tmp_path / "server") as running:
        yield running


def attempts(server, record_id):  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from server.tables import campaign_attempts

    with server.db.read() as conn:
        return conn.execute(
            sa.select(campaign_attempts).where(campaign_attempts.c.record_id == record_id)
        ).all()


def test_take_a_record_answer_the_survey_and_record_success_by_shortcut(
    qtbot, tmp_path, start_app, server
) -> None:  # type: ignore[no-untyped-def]
    manager, agent = server.user("manager"), server.user("agent")
    campaign = campaign_with_survey(server, manager, mask_numbers=True)
    first, second = server.records(campaign["id"], ["13800138001", "13900139002"])
    app = agent_app(start_app, tmp_path / "agent", server.url, agent)
    view = worklist(qtbot, app, server.clock)

    take_next(qtbot, view, "客户1")
    assert view.phone_label.text() == "138****8001"  # masked, as the campaign says
    assert "13800138001" not in view.fields_label.text()
    qtbot.waitUntil(lambda: view.survey_form.isVisible(), timeout=10_000)
    # The script with the customer's fields filled in.
    script = view.script_view.body.toPlainText()
    assert "请问是客户1吗" in script and "阳光花园" in script

    # A success without the survey's required answers is refused; nothing is queued.
    qtbot.keyClick(app.window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "最近三个月" in view.status.text(), timeout=5_000)
    assert app.data.outbox.count() == 0

    form = view.survey_form
    for key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_5, Qt.Key.Key_Return, Qt.Key.Key_9):
        qtbot.keyClick(form, key)
    qtbot.waitUntil(lambda: form.answers().get("recommend") == 9)
    # The draft is saved as the agent answers.
    qtbot.waitUntil(lambda: app.data.outbound.draft(agent.username, first)[0].get("recommend") == 9)
    type_text(view.note, "客户很满意")
    qtbot.keyClick(app.window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # 成功联系
    qtbot.waitUntil(
        lambda: not view.work.isVisible() or view.name_label.text() != "客户1", timeout=10_000
    )
    qtbot.waitUntil(lambda: len(attempts(server, first)) == 1, timeout=20_000)
    [row] = attempts(server, first)
    assert row.outcome == "success"
    assert row.note == "客户很满意"
    assert '"recommend": 9' in row.answers
