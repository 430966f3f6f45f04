"""Call records and agent state changes: pushed by the seats, read by supervisors and reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.server.support import Actor, Actors, Backend, new_uuid

T0 = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def call(at: datetime = T0, **fields: Any) -> dict[str, Any]:
    """One call record as the seat sends it (agent_app/seat/call_log.py CallRecord.to_payload)."""
    item: dict[str, Any] = {
        "uuid": new_uuid(),
        "version": 2,
        "direction": "inbound",
        "local_number": "8001",
        "remote_number": "13800138000",
        "remote_display": "张先生",
        "queue": "物业客服",
        "campaign": "",
        "started_at": at.isoformat(),
        "answered_at": (at + timedelta(seconds=5)).isoformat(),
        "ended_at": (at + timedelta(seconds=125)).isoformat(),
        "talk_seconds": 100.0,
        "hold_seconds": 20.0,
        "acw_seconds": 0.0,
        "wrap_up_category": "",
        "wrap_up_note": "",
        "disposition": "",
        "end_reason": "answered",
        "sip_code": 200,
        "recording_path": None,
    }
    item.update(fields)
    return item


def change(at: datetime = T0, **fields: Any) -> dict[str, Any]:
    """One agent state change (agent_app/seat/agent_state.py StateChange.to_payload)."""
    item: dict[str, Any] = {
        "uuid": new_uuid(),
        "state": "ready",
        "reason": "",
        "on_call": False,
        "call_uuid": "",
        "started_at": at.isoformat(),
        "previous_state": "not_ready",
        "previous_reason": "login",
        "previous_on_call": False,
        "previous_started_at": (at - timedelta(seconds=60)).isoformat(),
        "previous_seconds": 60.0,
    }
    item.update(fields)
    return item


def push(actor: Actor, path: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = actor.http.post(path, json={"items": items})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    assert [r["uuid"] for r in results] == [i.get("uuid") for i in items]
    return results


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]


def calls_of(reader: Actor, **params: Any) -> dict[str, Any]:
    response = reader.http.get("/calls", params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


# -- pushing ------------------------------------------------------------------------------------
def test_push_is_idempotent_and_the_newest_version_wins(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    first = call()
    assert statuses(push(agent, "/calls/batch", [first])) == ["stored"]
    assert statuses(push(agent, "/calls/batch", [first])) == ["duplicate"]  # a re-send

    wrapped = {
        **first,
        "version": 3,
        "acw_seconds": 25.5,
        "wrap_up_category": "complaint",
        "wrap_up_note": "电梯故障，已报修",
        "disposition": "escalated",
    }
    stale = {**first, "version": 1, "wrap_up_note": "older"}
    assert statuses(push(agent, "/calls/batch", [wrapped, stale, wrapped])) == [
        "stored",
        "duplicate",
        "duplicate",
    ]
    page = calls_of(agent)
    assert page["total"] == 1
    stored = page["items"][0]
    assert stored["uuid"] == first["uuid"] and stored["agent"] == agent.username
    assert (stored["version"], stored["wrap_up_note"], stored["acw_seconds"]) == (
        3,
        "电梯故障，已报修",
        25.5,
    )
    assert stored["handle_seconds"] == 145.5  # AHT's talk + hold + after-call work
    # Times come back in UTC, whatever zone they were sent in.
    assert stored["started_at"] == "2025-03-03T01:00:00.000+00:00"
    assert stored["answered_at"] == "2025-03-03T01:00:05.000+00:00"


def test_a_failed_transfer_and_the_end_text_are_kept(server: Backend, actors: Actors) -> None:
    """Issue 11 #9/#10: the record says the transfer failed and what the agent was shown."""
    agent = actors("agent")
    failed = call(transfer_result="failed", end_text="对方无应答，通话已断开")
    older_client = call(at=T0 + timedelta(minutes=5))  # a client from before the fields
    assert statuses(push(agent, "/calls/batch", [failed, older_client])) == ["stored", "stored"]
    kept = {c["uuid"]: c for c in calls_of(agent)["items"]}
    assert (kept[failed["uuid"]]["transfer_result"], kept[failed["uuid"]]["end_text"]) == (
        "failed",
        "对方无应答，通话已断开",
    )
    assert (
        kept[older_client["uuid"]]["transfer_result"],
        kept[older_client["uuid"]]["end_text"],
    ) == (
        "",
        "",
    )
    # A newer version (a second transfer went through) replaces the outcome.
    assert statuses(
        push(agent, "/calls/batch", [{**failed, "version": 3, "transfer_result": "succeeded"}])
    ) == ["stored"]
    assert calls_of(agent, limit=1, offset=1)["items"][0]["transfer_result"] == "succeeded"


