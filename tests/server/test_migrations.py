"""Schema migrations: a fresh database reaches head; running them again changes nothing."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from server.core.db import MIGRATIONS_DIR, Database
from server.services.instance import read_instance_id
from server.services.users import create_user
from server.tables import call_records, metadata
from tests.helpers.postgres import backend_url


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head
    return head


@contextlib.contextmanager
def _empty_db(backend: str, tmp_path: Path) -> Iterator[Database]:
    with backend_url(backend, tmp_path / "fresh.db") as url:
        db = Database(url)
        try:
            yield db
        finally:
            db.dispose()


def test_migrate_twice_reaches_head(backend_name: str, tmp_path: Path) -> None:
    with _empty_db(backend_name, tmp_path) as db:
        with db.read() as conn:
            assert sa.inspect(conn).get_table_names() == []
        db.migrate()
        with db.write() as conn:
            create_user(conn, "first", "password-1", "admin")
        db.migrate()  # idempotent: no error, data kept
        with db.read() as conn:
            versions = (
                conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
            )
            tables = set(sa.inspect(conn).get_table_names())
            users = conn.execute(sa.text("SELECT username FROM users")).scalars().all()
        assert versions == [_head()]
        assert set(metadata.tables) <= tables
        assert users == ["first"]


def test_migrated_schema_matches_the_tables_module(backend_name: str, tmp_path: Path) -> None:
    """server/tables.py (what the code uses) and the migrations (what databases get) agree."""
    with _empty_db(backend_name, tmp_path) as db:
        db.migrate()
        with db.read() as conn:
            inspector = sa.inspect(conn)
            for name, table in metadata.tables.items():
                columns = {c["name"] for c in inspector.get_columns(name)}
                assert columns == {c.name for c in table.columns}, name
                indexes = {i["name"] for i in inspector.get_indexes(name)}
                assert {i.name for i in table.indexes} <= indexes, name


def test_migrated_indexes_are_exactly_the_declared_ones(backend_name: str, tmp_path: Path) -> None:
    """No index left over from an earlier form of a migration (0008's outbound indexes were
    changed before any release), none missing, each on the declared columns with the declared
    uniqueness. PostgreSQL lists a unique constraint's own index too: those are compared as
    the constraints they are."""
    with _empty_db(backend_name, tmp_path) as db:
        db.migrate()
        with db.read() as conn:
            inspector = sa.inspect(conn)
            for name, table in metadata.tables.items():
                indexes = {
                    i["name"]: (tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                    if not i.get("duplicates_constraint")
                }
                declared = {
                    i.name: (tuple(c.name for c in i.columns), bool(i.unique))
                    for i in table.indexes
                }
                assert indexes == declared, name
                uniques = {
                    tuple(sorted(u["column_names"])) for u in inspector.get_unique_constraints(name)
                }
                declared_uniques = {
                    tuple(sorted(c.name for c in constraint.columns))
                    for constraint in table.constraints
                    if isinstance(constraint, sa.UniqueConstraint)
                }
                assert uniques == declared_uniques, name


def _run(db: Database, action: str, revision: str) -> None:
    """alembic upgrade/downgrade to `revision` on db, the way Database.migrate runs it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.writer.connect() as conn:
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)
        conn.commit()


