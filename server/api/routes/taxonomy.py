"""The center's taxonomies: anyone logged in reads them; an admin or the manager adds, renames
and deactivates business lines and the codes of the other lists (categories, wrap-up
categories, not-ready reasons, outbound outcomes); logic in server/services/taxonomy.py."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, Path

from common.center_codes import CODE_KINDS
from common.roles import TAXONOMY_EDITORS
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, CONFLICT, INVALID, NOT_FOUND
from server.core.identity import CurrentUser
from server.schemas import (
    LINE_CODE_PATTERN,
    BusinessLineIn,
    BusinessLineOut,
    BusinessLinePatch,
    CenterCodeIn,
    CenterCodeOut,
    CenterCodePatch,
    TaxonomyOut,
)
from server.services import taxonomy as service

router = APIRouter(prefix="/taxonomy", tags=["taxonomy"], responses=AUTH)
Editor = Annotated[CurrentUser, Depends(require(*TAXONOMY_EDITORS))]
Code = Annotated[str, Path(min_length=1, max_length=32, pattern=LINE_CODE_PATTERN)]
# The list a code belongs to; a category's code is its path, so it may hold '/'.
KindName = Literal["category", "wrap_up", "not_ready", "outcome"]
assert set(get_args(KindName)) == set(CODE_KINDS)  # one list of kinds, spelled twice for typing
Kind = Annotated[KindName, Path(description="the list: " + ", ".join(CODE_KINDS))]
# Any code as stored (a category path holds '/'); control characters never are (PostgreSQL
# could not even compare a NUL).
AnyCode = Annotated[str, Path(min_length=1, max_length=200, pattern="^[^\\x00-\\x1f\\x7f]+$")]


@router.get("", response_model=TaxonomyOut)
def get_taxonomy(_user: UserDep, db: DbDep) -> TaxonomyOut:
    with db.read() as conn:
        return TaxonomyOut(
            business_lines=service.all_lines(conn),
            categories=service.categories_in_use(conn),
            codes=service.all_codes(conn),
        )


@router.get("/business-lines", response_model=list[BusinessLineOut])
def list_business_lines(_user: UserDep, db: DbDep) -> list[BusinessLineOut]:
    with db.read() as conn:
        return service.all_lines(conn)


@router.post("/business-lines", response_model=BusinessLineOut, status_code=201, responses=CONFLICT)
def add_business_line(body: BusinessLineIn, editor: Editor, db: DbDep) -> BusinessLineOut:
    with db.write(appends_changes=True) as conn:
        return service.create_line(conn, body, editor)


@router.patch(
    "/business-lines/{code}", response_model=BusinessLineOut, responses=NOT_FOUND | CONFLICT
)
def change_business_line(
    code: Code, body: BusinessLinePatch, editor: Editor, db: DbDep
) -> BusinessLineOut:
    with db.write(appends_changes=True) as conn:
        return service.change_line(conn, code, body, editor)


@router.get("/codes/{kind}", response_model=list[CenterCodeOut])
def list_codes(kind: Kind, _user: UserDep, db: DbDep) -> list[CenterCodeOut]:
    with db.read() as conn:
        return service.all_codes(conn)[kind]


@router.post(
    "/codes/{kind}",
    response_model=CenterCodeOut,
    status_code=201,
    responses=CONFLICT | INVALID,
)
def add_code(kind: Kind, body: CenterCodeIn, editor: Editor, db: DbDep) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.create_code(conn, kind, body, editor)


@router.patch(
    "/codes/{kind}/{code:path}",
    response_model=CenterCodeOut,
    responses=NOT_FOUND | CONFLICT | INVALID,
)
def change_code(
    kind: Kind, code: AnyCode, body: CenterCodePatch, editor: Editor, db: DbDep
) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.change_code(conn, kind, code, body, editor)
