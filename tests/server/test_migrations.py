"""Schema migrations: a fresh database reaches head; running them again changes nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from server.core.db import MIGRATIONS_DIR, Database
from server.tables import metadata
from server.users_service import create_user
from tests.helpers.postgres import fresh_database


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head
    return head


@contextlib.contextmanager
def _empty_db(backend: str, tmp_path: Path) -> Iterator[Database]:
    url_cm = (
        contextlib.nullcontext(f"sqlite:///{tmp_path / 'fresh.db'}")
        if backend == "sqlite"
        else fresh_database()
    )
    with url_cm as url:
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
