"""Login, logout, who-am-I and changing one's password (logic in server/services/login.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from server.api.deps import CacheDep, DbDep, SettingsDep, TokenDep, UserDep
from server.api.responses import AUTH, BAD_REQUEST, THROTTLED, UNAUTHORIZED
from server.core.security import token_digest
from server.schemas import LoginIn, LoginOut, PasswordChangeIn, UserOut
from server.services import login as service

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=LoginOut, responses=UNAUTHORIZED | THROTTLED)
def login(body: LoginIn, request: Request, db: DbDep, settings: SettingsDep) -> LoginOut:
    """Failed logins are slowed per (user, address) and per address (429 with Retry-After)."""
    address = request.client.host if request.client else "unknown"
    return service.login(db, settings, body.username, body.password, address[:64])


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=AUTH)
def logout(user: UserDep, token: TokenDep, db: DbDep, cache: CacheDep) -> None:
    """Revoke the token of this request."""
    cache.evict(digest=token_digest(token))
    service.logout(db, user, token)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, responses=AUTH | BAD_REQUEST)
def change_password(
    body: PasswordChangeIn,
    user: UserDep,
    token: TokenDep,
    db: DbDep,
    settings: SettingsDep,
    cache: CacheDep,
) -> None:
    """Replace one's own password; other sessions end, this one goes on."""
    service.change_password(db, settings, user, token, body.old_password, body.new_password)
    cache.evict(user_id=user.id)


@router.get("/me", response_model=UserOut, responses=AUTH)
def me(user: UserDep) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)
