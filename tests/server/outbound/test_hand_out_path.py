"""POST /campaigns/{id}/next in batches (server/api/hand_out.py), over real HTTP on SQLite and
PostgreSQL: agents asking while a batch runs are served together in one transaction, never
two on one record; each request of a batch gets its own answer (a missing campaign, a token
that is not valid); and whatever is not a plain valid request gets the FastAPI route's own
answer, as before the batching."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa

from common.timestamps import iso
from server.core.security import stamp, token_digest
from server.tables import tokens, users
from tests.helpers.waiting import wait_until
from tests.server.outbound.clocked import MONDAY_10, ClockedServer, User
from tests.server.outbound.test_handout import next_of, phones

NOT_LOGGED_IN = "not logged in, or the session expired / 未登录或登录已过期"


@contextlib.contextmanager
def writes_held(app: ClockedServer) -> Iterator[None]:
    """Hold the server's hand-out: the first batch waits on this transaction until it ends,
    and requests arriving meanwhile queue for the next batch."""
    with app.db.write() as conn:  # SQLite: the app's own writer lock
        if not app.db.is_sqlite:
            conn.execute(sa.text("LOCK TABLE campaign_records IN EXCLUSIVE MODE"))
        yield


def in_one_batch(
    app: ClockedServer, first: tuple[httpx.Client, str], rest: list[tuple[httpx.Client, str]]
) -> list[httpx.Response]:
    """`first` is served alone while the hand-out is held; all of `rest` queue meanwhile and
    are then served as one batch. The replies, in the order asked."""
    batcher = app.app.state.hand_out
    batches = batcher.batches
    with ThreadPoolExecutor(1 + len(rest)) as pool:
        with writes_held(app):
            held = pool.submit(post, *first)
            wait_until(lambda: running(batcher, batches), 10, "a running batch")
            queued = [pool.submit(post, *ask) for ask in rest]
            wait_until(lambda: batcher.waiting == len(rest), 10, "the others queued")
        return [held.result(30)] + [f.result(30) for f in queued]


def running(batcher: Any, before: int) -> bool:
    """A batch started since `before` was counted, and nothing waits for the next one."""
    return bool(batcher.batches > before and not batcher.waiting)


def post(http: httpx.Client, path: str) -> httpx.Response:
    return http.post(path)


def test_agents_asking_at_once_are_served_together_and_never_share_a_record(
    app: ClockedServer,
) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    app.records(campaign["id"], phones(30, 100))
    agents = [app.user("agent") for _ in range(20)]  # tokens not yet seen: looked up in batch
    stranger = httpx.Client(base_url=app.url, headers={"Authorization": "Bearer no-such-token"})
    batcher = app.app.state.hand_out
    before = batcher.largest
    asks = [(a.http, f"/campaigns/{campaign['id']}/next") for a in agents]
    asks += [(agents[0].http, "/campaigns/999999/next"), (stranger, asks[0][1])]
    try:
        replies = in_one_batch(app, asks[0], asks[1:])
    finally:
        stranger.close()
    *handed, missing, unknown = replies
    assert batcher.largest >= len(asks) - 1 > before
    assert [r.status_code for r in handed] == [200] * len(agents), [r.text for r in handed]
    ids = [r.json()["record"]["id"] for r in handed]
    assert len(set(ids)) == len(agents)  # nobody got another agent's record
    for agent, record_id in zip(agents, ids, strict=True):
        row = app.record(record_id)
        assert row.locked_by == agent.id
    # Each request of the batch got its own answer.
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == NOT_LOGGED_IN
    assert unknown.headers["www-authenticate"] == "Bearer"
    # An agent asking again keeps the record held (a reply lost on the way), not a second one.
    assert next_of(agents[3], campaign["id"])["record"]["id"] == ids[3]


def test_in_one_batch_a_due_callback_goes_to_its_agent_and_a_repeat_gets_the_same_record(
    app: ClockedServer,
) -> None:
    manager, first, a, b = (app.user(role) for role in ("supervisor", "agent", "agent", "agent"))
    campaign = app.campaign(manager)
    ids = app.records(campaign["id"], phones(5, 300))
    app.set_record(ids[4], callback_agent_id=a.id, due_at=iso(MONDAY_10 - timedelta(minutes=5)))
    token = a.http.headers["Authorization"]
    path = f"/campaigns/{campaign['id']}/next"
    with httpx.Client(base_url=app.url, headers={"Authorization": token}) as a_again:
        got = in_one_batch(app, (first.http, path), [(h, path) for h in (a.http, b.http, a_again)])
    assert [r.status_code for r in got] == [200] * 4, [r.text for r in got]
    first_id, a_id, b_id, a_again_id = (r.json()["record"]["id"] for r in got)
    assert first_id == ids[0]  # the list in order for those without a callback
    assert a_id == ids[4] == a_again_id  # the callback to its agent; the repeat: the same one
    assert b_id == ids[1]
    assert app.record(ids[4]).locked_by == a.id


def test_in_one_batch_due_retries_come_first_then_records_never_tried(app: ClockedServer) -> None:
    # Two retries are due; the third agent finds none left and the ones after it go straight
    # to the records never tried (the batch does not ask again for what ran out).
    manager, *agents = (app.user(role) for role in ["supervisor"] + ["agent"] * 6)
    campaign = app.campaign(manager)
    ids = app.records(campaign["id"], phones(6, 400))
    for minutes, record_id in ((30, ids[4]), (60, ids[5])):
        due = iso(MONDAY_10 - timedelta(minutes=minutes))
        app.set_record(record_id, due_at=due, attempts_total=1, last_outcome="no_answer")
    path = f"/campaigns/{campaign['id']}/next"
    got = in_one_batch(app, (agents[0].http, path), [(a.http, path) for a in agents[1:]])
    assert [r.status_code for r in got] == [200] * 6, [r.text for r in got]
    handed = [r.json()["record"]["id"] for r in got]
    # The first (served alone) took the earliest due retry; the batch (in whatever order its
    # requests arrived) the other retry and the list, each record once.
    assert handed[0] == ids[5]
    assert sorted(handed[1:]) == sorted([ids[4], *ids[:4]])
    assert next_of(app.user("agent"), campaign["id"])["reason"] == "empty"


def test_in_one_batch_do_not_call_numbers_are_marked_and_passed_over(app: ClockedServer) -> None:
    # The batch takes its candidates together: the listed ones among them are marked 'dnc'
    # and their agents get the next free records instead.
    manager, *agents = (app.user(role) for role in ["supervisor"] + ["agent"] * 4)
    campaign = app.campaign(manager)
    numbers = phones(7, 700)
    ids = app.records(campaign["id"], numbers)
    for listed in (numbers[1], numbers[2], numbers[5]):
        added = manager.http.post("/campaigns/dnc", json={"phone": listed})
        assert added.status_code == 201, added.text
    path = f"/campaigns/{campaign['id']}/next"
    got = in_one_batch(app, (agents[0].http, path), [(a.http, path) for a in agents[1:]])
    assert [r.status_code for r in got] == [200] * 4, [r.text for r in got]
    handed = [r.json()["record"]["id"] for r in got]
    assert handed[0] == ids[0]
    assert sorted(handed[1:]) == [ids[3], ids[4], ids[6]]
    assert [app.record(ids[i]).status for i in (1, 2, 5)] == ["dnc"] * 3
    for agent, record_id in zip(agents, handed, strict=True):
        assert app.record(record_id).locked_by == agent.id


def revoke(app: ClockedServer, user: User) -> None:
    with app.db.write() as conn:
        conn.execute(tokens.update().where(tokens.c.user_id == user.id).values(revoked_at=stamp()))
    app.app.state.token_cache.evict(user_id=user.id)


def test_what_is_not_a_plain_valid_request_gets_the_routes_own_answer(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    app.records(campaign["id"], phones(3, 200))
    path = f"/campaigns/{campaign['id']}/next"
    agent = app.user("agent")
    assert next_of(agent, campaign["id"])["record"] is not None  # found, then cached
    token = agent.http.headers["Authorization"].removeprefix("Bearer ")
    assert app.app.state.token_cache.get(token_digest(token)) is not None

    revoke(app, agent)
    gone = agent.http.post(path)
    assert gone.status_code == 401 and gone.json()["detail"] == NOT_LOGGED_IN

    with httpx.Client(base_url=app.url) as anonymous:
        assert anonymous.post(path).status_code == 401
        basic = anonymous.post(path, headers={"Authorization": "Basic YWdlbnQ6eA=="})
        assert basic.status_code == 401

    # A user who must first replace a generated password: the route's 403, nothing handed.
    newcomer = app.user("agent")
    with app.db.write() as conn:
        conn.execute(
            users.update().where(users.c.id == newcomer.id).values(must_change_password=True)
        )
    refused = newcomer.http.post(path)
    assert refused.status_code == 403 and "请先修改初始密码" in refused.json()["detail"]
    refused_again = newcomer.http.post(path)  # now from the token cache: the same answer
    assert refused_again.status_code == 403

    # Not a campaign id the API knows: the route's validation (422) or 404, never a 500.
    assert agent.http.post("/campaigns/0/next").status_code in (401, 422)
    other = app.user("agent")
    assert other.http.post("/campaigns/99999999999999999999/next").status_code == 422
    assert other.http.post("/campaigns/0/next").status_code == 422
    assert other.http.get(path).status_code == 405  # only POST is the hand-out
    with app.db.read() as conn:
        held = conn.execute(
            sa.text("SELECT count(*) FROM campaign_records WHERE locked_by = :u"),
            {"u": newcomer.id},
        ).scalar_one()
    assert held == 0
