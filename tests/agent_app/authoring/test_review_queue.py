"""The manager's review queue in the real window against the real backend: a trainer's proposal
shown against the published article, approved and published, returned with a required comment,
a stale base (409) said plainly and the proposal marked, an article retired after a
confirmation."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from agent_app.authoring.views.review_queue import ReviewQueueView
from common.authoring import ProposalContent, ProposalIn
from sync.api_client import ApiClient
from tests.helpers.backend import TestBackend
from tests.helpers.corpus import type_text

BODY = "第一步：核对身份。\n第二步：查询宽带账户。\n第三步：说明办理时限。\n"


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def propose(
    client: ApiClient,
    article_uuid: str,
    base: int | None,
    title: str,
    body: str = BODY,
    note: str = "",
) -> str:
    proposal = ProposalIn(
        uuid=new_uuid(),
        article_uuid=article_uuid,
        base_version=base,
        content=ProposalContent(type="faq", title=title, body=body),
        note=note,
    )
    return client.submit_proposal(proposal).uuid


class People:
    def __init__(self, backend: TestBackend, api: Callable[..., ApiClient]) -> None:
        self.manager_name = backend.new_user("manager")
        self.trainer = api(backend.url, backend.new_user("trainer"))
        self.manager = api(backend.url, self.manager_name)

    def published(self, title: str) -> str:
        """A new article proposed by the trainer and approved by the manager (API)."""
        article_uuid = new_uuid()
        self.manager.approve_proposal(propose(self.trainer, article_uuid, None, title))
        return article_uuid


@pytest.fixture
def people(backend: TestBackend, api: Callable[..., ApiClient]) -> People:
    return People(backend, api)


def review_view(qtbot, app) -> ReviewQueueView:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: app.review_desk is not None and app.review_desk.review is not None)
    view = app.review_desk.review.view
    app.window.show_view(view)
    return view


def refreshed(qtbot, app) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(app.review_desk.review.refreshed, timeout=15_000):
        app.review_desk.review.refresh()


def select(qtbot, view: ReviewQueueView, uuid: str) -> None:
    view.select(uuid)
    qtbot.waitUntil(lambda: view.current_uuid() == uuid)


def row_texts(view: ReviewQueueView, uuid: str) -> list[str]:
    for row in range(view.table.rowCount()):
        if view.table.item(row, 0).data(Qt.ItemDataRole.UserRole + 1) == uuid:
            return [view.table.item(row, c).text() for c in range(view.table.columnCount())]
    return []


def test_approve_shows_the_diff_and_publishes(qtbot, logged_in_app, backend, people) -> None:  # type: ignore[no-untyped-def]
    article = people.published("宽带报装流程")
    app = logged_in_app(backend.url, people.manager_name)
    # The manager's workstation holds the published article (the feed): the left side.
    qtbot.waitUntil(lambda: app.kb.store.get_article(article) is not None, timeout=15_000)
    edit = propose(
        people.trainer,
        article,
        1,
        "宽带报装流程（2025版）",
        BODY + "第四步：复述办理结果。\n",
        "加上复述",
    )
    view = review_view(qtbot, app)
    refreshed(qtbot, app)
    cells = row_texts(view, edit)
    assert cells[0] == "宽带报装流程（2025版）"
    assert cells[1].startswith("trainer-")
    row = next(r for r in range(view.table.rowCount()) if view.table.item(r, 0).text() == cells[0])
    assert "加上复述" in view.table.item(row, 0).toolTip()  # the author's note
    select(qtbot, view, edit)
    qtbot.waitUntil(lambda: "复述办理结果" in view.diff.toPlainText(), timeout=10_000)
    diff_html = view.diff.toHtml()
    assert "宽带报装流程（2025版）" in view.diff.toPlainText()
    assert "加上复述" in view.heading.text()
    assert "#dcfce7" in diff_html or "#fef9c3" in diff_html, "the added line is coloured"
    assert "第四步" in view.preview.toPlainText()
    with qtbot.waitSignal(app.review_desk.review.decided, timeout=15_000) as decided:
        qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
    assert decided.args == [edit, "approved"]
    assert people.manager.proposal(edit).state == "published"
    # Published: this workstation's copy follows at the next sync.
    qtbot.waitUntil(lambda: app.kb.store.get_article(article).version == 2, timeout=15_000)
    qtbot.waitUntil(lambda: not row_texts(view, edit), timeout=15_000)


def test_reject_needs_a_comment(qtbot, logged_in_app, backend, people) -> None:  # type: ignore[no-untyped-def]
    article = people.published("携号转网条件")
    app = logged_in_app(backend.url, people.manager_name)
    edit = propose(people.trainer, article, 1, "携号转网条件（草）")
    view = review_view(qtbot, app)
    refreshed(qtbot, app)
    select(qtbot, view, edit)
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.reject_dialog is not None and view.reject_dialog.isVisible())
    dialog = view.reject_dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "no comment: the dialog stays"
    assert dialog.problem.isVisible()
    type_text(dialog.comment_edit, "请补充办理时限")
    with qtbot.waitSignal(app.review_desk.review.decided, timeout=15_000) as decided:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert decided.args == [edit, "rejected"]
    stored = people.manager.proposal(edit)
    assert stored.state == "rejected"
    assert stored.comment == "请补充办理时限"
    assert people.manager.proposal(edit).decided_by


def test_a_stale_base_is_said_plainly_and_marked(qtbot, logged_in_app, backend, people) -> None:  # type: ignore[no-untyped-def]
    article = people.published("物业费缴纳方式")
    app = logged_in_app(backend.url, people.manager_name)
    first = propose(people.trainer, article, 1, "物业费缴纳方式（线上）")
    second = propose(people.trainer, article, 1, "物业费缴纳方式（柜台）")
    view = review_view(qtbot, app)
    refreshed(qtbot, app)
    # Someone approves the first meanwhile (another manager's workstation).
    people.manager.approve_proposal(first)
    select(qtbot, view, second)
    with qtbot.waitSignal(app.review_desk.review.decided, timeout=15_000) as decided:
        view.approve_button.click()
    assert decided.args == [second, "conflict"]
    assert view.notice.text() == "文章已被他人修改，请作者合并后重新提交"
    assert "⚠" in row_texts(view, second)[0]
    assert not view.approve_button.isEnabled()
    assert people.manager.proposal(second).state == "conflict"


def test_retire_asks_first_then_tombstones(qtbot, logged_in_app, backend, people) -> None:  # type: ignore[no-untyped-def]
    article = people.published("旧版资费说明")
    app = logged_in_app(backend.url, people.manager_name)
    qtbot.waitUntil(lambda: app.kb.store.get_article(article) is not None, timeout=15_000)
    edit = propose(people.trainer, article, 1, "旧版资费说明（更新）")
    view = review_view(qtbot, app)
    refreshed(qtbot, app)
    select(qtbot, view, edit)
    view.retire_button.click()
    qtbot.waitUntil(
        lambda: getattr(view, "retire_box", None) is not None and view.retire_box.isVisible()
    )
    box: QMessageBox = view.retire_box
    with qtbot.waitSignal(app.review_desk.review.retired, timeout=15_000) as retired:
        next(b for b in box.buttons() if b.objectName() == "retireYes").click()
    assert retired.args == [article]
    qtbot.waitUntil(lambda: app.kb.store.get_article(article).status == "deleted", timeout=15_000)
    assert article not in [h.uuid for h in app.kb.search("旧版资费说明").hits]


def test_cancelling_the_retirement_keeps_the_article(qtbot, logged_in_app, backend, people) -> None:  # type: ignore[no-untyped-def]
    article = people.published("保留的文章")
    app = logged_in_app(backend.url, people.manager_name)
    edit = propose(people.trainer, article, 1, "保留的文章（改）")
    view = review_view(qtbot, app)
    refreshed(qtbot, app)
    select(qtbot, view, edit)
    view.retire_button.click()
    qtbot.waitUntil(lambda: view.retire_box.isVisible())
    view.retire_box.reject()
    qtbot.waitUntil(lambda: not view.retire_box.isVisible())
    assert people.manager.proposal(edit).state == "submitted"
    current: Any = people.manager._request("GET", f"/articles/{article}")
    assert current["status"] == "published"


def test_a_trainer_gets_the_attention_list_but_no_review_queue(
    qtbot, logged_in_app, backend
) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user("trainer"))
    qtbot.waitUntil(lambda: app.review_desk is not None)
    assert app.review_desk.review is None
    assert app.review_desk.attention is not None
    assert "review_queue" not in app.window.panes


def test_an_agent_gets_neither(qtbot, logged_in_app, backend) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user("agent"))
    assert app.review_desk is None
    assert "attention" not in app.window.panes
