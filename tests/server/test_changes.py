"""The changes feed: one increasing sequence, paged, filtered by audience, never skipping."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from tests.helpers.waiting import wait_until
from tests.server.support import Actor, Actors, Backend, all_changes, ask


def _page(actor: Actor, since: int, limit: int) -> dict[str, Any]:
    response = actor.http.get("/changes", params={"since": since, "limit": limit})
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def _article(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "faq", "title": "话费查询", "body": "发送短信 CXHF 到 10086。"}
    body.update(fields)
    return body


def _publish(manager: Actor, **fields: Any) -> dict[str, Any]:
    response = manager.http.post("/articles", json=_article(status="published", **fields))
    assert response.status_code == 201, response.text
    article: dict[str, Any] = response.json()
    return article


def test_seq_is_monotonic_and_pages_with_has_more(server: Backend, actors: Actors) -> None:
    manager, agent = actors("manager"), actors("agent")
    _, start = all_changes(agent)
    published = [_publish(manager, title=f"分页文章 {i}")["uuid"] for i in range(5)]
    seen: list[dict[str, Any]] = []
    since, pages = start, 0
    while True:
        page = _page(agent, since, 2)
        pages += 1
        assert len(page["changes"]) <= 2
        seen.extend(page["changes"])
        if page["changes"]:
            assert page["next_since"] == page["changes"][-1]["seq"]
        if not page["has_more"]:
            break
        assert len(page["changes"]) == 2
        since = page["next_since"]
    assert pages == 3
    seqs = [c["seq"] for c in seen]
    assert seqs == sorted(set(seqs)) and seqs[0] > start
    assert [c["uuid"] for c in seen] == published
    assert all(c["kind"] == "article" and c["data"]["status"] == "published" for c in seen)
    assert seen[0]["data"]["title"] == "分页文章 0"
    # Asking again from the end gives nothing new, and the checkpoint holds.
    end = _page(agent, seqs[-1], 100)
    assert end["changes"] == [] and end["has_more"] is False and end["next_since"] >= seqs[-1]


def test_bad_paging_parameters_are_refused(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    for params in ({"since": -1}, {"limit": 0}, {"limit": 5001}, {"since": "x"}):
        assert agent.http.get("/changes", params=params).status_code == 422, params


def test_audience_agents_see_only_their_own_question_changes(
    server: Backend, actors: Actors
) -> None:
    a, b = actors("agent"), actors("agent")
    supervisor = actors("supervisor")
    _, since_a = all_changes(a)
    _, since_b = all_changes(b)
    qa = ask(a, "A 的问题")
    qb = ask(b, "B 的问题")
    assert (
        supervisor.http.post(f"/questions/{qa}/answer", json={"answer": "给 A"}).status_code == 200
    )
    assert (
        supervisor.http.post(f"/questions/{qb}/reject", json={"reason": "给 B"}).status_code == 200
    )
    changes_a, _ = all_changes(a, since_a)
    changes_b, _ = all_changes(b, since_b)
    assert [(c["uuid"], c["data"]["status"]) for c in changes_a if c["kind"] == "question"] == [
        (qa, "answered")
    ]
    assert [(c["uuid"], c["data"]["status"]) for c in changes_b if c["kind"] == "question"] == [
        (qb, "rejected")
    ]
    # A handler's own feed does not carry agents' questions either.
    changes_s, _ = all_changes(supervisor)
    assert not {qa, qb} & {c["uuid"] for c in changes_s}


def test_published_articles_reach_everyone_drafts_nobody(server: Backend, actors: Actors) -> None:
    trainer, manager = actors("trainer"), actors("manager")
    a, b = actors("agent"), actors("agent")
    _, since = all_changes(a)
    draft = trainer.http.post("/articles", json=_article(title="草稿"))
    assert draft.status_code == 201
    draft_uuid = draft.json()["uuid"]
    live = _publish(manager, title="已发布")
    for reader in (a, b, trainer):
        changes, _ = all_changes(reader, since)
        uuids = [c["uuid"] for c in changes]
        assert live["uuid"] in uuids
        assert draft_uuid not in uuids
    # Publishing the draft puts it in the feed, once, at its published version.
    assert manager.http.post(f"/articles/{draft_uuid}/publish").status_code == 200
    changes, _ = all_changes(a, since)
    entries = [c for c in changes if c["uuid"] == draft_uuid]
    assert len(entries) == 1
    assert entries[0]["data"]["status"] == "published" and entries[0]["data"]["version"] == 2


def test_deleting_an_article_leaves_a_tombstone(server: Backend, actors: Actors) -> None:
    manager, agent = actors("manager"), actors("agent")
    _, since = all_changes(agent)
    live = _publish(manager, title="将被删除")
    assert manager.http.delete(f"/articles/{live['uuid']}").status_code == 204
    assert manager.http.delete(f"/articles/{live['uuid']}").status_code == 204  # idempotent
    changes, _ = all_changes(agent, since)
    mine = [c for c in changes if c["uuid"] == live["uuid"]]
    assert [c["kind"] for c in mine] == ["article", "article_tombstone"]
    assert mine[1]["data"] == {"uuid": live["uuid"], "version": 2}
    assert mine[0]["seq"] < mine[1]["seq"]
    assert agent.http.get(f"/articles/{live['uuid']}").status_code == 404


def test_next_since_skips_other_peoples_changes(server: Backend, actors: Actors) -> None:
    a, b = actors("agent"), actors("agent")
    supervisor = actors("supervisor")
    _, since_b = all_changes(b)
    for i in range(3):
        qa = ask(a, f"只和 A 有关 {i}")
        assert (
            supervisor.http.post(f"/questions/{qa}/answer", json={"answer": "好"}).status_code
            == 200
        )
    page = _page(b, since_b, 100)
    assert page["changes"] == []
    assert page["has_more"] is False
    assert page["next_since"] > since_b  # B's checkpoint moves past A's changes
    # ... and nothing of B's is skipped: B's next change comes after the new checkpoint.
    qb = ask(b, "B 的问题")
    assert supervisor.http.post(f"/questions/{qb}/answer", json={"answer": "好"}).status_code == 200
    later = _page(b, page["next_since"], 100)
    assert [c["uuid"] for c in later["changes"]] == [qb]


def test_polling_never_skips_a_change_while_others_write(server: Backend, actors: Actors) -> None:
    """Clients polling an agent's feed as fast as they can, each from its own checkpoint, while
    the agent's questions are answered: every answer must reach every poller (a checkpoint that
    jumps past a change committed meanwhile loses that change for good)."""
    agent = actors("agent")
    supervisor = actors("supervisor")
    _, start = all_changes(agent)
    uuids = [ask(agent, f"轮询 {i}") for i in range(80)]
    pollers = 3
    received: list[set[str]] = [set() for _ in range(pollers)]
    stop = threading.Event()
    errors: list[str] = []

    def poll(mine: set[str]) -> None:
        since = start
        with server.client(agent.token) as http:
            while not stop.is_set():
                response = http.get("/changes", params={"since": since, "limit": 1000})
                if response.status_code != 200:
                    errors.append(response.text)
                    return
                page = response.json()
                mine.update(c["uuid"] for c in page["changes"])
                since = page["next_since"]

    threads = [threading.Thread(target=poll, args=(mine,)) for mine in received]
    for thread in threads:
        thread.start()
    try:
        for uuid in uuids:
            response = supervisor.http.post(f"/questions/{uuid}/answer", json={"answer": "已答"})
            assert response.status_code == 200
    finally:
        # Let the pollers catch up with the last commits before stopping them.
        with contextlib.suppress(AssertionError):  # the asserts below say what is missing
            wait_until(
                lambda: errors or not any(set(uuids) - mine for mine in received),
                5,
                "the pollers to catch up",
                interval=0.05,
            )
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not errors
    missing = [len(set(uuids) - mine) for mine in received]
    assert missing == [0] * pollers, (
        f"answers that never reached each poller (of {len(uuids)}): {missing}"
    )
