"""The center's taxonomies: anyone logged in reads them; an admin or the manager adds, renames
and deactivates business lines and the codes of the other lists (categories, wrap-up
categories, not-ready reasons, outbound outcomes); logic in server/services/taxonomy.py."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, Path

from common.center_codes import CATEGORY, CODE_KINDS, OUTCOME
from common.roles import TAXONOMY_EDITORS
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, CONFLICT, NOT_FOUND
from server.core.identity import CurrentUser
from server.schemas import (
    CATEGORY_PATTERN,
    CODE_PATTERN,
    LINE_CODE_PATTERN,
    BusinessLineIn,
    BusinessLineOut,
    BusinessLinePatch,
    CategoryCodeIn,
    CenterCodeIn,
    CenterCodeOut,
    CenterCodePatch,
    OutcomeCodeIn,
    OutcomeCodePatch,
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
ListKind = Annotated[
    Literal["wrap_up", "not_ready"], Path(description="wrap_up or not_ready (a plain list)")
]
ListCode = Annotated[str, Path(min_length=1, max_length=64, pattern=CODE_PATTERN)]
# A category's code is its path: it holds '/', so it is the URL's whole rest.
CategoryPath = Annotated[str, Path(min_length=1, max_length=200, pattern=CATEGORY_PATTERN)]


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


# Categories and outcomes have routes of their own (their codes and bodies differ); they are
# declared before the routes of the plain lists, which would take their paths otherwise.
@router.post("/codes/category", response_model=CenterCodeOut, status_code=201, responses=CONFLICT)
def add_category(body: CategoryCodeIn, editor: Editor, db: DbDep) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.create_code(conn, CATEGORY, body, editor)


@router.post("/codes/outcome", response_model=CenterCodeOut, status_code=201, responses=CONFLICT)
def add_outcome(body: OutcomeCodeIn, editor: Editor, db: DbDep) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.create_code(conn, OUTCOME, body, editor)


@router.post("/codes/{kind}", response_model=CenterCodeOut, status_code=201, responses=CONFLICT)
def add_code(kind: ListKind, body: CenterCodeIn, editor: Editor, db: DbDep) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.create_code(conn, kind, body, editor)


@router.patch(
    "/codes/category/{code:path}", response_model=CenterCodeOut, responses=NOT_FOUND | CONFLICT
)
def change_category(
    code: CategoryPath, body: CenterCodePatch, editor: Editor, db: DbDep
) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.change_code(conn, CATEGORY, code, body, editor)


@router.patch("/codes/outcome/{code}", response_model=CenterCodeOut, responses=NOT_FOUND | CONFLICT)
def change_outcome(
    code: ListCode, body: OutcomeCodePatch, editor: Editor, db: DbDep
) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.change_code(conn, OUTCOME, code, body, editor)


@router.patch("/codes/{kind}/{code}", response_model=CenterCodeOut, responses=NOT_FOUND | CONFLICT)
def change_code(
    kind: ListKind, code: ListCode, body: CenterCodePatch, editor: Editor, db: DbDep
) -> CenterCodeOut:
    with db.write(appends_changes=True) as conn:
        return service.change_code(conn, kind, code, body, editor)