def test_times_in_any_zone_are_stored_in_utc(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    beijing = T0.astimezone(UTC).replace(tzinfo=None)
    item = call(
        started_at=(beijing + timedelta(hours=8)).isoformat() + "+08:00",
        answered_at=None,
        ended_at=(T0 + timedelta(seconds=30)).isoformat().replace("+00:00", "Z"),
        talk_seconds=0,
        hold_seconds=0,
        end_reason="missed",
        sip_code=487,
    )
    assert statuses(push(agent, "/calls/batch", [item])) == ["stored"]
    stored = calls_of(agent)["items"][0]
    assert stored["started_at"] == "2025-03-03T01:00:00.000+00:00"
    assert stored["ended_at"] == "2025-03-03T01:00:30.000+00:00"
    assert stored["answered_at"] is None


def test_an_agent_cannot_overwrite_or_spoof_another(server: Backend, actors: Actors) -> None:
    alice, bob = actors("agent"), actors("agent")
    mine = call()
    assert statuses(push(alice, "/calls/batch", [mine])) == ["stored"]
    # Bob pushes Alice's uuid with a higher version: refused, Alice's record untouched.
    takeover = {**mine, "version": 99, "wrap_up_note": "bob was here"}
    result = push(bob, "/calls/batch", [takeover])[0]
    assert result["status"] == "rejected"
    assert "其他用户" in str(result["errors"])
    assert calls_of(alice)["items"][0]["wrap_up_note"] == ""
    assert calls_of(bob)["total"] == 0
    # The user is the session's: a payload naming one is refused, never believed.
    for field in ("agent", "agent_id", "user"):
        spoof = {**call(), field: alice.username if field != "agent_id" else alice.id}
        assert statuses(push(bob, "/calls/batch", [spoof])) == ["rejected"]
    assert calls_of(bob)["total"] == 0
    # The same for state changes.
    state = change()
    assert statuses(push(alice, "/agent-states/batch", [state])) == ["stored"]
    assert statuses(push(bob, "/agent-states/batch", [state])) == ["rejected"]
    assert statuses(push(alice, "/agent-states/batch", [state])) == ["duplicate"]
    assert statuses(push(bob, "/agent-states/batch", [change(user=alice.username)])) == ["rejected"]


BAD_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("negative talk", {"talk_seconds": -1}),
    ("negative hold", {"hold_seconds": -0.001}),
    ("negative wrap-up", {"acw_seconds": -5}),
    ("a duration over a week", {"talk_seconds": 8 * 24 * 3600}),
    ("duration not a number", {"talk_seconds": "long"}),
    ("huge note", {"wrap_up_note": "x" * 2001}),
    ("huge display", {"remote_display": "名" * 201}),
    ("huge number", {"remote_number": "1" * 65}),
    ("number with spaces", {"remote_number": "138 0013 8000"}),
    ("number with NUL", {"remote_number": "1380\x00"}),
    ("note with NUL", {"wrap_up_note": "a\x00b"}),
    ("category with NUL", {"wrap_up_category": "\x00"}),
    ("naive time", {"started_at": "2025-03-03T01:00:00"}),
    ("not a time", {"started_at": "yesterday"}),
    ("impossible date", {"started_at": "2025-02-30T01:00:00+00:00"}),
    ("year 1", {"started_at": "0001-01-01T00:00:00+05:00"}),
    ("year 9999", {"ended_at": "9999-12-31T23:59:59-05:00"}),
    ("ends before it starts", {"ended_at": "2025-03-03T00:59:59+00:00"}),
    ("answered after the end", {"answered_at": "2025-03-03T02:00:00+00:00"}),
    ("no end", {"ended_at": None}),
    ("bad direction", {"direction": "sideways"}),
    ("bad end reason", {"end_reason": "exploded"}),
    ("bad sip code", {"sip_code": 99999999999999999999}),
    ("version 0", {"version": 0}),
    ("huge version", {"version": 2**70}),
    ("bad uuid", {"uuid": "not-a-uuid"}),
    ("uuid NUL", {"uuid": "\x00"}),
    ("unknown field", {"colour": "red"}),
    ("unknown transfer result", {"transfer_result": "maybe"}),
    ("huge end text", {"end_text": "断" * 501}),
]


@pytest.mark.parametrize("fields", [f for _, f in BAD_CALLS], ids=[n for n, _ in BAD_CALLS])
def test_bad_call_items_are_rejected_alone(
    server: Backend, actors: Actors, fields: dict[str, Any]
) -> None:
    agent = actors("agent")
    good = call()
    results = push(agent, "/calls/batch", [call(**fields), good])
    assert statuses(results) == ["rejected", "stored"], results
    assert results[0]["errors"]
    assert calls_of(agent)["total"] == 1
    assert server.alive()


