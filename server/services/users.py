"""Creating and changing users: shared by the admin API and `python main.py users`, so both
apply the same rules (usernames, stripped passwords, cleaned display names)."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common import passwords
from common.roles import ROLES
from server.core.security import hash_password, stamp
from server.core.text_rules import clean_name
from server.schemas import UserOut
from server.services.outbound import handout
from server.tables import tokens, users

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = passwords.MIN_LENGTH


class UserExists(Exception):
    pass


def tidy_password(password: str) -> str:
    """Outer spaces are dropped, as the API drops them from every login: a password set here
    with a trailing space would otherwise never match what a login sends."""
    password = password.strip()
    if len(password) < MIN_PASSWORD:
        raise ValueError(
            f"the password needs at least {MIN_PASSWORD} characters / 密码至少 {MIN_PASSWORD} 位"
        )
    return password


def to_out(row: Any) -> UserOut:
    return UserOut(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        disabled=bool(row.disabled),
    )


def create_user(
    conn: Connection,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    *,
    must_change_password: bool = False,
) -> int:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if not USERNAME.match(username):
        raise ValueError("a username is 1-64 letters, digits or _ . @ - / 用户名格式不正确")
    password = tidy_password(password)
    if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
        raise UserExists(username)
    result = conn.execute(
        users.insert().values(
            username=username,
            display_name=clean_name(display_name)[:100] or username,
            role=role,
            password_hash=hash_password(password),
            disabled=False,
            created_at=stamp(),
            must_change_password=must_change_password,
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
        values["password_hash"] = hash_password(tidy_password(password))
    if display_name is not None:
        values["display_name"] = clean_name(display_name)[:100]
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
    if disabled:
        # Their callbacks and the records they hold go to the other agents now.
        handout.hand_over(conn, user_id, stamp())
    return result.rowcount > 0


def get_user(conn: Connection, user_id: int) -> UserOut:
    return to_out(conn.execute(sa.select(users).where(users.c.id == user_id)).one())


def all_users(conn: Connection) -> list[UserOut]:
    return [to_out(r) for r in conn.execute(sa.select(users).order_by(users.c.id))]


def user_id_by_name(conn: Connection, username: str) -> int | None:
    row = conn.execute(sa.select(users.c.id).where(users.c.username == username)).first()
    return row.id if row else None
