"""The server's instance id (made once with the database by migration 0006): what a client
compares to know it still talks to the server its feed checkpoint came from."""

from __future__ import annotations

import sqlalchemy as sa

from server.core.db import Database
from server.tables import server_instance


def read_instance_id(db: Database) -> str:
    with db.read() as conn:
        value = conn.execute(sa.select(server_instance.c.id)).scalars().first()
    if value is None:  # the migration always makes the row; only a hand-edited database lacks it
        raise RuntimeError("the database has no server instance id (run the migrations)")
    return str(value)
