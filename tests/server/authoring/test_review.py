"""Proposals and their review over HTTP (issue 13): who may do what, the base checked on
arrival, at approval and at publishing, the outbox batch arriving once, retiring as a
tombstone, revisions with author and approver."""

from __future__ import annotations

import threading
from typing import Any

from common.articles import Article
from common.authoring import ProposalContent
from common.merge import merge_article
from tests.server.authoring.support import BODY, new_uuid, proposal, published, submit
from tests.server.support import Actors, Backend, all_changes


def test_an_agent_cannot_submit_and_only_a_manager_approves_rejects_publishes_and_retires(
    server: Backend, actors: Actors
) -> None:
    agent, trainer, supervisor, manager = (
        actors("agent"),
        actors("trainer"),
        actors("supervisor"),
        actors("manager"),
    )
    refused = agent.http.post("/authoring/proposals", json=proposal())
    assert refused.status_code == 403
    batch = agent.http.post("/authoring/proposals/batch", json={"items": [proposal()]})
    assert batch.status_code == 403
    assert agent.http.get("/authoring/proposals").status_code == 403

    item = submit(trainer, proposal())
    assert item["state"] == "submitted" and item["author_username"] == trainer.username
    other = submit(supervisor, proposal())
    for actor in (agent, trainer, supervisor):
        uuid = item["uuid"]
        assert actor.http.post(f"/authoring/proposals/{uuid}/approve", json={}).status_code == 403
        rejected = actor.http.post(f"/authoring/proposals/{uuid}/reject", json={"comment": "x"})
        assert rejected.status_code == 403
        assert actor.http.post(f"/authoring/proposals/{uuid}/publish").status_code == 403
    # Nothing reached the agents: the article is not there.
    assert agent.http.get(f"/articles/{item['article_uuid']}").status_code == 404

    # Approved without publishing, then published: two steps, the manager's.
    approved = manager.http.post(
        f"/authoring/proposals/{item['uuid']}/approve", json={"publish": False}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved" and approved.json()["decided_by"]
    assert agent.http.get(f"/articles/{item['article_uuid']}").status_code == 404
    assert trainer.http.post(f"/authoring/proposals/{item['uuid']}/publish").status_code == 403
    done = manager.http.post(f"/authoring/proposals/{item['uuid']}/publish")
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "published" and done.json()["published_version"] == 1
    seen = agent.http.get(f"/articles/{item['article_uuid']}")
    assert seen.status_code == 200 and seen.json()["body"] == BODY

    # Rejecting keeps the article away and tells the author why.
    no = manager.http.post(
        f"/authoring/proposals/{other['uuid']}/reject", json={"comment": "标题不清楚"}
    )
    assert no.status_code == 200 and no.json()["state"] == "rejected"
    mine = trainer.http.get("/authoring/proposals", params={"mine": "true"}).json()
    assert [p["uuid"] for p in mine] == [item["uuid"]]
    theirs = supervisor.http.get(f"/authoring/proposals/{other['uuid']}").json()
    assert theirs["comment"] == "标题不清楚"
    assert agent.http.get(f"/articles/{other['article_uuid']}").status_code == 404
    # A decided proposal cannot be approved again.
    again = manager.http.post(f"/authoring/proposals/{other['uuid']}/approve", json={})
    assert again.status_code == 409

    # Retiring: the manager's too.
    for actor in (agent, trainer, supervisor):
        assert actor.http.post(f"/articles/{item['article_uuid']}/retire").status_code == 403
    assert manager.http.post(f"/articles/{item['article_uuid']}/retire").status_code == 200


def test_the_review_queue_lists_submitted_proposals(server: Backend, actors: Actors) -> None:
    trainer, manager = actors("trainer"), actors("manager")
    item = submit(trainer, proposal(title="排队中的修改"))
    queue = manager.http.get("/authoring/proposals", params={"state": "submitted"})
    assert queue.status_code == 200
    assert item["uuid"] in {p["uuid"] for p in queue.json()}
    assert all(p["state"] == "submitted" for p in queue.json())


def _edit(article: dict[str, Any], **changes: Any) -> dict[str, Any]:
    fields = ("type", "title", "body", "category", "tags", "aliases", "review_due")
    return {**{k: article[k] for k in fields}, **changes}


def test_two_trainers_from_one_base_the_second_approval_gets_409_and_the_merge_holds_both(
    server: Backend, actors: Actors
) -> None:
    first, second, manager = actors("trainer"), actors("trainer"), actors("manager")
    article = published(first, manager, tags=["宽带"])
    uuid, base = article["uuid"], article["version"]
    lines = BODY.splitlines(keepends=True)
    mine_body = "".join([lines[0].replace("核对身份", "核对身份证原件"), *lines[1:]])
    theirs_body = "".join([*lines[:3], lines[3].replace("复述办理结果", "复述办理结果并致谢")])

    one = submit(first, {**proposal(uuid, base), "content": _edit(article, body=mine_body)})
    two = submit(second, {**proposal(uuid, base), "content": _edit(article, body=theirs_body)})
    assert manager.http.post(f"/authoring/proposals/{two['uuid']}/approve", json={}).is_success
    stale = manager.http.post(f"/authoring/proposals/{one['uuid']}/approve", json={})
    assert stale.status_code == 409
    current = stale.json()["detail"]["article"]
    assert current["body"] == theirs_body and current["version"] == base + 1
    # The author sees the conflict, with theirs and the base to merge against.
    conflict = first.http.get(f"/authoring/proposals/{one['uuid']}").json()
    assert conflict["state"] == "conflict"
    assert conflict["current"]["body"] == theirs_body and conflict["base"]["body"] == BODY
    # An online submit on the old base is refused the same way, storing nothing.
    late = first.http.post("/authoring/proposals", json=proposal(uuid, base))
    assert late.status_code == 409 and late.json()["detail"]["article"]["version"] == base + 1

    merged = merge_article(conflict["base"], conflict["content"], conflict["current"])
    assert not merged.has_conflicts
    again = {
        **proposal(uuid, current["version"]),
        "content": {**conflict["content"], "body": merged.fields["body"]},
    }
    resubmitted = submit(first, again)
    ok = manager.http.post(f"/authoring/proposals/{resubmitted['uuid']}/approve", json={})
    assert ok.status_code == 200, ok.text
    final = manager.http.get(f"/articles/{uuid}").json()
    assert "核对身份证原件" in final["body"] and "复述办理结果并致谢" in final["body"]
    assert final["version"] == base + 2


def test_a_batch_retried_stores_each_proposal_once_and_a_stale_one_as_conflict(
    server: Backend, actors: Actors
) -> None:
    trainer, manager = actors("trainer"), actors("manager")
    article = published(trainer, manager)
    fresh = proposal(title="离线写的新文章")
    stale = proposal(article["uuid"], article["version"], title="离线改的标题")
    # Someone else's change is published first: the offline edit's base is now stale.
    moved = submit(manager, proposal(article["uuid"], article["version"], title="经理改的标题"))
    assert manager.http.post(f"/authoring/proposals/{moved['uuid']}/approve", json={}).is_success

    bad = {"uuid": new_uuid(), "article_uuid": "x"}
    for attempt in range(2):
        reply = trainer.http.post("/authoring/proposals/batch", json={"items": [fresh, stale, bad]})
        assert reply.status_code == 200, reply.text
        statuses = [r["status"] for r in reply.json()["results"]]
        expected = "stored" if attempt == 0 else "duplicate"
        assert statuses == [expected, expected, "rejected"]
    mine = trainer.http.get("/authoring/proposals", params={"mine": "true"}).json()
    by_uuid = {p["uuid"]: p for p in mine}
    assert sorted(p["uuid"] for p in mine if p["uuid"] in (fresh["uuid"], stale["uuid"])) == sorted(
        [fresh["uuid"], stale["uuid"]]
    )
    assert len([p for p in mine if p["uuid"] == fresh["uuid"]]) == 1
    assert by_uuid[fresh["uuid"]]["state"] == "submitted"
    assert by_uuid[stale["uuid"]]["state"] == "conflict"
    assert by_uuid[stale["uuid"]]["current"]["title"] == "经理改的标题"
    # The online route given a known uuid answers with the stored proposal (a retry).
    retry = trainer.http.post("/authoring/proposals", json=fresh)
    assert retry.status_code == 200 and retry.json()["uuid"] == fresh["uuid"]


def test_a_retired_article_is_a_tombstone_in_the_feed(server: Backend, actors: Actors) -> None:
    trainer, manager, agent = actors("trainer"), actors("manager"), actors("agent")
    _, start = all_changes(agent)
    article = published(trainer, manager, title="即将下线的活动")
    retired = manager.http.post(f"/articles/{article['uuid']}/retire")
    assert retired.status_code == 200, retired.text
    assert retired.json()["status"] == "archived"
    changes, _ = all_changes(agent, start)
    mine = [c for c in changes if c["uuid"] == article["uuid"]]
    assert [c["kind"] for c in mine] == ["article", "article_tombstone"]
    assert mine[1]["data"]["version"] == article["version"] + 1
    assert agent.http.get(f"/articles/{article['uuid']}").status_code == 404


def test_revisions_name_their_author_and_approver(server: Backend, actors: Actors) -> None:
    trainer, manager = actors("trainer"), actors("manager")
    article = published(trainer, manager, review_due="2031-01-31")
    assert article["review_due"] == "2031-01-31"
    revisions = trainer.http.get(f"/authoring/articles/{article['uuid']}/revisions")
    assert revisions.status_code == 200, revisions.text
    [first] = revisions.json()
    assert first["version"] == 1
    assert first["author"] == trainer.username and first["approver"] == manager.username
    assert first["proposal_uuid"] and first["article"]["title"] == article["title"]
    assert (
        actors("agent").http.get(f"/authoring/articles/{article['uuid']}/revisions").status_code
        == 403
    )


def test_a_proposal_is_checked_before_it_is_stored(server: Backend, actors: Actors) -> None:
    trainer = actors("trainer")
    bad_code = trainer.http.post("/authoring/proposals", json=proposal(contact_point="ZZ12"))
    assert bad_code.status_code == 422
    assert "接触点编码" in bad_code.text
    ok = submit(trainer, proposal(type="flow", contact_point="aaa1102"))
    assert ok["content"]["contact_point"] == "AAA1102"
    unknown_line = trainer.http.post(
        "/authoring/proposals", json=proposal(business_line="no_such_line")
    )
    assert unknown_line.status_code == 422
    # Editing an article that does not exist.
    missing = trainer.http.post("/authoring/proposals", json=proposal(new_uuid(), 3))
    assert missing.status_code == 404


def test_two_approvals_at_once_from_one_base_publish_exactly_one(
    server: Backend, actors: Actors
) -> None:
    """Nothing is overwritten silently in any order: both managers press 批准 together."""
    trainer, first, second = actors("trainer"), actors("manager"), actors("manager")
    article = published(trainer, first)
    items = [
        submit(trainer, proposal(article["uuid"], article["version"], title=f"并发修改{i}"))
        for i in range(2)
    ]
    barrier = threading.Barrier(2)
    answers: dict[int, int] = {}

    def approve(index: int, manager: Any) -> None:
        barrier.wait()
        reply = manager.http.post(f"/authoring/proposals/{items[index]['uuid']}/approve", json={})
        answers[index] = reply.status_code

    threads = [threading.Thread(target=approve, args=(i, m)) for i, m in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers.values()) == [200, 409]
    winner = next(i for i, code in answers.items() if code == 200)
    final = trainer.http.get(f"/articles/{article['uuid']}").json()
    assert final["version"] == article["version"] + 1
    assert final["title"] == f"并发修改{winner}"
    loser = trainer.http.get(f"/authoring/proposals/{items[1 - winner]['uuid']}").json()
    assert loser["state"] == "conflict"


def test_restoring_an_old_revision_is_a_proposal_on_the_current_version(
    server: Backend, actors: Actors
) -> None:
    trainer, manager = actors("trainer"), actors("manager")
    article = published(trainer, manager, title="第一版标题")
    changed = submit(trainer, proposal(article["uuid"], 1, title="第二版标题"))
    manager.http.post(f"/authoring/proposals/{changed['uuid']}/approve", json={})
    history = trainer.http.get(f"/authoring/articles/{article['uuid']}/revisions").json()
    old = ProposalContent.of(Article.model_validate(history[0]["article"]))
    restore = {**proposal(article["uuid"], history[-1]["version"]), "content": old.model_dump()}
    restored = submit(trainer, restore)
    assert manager.http.post(f"/authoring/proposals/{restored['uuid']}/approve", json={}).is_success
    final = trainer.http.get(f"/articles/{article['uuid']}").json()
    assert final["title"] == "第一版标题" and final["version"] == 3
