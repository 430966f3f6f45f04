"""The hand-out's caches never serve a stale policy: the campaign's calling hours and the
center's holiday overrides are parsed once per stored value (server/services/outbound/
handout.py), so an edit must apply on the very next request, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib

import httpx
import pytest
import sqlalchemy as sa

from tests.server.outbound.clocked import ClockedServer
from tests.server.outbound.test_handout import china, next_of, phones

MORNING_ONLY = {"days": [[["09:00", "12:00"]] for _ in range(7)]}
AFTERNOON_TOO = {"days": [[["09:00", "12:00"], ["13:00", "18:00"]] for _ in range(7)]}


def test_edited_calling_hours_apply_on_the_next_request(app: ClockedServer) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager, calling_hours=MORNING_ONLY)
    app.records(campaign["id"], phones(2, 900))
    app.clock.now = china("2026-09-14", "14:00")  # a Monday afternoon
    assert next_of(app.user("agent"), campaign["id"])["reason"] == "outside_hours"
    edited = manager.http.patch(
        f"/campaigns/{campaign['id']}", json={"calling_hours": AFTERNOON_TOO}
    )
    assert edited.status_code == 200, edited.text
    assert next_of(app.user("agent"), campaign["id"])["record"] is not None
    # And back: the morning-only hours are not served from before the first edit's cache.
    back = manager.http.patch(f"/campaigns/{campaign['id']}", json={"calling_hours": MORNING_ONLY})
    assert back.status_code == 200, back.text
    assert next_of(app.user("agent"), campaign["id"])["reason"] == "outside_hours"


def test_a_changed_override_of_the_same_day_applies_on_the_next_request(
    app: ClockedServer,
) -> None:
    manager = app.user("supervisor")
    campaign = app.campaign(manager)
    app.records(campaign["id"], phones(2, 950))
    app.clock.now = china("2026-09-19", "10:00")  # an ordinary Saturday: no weekend hours

    def override(kind: str) -> None:
        body = {"overrides": [{"day": "2026-09-19", "kind": kind, "note": ""}]}
        assert manager.http.put("/campaigns/calendar", json=body).status_code == 200

    try:
        assert next_of(app.user("agent"), campaign["id"])["reason"] == "closed_day"
        override("workday")  # calls like a Monday
        assert next_of(app.user("agent"), campaign["id"])["record"] is not None
        override("closed")  # the same day, another kind: another calendar
        assert next_of(app.user("agent"), campaign["id"])["reason"] == "closed_day"
        override("workday")
        assert next_of(app.user("agent"), campaign["id"])["record"] is not None
    finally:
        assert manager.http.put("/campaigns/calendar", json={"overrides": []}).status_code == 200
    assert next_of(app.user("agent"), campaign["id"])["reason"] == "closed_day"


@pytest.mark.parametrize(
    "clocked", ["postgresql"], indirect=True
)  # a server that drops connections
def test_a_dropped_database_connection_costs_one_request(app: ClockedServer) -> None:
    """The hand-out runs on the driver's cursor; its errors still go through SQLAlchemy's
    handling, so connections PostgreSQL dropped are replaced after the first failure instead
    of failing once each (the Database has no pre-ping)."""
    manager, agent = app.user("supervisor"), app.user("agent")
    campaign = app.campaign(manager)
    app.records(campaign["id"], phones(8, 990))
    assert next_of(agent, campaign["id"])["record"] is not None  # the token is cached now
    with contextlib.ExitStack() as stack:  # several pooled connections, all to be dropped
        for _ in range(5):
            stack.enter_context(app.db.read()).execute(sa.text("SELECT 1"))
    admin = sa.create_engine(app.db.url, poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            dropped = conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        admin.dispose()
    assert dropped >= 5
    codes: list[int | str] = []
    for _ in range(6):
        try:
            codes.append(agent.http.post(f"/campaigns/{campaign['id']}/next").status_code)
        except httpx.HTTPError as exc:  # the keep-alive connection a 500 closed
            codes.append(type(exc).__name__)
    assert codes.count(500) == 1, codes  # the one that found the pool's connections dropped
    assert codes[-3:] == [200, 200, 200], codes
