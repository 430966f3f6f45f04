"""Unanswered questions: idempotent batches, per-item acknowledgement, filters, handling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from server.tables import questions
from tests.server.support import (
    Actor,
    Actors,
    Backend,
    ask,
    count_questions,
    new_uuid,
    push,
    question,
)


def _line() -> str:
    return "q-" + new_uuid()[:8]


def _list(actor: Actor, **params: Any) -> dict[str, Any]:
    response = actor.http.get("/questions", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def test_batch_is_idempotent_by_uuid(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    items = [question(f"问题{i}", note="客户很着急") for i in range(3)]
    first = push(agent, items)
    assert [r["status"] for r in first] == ["stored"] * 3
    assert [r["uuid"] for r in first] == [i["uuid"] for i in items]
    again = push(agent, items)
    assert [r["status"] for r in again] == ["duplicate"] * 3
    # A batch mixing old and new items stores only the new one.
    fresh = question("新问题")
    mixed = push(agent, [items[0], fresh])
    assert [r["status"] for r in mixed] == ["duplicate", "stored"]
    assert count_questions(server, agent.id) == 4
    page = _list(agent)
    assert page["total"] == 4
    stored = {q["uuid"]: q for q in page["items"]}
    assert stored[items[0]["uuid"]]["note"] == "客户很着急"
    assert stored[items[0]["uuid"]]["agent"] == agent.username
    assert stored[items[0]["uuid"]]["status"] == "open"


def test_the_same_uuid_from_another_agent_is_not_stored_twice(
    server: Backend, actors: Actors
) -> None:
    a, b = actors("agent"), actors("agent")
    item = question("同一个问题")
    assert push(a, [item])[0]["status"] in ("stored", "duplicate")
    assert push(b, [item])[0]["status"] == "duplicate"
    rows = server.scalar(
        sa.select(sa.func.count()).select_from(questions).where(questions.c.uuid == item["uuid"])
    )
    assert rows == 1
    assert count_questions(server, b.id) == 0


def test_each_item_is_acknowledged_on_its_own(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    good1, good2 = question("好的问题一"), question("好的问题二")
    bad_uuid = question("坏的", uuid="not-a-uuid")
    no_query = {"uuid": new_uuid()}
    long_query = question("长" * 2001)
    extra = question("多余字段", priority="high")
    wrong_type = {**question(), "query": 12345}
    results = push(agent, [good1, bad_uuid, no_query, good2, long_query, extra, wrong_type])
    statuses = [r["status"] for r in results]
    assert statuses[0] in ("stored", "duplicate") and statuses[3] in ("stored", "duplicate")
    assert statuses[1:3] == ["rejected", "rejected"]
    assert statuses[4:] == ["rejected", "rejected", "rejected"]
    assert results[1]["uuid"] == "not-a-uuid"
    assert results[2]["uuid"] == no_query["uuid"]

    def fields(result: dict[str, Any]) -> set[str]:
        assert result["errors"], result
        return {str(error["loc"][0]) for error in result["errors"] if error["loc"]}

    assert fields(results[1]) == {"uuid"}
    assert fields(results[2]) == {"query"}
    assert fields(results[4]) == {"query"}
    assert fields(results[5]) == {"priority"}
    assert fields(results[6]) == {"query"}
    assert results[0]["errors"] == [] and results[3]["errors"] == []
    assert {q["uuid"] for q in _list(agent)["items"]} == {good1["uuid"], good2["uuid"]}


def _day(n: int) -> str:
    """Day `n` of a recent week (client times must be within a year of the server's now)."""
    start = datetime.now(UTC).date() - timedelta(days=30)
    return (start + timedelta(days=n)).isoformat()


def test_filters(server: Backend, actors: Actors) -> None:
    line, other_line = _line(), _line()
    a, b = actors("agent"), actors("agent")
    supervisor = actors("supervisor")
    q1 = ask(
        a,
        "宽带开发票",
        business_line=line,
        category="宽带/发票",
        created_at=_day(1) + "T09:00:00.000+00:00",
    )
    q2 = ask(
        a,
        "宽带迁移",
        business_line=line,
        category="宽带/迁移",
        created_at=_day(2) + "T09:00:00.000+00:00",
    )
    q3 = ask(
        b,
        "宽带费用",
        business_line=line,
        category="宽带费",
        created_at=_day(3) + "T09:00:00.000+00:00",
    )
    q4 = ask(
        b,
        "打折",
        business_line=line,
        category="50%_off",
        created_at=_day(4) + "T09:00:00.000+00:00",
    )
    q5 = ask(
        b,
        "打折2",
        business_line=line,
        category="500_off",
        created_at=_day(5) + "T09:00:00.000+00:00",
    )
    q6 = ask(
        b,
        "别的业务",
        business_line=other_line,
        category="宽带/发票",
        created_at=_day(1) + "T09:00:00.000+00:00",
    )

    def uuids(**params: Any) -> list[str]:
        return [q["uuid"] for q in _list(supervisor, **params)["items"]]

    # Newest first.
    assert uuids(business_line=line) == [q5, q4, q3, q2, q1]
    assert uuids(business_line=other_line) == [q6]
    assert set(uuids(business_line=line, category="宽带/")) == {q1, q2}
    assert set(uuids(business_line=line, category="宽带")) == {q1, q2, q3}
    # % and _ in the prefix are literal, not wildcards.
    assert uuids(business_line=line, category="50%") == [q4]
    assert uuids(business_line=line, category="50%_") == [q4]
    assert uuids(business_line=line, agent=a.username) == [q2, q1]
    assert uuids(business_line=line, since=_day(2), until=_day(4)) == [q3, q2]
    assert uuids(business_line=line, since=_day(5)) == [q5]
    assert uuids(business_line=line, until=_day(1) + "T12") == [q1]
    assert uuids(business_line=line, status="open") == [q5, q4, q3, q2, q1]
    assert supervisor.http.post(f"/questions/{q2}/claim").status_code == 200
    assert uuids(business_line=line, status="claimed") == [q2]
    assert uuids(business_line=line, status="answered") == []
    page = _list(supervisor, business_line=line, limit=2, offset=1)
    assert [q["uuid"] for q in page["items"]] == [q4, q3]
    assert page["total"] == 5
    assert supervisor.http.get("/questions", params={"status": "bogus"}).status_code == 422
    assert supervisor.http.get("/questions", params={"limit": 0}).status_code == 422
    assert supervisor.http.get("/questions", params={"limit": 501}).status_code == 422


def test_claim_then_a_second_handler_gets_409(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    uuid = ask(agent, "携号转网怎么办理")
    first, second = actors("supervisor"), actors("supervisor")
    claimed = first.http.post(f"/questions/{uuid}/claim")
    assert claimed.status_code == 200
    assert claimed.json()["status"] == "claimed"
    assert claimed.json()["claimed_by"] == first.username
    for action, body in (
        ("claim", None),
        ("answer", {"answer": "抢答"}),
        ("reject", {"reason": "x"}),
    ):
        response = second.http.post(f"/questions/{uuid}/{action}", json=body)
        assert response.status_code == 409, (action, response.text)
        detail = response.json()["detail"]
        assert first.username in detail["message"]
        assert detail["question"]["uuid"] == uuid
        assert detail["question"]["claimed_by"] == first.username
    answered = first.http.post(f"/questions/{uuid}/answer", json={"answer": "营业厅办理"})
    assert answered.status_code == 200
    assert answered.json()["answer"] == "营业厅办理"


def test_answer(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    uuid = ask(agent, "套餐怎么变更")
    supervisor = actors("supervisor")
    article = new_uuid()
    response = supervisor.http.post(
        f"/questions/{uuid}/answer", json={"answer": "  App 里自助变更  ", "article_uuid": article}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "answered"
    assert body["answer"] == "App 里自助变更"
    assert body["answered_by"] == supervisor.username
    assert body["answered_at"]
    assert body["article_uuid"] == article
    assert body["row_version"] == 2
    seen = agent.http.get(f"/questions/{uuid}").json()
    assert seen["answer"] == "App 里自助变更" and seen["status"] == "answered"
    again = supervisor.http.post(f"/questions/{uuid}/answer", json={"answer": "改一下"})
    assert again.status_code == 409
    assert again.json()["detail"]["question"]["answer"] == "App 里自助变更"
    assert supervisor.http.post(f"/questions/{uuid}/answer", json={"answer": ""}).status_code == 422
    missing = supervisor.http.post(f"/questions/{new_uuid()}/answer", json={"answer": "x"})
    assert missing.status_code == 404


def test_answer_with_a_stale_version_is_409(server: Backend, actors: Actors) -> None:
    uuid = ask(actors("agent"), "停机保号")
    supervisor = actors("supervisor")
    assert supervisor.http.post(f"/questions/{uuid}/claim").json()["row_version"] == 2
    stale = supervisor.http.post(
        f"/questions/{uuid}/answer", json={"answer": "x", "expected_version": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["detail"]["question"]["row_version"] == 2
    fresh = supervisor.http.post(
        f"/questions/{uuid}/answer", json={"answer": "x", "expected_version": 2}
    )
    assert fresh.status_code == 200


def test_reject_with_reason(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    uuid = ask(agent, "今天天气怎么样")
    leader = actors("team_leader")
    assert leader.http.post(f"/questions/{uuid}/reject", json={}).status_code == 422
    assert leader.http.post(f"/questions/{uuid}/reject", json={"reason": " "}).status_code == 422
    response = leader.http.post(f"/questions/{uuid}/reject", json={"reason": "与业务无关"})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["reject_reason"] == "与业务无关"
    assert agent.http.get(f"/questions/{uuid}").json()["reject_reason"] == "与业务无关"
    late = leader.http.post(f"/questions/{uuid}/answer", json={"answer": "晴"})
    assert late.status_code == 409


def test_merge_and_the_answer_propagates(server: Backend, actors: Actors) -> None:
    a, b = actors("agent"), actors("agent")
    main = ask(a, "宽带怎么开发票")
    dup = ask(b, "宽带能开发票吗")
    supervisor = actors("supervisor")
    merged = supervisor.http.post(f"/questions/{dup}/merge", json={"into": main})
    assert merged.status_code == 200, merged.text
    assert merged.json()["status"] == "merged"
    assert merged.json()["merged_into"] == main
    # Merged questions are no longer open for handling.
    assert supervisor.http.post(f"/questions/{dup}/answer", json={"answer": "x"}).status_code == 409
    answered = supervisor.http.post(
        f"/questions/{main}/answer", json={"answer": "电子发票在 App 下载"}
    )
    assert answered.status_code == 200
    seen_by_b = b.http.get(f"/questions/{dup}").json()
    assert seen_by_b["answer"] == "电子发票在 App 下载"
    assert seen_by_b["status"] == "merged"
    assert seen_by_b["answered_by"] == supervisor.username
    # Merging into an answered question copies its answer at once; chains are followed.
    late = ask(b, "宽带发票怎么开")
    chained = supervisor.http.post(f"/questions/{late}/merge", json={"into": dup})
    assert chained.status_code == 200
    assert chained.json()["merged_into"] == main
    assert chained.json()["answer"] == "电子发票在 App 下载"


def test_merge_refuses_self_and_unknown_targets(server: Backend, actors: Actors) -> None:
    uuid = ask(actors("agent"), "宽带报修")
    supervisor = actors("supervisor")
    assert supervisor.http.post(f"/questions/{uuid}/merge", json={"into": uuid}).status_code == 400
    assert (
        supervisor.http.post(f"/questions/{uuid}/merge", json={"into": new_uuid()}).status_code
        == 404
    )
    assert (
        supervisor.http.post(f"/questions/{uuid}/merge", json={"into": "nope"}).status_code == 422
    )
    assert supervisor.http.get(f"/questions/{uuid}").json()["status"] == "open"


def test_link_to_an_article(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    uuid = ask(agent, "国际漫游怎么开")
    supervisor = actors("supervisor")
    draft = {"type": "faq", "title": "国际漫游开通", "body": "拨打 10086 开通。"}
    article = supervisor.http.post("/articles", json=draft).json()["uuid"]
    # An article that does not exist is refused, and the question stays as it was.
    nowhere = supervisor.http.post(f"/questions/{uuid}/link", json={"article_uuid": new_uuid()})
    assert nowhere.status_code == 404, nowhere.text
    assert agent.http.get(f"/questions/{uuid}").json()["article_uuid"] == ""
    linked = supervisor.http.post(f"/questions/{uuid}/link", json={"article_uuid": article})
    assert linked.status_code == 200
    assert linked.json()["article_uuid"] == article
    assert linked.json()["status"] == "open"
    assert agent.http.get(f"/questions/{uuid}").json()["article_uuid"] == article
    bad = supervisor.http.post(f"/questions/{uuid}/link", json={"article_uuid": "x"})
    assert bad.status_code == 422
    missing = supervisor.http.post(f"/questions/{new_uuid()}/link", json={"article_uuid": article})
    assert missing.status_code == 404


def test_similar_questions_are_grouped(server: Backend, actors: Actors) -> None:
    line = _line()
    agent = actors("agent")
    invoice = [
        ask(agent, "宽带怎么开发票", business_line=line),
        ask(agent, "宽带发票怎么开", business_line=line),
        ask(agent, "宽带开发票怎么弄", business_line=line),
    ]
    roaming = [
        ask(agent, "国际漫游怎么开通", business_line=line),
        ask(agent, "怎么开通国际漫游", business_line=line),
    ]
    alone = ask(agent, "信用卡挂失", business_line=line)
    supervisor = actors("supervisor")
    response = supervisor.http.get("/questions/groups", params={"business_line": line})
    assert response.status_code == 200
    groups = [set(g["members"]) for g in response.json()]
    assert set(invoice) in groups
    assert set(roaming) in groups
    assert all(alone not in g for g in groups)
    for g in response.json():
        assert g["representative"] in g["members"]
    # Answered questions leave the groups.
    for uuid in roaming:
        assert (
            supervisor.http.post(
                f"/questions/{uuid}/answer", json={"answer": "App 开通"}
            ).status_code
            == 200
        )
    groups = [
        set(g["members"])
        for g in supervisor.http.get("/questions/groups", params={"business_line": line}).json()
    ]
    assert groups == [set(invoice)]


def test_the_similarity_modules_own_example_pair_is_grouped(
    server: Backend, actors: Actors
) -> None:
    """server/similarity.py names this pair as what it groups (bigram Jaccard is exactly 1/3,
    just under its 0.34 threshold)."""
    line = _line()
    agent = actors("agent")
    pair = {
        ask(agent, "宽带怎么开发票", business_line=line),
        ask(agent, "宽带能开发票吗", business_line=line),
    }
    supervisor = actors("supervisor")
    groups = supervisor.http.get("/questions/groups", params={"business_line": line}).json()
    assert [set(g["members"]) for g in groups] == [pair]


def test_client_times_are_checked_and_the_server_receive_time_orders_the_queue(
    server: Backend, actors: Actors
) -> None:
    """Issue 11 #20: created_at was free text from the client, sorted as text."""
    line = _line()
    agent, supervisor = actors("agent"), actors("supervisor")
    now = datetime.now(UTC).replace(microsecond=0)  # stored to the millisecond
    refused = [
        question(created_at="soon"),
        question(created_at="9999-99-99"),
        question(created_at="2099-01-01T00:00:00+00:00"),  # a clock far ahead
        question(created_at=(now - timedelta(days=800)).isoformat()),  # or far behind
        question(created_at="2026-01-01T00:00:00"),  # no time zone: a guess
    ]
    results = push(agent, [dict(item, business_line=line) for item in refused])
    assert [r["status"] for r in results] == ["rejected"] * len(refused)
    assert all(r["errors"][0]["loc"] == ["created_at"] for r in results)
    # A question asked offline a week ago arrives after one asked just now: the queue shows
    # what arrived last first, whatever the agents' clocks say; each keeps when it was asked.
    week_ago = (now - timedelta(days=7)).astimezone(timezone(timedelta(hours=8)))
    fresh = ask(agent, "刚问的", business_line=line, created_at=now.isoformat())
    late = ask(agent, "一周前问的", business_line=line, created_at=week_ago.isoformat())
    items = _list(supervisor, business_line=line)["items"]
    assert [q["uuid"] for q in items] == [late, fresh]
    asked = datetime.fromisoformat(items[0]["created_at"])
    assert asked == week_ago and items[0]["created_at"].endswith("+00:00")  # stored in UTC
    assert items[0]["received_at"] > items[1]["received_at"]
