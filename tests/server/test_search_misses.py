"""Searches that found nothing: pushed idempotently by every client, ranked for handlers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.server.support import Actors, Backend, new_uuid

# A recent day: client times must lie within a year before and a day after the server's now.
DAY = (datetime.now(UTC) + timedelta(hours=2)).date().isoformat()


def test_misses_are_idempotent_and_ranked(server: Backend, actors: Actors) -> None:
    a, b = actors("agent"), actors("agent")
    word = "未命中-" + new_uuid()[:8]
    rare = word + "-少见"
    items_a = [
        {"uuid": new_uuid(), "query": word, "created_at": DAY + "T00:00:00.000+00:00"},
        {"uuid": new_uuid(), "query": word, "created_at": DAY + "T00:00:01.000+00:00"},
        {"uuid": new_uuid(), "query": rare, "created_at": DAY + "T00:00:02.000+00:00"},
    ]
    first = a.http.post("/search-misses/batch", json={"items": items_a})
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["stored"] * 3
    again = a.http.post("/search-misses/batch", json={"items": items_a})
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
    item_b = {"uuid": new_uuid(), "query": word, "created_at": DAY + "T00:00:03.000+00:00"}
    bad = {"uuid": "nope", "query": word}
    mixed = b.http.post("/search-misses/batch", json={"items": [item_b, bad]}).json()["results"]
    assert [r["status"] for r in mixed] == ["stored", "rejected"]
    supervisor = actors("supervisor")
    listed = supervisor.http.get("/search-misses", params={"since": DAY}).json()
    mine = {m["query"]: m for m in listed if m["query"] in (word, rare)}
    assert mine[word]["times"] == 3 and mine[word]["agents"] == 2
    assert mine[word]["last_at"] == DAY + "T00:00:03.000+00:00"
    assert mine[rare]["times"] == 1
    order = [m["query"] for m in listed]
    assert order.index(word) < order.index(rare)
    assert a.http.get("/search-misses").status_code == 403
