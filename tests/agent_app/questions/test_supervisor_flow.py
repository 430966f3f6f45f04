"""A supervisor works the question queue from the UI: answer, reject, merge, make an article
(a proposal a manager approves, which then reaches the agent's client through the feed); and a
second answer meets a conflict."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from agent_app.questions.views.make_article_dialog import MakeArticleDialog
from agent_app.questions.views.merge_dialog import MergeDialog
from agent_app.questions.views.question_queue import ROW_ROLE
from agent_app.questions.views.reply_dialogs import AnswerDialog, RejectDialog
from tests.helpers.corpus import type_text
from tests.helpers.flows import open_queue, push_questions, refreshed_with, server_question


def last_dialog(app, kind):  # type: ignore[no-untyped-def]
    dialog = app.queue.dialogs[-1]
    assert isinstance(dialog, kind)
    return dialog


def test_supervisor_answers_rejects_merges_and_makes_an_article(
    qtbot, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    agent = backend.new_user("agent")
    agent_api = api(backend.url, agent)
    agent_app = logged_in_app(backend.url, agent, "agent-desk")
    to_answer, to_reject, merge_a, merge_b, to_article = push_questions(
        agent_api,
        [
            "宽带可以暂停服务吗",
            "隔壁小区停水了吗",
            "手机套餐怎么降档",
            "手机套餐怎么降档呢",
            "光猫怎么恢复出厂设置",
        ],
    )
    # A search that found nothing on the agent's desk reaches the supervisor too.
    pane = agent_app.kb_view
    with qtbot.waitSignal(pane.results_shown, timeout=10_000):
        type_text(pane.search, "完全无关的火星问题")
    supervisor_api = api(backend.url, "supervisor")
    qtbot.waitUntil(
        lambda: any(m.query == "完全无关的火星问题" for m in supervisor_api.search_misses()),
        timeout=10_000,
    )

    sup = logged_in_app(backend.url, "supervisor", "supervisor-desk")
    assert sup.my_questions is None
    view = open_queue(qtbot, sup)
    refreshed_with(qtbot, sup, [to_answer, to_reject, merge_a, merge_b, to_article])
    misses = view.misses_table
    assert "完全无关的火星问题" in [misses.item(r, 0).text() for r in range(misses.rowCount())]

    # Answer one.
    view.select_questions([to_answer])
    assert view.answer_button.isEnabled()
    view.answer_button.click()
    dialog = last_dialog(sup, AnswerDialog)
    type_text(dialog.text_edit, "可以暂停，最长三个月。")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.submit_button.click()
    answered = server_question(supervisor_api, to_answer)
    assert (answered["status"], answered["answer"]) == ("answered", "可以暂停，最长三个月。")
    assert "答复已发送" in view.notice.text()

    # Reject one, with a reason.
    view.select_questions([to_reject])
    view.reject_button.click()
    dialog = last_dialog(sup, RejectDialog)
    type_text(dialog.text_edit, "不属于本业务线")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.submit_button.click()
    rejected = server_question(supervisor_api, to_reject)
    assert (rejected["status"], rejected["reject_reason"]) == ("rejected", "不属于本业务线")

    # The two near-identical ones are shown as a group of similar questions...
    tree = view.groups_tree
    groups = [tree.topLevelItem(i).data(0, ROW_ROLE) for i in range(tree.topLevelItemCount())]
    assert any({merge_a, merge_b} <= set(g or []) for g in groups)
    # ...and merged, keeping the second.
    view.select_questions([merge_a, merge_b])
    assert view.merge_button.isEnabled()
    view.merge_button.click()
    merge = last_dialog(sup, MergeDialog)
    merge.target.setCurrentIndex(merge.target.findData(merge_b))
    with qtbot.waitSignal(sup.queue.refreshed, timeout=10_000):
        merge.accept()
    merged = server_question(supervisor_api, merge_a)
    assert (merged["status"], merged["merged_into"]) == ("merged", merge_b)

    # Make an article from the last: the question answered at once, the article sent to a
    # manager for review (only managers publish directly, issue 13).
    view.select_questions([to_article])
    view.article_button.click()
    make = last_dialog(sup, MakeArticleDialog)
    assert make.title_edit.text() == "光猫怎么恢复出厂设置"
    assert not make.publish_check.isChecked() and not make.publish_check.isEnabled()
    assert make.type_combo.currentData() == "faq"
    assert make.line_combo.currentData() == "telecom"
    type_text(make.body_edit, "用牙签长按光猫背面复位键十秒，指示灯全亮后松开。")
    with qtbot.waitSignal(make.finished, timeout=10_000):
        make.submit_button.click()
    done = server_question(supervisor_api, to_article)
    assert done["status"] == "answered" and done["article_uuid"] == ""  # nothing to open yet
    assert "已提交经理审核" in view.notice.text()
    (proposal,) = [
        p
        for p in supervisor_api.proposals(mine=True)
        if p.content.source_question_uuid == to_article
    ]
    assert proposal.state == "submitted" and proposal.content.title == "光猫怎么恢复出厂设置"
    # A manager approves it (the review desk's call).
    manager_api = api(backend.url, backend.new_user("manager"))
    assert manager_api.approve_proposal(proposal.uuid).state == "published"
    article_uuid = proposal.article_uuid

    # The article reaches the agent's client through the feed, searchable there.
    kb = agent_app.kb
    qtbot.waitUntil(lambda: kb.store.get_article(article_uuid) is not None, timeout=15_000)
    pane.search.clear()
    type_text(pane.search, "光猫恢复出厂")
    # The pane may show an earlier answer first (the feed's arrival re-runs the search while
    # the index catches up): what counts is that the new article comes up on top.
    qtbot.waitUntil(
        lambda: (hit := pane.current_hit()) is not None and hit.uuid == article_uuid,
        timeout=15_000,
    )
    # ...and the agent has the answers (answered, rejected, merged) in 'My questions'.
    mine = agent_app.my_questions
    qtbot.waitUntil(
        lambda: {r["uuid"]: r["status"] for r in mine.view.rows}.get(to_article) == "answered",
        timeout=10_000,
    )
    states = {r["uuid"]: r["status"] for r in mine.view.rows}
    assert states[to_answer] == "answered"
    assert states[to_reject] == "rejected"
    assert states[merge_a] == "merged"


def test_second_answer_meets_a_conflict_and_keeps_the_text(
    qtbot, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    agent_api = api(backend.url, backend.new_user("agent"))
    (question,) = push_questions(agent_api, ["宽带移机要多久"])
    first = backend.new_user("supervisor")
    sup = logged_in_app(backend.url, "supervisor")
    view = open_queue(qtbot, sup)
    refreshed_with(qtbot, sup, [question])
    view.select_questions([question])
    view.answer_button.click()
    dialog = last_dialog(sup, AnswerDialog)
    type_text(dialog.text_edit, "移机三个工作日内完成")

    # Meanwhile another supervisor answers first.
    api(backend.url, first).answer(question, "一般五个工作日，偏远地区七天。")

    dialog.submit_button.click()
    qtbot.waitUntil(dialog.feedback.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: "已先答复" in dialog.feedback.label.text(), timeout=10_000)
    message = dialog.feedback.label.text()
    assert first in message
    assert "一般五个工作日" in message
    assert dialog.isVisible()
    assert dialog.text_edit.toPlainText() == "移机三个工作日内完成"
    assert not dialog.submit_button.isEnabled()
    dialog.feedback.copy_button.click()
    assert QApplication.clipboard().text() == "移机三个工作日内完成"
    # The row shows what happened.
    qtbot.waitUntil(
        lambda: next(q for q in view.items if q["uuid"] == question)["status"] == "answered",
        timeout=10_000,
    )
