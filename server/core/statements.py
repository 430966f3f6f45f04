"""Small dialect-aware statements shared by the services."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_ignoring_duplicates(
    conn: Connection, table: sa.Table, values: dict[str, Any], key: str
) -> bool:
    """INSERT ... ON CONFLICT (key) DO NOTHING; True when a row was inserted.

    Decided by RETURNING, not rowcount: psycopg reports -1 for an insert that returns rows.
    """
    dialect = conn.dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = (
            postgresql.insert(table).values(**values).on_conflict_do_nothing(index_elements=[key])
        )
    else:
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=[key])
    return conn.execute(stmt.returning(table.c[key])).first() is not None


def insert_missing(
    conn: Connection, table: sa.Table, values: dict[str, Any], keys: tuple[str, ...]
) -> None:
    """INSERT ... ON CONFLICT (keys) DO NOTHING: make sure a row exists, first writer wins."""
    conn.execute(
        _dialect_insert(conn, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(keys))
    )


def _dialect_insert(conn: Connection, table: sa.Table) -> Any:
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


def upsert_newer(
    conn: Connection,
    table: sa.Table,
    values: dict[str, Any],
    *,
    key: str = "uuid",
    version: str = "version",
    owner: str = "agent_id",
    keep: tuple[str, ...] = ("received_at",),
) -> str:
    """Insert a versioned record, or replace the stored one when this version is higher and the
    owner the same, in one statement (safe against concurrent pushes of the same key).

    Returns 'stored', 'duplicate' (the stored version is the same or newer) or 'foreign' (the
    key belongs to another owner; nothing changes). Columns in `keep` keep their first value.
    """
    insert = _dialect_insert(conn, table).values(**values)
    changes = {c: insert.excluded[c] for c in values if c not in (key, owner, *keep)}
    stmt = insert.on_conflict_do_update(
        index_elements=[key],
        set_=changes,
        where=sa.and_(
            table.c[version] < insert.excluded[version],
            table.c[owner] == insert.excluded[owner],
        ),
    )
    if conn.execute(stmt.returning(table.c[key])).first() is not None:
        return "stored"
    return owned_or_foreign(conn, table, values, key=key, owner=owner)


def owned_or_foreign(
    conn: Connection, table: sa.Table, values: dict[str, Any], *, key: str, owner: str
) -> str:
    """For a key already stored: 'duplicate' if it is this owner's, 'foreign' if another's."""
    stored_owner = conn.execute(
        sa.select(table.c[owner]).where(table.c[key] == values[key])
    ).scalar()
    return "duplicate" if stored_owner == values[owner] else "foreign"
