"""Admin: list, create, disable and change users (logic in server/services/users.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from server.api.deps import CacheDep, DbDep, require
from server.api.responses import AUTH, BAD_REQUEST, CONFLICT, NOT_FOUND
from server.core.identity import CurrentUser
from server.schemas import MAX_ID, UserCreate, UserOut, UserPatch
from server.services import users as service
from server.services.errors import BadRequest, Conflict, NotFound

router = APIRouter(prefix="/users", tags=["users"], responses=AUTH)
Admin = Annotated[CurrentUser, Depends(require("admin"))]


@router.get("", response_model=list[UserOut])
def list_users(_admin: Admin, db: DbDep) -> list[UserOut]:
    with db.read() as conn:
        return service.all_users(conn)


@router.post("", response_model=UserOut, status_code=201, responses=CONFLICT | BAD_REQUEST)
def add_user(body: UserCreate, _admin: Admin, db: DbDep) -> UserOut:
    try:
        with db.write() as conn:
            user_id = service.create_user(
                conn, body.username, body.password, body.role, body.display_name
            )
            return service.get_user(conn, user_id)
    except service.UserExists:
        raise Conflict("username taken / 用户名已存在") from None
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


@router.patch("/{user_id}", response_model=UserOut, responses=NOT_FOUND | BAD_REQUEST)
def change_user(
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: UserPatch,
    admin: Admin,
    db: DbDep,
    cache: CacheDep,
) -> UserOut:
    if user_id == admin.id and (body.disabled or (body.role and body.role != "admin")):
        raise BadRequest("you cannot lock yourself out / 不能停用自己的管理员账号")
    try:
        with db.write() as conn:
            if not service.update_user(conn, user_id, **body.model_dump(exclude_none=True)):
                raise NotFound("no such user / 用户不存在")
            out = service.get_user(conn, user_id)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    cache.evict(user_id=user_id)  # a role change, disabling or new password applies at once
    return out
