"""Admin: list, create, disable and change users."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Path, status

from server.api.deps import CacheDep, CurrentUser, DbDep, require
from server.schemas import MAX_ID, UserCreate, UserOut, UserPatch
from server.tables import users
from server.users_service import UserExists, create_user, update_user

router = APIRouter(prefix="/users", tags=["users"])
Admin = Annotated[CurrentUser, Depends(require("admin"))]


def _out(row: Any) -> UserOut:
    return UserOut(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        disabled=bool(row.disabled),
    )


@router.get("", response_model=list[UserOut])
def list_users(_admin: Admin, db: DbDep) -> list[UserOut]:
    with db.read() as conn:
        return [_out(r) for r in conn.execute(sa.select(users).order_by(users.c.id))]


@router.post("", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def add_user(body: UserCreate, _admin: Admin, db: DbDep) -> UserOut:
    try:
        with db.write() as conn:
            user_id = create_user(conn, body.username, body.password, body.role, body.display_name)
            row = conn.execute(sa.select(users).where(users.c.id == user_id)).one()
    except UserExists:
        raise HTTPException(
            status.HTTP_409_CONFLICT, detail="username taken / 用户名已存在"
        ) from None
    return _out(row)


@router.patch("/{user_id}", response_model=UserOut)
def change_user(
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: UserPatch,
    admin: Admin,
    db: DbDep,
    cache: CacheDep,
) -> UserOut:
    if user_id == admin.id and (body.disabled or (body.role and body.role != "admin")):
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail="you cannot lock yourself out / 不能停用自己的管理员账号",
        )
    with db.write() as conn:
        if not update_user(conn, user_id, **body.model_dump(exclude_none=True)):
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such user / 用户不存在")
        row = conn.execute(sa.select(users).where(users.c.id == user_id)).one()
    cache.evict(user_id=user_id)  # a role change, disabling or new password applies at once
    return _out(row)
