"""Articles: drafts, updates against a base version (stale -> 409), publishing, revisions."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.server.support import Actor, Actors, Backend, all_changes, new_uuid


def _article(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "faq",
        "title": "宽带报装流程",
        "body": "先登记地址，再预约上门安装。",
        "category": "宽带/报装",
        "tags": ["宽带", "报装"],
        "aliases": ["装宽带"],
        "business_line": "telecom",  # one of the seeded lines: an unknown one is refused
        "contact_point": "10086",
    }
    body.update(fields)
    return body


def _create(editor: Actor, **fields: Any) -> dict[str, Any]:
    response = editor.http.post("/articles", json=_article(**fields))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_create_and_read_back(server: Backend, actors: Actors) -> None:
    trainer = actors("trainer")
    uuid = new_uuid()
    created = _create(trainer, uuid=uuid)
    assert created["uuid"] == uuid
    assert created["version"] == 1 and created["status"] == "draft"
    assert created["tags"] == ["宽带", "报装"] and created["aliases"] == ["装宽带"]
    fetched = trainer.http.get(f"/articles/{uuid}")
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert trainer.http.post("/articles", json=_article(uuid=uuid)).status_code == 409
    # Agents do not see drafts.
    assert actors("agent").http.get(f"/articles/{uuid}").status_code == 404
    assert uuid in [
        a["uuid"] for a in trainer.http.get("/articles", params={"status": "draft"}).json()
    ]


def test_update_needs_the_current_base_version(server: Backend, actors: Actors) -> None:
    trainer, other = actors("trainer"), actors("supervisor")
    created = _create(trainer)
    uuid = created["uuid"]
    # Someone else edits first.
    theirs = other.http.put(f"/articles/{uuid}", json=_article(body="他们的版本", base_version=1))
    assert theirs.status_code == 200, theirs.text
    assert theirs.json()["version"] == 2 and theirs.json()["body"] == "他们的版本"
    # My edit from version 1 is stale: 409 with the current article, nothing overwritten.
    mine = trainer.http.put(f"/articles/{uuid}", json=_article(body="我的版本", base_version=1))
    assert mine.status_code == 409
    detail = mine.json()["detail"]
    assert "文章已被他人修改" in detail["message"]
    assert detail["article"]["version"] == 2
    assert detail["article"]["body"] == "他们的版本"
    # No base at all is refused the same way.
    assert trainer.http.put(f"/articles/{uuid}", json=_article(body="无基础")).status_code == 409
    # Rebased on version 2, the edit goes in.
    rebased = trainer.http.put(
        f"/articles/{uuid}", json=_article(body="合并后的版本", base_version=2)
    )
    assert rebased.status_code == 200
    assert rebased.json()["version"] == 3
    assert trainer.http.get(f"/articles/{uuid}").json()["body"] == "合并后的版本"
    missing = trainer.http.put(f"/articles/{new_uuid()}", json=_article(base_version=1))
    assert missing.status_code == 404


def test_publish_and_revisions_are_kept(server: Backend, actors: Actors) -> None:
    trainer, manager = actors("trainer"), actors("manager")
    uuid = _create(trainer, title="第一版")["uuid"]
    assert (
        trainer.http.put(
            f"/articles/{uuid}", json=_article(title="第二版", base_version=1)
        ).status_code
        == 200
    )
    published = manager.http.post(f"/articles/{uuid}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published" and published.json()["version"] == 3
    # Publishing again changes nothing.
    again = manager.http.post(f"/articles/{uuid}/publish")
    assert again.status_code == 200 and again.json()["version"] == 3
    agent = actors("agent")
    assert agent.http.get(f"/articles/{uuid}").json()["title"] == "第二版"
    revisions = trainer.http.get(f"/articles/{uuid}/revisions")
    assert revisions.status_code == 200
    history = revisions.json()
    assert [(r["version"], r["title"], r["status"]) for r in history] == [
        (1, "第一版", "draft"),
        (2, "第二版", "draft"),
        (3, "第二版", "published"),
    ]
    assert agent.http.get(f"/articles/{uuid}/revisions").status_code == 403
    assert manager.http.post(f"/articles/{new_uuid()}/publish").status_code == 404


def test_article_validation(server: Backend, actors: Actors) -> None:
    trainer = actors("trainer")
    for bad in (
        _article(type="poem"),
        _article(title=""),
        _article(title="长" * 201),
        _article(body=""),
        _article(uuid="not-a-uuid"),
        _article(tags="宽带"),
        _article(tags=["t"] * 51),
        _article(status="deleted"),
        _article(unknown=True),
    ):
        response = trainer.http.post("/articles", json=bad)
        assert response.status_code == 422, (bad, response.text)


def test_concurrent_edits_from_the_same_base_one_wins(server: Backend, actors: Actors) -> None:
    editors = [actors("trainer"), actors("supervisor")]
    uuid = _create(editors[0])["uuid"]
    barrier = threading.Barrier(2)
    codes: dict[int, int] = {}

    def edit(i: int) -> None:
        with server.client(editors[i].token) as http:
            http.get("/health")
            barrier.wait(timeout=30)
            body = _article(body=f"编辑 {i}", base_version=1)
            codes[i] = http.put(f"/articles/{uuid}", json=body).status_code

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(codes.values()) == [200, 409]
    winner = next(i for i, code in codes.items() if code == 200)
    current = editors[0].http.get(f"/articles/{uuid}").json()
    assert current["version"] == 2 and current["body"] == f"编辑 {winner}"
    history = editors[0].http.get(f"/articles/{uuid}/revisions").json()
    assert [r["version"] for r in history] == [1, 2]


def test_only_publishers_change_the_published_state_and_the_feed_hears_each_change(
    server: Backend, actors: Actors
) -> None:
    """Issue 11 #20: a trainer could unpublish (PUT status=draft) or bring back a deleted
    article, and no feed change was sent for an unpublish. The publisher is a manager: only
    managers publish directly (issue 13)."""
    trainer, supervisor, agent = actors("trainer"), actors("manager"), actors("agent")
    uuid = _create(supervisor, status="published")["uuid"]
    since = all_changes(agent)[1]
    # The trainer may not take it off the air...
    unpublish = trainer.http.put(f"/articles/{uuid}", json=_article(base_version=1))
    assert unpublish.status_code == 403, unpublish.text
    assert supervisor.http.get(f"/articles/{uuid}").json()["status"] == "published"
    # ...nor bring back a deleted article.
    assert supervisor.http.delete(f"/articles/{uuid}").status_code == 204
    undelete = trainer.http.put(f"/articles/{uuid}", json=_article(base_version=2))
    assert undelete.status_code == 403, undelete.text
    assert supervisor.http.get(f"/articles/{uuid}").json()["status"] == "deleted"
    # A publisher may do both, and every change of state reaches the clients' feed.
    restored = supervisor.http.put(f"/articles/{uuid}", json=_article(base_version=2))
    assert restored.status_code == 200 and restored.json()["status"] == "draft"
    assert supervisor.http.post(f"/articles/{uuid}/publish").status_code == 200
    unpublished = supervisor.http.put(f"/articles/{uuid}", json=_article(base_version=4))
    assert unpublished.status_code == 200 and unpublished.json()["status"] == "draft"
    kinds = [
        (c["kind"], c["data"]["version"]) for c in all_changes(agent, since)[0] if c["uuid"] == uuid
    ]
    assert kinds == [
        ("article_tombstone", 2),  # deleted
        ("article_tombstone", 3),  # back as a draft
        ("article", 4),  # published again
        ("article_tombstone", 5),  # unpublished: clients drop it
    ]


@pytest.mark.parametrize("role", ["supervisor", "trainer"])
def test_only_managers_publish_directly(server: Backend, actors: Actors, role: str) -> None:
    """Issue 13: "Only managers approve; the server checks this." A supervisor's (or trainer's)
    token may write a draft but gets 403 on every direct way to publish, to unpublish or to
    delete; their change goes through a proposal a manager approves."""
    editor, manager, agent = actors(role), actors("manager"), actors("agent")
    refused = editor.http.post("/articles", json=_article(status="published"))
    assert refused.status_code == 403, refused.text
    assert "submit a proposal" in refused.json()["detail"]
    draft = _create(editor)
    assert draft["status"] == "draft"
    uuid = draft["uuid"]
    put = editor.http.put(f"/articles/{uuid}", json=_article(base_version=1, status="published"))
    assert put.status_code == 403, put.text
    assert editor.http.post(f"/articles/{uuid}/publish").status_code == 403
    assert editor.http.delete(f"/articles/{uuid}").status_code == 403
    assert agent.http.get(f"/articles/{uuid}").status_code == 404  # still nobody sees it
    # The manager publishes it; then the editor may not take it off the air either.
    assert manager.http.post(f"/articles/{uuid}/publish").status_code == 200
    off = editor.http.put(f"/articles/{uuid}", json=_article(base_version=2, status="draft"))
    assert off.status_code == 403, off.text
    assert agent.http.get(f"/articles/{uuid}").json()["status"] == "published"
