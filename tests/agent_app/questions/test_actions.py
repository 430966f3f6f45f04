"""The supervisor's multi-step actions against the real backend, without Qt: a retry carries
on where it stopped; drafts are not linked; local days become UTC bounds."""

from __future__ import annotations

from datetime import date

from agent_app.common.local_time import day_bounds, local_stamp
from agent_app.questions.actions import ArticleDraft, MakeArticleJob
from tests.helpers.flows import push_questions, server_question


def test_make_article_draft_answers_without_linking_and_retries_safely(backend, api) -> None:  # type: ignore[no-untyped-def]
    agent_api = api(backend.url, backend.new_user("agent"))
    (uuid,) = push_questions(agent_api, ["宽带发票抬头能改吗"])
    supervisor = api(backend.url, "supervisor")
    question = server_question(supervisor, uuid)
    job = MakeArticleJob(question, ArticleDraft(title="发票抬头修改", body="营业厅可改抬头。"))
    article = job.run(supervisor)
    assert article["status"] == "draft"
    answered = server_question(supervisor, uuid)
    assert (answered["status"], answered["answer"], answered["article_uuid"]) == (
        "answered",
        "营业厅可改抬头。",
        "",  # a draft is not linked: the agent could not open it
    )
    # A retry whose first reply was lost creates nothing twice and answers nothing twice.
    job.created = False
    assert job.run(supervisor)["uuid"] == article["uuid"]


def test_local_days_become_utc_bounds() -> None:
    since, until = day_bounds(date(2024, 5, 1), date(2024, 5, 1))
    assert since < until
    assert since.endswith("+00:00") and until.endswith("+00:00")
    assert day_bounds(None, None) == ("", "")
    assert local_stamp(since).startswith("2024-05-01 00:00")
