"""Typed dependencies: the database, the settings, the current user and role checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.core.config import ServerSettings
from server.core.db import Database
from server.core.security import stamp, token_digest
from server.tables import tokens, users


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str
    role: str

    def has(self, roles: tuple[str, ...]) -> bool:
        return self.role in roles


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> ServerSettings:
    return request.app.state.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
_bearer = HTTPBearer(auto_error=False)

UNAUTHORIZED = HTTPException(
    status.HTTP_401_UNAUTHORIZED,
    detail="not logged in, or the session expired / 未登录或登录已过期",
    headers={"WWW-Authenticate": "Bearer"},
)


def current_user(
    db: DbDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> CurrentUser:
    if credentials is None or not credentials.credentials:
        raise UNAUTHORIZED
    digest = token_digest(credentials.credentials)
    with db.read() as conn:
        row = conn.execute(
            sa.select(
                users.c.id,
                users.c.username,
                users.c.display_name,
                users.c.role,
                users.c.disabled,
                tokens.c.expires_at,
                tokens.c.revoked_at,
            )
            .join(users, users.c.id == tokens.c.user_id)
            .where(tokens.c.token_hash == digest)
        ).first()
    if row is None or row.revoked_at is not None or row.expires_at <= stamp() or row.disabled:
        raise UNAUTHORIZED
    return CurrentUser(row.id, row.username, row.display_name, row.role)


UserDep = Annotated[CurrentUser, Depends(current_user)]


def require(*roles: str) -> Callable[[CurrentUser], CurrentUser]:
    """Dependency factory: the current user, who must hold one of `roles`."""

    def check(user: UserDep) -> CurrentUser:
        if user.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"role '{user.role}' may not do this / 当前角色无此权限",
            )
        return user

    return check