BAD_STATES: list[tuple[str, dict[str, Any]]] = [
    ("unknown state", {"state": "asleep"}),
    ("negative duration", {"previous_seconds": -1}),
    ("a duration over a year", {"previous_seconds": 367 * 24 * 3600}),
    ("huge reason", {"reason": "r" * 65}),
    ("reason NUL", {"reason": "\x00"}),
    ("naive time", {"started_at": "2025-03-03T01:00:00"}),
    ("previous after start", {"previous_started_at": "2025-03-03T02:00:00+00:00"}),
    ("bad call uuid", {"call_uuid": "call-1"}),
    ("on_call not a bool", {"on_call": "maybe"}),
]


@pytest.mark.parametrize("fields", [f for _, f in BAD_STATES], ids=[n for n, _ in BAD_STATES])
def test_bad_state_items_are_rejected_alone(
    server: Backend, actors: Actors, fields: dict[str, Any]
) -> None:
    agent = actors("agent")
    results = push(agent, "/agent-states/batch", [change(**fields), change()])
    assert statuses(results) == ["rejected", "stored"], results


@pytest.mark.parametrize("path", ["/calls/batch", "/agent-states/batch"])
@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b'{"items": []}',
        b'{"items": "x"}',
        b'{"items": [1]}',
        b"[]",
        b'{"items": [{}], "x": 1',
    ],
)
def test_malformed_batches_are_422(server: Backend, actors: Actors, path: str, raw: bytes) -> None:
    agent = actors("agent")
    response = agent.http.post(path, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_durations_are_refused(server: Backend, actors: Actors, literal: str) -> None:
    """Python's JSON parser accepts NaN and Infinity; the API must not store them."""
    agent = actors("agent")
    for path, item, name in (
        ("/calls/batch", call(), "talk_seconds"),
        ("/agent-states/batch", change(), "previous_seconds"),
    ):
        item[name] = 12345.0
        raw = json.dumps({"items": [item]}).replace("12345.0", literal)
        response = agent.http.post(path, content=raw, headers={"Content-Type": "application/json"})
        assert response.status_code in (200, 422), response.text
        if response.status_code == 200:
            assert statuses(response.json()["results"]) == ["rejected"]
    assert calls_of(agent)["total"] == 0
    assert agent.http.get("/agent-states").json() == []


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"since": "2025-03-03T01:00:00"},  # no timezone
        {"until": "0001-01-01T00:00:00+05:00"},
        {"since": "2025-03-03T01:00:00\x00"},
        {"direction": "sideways"},
        {"limit": 0},
        {"limit": 10**30},
        {"offset": -1},
        {"agent": "a" * 65},
    ],
)
def test_bad_queries_are_422(server: Backend, actors: Actors, params: dict[str, Any]) -> None:
    boss = actors("supervisor")
    for path in ("/calls", "/agent-states/history"):
        query = {k: v for k, v in params.items() if path == "/calls" or k != "direction"}
        if query:
            response = boss.http.get(path, params=query)
            assert response.status_code == 422, (path, query, response.text)


# -- reading ------------------------------------------------------------------------------------
def test_agents_read_only_their_own_calls(server: Backend, actors: Actors) -> None:
    alice, bob = actors("agent"), actors("agent")
    push(alice, "/calls/batch", [call()])
    push(bob, "/calls/batch", [call(), call()])
    assert calls_of(alice)["total"] == 1
    assert calls_of(alice, agent=alice.username)["total"] == 1
    refused = alice.http.get("/calls", params={"agent": bob.username})
    assert refused.status_code == 403
    assert "只能查看自己的通话记录" in refused.json()["detail"]
    # A trainer or an admin is not a call supervisor either: own records only.
    for role in ("trainer", "admin"):
        other = actors(role)
        assert calls_of(other)["total"] == 0
        assert other.http.get("/calls", params={"agent": bob.username}).status_code == 403
    assert actors.anonymous().get("/calls").status_code == 401