def test_0002_adds_the_call_tables_to_a_0001_database(backend_name: str, tmp_path: Path) -> None:
    """A server that ran 0001 with users in it upgrades in place, and 0002 downgrades cleanly."""
    with _empty_db(backend_name, tmp_path) as db:
        _run(db, "upgrade", "0001")
        with db.write() as conn:
            # The columns of 0001's users table (today's create_user writes later ones too).
            conn.execute(
                sa.text(
                    "INSERT INTO users (username, display_name, role, password_hash, disabled,"
                    " created_at) VALUES ('before', 'before', 'agent', 'x', false, '2025-01-01')"
                )
            )
            user_id = conn.execute(sa.text("SELECT id FROM users")).scalar_one()
        with db.read() as conn:
            assert not {"call_records", "agent_states"} & set(sa.inspect(conn).get_table_names())
        db.migrate()
        with db.write() as conn:
            conn.execute(
                call_records.insert().values(
                    uuid="00000000-0000-4000-8000-000000000001",
                    agent_id=user_id,
                    version=2**40,  # wider than 32 bits
                    direction="inbound",
                    started_at="2025-03-03T01:00:00.000+00:00",
                    ended_at="2025-03-03T01:01:00.000+00:00",
                    end_reason="answered",
                    received_at="2025-03-03T01:01:01.000+00:00",
                    updated_at="2025-03-03T01:01:01.000+00:00",
                )
            )
        with db.read() as conn:
            assert conn.execute(sa.select(call_records.c.version)).scalar() == 2**40
            assert conn.execute(sa.text("SELECT username FROM users")).scalars().all() == ["before"]
        _run(db, "downgrade", "0001")
        with db.read() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert not {"call_records", "agent_states"} & tables
        assert version == "0001" and "users" in tables
        db.migrate()
        with db.read() as conn:
            assert {"call_records", "agent_states"} <= set(sa.inspect(conn).get_table_names())


def test_0004_keeps_the_calls_of_a_0003_database(backend_name: str, tmp_path: Path) -> None:
    """Records pushed before 0004 read as 'no transfer, no end text'; 0004 downgrades cleanly."""
    with _empty_db(backend_name, tmp_path) as db:
        _run(db, "upgrade", "0003")
        with db.write() as conn:
            user_id = create_user(conn, "before", "password-1", "agent")
            conn.execute(
                sa.text(
                    "INSERT INTO call_records (uuid, agent_id, version, direction, started_at,"
                    " ended_at, end_reason, received_at, updated_at) VALUES"
                    " ('00000000-0000-4000-8000-000000000004', :agent, 2, 'inbound',"
                    " '2025-03-03T01:00:00.000+00:00', '2025-03-03T01:01:00.000+00:00',"
                    " 'answered', '2025-03-03T01:01:01.000+00:00',"
                    " '2025-03-03T01:01:01.000+00:00')"
                ),
                {"agent": user_id},
            )
        db.migrate()
        with db.read() as conn:
            row = conn.execute(sa.select(call_records)).one()
        assert (row.transfer_result, row.end_text, row.version) == ("", "", 2)
        _run(db, "downgrade", "0003")
        with db.read() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("call_records")}
            count = conn.execute(sa.text("SELECT count(*) FROM call_records")).scalar()
        assert not {"transfer_result", "end_text"} & columns and count == 1


def test_0006_gives_each_database_its_own_instance_id(backend_name: str, tmp_path: Path) -> None:
    """Made once with the database (an upgraded one included), kept by later migrations, and
    different for another database: what tells a client a server was replaced."""
    ids = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        with _empty_db(backend_name, tmp_path / name) as db:
            _run(db, "upgrade", "0005")
            db.migrate()
            first = read_instance_id(db)
            db.migrate()
            assert read_instance_id(db) == first
            uuid.UUID(first)
            ids.append(first)
            _run(db, "downgrade", "0005")
            with db.read() as conn:
                assert "server_instance" not in sa.inspect(conn).get_table_names()
    assert ids[0] != ids[1]


def test_0005_seeds_the_seven_business_lines_and_downgrades(
    backend_name: str, tmp_path: Path
) -> None:
    """Issue 11 #13: an upgraded database has the built-in lines the articles already carry."""
    with _empty_db(backend_name, tmp_path) as db:
        _run(db, "upgrade", "0004")
        _run(db, "upgrade", "0005")
        with db.read() as conn:
            rows = conn.execute(
                sa.text("SELECT code, name_zh, active, builtin FROM business_lines")
            ).all()
        assert len(rows) == 7
        assert ("telecom", "电信热线", True, True) in {
            (r.code, r.name_zh, bool(r.active), bool(r.builtin)) for r in rows
        }
        _run(db, "downgrade", "0004")
        with db.read() as conn:
            assert "business_lines" not in sa.inspect(conn).get_table_names()
