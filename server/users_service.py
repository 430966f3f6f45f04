"""Creating and changing users: shared by the admin API and `python main.py users`."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.core.security import ROLES, hash_password, stamp
from server.tables import tokens, users


class UserExists(Exception):
    pass


def create_user(
    conn: Connection, username: str, password: str, role: str, display_name: str = ""
) -> int:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
        raise UserExists(username)
    result = conn.execute(
        users.insert().values(
            username=username,
            display_name=display_name or username,
            role=role,
            password_hash=hash_password(password),
            disabled=False,
            created_at=stamp(),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def update_user(
    conn: Connection,
    user_id: int,
    *,
    disabled: bool | None = None,
    role: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
) -> bool:
    values: dict[str, object] = {}
    if disabled is not None:
        values["disabled"] = disabled
    if role is not None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        values["role"] = role
    if password is not None:
        values["password_hash"] = hash_password(password)
    if display_name is not None:
        values["display_name"] = display_name
    if not values:
        return bool(conn.execute(sa.select(users.c.id).where(users.c.id == user_id)).first())
    result = conn.execute(users.update().where(users.c.id == user_id).values(**values))
    if disabled or password is not None:
        # A disabled user or a changed password ends every open session at once.
        conn.execute(
            tokens.update()
            .where(tokens.c.user_id == user_id)
            .where(tokens.c.revoked_at.is_(None))
            .values(revoked_at=stamp())
        )
    return result.rowcount > 0


def user_id_by_name(conn: Connection, username: str) -> int | None:
    row = conn.execute(sa.select(users.c.id).where(users.c.username == username)).first()
    return row.id if row else None
