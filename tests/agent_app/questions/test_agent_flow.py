"""An agent's question goes to the server; the supervisor's answer comes back to 'My questions'
with a badge, and the article it links opens in the KB pane."""

from __future__ import annotations

from tests.helpers.flows import record_question, server_question


def test_question_goes_up_and_the_answer_comes_back(qtbot, backend, api, logged_in_app) -> None:  # type: ignore[no-untyped-def]
    agent = backend.new_user("agent")
    app = logged_in_app(backend.url, agent)
    window, pane = app.window, app.kb_view
    mine = app.my_questions
    assert mine is not None and app.queue is None
    assert window.pane_title(mine.view) == "我的问题"
    assert mine.view.isVisible() and pane.isVisible()  # side by side

    uuid = record_question(qtbot, app, "宽带能开电子发票吗")
    supervisor = api(backend.url, "supervisor")
    qtbot.waitUntil(lambda: server_question(supervisor, uuid) is not None, timeout=10_000)
    asked = server_question(supervisor, uuid)
    assert asked is not None
    assert (asked["agent"], asked["status"], asked["query"]) == (
        agent,
        "open",
        "宽带能开电子发票吗",
    )
    qtbot.waitUntil(lambda: window.sync_status.pending_label.text() == "待发送 0")
    # The round that sent the question is over once it has read the feed too.
    qtbot.waitUntil(lambda: window.sync_status.online_label.text().endswith("在线"), timeout=10_000)

    # A manager publishes the article (only managers publish directly); the supervisor answers.
    manager = api(backend.url, backend.new_user("manager"))
    article = manager.create_article(
        {
            "type": "faq",
            "title": "宽带电子发票开具方法",
            "body": "登录营业厅 App，在**发票管理**中申请电子发票。",
            "business_line": "telecom",
            "status": "published",
        }
    )
    supervisor.answer(uuid, "可以开电子发票，步骤见文章。", article_uuid=article.uuid)

    # The answer arrives: a badge on the tab and a notification.
    qtbot.waitUntil(lambda: window.pane_title(mine.view) == "我的问题（1）", timeout=10_000)
    assert "收到 1 条答复" in window.statusBar().currentMessage()
    assert window.toast.isVisible() and "收到 1 条答复" in window.toast.text()

    # Opening the view shows the answer and marks it read.
    window.show_view(mine.view)
    qtbot.waitUntil(lambda: window.pane_title(mine.view) == "我的问题", timeout=10_000)
    assert app.data.questions.unread_answers(agent) == 0
    assert mine.view.select_question(uuid)
    assert "可以开电子发票" in mine.view.detail.toPlainText()
    assert "已答复" in mine.view.detail.toPlainText()

    # The article it became opens in the KB pane.
    assert mine.view.open_button.isEnabled()
    with qtbot.waitSignal(pane.article_opened, timeout=10_000) as opened:
        mine.view.open_button.click()
    assert opened.args == [article.uuid]
    assert pane.isVisible()
    assert pane.article_view.title.text() == "宽带电子发票开具方法"
