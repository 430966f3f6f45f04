"""The supervisor's multi-step actions against the real backend, without Qt: a retry carries
on where it stopped; an article not published at once is a proposal a manager approves (and
is not linked before); local days become UTC bounds."""

from __future__ import annotations

from datetime import date

import pytest

from agent_app.common.local_time import day_bounds, local_stamp
from agent_app.questions.actions import PROPOSED, ArticleDraft, MakeArticleJob
from sync.api_client import ApiError
from tests.helpers.flows import push_questions, server_question


def test_a_supervisors_article_is_a_proposal_a_manager_approves(backend, api) -> None:  # type: ignore[no-untyped-def]
    agent_api = api(backend.url, backend.new_user("agent"))
    (uuid,) = push_questions(agent_api, ["宽带发票抬头能改吗"])
    supervisor = api(backend.url, backend.new_user("supervisor"))
    question = server_question(supervisor, uuid)
    # Publishing directly is the manager's: the server refuses the supervisor (issue 13).
    refused = MakeArticleJob(
        question, ArticleDraft(title="发票抬头修改", body="营业厅可改抬头。", publish=True)
    )
    with pytest.raises(ApiError) as direct:
        refused._create(supervisor)
    assert direct.value.status == 403
    job = MakeArticleJob(question, ArticleDraft(title="发票抬头修改", body="营业厅可改抬头。"))
    article = job.run(supervisor)
    assert article["status"] == PROPOSED and article["uuid"] == job.article_uuid
    answered = server_question(supervisor, uuid)
    assert (answered["status"], answered["answer"], answered["article_uuid"]) == (
        "answered",
        "营业厅可改抬头。",
        "",  # not published yet: the agent could not open it
    )
    # A retry whose first reply was lost submits nothing twice and answers nothing twice.
    job.created = False
    assert job.run(supervisor)["proposal_uuid"] == article["proposal_uuid"]
    (mine,) = supervisor.proposals(mine=True)
    assert (mine.uuid, mine.state, mine.base_version) == (job.proposal_uuid, "submitted", None)
    assert mine.content.source_question_uuid == uuid
    # The manager approves it: published, by the supervisor, linked to the question it came from.
    manager = api(backend.url, backend.new_user("manager"))
    assert [p.uuid for p in manager.proposals(state="submitted")].count(job.proposal_uuid) == 1
    published = manager.approve_proposal(job.proposal_uuid)
    assert published.state == "published" and published.published_version == 1
    (revision,) = manager.revisions(job.article_uuid)
    assert (revision.article.status, revision.article.title) == ("published", "发票抬头修改")
    assert revision.article.source_question_uuid == uuid
    assert revision.proposal_uuid == job.proposal_uuid and revision.author and revision.approver
    # Published, the article is the question's: the agent's 我的问题 opens it.
    assert server_question(supervisor, uuid)["article_uuid"] == job.article_uuid


def test_local_days_become_utc_bounds() -> None:
    since, until = day_bounds(date(2024, 5, 1), date(2024, 5, 1))
    assert since < until
    assert since.endswith("+00:00") and until.endswith("+00:00")
    assert day_bounds(None, None) == ("", "")
    assert local_stamp(since).startswith("2024-05-01 00:00")
