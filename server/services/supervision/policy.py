"""The center's supervision policy, kept in center_settings (one row per setting, JSON value;
no row: the default): whether the agent's window says that a call is monitored (issue 14:
"only if the center's policy says so"; default off). An admin or the manager changes it;
every seat reads it with the grant key at login (GET /supervision/public-key)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.supervision import SupervisionPolicy
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import insert_missing
from server.tables import center_settings

SHOW_MONITORED = "show_monitored_to_agent"


def read(conn: Connection) -> SupervisionPolicy:
    row = conn.execute(
        sa.select(center_settings.c.value, center_settings.c.updated_at).where(
            center_settings.c.name == SHOW_MONITORED
        )
    ).first()
    if row is None:
        return SupervisionPolicy()
    return SupervisionPolicy(
        show_monitored=json.loads(row.value) is True, updated_at=row.updated_at
    )


def change(conn: Connection, user: CurrentUser, show_monitored: bool) -> SupervisionPolicy:
    values = {"value": json.dumps(show_monitored), "updated_at": stamp(), "updated_by": user.id}
    # The row is made once (two admins at once: the first insert wins, neither fails), then set.
    insert_missing(conn, center_settings, {"name": SHOW_MONITORED, **values}, ("name",))
    conn.execute(
        center_settings.update().where(center_settings.c.name == SHOW_MONITORED).values(values)
    )
    return read(conn)
