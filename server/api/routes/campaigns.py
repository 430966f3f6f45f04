"""Outbound campaigns (issue 12, docs/outbound.md "Routes"): thin routes over
server/services/outbound/.

Anyone logged in reads campaigns (agents: the active ones), asks for the next record, renews
or releases their own lock, posts attempts and reads their callbacks; supervisors, managers
and admins create and edit campaigns, import lists, read progress and reports, and keep the
do-not-call lists, the holiday overrides and the surveys.

'Now' is the app's clock (`app.state.clock`, the server's UTC clock unless a test set its own),
so tests move time for the hand-out, the retry engine and the callbacks.

Static paths come before '/{campaign_id}' paths so '/campaigns/callbacks' is never read as an id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, Response, UploadFile

from common.outbound import (
    UUID_PATTERN,
    CalendarReply,
    Callback,
    Campaign,
    CampaignReport,
    DncNumber,
    ImportPreview,
    ImportReport,
    LockReply,
    NextRecordReply,
    Progress,
    Survey,
)
from common.roles import SURVEY_EDITORS
from common.timestamps import Clock
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, CONFLICT, INVALID, NOT_FOUND, TOO_LARGE
from server.core import security
from server.core.identity import CurrentUser
from server.schemas import (
    MAX_ID,
    BatchIn,
    BatchOut,
    CalendarWrite,
    CampaignChange,
    CampaignCreate,
    ChinaDay,
    DncCreate,
    SurveyWrite,
)
from server.services.errors import Invalid, NotFound
from server.services.outbound import attempts, dnc, handout, import_rows, list_import, report
from server.services.outbound import campaigns as service
from server.services.outbound import surveys as survey_service
from server.services.outbound.calendar import china_day
from server.services.outbound.campaigns import MANAGERS, load_calendar

router = APIRouter(prefix="/campaigns", tags=["campaigns"], responses=AUTH)
Manager = Annotated[CurrentUser, Depends(require(*MANAGERS))]
SurveyEditor = Annotated[CurrentUser, Depends(require(*SURVEY_EDITORS))]
CampaignId = Annotated[int, Path(ge=1, le=MAX_ID)]
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
Day = Annotated[ChinaDay | None, Query(description="China-time day")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def get_clock(request: Request) -> Clock:
    clock: Clock = getattr(request.app.state, "clock", None) or security.now
    return clock


ClockDep = Annotated[Clock, Depends(get_clock)]


def _now(clock: Clock) -> datetime:
    return clock()


# -- campaigns ------------------------------------------------------------------------------------
@router.get("", response_model=list[Campaign])
def list_campaigns(user: UserDep, db: DbDep, clock: ClockDep) -> list[Campaign]:
    with db.read() as conn:
        manages = user.has(MANAGERS)
        # Agents get the active campaigns, without the record counts (a count over every
        # record of every campaign, wanted only by the supervisors' screens).
        found = service.list_campaigns(conn, active_only=not manages, with_counts=manages)
        # With the center's overrides from today on: the window's callback picker uses them.
        overrides = service.list_overrides(conn, since=china_day(_now(clock)))
    return [c.model_copy(update={"holiday_overrides": overrides}) for c in found]


@router.post("", response_model=Campaign, status_code=201, responses=CONFLICT | INVALID)
def create_campaign(body: CampaignCreate, manager: Manager, db: DbDep) -> Campaign:
    with db.write() as conn:
        return service.create_campaign(conn, body, manager)


# -- the agent's work: attempts and callbacks -----------------------------------------------------
@router.post("/attempts/batch", response_model=BatchOut)
def push_attempts(body: BatchIn, user: UserDep, db: DbDep, clock: ClockDep) -> BatchOut:
    """The outbox kind 'campaign_attempt': one acknowledgement per item (idempotent by uuid)."""
    now = _now(clock)
    with db.write() as conn:
        calendar = load_calendar(conn)
        return BatchOut(results=attempts.push(conn, user, body.items, now, calendar))


@router.get("/callbacks", response_model=list[Callback])
def list_callbacks(
    user: UserDep,
    db: DbDep,
    clock: ClockDep,
    mine: Annotated[bool, Query(description="only my own (not those open to anyone)")] = True,
) -> list[Callback]:
    with db.read() as conn:
        return handout.callbacks(conn, user, _now(clock), mine_only=mine)


@router.post(
    "/records/{record_id:int}/renew", response_model=LockReply, responses=NOT_FOUND | CONFLICT
)
def renew_lock(record_id: RecordId, user: UserDep, db: DbDep, clock: ClockDep) -> LockReply:
    with db.write() as conn:
        return handout.renew(conn, record_id, user, _now(clock))


@router.post("/records/{record_id:int}/release", response_model=LockReply, responses=NOT_FOUND)
def release_lock(record_id: RecordId, user: UserDep, db: DbDep, clock: ClockDep) -> LockReply:
    with db.write() as conn:
        return handout.release(conn, record_id, user, _now(clock))


# -- do-not-call numbers --------------------------------------------------------------------------
@router.get("/dnc", response_model=list[DncNumber])
def list_dnc(
    _manager: Manager,
    db: DbDep,
    campaign_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[DncNumber]:
    with db.read() as conn:
        return dnc.list_numbers(conn, campaign_id, limit, offset)


@router.post("/dnc", response_model=DncNumber, status_code=201, responses=NOT_FOUND | INVALID)
def add_dnc(body: DncCreate, manager: Manager, db: DbDep) -> DncNumber:
    with db.write() as conn:
        return dnc.add_number(conn, body, manager)


@router.delete("/dnc/{dnc_id:int}", status_code=204, responses=NOT_FOUND)
def remove_dnc(dnc_id: Annotated[int, Path(ge=1, le=MAX_ID)], _manager: Manager, db: DbDep) -> None:
    with db.write() as conn:
        dnc.remove_number(conn, dnc_id)


# -- the holiday overrides ------------------------------------------------------------------------
@router.get("/calendar", response_model=CalendarReply)
def get_calendar(_manager: Manager, db: DbDep) -> CalendarReply:
    with db.read() as conn:
        return CalendarReply(overrides=service.list_overrides(conn))


@router.put("/calendar", response_model=CalendarReply, responses=INVALID)
def put_calendar(body: CalendarWrite, manager: Manager, db: DbDep) -> CalendarReply:
    overrides = [item.wire() for item in body.overrides]
    with db.write() as conn:
        return CalendarReply(overrides=service.replace_overrides(conn, overrides, manager))


# -- surveys --------------------------------------------------------------------------------------
SurveyUuid = Annotated[str, Path(min_length=36, max_length=36, pattern=UUID_PATTERN)]


@router.get("/surveys", response_model=list[Survey])
def list_surveys(_user: UserDep, db: DbDep) -> list[Survey]:
    with db.read() as conn:
        return survey_service.list_surveys(conn)


@router.get("/surveys/{survey_uuid}", response_model=Survey, responses=NOT_FOUND)
def get_survey(survey_uuid: SurveyUuid, _user: UserDep, db: DbDep) -> Survey:
    with db.read() as conn:
        return survey_service.get_survey(conn, survey_uuid)


@router.post("/surveys", response_model=Survey, status_code=201, responses=CONFLICT | INVALID)
def create_survey(body: SurveyWrite, editor: SurveyEditor, db: DbDep) -> Survey:
    with db.write() as conn:
        return survey_service.create_survey(conn, body, editor)


@router.put("/surveys/{survey_uuid}", response_model=Survey, responses=NOT_FOUND | INVALID)
def change_survey(
    survey_uuid: SurveyUuid, body: SurveyWrite, editor: SurveyEditor, db: DbDep
) -> Survey:
    with db.write() as conn:
        return survey_service.change_survey(conn, survey_uuid, body, editor)


# -- one campaign ---------------------------------------------------------------------------------
@router.get("/{campaign_id:int}", response_model=Campaign, responses=NOT_FOUND)
def get_campaign(campaign_id: CampaignId, user: UserDep, db: DbDep) -> Campaign:
    with db.read() as conn:
        campaign = service.get_campaign(conn, campaign_id, with_counts=user.has(MANAGERS))
    if campaign.status != service.ACTIVE and not user.has(MANAGERS):
        # Agents know active campaigns only.
        raise NotFound(f"no campaign {campaign_id} / 没有编号为 {campaign_id} 的外呼活动")
    return campaign


@router.patch(
    "/{campaign_id:int}", response_model=Campaign, responses=NOT_FOUND | CONFLICT | INVALID
)
def change_campaign(
    campaign_id: CampaignId, body: CampaignChange, _manager: Manager, db: DbDep
) -> Campaign:
    with db.write() as conn:
        return service.change_campaign(conn, campaign_id, body)


@router.post("/{campaign_id:int}/next", response_model=NextRecordReply, responses=NOT_FOUND)
def next_record(
    campaign_id: CampaignId, user: UserDep, db: DbDep, clock: ClockDep
) -> NextRecordReply:
    """The next record for the caller, locked to them; or none and why."""
    now = _now(clock)
    with db.write() as conn:
        # calendar None: read with the campaign in one statement, cached by its content.
        return handout.next_record(conn, campaign_id, user, now, None, skip_locked=not db.is_sqlite)


@router.get("/{campaign_id:int}/progress", response_model=Progress, responses=NOT_FOUND)
def get_progress(campaign_id: CampaignId, _manager: Manager, db: DbDep) -> Progress:
    with db.read() as conn:
        return report.progress(conn, campaign_id)


@router.get(
    "/{campaign_id:int}/report", response_model=CampaignReport, responses=NOT_FOUND | INVALID
)
def get_report(
    campaign_id: CampaignId, _manager: Manager, db: DbDep, day: Day = None
) -> CampaignReport:
    with db.read() as conn:
        return report.campaign_report(conn, campaign_id, day.isoformat() if day else None)


@router.get(
    "/{campaign_id:int}/report.xlsx",
    response_class=Response,
    responses=NOT_FOUND
    | INVALID
    | {200: {"content": {XLSX: {}}, "description": "the report workbook"}},
)
def get_report_xlsx(
    campaign_id: CampaignId, _manager: Manager, db: DbDep, day: Day = None
) -> Response:
    with db.read() as conn:
        data = report.campaign_report(conn, campaign_id, day.isoformat() if day else None)
        names = report.outcome_names(conn)
    filename = f"campaign-{campaign_id}-{day or 'all'}.xlsx"
    return Response(
        report.report_xlsx(data, names),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# -- list import ----------------------------------------------------------------------------------
@router.post(
    "/{campaign_id}/import",
    response_model=ImportReport | ImportPreview,
    responses=NOT_FOUND | INVALID | TOO_LARGE,
)
def import_list(
    campaign_id: CampaignId,
    _manager: Manager,
    db: DbDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, UTF-8 BOM, GB18030) or XLSX")],
    dry_run: Annotated[bool, Query(description="preview only: nothing is written")] = False,
    mapping: Annotated[
        str | None,
        Form(
            max_length=100_000,
            description="JSON {header: 'phone' | 'name' | 'field' | 'ignore'}, as the preview's",
        ),
    ] = None,
) -> ImportReport | ImportPreview:
    """Import a customer list (ImportReport), or with dry_run preview it (ImportPreview).

    A plain `def`: FastAPI runs it in its thread pool, so the event loop serves other requests
    while a 100,000-row list is read (outside any transaction) and written (one transaction).
    The upload's own size limit is ServerSettings.max_upload_bytes (413)."""
    data = file.file.read()
    try:
        parsed = list_import.parse_list(data, import_rows.parsed_mapping(mapping))
    except list_import.ListFileError as exc:
        # A mapping error names the form field; a file that cannot be read as a list is a
        # refusal of the whole upload (loc ["body"]), which the client shows without a field
        # name in front ("文件是空的", not "file: 文件是空的").
        field = "mapping" if exc.code in list_import.MAPPING_ERRORS else ""
        raise Invalid(exc.both(), field) from None
    if dry_run:
        return import_rows.preview(db, campaign_id, parsed)
    return import_rows.import_list(db, campaign_id, parsed)