@pytest.mark.parametrize("role", ["team_leader", "supervisor", "manager"])
def test_supervisors_filter_everyones_calls(server: Backend, actors: Actors, role: str) -> None:
    agent = actors("agent")
    day = T0 + timedelta(days=40 + len(role))  # apart from other tests' calls
    items = [
        call(day, direction="inbound"),
        call(day + timedelta(hours=1), direction="outbound", campaign="回访-三月"),
        call(day + timedelta(hours=2), direction="inbound"),
        call(day - timedelta(days=1)),
    ]
    push(agent, "/calls/batch", items)
    reader = actors(role)
    everyone = calls_of(reader, agent=agent.username)
    assert everyone["total"] == 4
    # Newest first.
    assert [c["uuid"] for c in everyone["items"]] == [items[i]["uuid"] for i in (2, 1, 0, 3)]
    that_day = {
        "agent": agent.username,
        "since": day.isoformat(),
        "until": (day + timedelta(days=1)).isoformat(),
    }
    assert calls_of(reader, **that_day)["total"] == 3
    outbound = calls_of(reader, **that_day, direction="outbound")
    assert [c["uuid"] for c in outbound["items"]] == [items[1]["uuid"]]
    assert calls_of(reader, campaign="回访-三月", agent=agent.username)["total"] == 1
    # The same window given in Beijing time.
    beijing = {
        "agent": agent.username,
        "since": (day + timedelta(hours=8)).replace(tzinfo=None).isoformat() + "+08:00",
        "until": (day + timedelta(hours=32)).replace(tzinfo=None).isoformat() + "+08:00",
    }
    assert calls_of(reader, **beijing)["total"] == 3
    # Paging.
    first = calls_of(reader, agent=agent.username, limit=2)
    second = calls_of(reader, agent=agent.username, limit=2, offset=2)
    assert first["total"] == second["total"] == 4
    seen = [c["uuid"] for c in first["items"] + second["items"]]
    assert sorted(seen) == sorted(i["uuid"] for i in items)


def test_the_board_shows_each_agents_latest_state(server: Backend, actors: Actors) -> None:
    alice, bob = actors("agent"), actors("agent")
    call_uuid = new_uuid()
    # Sent out of order: the latest by start time wins, not the latest to arrive.
    latest = change(T0 + timedelta(minutes=5), state="ready", on_call=True, call_uuid=call_uuid)
    push(alice, "/agent-states/batch", [latest, change(T0, state="ready")])
    push(
        bob,
        "/agent-states/batch",
        [
            change(T0, state="ready"),
            change(T0 + timedelta(minutes=1), state="not_ready", reason="meeting"),
        ],
    )
    boss = actors("team_leader")
    board = boss.http.get("/agent-states")
    assert board.status_code == 200, board.text
    rows = {r["agent"]: r for r in board.json()}
    assert rows[alice.username]["uuid"] == latest["uuid"]
    assert (rows[alice.username]["state"], rows[alice.username]["on_call"]) == ("ready", True)
    assert rows[alice.username]["call_uuid"] == call_uuid
    assert (rows[bob.username]["state"], rows[bob.username]["reason"]) == ("not_ready", "meeting")
    only = boss.http.get("/agent-states", params={"agent": bob.username}).json()
    assert [r["agent"] for r in only] == [bob.username]
    # An agent sees only their own row.
    own = alice.http.get("/agent-states")
    assert [r["agent"] for r in own.json()] == [alice.username]
    assert alice.http.get("/agent-states", params={"agent": bob.username}).status_code == 403


def test_state_history_filters(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    base = T0 + timedelta(days=7)
    items = [
        change(base, state="ready"),
        change(base + timedelta(minutes=10), state="break", previous_state="ready"),
        change(base + timedelta(minutes=25), state="ready", previous_state="break"),
        change(base + timedelta(days=1), state="offline"),
    ]
    push(agent, "/agent-states/batch", items)
    boss = actors("manager")
    response = boss.http.get(
        "/agent-states/history",
        params={
            "agent": agent.username,
            "since": base.isoformat(),
            "until": (base + timedelta(hours=1)).isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 3
    assert [c["uuid"] for c in page["items"]] == [items[i]["uuid"] for i in (2, 1, 0)]
    breaks = boss.http.get(
        "/agent-states/history", params={"agent": agent.username, "state": "break"}
    ).json()
    assert [c["uuid"] for c in breaks["items"]] == [items[1]["uuid"]]
    mine = agent.http.get("/agent-states/history").json()
    assert mine["total"] == 4
    assert (
        agent.http.get("/agent-states/history", params={"agent": boss.username}).status_code == 403
    )


def test_a_seat_left_logged_out_for_days_still_reports(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    back = change(
        T0 + timedelta(days=12),
        state="not_ready",
        reason="login",
        previous_state="offline",
        previous_started_at=(T0 + timedelta(days=2)).isoformat(),
        previous_seconds=10 * 24 * 3600.0,
    )
    assert statuses(push(agent, "/agent-states/batch", [back])) == ["stored"]
    [row] = agent.http.get("/agent-states").json()
    assert (row["state"], row["previous_seconds"]) == ("not_ready", 864000.0)
