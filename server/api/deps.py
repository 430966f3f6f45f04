"""Typed dependencies: the database, the settings, the current user and role checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from server.core.config import ServerSettings
from server.core.db import Database
from server.core.identity import CurrentUser
from server.core.security import stamp, token_digest
from server.tables import tokens, users


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, and under load those hand-offs cost far more than the work.
async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


async def get_token_cache(request: Request) -> TokenCache:
    cache: TokenCache = request.app.state.token_cache
    return cache


class TokenCache:
    """Recently checked tokens, for `ttl_s` seconds: most requests skip the token query.

    Logout and user changes evict entries at once in this process; another app server behind
    the same database sees a revocation within `ttl_s`. Expiry is checked on every request.
    """

    def __init__(self, ttl_s: float = 5.0) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[str, tuple[CurrentUser, str, float]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> CurrentUser | None:
        with self._lock:
            entry = self._entries.get(digest)
        if entry is None:
            return None
        user, expires_at, checked = entry
        if time.monotonic() - checked > self.ttl_s or expires_at <= stamp():
            return None
        return user

    def put(self, digest: str, user: CurrentUser, expires_at: str) -> None:
        with self._lock:
            if len(self._entries) > 50_000:
                self._entries.clear()
            self._entries[digest] = (user, expires_at, time.monotonic())

    def evict(self, digest: str | None = None, user_id: int | None = None) -> None:
        with self._lock:
            if digest is not None:
                self._entries.pop(digest, None)
            if user_id is not None:
                for key in [k for k, v in self._entries.items() if v[0].id == user_id]:
                    del self._entries[key]


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
_bearer = HTTPBearer(auto_error=False)

UNAUTHORIZED = HTTPException(
    status.HTTP_401_UNAUTHORIZED,
    detail="not logged in, or the session expired / 未登录或登录已过期",
    headers={"WWW-Authenticate": "Bearer"},
)


async def current_user(
    request: Request,
    db: DbDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> CurrentUser:
    if credentials is None or not credentials.credentials:
        raise UNAUTHORIZED
    digest = token_digest(credentials.credentials)
    cache: TokenCache = request.app.state.token_cache
    cached = cache.get(digest)
    if cached is None:
        user, expires_at = await run_in_threadpool(_lookup_token, db, digest)
        cache.put(digest, user, expires_at)
    else:
        user = cached
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise MUST_CHANGE_PASSWORD
    return user


# What a user who must first replace a generated password may still do.
PASSWORD_CHANGE_PATHS = frozenset({"/auth/me", "/auth/logout", "/auth/password"})
MUST_CHANGE_PASSWORD = HTTPException(
    status.HTTP_403_FORBIDDEN,
    detail="change the generated password first / 请先修改初始密码",
)


def _lookup_token(db: Database, digest: str) -> tuple[CurrentUser, str]:
    with db.read() as conn:
        found = lookup_tokens(conn, [digest]).get(digest)
    if found is None:
        raise UNAUTHORIZED
    return found


def lookup_tokens(
    conn: sa.Connection, digests: Iterable[str]
) -> dict[str, tuple[CurrentUser, str]]:
    """The users of the tokens (by digest) that are valid now, with each token's expiry;
    a token unknown, revoked, expired or of a disabled user is left out."""
    rows = conn.execute(
        sa.select(
            tokens.c.token_hash,
            users.c.id,
            users.c.username,
            users.c.display_name,
            users.c.role,
            users.c.disabled,
            users.c.must_change_password,
            tokens.c.expires_at,
            tokens.c.revoked_at,
        )
        .join(users, users.c.id == tokens.c.user_id)
        .where(tokens.c.token_hash.in_(list(digests)))
    ).all()
    now = stamp()
    found: dict[str, tuple[CurrentUser, str]] = {}
    for row in rows:
        if row.revoked_at is not None or row.expires_at <= now or row.disabled:
            continue
        user = CurrentUser(
            row.id, row.username, row.display_name, row.role, bool(row.must_change_password)
        )
        found[row.token_hash] = (user, row.expires_at)
    return found


UserDep = Annotated[CurrentUser, Depends(current_user)]


async def bearer_token(
    _user: UserDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The raw token of this request, once `current_user` has found it valid."""
    assert credentials is not None
    return credentials.credentials


TokenDep = Annotated[str, Depends(bearer_token)]
CacheDep = Annotated["TokenCache", Depends(get_token_cache)]


def require(*roles: str) -> Callable[[CurrentUser], Awaitable[CurrentUser]]:
    """Dependency factory: the current user, who must hold one of `roles`."""

    async def check(user: UserDep) -> CurrentUser:
        if user.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"role '{user.role}' may not do this / 当前角色无此权限",
            )
        return user

    return check
