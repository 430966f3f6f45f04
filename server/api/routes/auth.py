"""Login, logout and who-am-I. Failed logins for a user are slowed exponentially."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials

from server.api.deps import CacheDep, DbDep, SettingsDep, UserDep, _bearer
from server.core.security import (
    expiry,
    login_delay_s,
    new_token,
    now,
    stamp,
    token_digest,
    verify_password,
)
from server.db_helpers import insert_ignoring_duplicates
from server.schemas import LoginIn, LoginOut, UserOut
from server.tables import login_failures, tokens, users

router = APIRouter(prefix="/auth", tags=["auth"])
BAD_LOGIN = "wrong username or password / 用户名或密码错误"


@router.post("/login", response_model=LoginOut)
def login(body: LoginIn, db: DbDep, settings: SettingsDep) -> LoginOut:
    with db.read() as conn:
        failure = conn.execute(
            sa.select(login_failures).where(login_failures.c.username == body.username)
        ).first()
        user = conn.execute(sa.select(users).where(users.c.username == body.username)).first()
    if failure is not None:
        wait = login_delay_s(
            failure.failures, settings.login_free_failures, settings.login_max_delay_s
        )
        elapsed = (now() - _parse(failure.last_failure_at)).total_seconds()
        if elapsed < wait:
            retry = max(1, int(wait - elapsed))
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"too many failed logins; try again in {retry} s / 登录失败次数过多，请 {retry} 秒后再试",
                headers={"Retry-After": str(retry)},
            )
    ok = verify_password(user.password_hash if user else None, body.password)
    if not ok or user is None:
        # Committed before the 401 goes out: the count must survive the refusal.
        with db.write() as conn:
            first = insert_ignoring_duplicates(
                conn,
                login_failures,
                {"username": body.username, "failures": 1, "last_failure_at": stamp()},
                key="username",
            )
            if not first:
                conn.execute(
                    login_failures.update()
                    .where(login_failures.c.username == body.username)
                    .values(failures=login_failures.c.failures + 1, last_failure_at=stamp())
                )
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=BAD_LOGIN)
    if user.disabled:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="account disabled / 账号已停用")
    with db.write() as conn:
        conn.execute(login_failures.delete().where(login_failures.c.username == body.username))
        token = new_token()
        expires = expiry(settings.token_ttl_s)
        conn.execute(
            tokens.insert().values(
                token_hash=token_digest(token),
                user_id=user.id,
                created_at=stamp(),
                expires_at=expires,
            )
        )
    return LoginOut(
        token=token,
        expires_at=expires,
        user=UserOut.model_validate(
            {
                "id": user.id,
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role,
            }
        ),
    )


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    user: UserDep,
    db: DbDep,
    cache: CacheDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Revoke the token of this request (`user` has already proved it valid)."""
    assert credentials is not None
    cache.evict(digest=token_digest(credentials.credentials))
    with db.write() as conn:
        conn.execute(
            tokens.update()
            .where(tokens.c.token_hash == token_digest(credentials.credentials))
            .where(tokens.c.user_id == user.id)
            .values(revoked_at=stamp())
        )


@router.get("/me", response_model=UserOut)
def me(user: UserDep) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)
