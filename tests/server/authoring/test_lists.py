"""The trainers' lists (review overdue; many 没帮助 with reasons; linked questions), the
feedback batch, and the vocabulary published through the feed."""

from __future__ import annotations

from tests.server.authoring.support import new_uuid, published
from tests.server.support import Actors, Backend, all_changes, ask


def _vote(article_uuid: str, kind: str = "not_helpful", reason: str = "") -> dict[str, str]:
    return {"uuid": new_uuid(), "article_uuid": article_uuid, "kind": kind, "reason": reason}


def test_not_helpful_votes_appear_with_counts_and_reasons_once_each(
    server: Backend, actors: Actors
) -> None:
    trainer, manager = actors("trainer"), actors("manager")
    first, second = actors("agent"), actors("agent")
    article = published(trainer, manager, title="宽带资费")
    votes = [
        _vote(article["uuid"], reason="资费已经变了"),
        _vote(article["uuid"]),
        _vote(article["uuid"], kind="helpful"),
    ]
    for _ in range(2):  # the outbox retries: each vote counts once
        reply = first.http.post("/articles/feedback/batch", json={"items": votes})
        assert reply.status_code == 200, reply.text
    third = _vote(article["uuid"], reason="没有写办理时限")
    assert second.http.post("/articles/feedback/batch", json={"items": [third]}).is_success
    bad = second.http.post(
        "/articles/feedback/batch", json={"items": [{"uuid": new_uuid(), "kind": "meh"}]}
    )
    assert bad.json()["results"][0]["status"] == "rejected"

    lists = trainer.http.get("/authoring/attention", params={"min_not_helpful": 3})
    assert lists.status_code == 200, lists.text
    [entry] = [e for e in lists.json()["not_helpful"] if e["article"]["uuid"] == article["uuid"]]
    assert entry["count"] == 3
    assert sorted(entry["reasons"]) == sorted(["资费已经变了", "没有写办理时限"])
    higher = trainer.http.get("/authoring/attention", params={"min_not_helpful": 4}).json()
    assert article["uuid"] not in {e["article"]["uuid"] for e in higher["not_helpful"]}
    assert first.http.get("/authoring/attention").status_code == 403


def test_review_overdue_lists_published_articles_past_their_day_with_linked_questions(
    server: Backend, actors: Actors
) -> None:
    trainer, manager, agent = actors("trainer"), actors("manager"), actors("agent")
    question = ask(agent, "宽带过户要带什么")
    overdue = published(
        trainer, manager, title="过期待复核", review_due="2020-01-31", source_question_uuid=question
    )
    later = published(trainer, manager, title="还没到复核日", review_due="2099-12-31")
    lists = trainer.http.get("/authoring/attention").json()
    listed = {a["uuid"]: a for a in lists["review_overdue"]}
    assert overdue["uuid"] in listed and later["uuid"] not in listed
    assert lists["today"] > "2020-01-31"
    assert [q["uuid"] for q in listed[overdue["uuid"]]["questions"]] == [question]
    assert listed[overdue["uuid"]]["questions"][0]["query"] == "宽带过户要带什么"
    # A retired article needs no review.
    manager.http.post(f"/articles/{overdue['uuid']}/retire")
    again = trainer.http.get("/authoring/attention").json()
    assert overdue["uuid"] not in {a["uuid"] for a in again["review_overdue"]}


def test_a_vocabulary_put_is_validated_and_reaches_every_client_through_the_feed(
    server: Backend, actors: Actors
) -> None:
    trainer, agent = actors("trainer"), actors("agent")
    _, start = all_changes(agent)
    before = agent.http.get("/authoring/vocabulary").json()
    vocabulary = {
        "synonym_groups": [["宽带", "光纤"], ["移机", "迁移"]],
        "user_words": ["融合套餐", "融合套餐"],
    }
    saved = trainer.http.put("/authoring/vocabulary", json=vocabulary)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["synonym_groups"] == [["宽带", "光纤"], ["移机", "迁移"]]
    assert body["user_words"] == ["融合套餐"] and body["version"] == before["version"] + 1
    fed = [c for c in all_changes(agent, start)[0] if c["kind"] == "vocabulary"]
    assert fed[-1]["data"]["synonym_groups"] == body["synonym_groups"]
    assert fed[-1]["data"]["version"] == body["version"]
    assert agent.http.get("/authoring/vocabulary").json()["user_words"] == ["融合套餐"]

    for bad in (
        {"synonym_groups": [["宽带"]]},
        {"synonym_groups": [["宽带", "宽带"]]},
        {"synonym_groups": [[]]},
        {"synonym_groups": [[" 宽带", "光纤"]]},
        {"user_words": ["有 空格"]},
        {"user_words": [""]},
        {"user_words": ["长" * 31]},
    ):
        assert trainer.http.put("/authoring/vocabulary", json=bad).status_code == 422, bad
    assert agent.http.put("/authoring/vocabulary", json=vocabulary).status_code == 403
