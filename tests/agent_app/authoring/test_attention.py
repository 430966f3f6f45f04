"""The trainer's attention lists in the real window against the real backend: an article past its
review date, an article agents marked 没帮助 with their reasons, the unanswered question it was
made from; double-click opens it in the authoring editor."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable

from PySide6.QtCore import Qt

from common.authoring import ProposalContent, ProposalIn
from common.timestamps import now_iso
from sync.api_client import ApiClient
from tests.helpers.backend import TestBackend


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def publish(trainer: ApiClient, manager: ApiClient, title: str, **content: str) -> str:
    article_uuid = new_uuid()
    proposal = ProposalIn(
        uuid=new_uuid(),
        article_uuid=article_uuid,
        base_version=None,
        content=ProposalContent(type="faq", title=title, body=f"{title}的办理说明。", **content),
    )
    manager.approve_proposal(trainer.submit_proposal(proposal).uuid)
    return article_uuid


def test_overdue_and_not_helpful_with_reasons_and_linked_questions(  # type: ignore[no-untyped-def]
    qtbot, logged_in_app, backend: TestBackend, api: Callable[..., ApiClient]
) -> None:
    trainer_name = backend.new_user("trainer")
    trainer = api(backend.url, trainer_name)
    manager = api(backend.url, backend.new_user("manager"))
    agent = api(backend.url, backend.new_user("agent"))
    question = new_uuid()
    asked = agent.push(
        "/questions/batch",
        [{"uuid": question, "query": "光猫红灯一直闪怎么办", "created_at": now_iso()}],
    )
    assert asked[0].status == "stored"
    overdue = publish(
        trainer,
        manager,
        "光猫红灯处理（旧）",
        review_due="2020-01-01",
        source_question_uuid=question,
    )
    disliked = publish(trainer, manager, "宽带资费一览")
    votes = [
        {
            "uuid": new_uuid(),
            "article_uuid": disliked,
            "kind": "not_helpful",
            "reason": reason,
            "created_at": now_iso(),
        }
        for reason in ("资费已经变了", "", "没有套餐对比")
    ]
    assert {a.status for a in agent.push("/articles/feedback/batch", votes)} == {"stored"}

    app = logged_in_app(backend.url, trainer_name)
    qtbot.waitUntil(lambda: app.review_desk is not None and app.review_desk.attention is not None)
    controller = app.review_desk.attention
    view = controller.view
    app.window.show_view(view)
    with qtbot.waitSignal(controller.refreshed, timeout=15_000):
        controller.refresh()

    overdue_titles = [view.overdue.item(r, 0).text() for r in range(view.overdue.rowCount())]
    assert "光猫红灯处理（旧）" in overdue_titles
    row = overdue_titles.index("光猫红灯处理（旧）")
    assert view.overdue.item(row, 2).text() == "2020-01-01"
    assert view.overdue.item(row, 3).text() == "1"
    view.tabs.setCurrentWidget(view.overdue)
    view.overdue.selectRow(row)
    assert "光猫红灯一直闪怎么办" in view.detail.toPlainText()

    view.tabs.setCurrentWidget(view.not_helpful)
    titles = [view.not_helpful.item(r, 0).text() for r in range(view.not_helpful.rowCount())]
    row = titles.index("宽带资费一览")
    assert view.not_helpful.item(row, 1).text() == "3"
    assert view.not_helpful.item(row, 2).text() == "没有套餐对比"  # the newest reason
    view.not_helpful.selectRow(row)
    detail = view.detail.toPlainText()
    assert "资费已经变了" in detail and "没有套餐对比" in detail
    assert "逾期未复审" in view.tabs.tabText(0) and "没帮助" in view.tabs.tabText(1)

    # Double-click: the authoring editor opens the article (once this workstation holds it).
    qtbot.waitUntil(lambda: app.kb.store.get_article(disliked) is not None, timeout=15_000)
    item = view.not_helpful.item(row, 0)
    with qtbot.waitSignal(controller.edit_requested, timeout=5_000) as opened:
        rect = view.not_helpful.visualItemRect(item)
        # A double-click is a press and release, then the double-click event.
        qtbot.mouseClick(view.not_helpful.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.not_helpful.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [disliked]
    editor = app.authoring.editor
    qtbot.waitUntil(
        lambda: editor.editor.draft is not None and editor.editor.draft.article_uuid == disliked,
        timeout=10_000,
    )
    # By keyboard: Enter on the selected row.
    view.tabs.setCurrentWidget(view.overdue)
    view.overdue.setFocus()
    with qtbot.waitSignal(controller.edit_requested, timeout=5_000) as by_key:
        qtbot.keyClick(view.overdue, Qt.Key.Key_Return)
    assert by_key.args == [overdue]


def test_a_manager_retires_an_overdue_article_from_the_list(  # type: ignore[no-untyped-def]
    qtbot, logged_in_app, backend: TestBackend, api: Callable[..., ApiClient]
) -> None:
    trainer = api(backend.url, backend.new_user("trainer"))
    manager_name = backend.new_user("manager")
    manager = api(backend.url, manager_name)
    stale = publish(trainer, manager, "2019年资费说明（作废）", review_due="2019-12-31")
    app = logged_in_app(backend.url, manager_name)
    qtbot.waitUntil(lambda: app.review_desk is not None and app.review_desk.attention is not None)
    controller = app.review_desk.attention
    view = controller.view
    app.window.show_view(view)
    assert view.retire_button.isVisible()
    with qtbot.waitSignal(controller.refreshed, timeout=15_000):
        controller.refresh()
    view.tabs.setCurrentWidget(view.overdue)
    titles = [view.overdue.item(r, 0).text() for r in range(view.overdue.rowCount())]
    view.overdue.selectRow(titles.index("2019年资费说明（作废）"))
    qtbot.mouseClick(view.retire_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.retire_box is not None and view.retire_box.isVisible())
    with qtbot.waitSignal(controller.retired, timeout=15_000) as retired:
        next(b for b in view.retire_box.buttons() if b.objectName() == "retireYes").click()
    assert retired.args == [stale]
    qtbot.waitUntil(
        lambda: (
            "2019年资费说明（作废）"
            not in [view.overdue.item(r, 0).text() for r in range(view.overdue.rowCount())]
        ),
        timeout=15_000,
    )
    assert manager._request("GET", f"/articles/{stale}")["status"] != "published"


def test_a_trainer_cannot_retire_from_the_list(qtbot, logged_in_app, backend: TestBackend) -> None:  # type: ignore[no-untyped-def]
    app = logged_in_app(backend.url, backend.new_user("trainer"))
    qtbot.waitUntil(lambda: app.review_desk is not None and app.review_desk.attention is not None)
    view = app.review_desk.attention.view
    app.window.show_view(view)
    assert not view.retire_button.isVisible()
