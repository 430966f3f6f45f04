"""Malformed, mistyped, oversized and hostile input: a 4xx (or a per-item rejection), never a 500,
and the server keeps running."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.server.support import Actor, Actors, Backend, ask, new_uuid, push, question

MB = 1_000_000


@pytest.fixture
def agent(server: Backend, actors: Actors) -> Iterator[Actor]:
    yield actors("agent")
    assert server.alive(), "the server died:\n" + server.proc.log_tail()


@pytest.fixture
def supervisor(actors: Actors) -> Actor:
    return actors("supervisor")


def _post_raw(actor: Actor, path: str, content: bytes | str, **headers: str) -> httpx.Response:
    return actor.http.post(
        path, content=content, headers={"Content-Type": "application/json", **headers}
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b'{"items": [}',
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b"null",
        b'"a string"',
        b'{"items": "not a list"}',
        b'{"items": [1, "x", null]}',
        b'{"items": []}',
        b'{"items": {"uuid": "x"}}',
        b"{}",
    ],
)
def test_malformed_batches_are_422(agent: Actor, raw: bytes) -> None:
    response = _post_raw(agent, "/questions/batch", raw)
    assert response.status_code == 422, response.text


def test_malformed_json_elsewhere(agent: Actor, supervisor: Actor) -> None:
    uuid = ask(agent)
    for actor, path in (
        (agent, "/auth/login"),
        (supervisor, f"/questions/{uuid}/answer"),
        (supervisor, f"/questions/{uuid}/reject"),
        (supervisor, f"/questions/{uuid}/merge"),
        (supervisor, "/articles"),
    ):
        for raw in (b"{", b"[]", b'{"answer": 1, "reason": 2, "into": 3}'):
            response = _post_raw(actor, path, raw)
            assert response.status_code == 422, (path, raw, response.text)


def test_form_data_instead_of_json_is_refused(agent: Actor) -> None:
    response = agent.http.post("/questions/batch", data={"items": "x"})
    assert response.status_code == 422


def test_deeply_nested_json_is_refused(agent: Actor) -> None:
    depth = 200_000
    nested = "[" * depth + "]" * depth
    raw = f'{{"items": [{{"uuid": "{new_uuid()}", "query": {nested}}}]}}'
    response = _post_raw(agent, "/questions/batch", raw)
    assert 400 <= response.status_code < 500, response.status_code


def test_extra_fields(agent: Actor, supervisor: Actor) -> None:
    uuid = ask(agent)
    extra = supervisor.http.post(f"/questions/{uuid}/answer", json={"answer": "x", "admin": True})
    assert extra.status_code == 422
    assert supervisor.http.get(f"/questions/{uuid}").json()["status"] == "open"
    # In a batch, an item with an unknown field is rejected alone.
    good = question("正常")
    results = push(agent, [question("多一个字段", status="answered"), good])
    assert results[0]["status"] == "rejected"
    assert results[1]["status"] in ("stored", "duplicate")


def test_oversized_body_is_413(agent: Actor) -> None:
    item = question("大" * 10)
    item["note"] = "x" * (2 * MB + 10)
    response = agent.http.post("/questions/batch", json={"items": [item]})
    assert response.status_code == 413
    assert "请求内容过大" in response.json()["detail"]


def test_oversized_chunked_body_without_length_is_413(agent: Actor) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"items": [{"uuid": "%s", "query": "' % new_uuid().encode()
        for _ in range(30):
            yield b"y" * 100_000
        yield b'"}]}'

    response = agent.http.post(
        "/questions/batch", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413


def test_declared_oversized_body_is_refused_before_it_is_sent(
    server: Backend, agent: Actor
) -> None:
    """A Content-Length over the limit gets 413 at once: the server does not wait for 5 MB."""
    request = (
        "POST /questions/batch HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\n"
        f"Authorization: Bearer {agent.token}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {5 * MB}\r\n"
        "\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.proc.port), timeout=10) as sock:
        sock.sendall(request + b'{"items": [')
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]


def test_batch_size_limit(server: Backend, agent: Actor) -> None:
    too_many = [question(f"第 {i} 个") for i in range(501)]
    response = agent.http.post("/questions/batch", json={"items": too_many})
    assert response.status_code == 422
    assert agent.http.get("/questions").json()["total"] == 0
    results = push(agent, too_many[:500])
    assert all(r["status"] in ("stored", "duplicate") for r in results)
    assert agent.http.get("/questions").json()["total"] == 500


def test_huge_query_in_an_item_is_rejected_alone(agent: Actor) -> None:
    huge = question("问" * 600_000)  # ~1.8 MB of UTF-8: under the body limit
    good = question("正常的问题")
    results = push(agent, [huge, good])
    assert results[0]["status"] == "rejected"
    assert results[0]["uuid"] == huge["uuid"]
    assert [e["loc"] for e in results[0]["errors"]] == [["query"]]
    assert results[1]["status"] in ("stored", "duplicate")
    assert [q["uuid"] for q in agent.http.get("/questions").json()["items"]] == [good["uuid"]]


@pytest.mark.parametrize(
    "fields",
    [
        {"uuid": 12345},
        {"uuid": None},
        {"uuid": ["x"]},
        {"uuid": "x" * 10_000},
        {"query": None},
        {"query": {"nested": "dict"}},
        {"note": 1.5},
        {"created_at": 20240101},
        {"business_line": "x" * 33},
        {"category": "c" * 201},
    ],
)
def test_mistyped_items_are_rejected_alone(agent: Actor, fields: dict[str, Any]) -> None:
    bad = question("类型不对")
    bad.update(fields)
    results = push(agent, [bad, question("正常")])
    assert results[0]["status"] == "rejected"
    assert results[0]["errors"]
    assert len(results[0]["uuid"]) <= 64
    assert results[1]["status"] in ("stored", "duplicate")


def test_nul_character_in_an_item_is_stored_or_rejected_never_500(agent: Actor) -> None:
    tricky = question("宽带\x00发票")
    response = agent.http.post("/questions/batch", json={"items": [tricky, question("正常")]})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results[0]["status"] in ("stored", "rejected")
    assert results[1]["status"] in ("stored", "duplicate")


def test_lone_surrogate_in_an_item_is_stored_or_rejected_never_500(agent: Actor) -> None:
    # Valid JSON (an escaped lone surrogate), but not encodable as UTF-8.
    raw = '{"items": [{"uuid": "%s", "query": "bad \\ud800 text"}, {"uuid": "%s", "query": "ok"}]}'
    response = _post_raw(agent, "/questions/batch", raw % (new_uuid(), new_uuid()))
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        results = response.json()["results"]
        assert results[0]["status"] in ("stored", "rejected")
        assert results[1]["status"] in ("stored", "duplicate")


@pytest.mark.parametrize(
    "path, params",
    [
        ("/changes", {"since": str(10**20)}),
        ("/changes", {"since": "1e9"}),
        ("/questions", {"offset": str(10**20)}),
        ("/questions", {"limit": str(10**20)}),
        ("/questions", {"since": "\x00"}),
        ("/questions", {"category": "%" * 1000}),
    ],
)
def test_extreme_query_parameters_never_500(
    agent: Actor, path: str, params: dict[str, str]
) -> None:
    response = agent.http.get(path, params=params)
    assert response.status_code < 500, response.text


def test_huge_numbers_in_bodies_never_500(agent: Actor, supervisor: Actor, actors: Actors) -> None:
    uuid = ask(agent)
    stale = supervisor.http.post(
        f"/questions/{uuid}/answer", json={"answer": "x", "expected_version": 10**30}
    )
    # Beyond any version a question can reach: refused as a field error (or as stale).
    assert stale.status_code in (409, 422), stale.text
    admin = actors("admin")
    response = admin.http.patch(f"/users/{10**20}", json={"disabled": True})
    assert response.status_code in (404, 422), response.text


@pytest.mark.parametrize("length", [10_000, 60_000])
def test_very_long_url_never_500(agent: Actor, length: int) -> None:
    try:
        response = agent.http.get("/questions", params={"category": "x" * length})
    except httpx.TransportError:
        return  # the HTTP layer may drop the connection: fine, as long as the server lives
    assert response.status_code < 500


def test_unknown_paths_and_methods(agent: Actor) -> None:
    assert agent.http.get("/no/such/thing").status_code == 404
    assert agent.http.delete("/questions/batch").status_code == 405
    assert agent.http.put("/changes").status_code == 405


@pytest.mark.parametrize(
    "path", ["/questions/batch", "/search-misses/batch", "/calls/batch", "/agent-states/batch"]
)
def test_lone_surrogates_in_a_batch_are_rejected_alone_after_the_commit_never_500(
    server: Backend, agent: Actor, path: str
) -> None:
    """Issue 11 #20: the acknowledgement of a bad item echoed its uuid, which could not be
    encoded, so the reply failed with a 500 after the good items had been committed and the
    client resent the batch forever."""
    good = question("宽带发票")
    bad_uuid = {"uuid": "\ud800" + new_uuid(), "query": "好"}
    bad_key = {"uuid": new_uuid(), "query": "好", "\udfff": 1}
    bad_text = {"uuid": new_uuid(), "query": "坏\ud800文本"}
    # json.dumps writes the lone surrogates as \ud800 escapes: valid JSON, not valid UTF-16.
    raw = json.dumps({"items": [good, bad_uuid, bad_key, bad_text]})
    response = _post_raw(agent, path, raw)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results[1:]] == ["rejected"] * 3
    if path in ("/questions/batch", "/search-misses/batch"):
        assert results[0]["status"] == "stored"
        # Resending is idempotent: the good item is a duplicate, the bad ones rejected again.
        again = _post_raw(agent, path, raw).json()["results"]
        assert [r["status"] for r in again] == ["duplicate"] + ["rejected"] * 3
    assert "\\ud800" not in server.proc.log_tail(200)
