"""Small dialect-aware statements shared by the routers."""

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
