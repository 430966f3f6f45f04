"""The center's taxonomies: anyone logged in reads them; an admin or the manager adds, renames
and deactivates business lines (logic in server/services/taxonomy.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from common.roles import TAXONOMY_EDITORS
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, CONFLICT, NOT_FOUND
from server.core.identity import CurrentUser
from server.schemas import (
    LINE_CODE_PATTERN,
    BusinessLineIn,
    BusinessLineOut,
    BusinessLinePatch,
    TaxonomyOut,
)
from server.services import taxonomy as service

router = APIRouter(prefix="/taxonomy", tags=["taxonomy"], responses=AUTH)
Editor = Annotated[CurrentUser, Depends(require(*TAXONOMY_EDITORS))]
Code = Annotated[str, Path(min_length=1, max_length=32, pattern=LINE_CODE_PATTERN)]


@router.get("", response_model=TaxonomyOut)
def get_taxonomy(_user: UserDep, db: DbDep) -> TaxonomyOut:
    with db.read() as conn:
        return TaxonomyOut(
            business_lines=service.all_lines(conn), categories=service.categories_in_use(conn)
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
