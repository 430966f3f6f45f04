"""The manager reads the monitoring audit in the app (the board's 监听审计 button) against the
real backend: a supervisor's monitor session and a seat's refusal, reported as the clients do,
are shown with who, whom, the call, the modes with their times, the duration and the refusal's
reason in Chinese; the user filter narrows the rows; a supervisor's board has no such button."""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QPushButton

from agent_app.shell.app import AppController
from agent_app.supervision.qt.audit import AuditController
from common.supervision import MonitorRejection, MonitorSessionEvent


def _uuid() -> str:
    return str(uuidlib.uuid4())


def _board(app: AppController):  # type: ignore[no-untyped-def]
    desk = app.supervision
    assert desk is not None and desk.board is not None and desk.board_view is not None
    return desk.board, desk.board_view


def _cells(audit: AuditController) -> list[list[str]]:
    table = audit.view.table
    return [
        [table.item(r, c).toolTip() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_manager_reads_the_monitoring_audit(qtbot, backend, api, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    agent, supervisor, manager = (backend.new_user(r) for r in ("agent", "supervisor", "manager"))
    other_agent = backend.new_user("agent")
    session, call_id = _uuid(), _uuid()
    start = datetime.now(UTC) - timedelta(minutes=5)
    events = [
        MonitorSessionEvent(
            uuid=_uuid(),
            session=session,
            kind=kind,
            agent=agent,
            call_id=call_id,
            mode=mode,
            at=start + timedelta(seconds=s),
            reason=reason,
        )  # fmt: skip
        for kind, mode, s, reason in (
            ("started", "listen", 0, ""),
            ("mode", "whisper", 20, ""),
            ("ended", "", 65, "stopped"),
        )
    ]
    acks = api(backend.url, supervisor).report_monitor_sessions(events)
    assert {a.status for a in acks} == {"stored"}
    refusal = MonitorRejection(
        uuid=_uuid(),
        kind="refused",
        reason="bad_signature",
        supervisor="intruder",
        call_id=_uuid(),
        mode="barge",
        remote_uri="sip:intruder@127.0.0.1",
        at=start + timedelta(seconds=90),
    )
    assert api(backend.url, agent).report_monitor_rejections([refusal])[0].status == "stored"
    # Someone else's refusal, which the user filter leaves out.
    other = refusal.model_copy(update={"uuid": _uuid(), "reason": "expired"})
    assert api(backend.url, other_agent).report_monitor_rejections([other])[0].status == "stored"

    app = logged_in_app(backend.url, manager, name="manager")
    board, view = _board(app)
    button = view.findChild(QPushButton, "boardAudit")
    assert button is not None and not button.isHidden()
    assert button.text() == "监听审计…"
    button.click()
    audit = board.audit
    assert isinstance(audit, AuditController)
    assert audit.view.isVisible() and audit.view.windowTitle() == "监听审计"
    # It opens on the last week, everyone's: the three items.
    qtbot.waitUntil(lambda: len(audit.rows) == 3, timeout=10_000)

    with qtbot.waitSignal(audit.loaded, timeout=10_000):
        audit.view.user.setText(agent)
        audit.view.search.click()
    rows = _cells(audit)
    assert len(rows) == 2, rows
    by_kind = {row[0]: row for row in rows}
    assert set(by_kind) == {"监听会话", "坐席拒绝"}
    kind, who, whom, call, began, ended, modes, duration, reason = by_kind["监听会话"]
    local = start.astimezone()
    assert (who, whom, call) == (supervisor, agent, call_id)
    assert began == local.strftime("%Y-%m-%d %H:%M")
    assert ended == (local + timedelta(seconds=65)).strftime("%Y-%m-%d %H:%M")
    switched = (local + timedelta(seconds=20)).strftime("%H:%M:%S")
    assert modes == f"监听 {local.strftime('%H:%M:%S')}\n耳语 {switched}"
    assert duration == "1:05"
    assert reason == "由督导结束"
    kind, who, whom, call, *_rest, reason = by_kind["坐席拒绝"]
    assert (who, whom, call, reason) == ("intruder", agent, refusal.call_id, "授权签名无效")
    # The table shows a call's first digits; the whole uuid is its tooltip.
    assert audit.view.table.item(0, 3).text() == rows[0][3][:8] + "…"
    assert audit.view.status.text() == "共 2 条"


def test_a_supervisor_has_no_audit_button(qtbot, backend, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user("supervisor"), name="supervisor")
    board, view = _board(app)
    button = view.findChild(QPushButton, "boardAudit")
    assert button is not None and button.isHidden()
    assert board.open_audit() is None and board.audit is None
