"""The hand-out's statements find their rows through an index on a real SQLite file, as a new
center's database has it (no planner statistics): none reads the campaign's records one by one.

Found by profiling bench/campaign.py: "the records these agents hold already" went through
campaign_records_due (every pending record of the campaign) instead of the index on locked_by,
and a 100,000-record list cost every next-record request a scan of all of it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from server.core.db import Database
from server.services.outbound.handout import _SQL

PARAMS = {
    "agent": 1,
    "agent0": 1,
    "agent1": 2,
    "i0": 1,
    "i1": 2,
    "k": 2,
    "campaign": 1,
    "now": "0",
    "until": "1",
}


def plan(db: Database, statement: str) -> list[str]:
    with db.read() as conn:
        rows = conn.execute(sa.text("EXPLAIN QUERY PLAN " + statement), PARAMS).all()
    return [str(row[3]) for row in rows]


def test_every_hand_out_statement_searches_an_index(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    db.migrate()
    try:
        sql = _SQL[False]
        statements = {
            "held": sql.held.replace("{agents}", ":agent0, :agent1"),
            "callbacks_due": sql.callbacks_due,
            **{f"callback{i}": s for i, s in enumerate(sql.callbacks)},
            **{f"candidates{i}": s for i, s in enumerate(sql.candidates)},
            "take": sql.take.replace(
                "{agents}", "WHEN :i0 THEN :agent0 WHEN :i1 THEN :agent1"
            ).replace("{ids}", ":i0, :i1"),
        }
        for name, statement in statements.items():
            steps = plan(db, statement)
            records = [s for s in steps if "campaign_records" in s]
            assert records, (name, steps)
            for step in records:
                assert step.startswith("SEARCH"), (name, steps)  # never SCAN campaign_records
        held = plan(db, statements["held"])
        assert any("campaign_records_locked (locked_by=?" in s for s in held), held
    finally:
        db.dispose()
