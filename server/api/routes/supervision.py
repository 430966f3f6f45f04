"""Supervision over HTTP (issue 14; logic in server/services/supervision/): teams, live seat
reports, the board and its Server-Sent Events stream, monitor grants and the audit.

Who may do what: an admin manages teams (a manager may read them); any logged-in user reports
their own seat and reads the public key and the center's policy (an admin or manager changes it); team_leader, supervisor and manager read the board
(team leaders and supervisors their own team only) and get grants; the manager reads the audit.
'Now' is the app's clock (`app.state.clock`, the server's UTC clock unless a test set one).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from common.monitor_grants import public_key_to_text
from common.roles import CALL_SUPERVISORS
from common.supervision import (
    PING_S,
    AuditKind,
    AuditPage,
    Board,
    GrantReply,
    GrantRequest,
    PublicKeyReply,
    SeatAck,
    SeatReport,
    SupervisionPolicy,
    SupervisionPolicyIn,
    Team,
    TeamAssignment,
    TeamIn,
    TeamMember,
)
from common.timestamps import Clock, iso
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, CONFLICT, NOT_FOUND
from server.core import security
from server.core.db import Database
from server.core.identity import CurrentUser
from server.schemas import MAX_ID, BatchIn, BatchOut, Moment
from server.services.supervision import audit, grants, policy, seats, teams
from server.services.supervision.hub import CLOSE, RESYNC, BoardHub
from server.services.supervision.keys import GrantKey

router = APIRouter(prefix="/supervision", tags=["supervision"], responses=AUTH)
teams_router = APIRouter(prefix="/teams", tags=["teams"], responses=AUTH)

Admin = Annotated[CurrentUser, Depends(require("admin"))]
TeamReader = Annotated[CurrentUser, Depends(require("admin", "manager"))]
Watcher = Annotated[CurrentUser, Depends(require(*CALL_SUPERVISORS))]
Manager = Annotated[CurrentUser, Depends(require("manager"))]
PolicyKeeper = Annotated[CurrentUser, Depends(require("admin", "manager"))]
TeamId = Annotated[int, Path(ge=1, le=MAX_ID)]


async def get_clock(request: Request) -> Clock:
    clock: Clock = getattr(request.app.state, "clock", None) or security.now
    return clock


async def get_hub(request: Request) -> BoardHub:
    board_hub: BoardHub = request.app.state.board_hub
    return board_hub


async def get_grant_key(request: Request) -> GrantKey:
    key: GrantKey = request.app.state.grant_key
    return key


ClockDep = Annotated[Clock, Depends(get_clock)]
# How often a quiet stream checks that its reader is still there.
WAKE_S = 1.0
HubDep = Annotated[BoardHub, Depends(get_hub)]
KeyDep = Annotated[GrantKey, Depends(get_grant_key)]


# -- teams ------------------------------------------------------------------------------------------
@teams_router.get("", response_model=list[Team])
def list_teams(_user: TeamReader, db: DbDep) -> list[Team]:
    with db.read() as conn:
        return teams.list_teams(conn)


@teams_router.post("", response_model=Team, status_code=201, responses=CONFLICT)
def create_team(body: TeamIn, _admin: Admin, db: DbDep) -> Team:
    with db.write() as conn:
        return teams.create_team(conn, body.name)


# Renaming a team or moving a user changes what boards show and who may see whom: every open
# board stream reloads (a team change is rare; a reload is one query per watcher).
RESYNC_ALL = {"resync": True}


@teams_router.patch("/{team_id}", response_model=Team, responses=CONFLICT | NOT_FOUND)
def rename_team(team_id: TeamId, body: TeamIn, _admin: Admin, db: DbDep, board: HubDep) -> Team:
    with db.write() as conn:
        team = teams.rename_team(conn, team_id, body.name)
        board.announce(conn, RESYNC_ALL)
    if db.is_sqlite:
        board.publish_threadsafe(RESYNC_ALL)
    return team


@teams_router.put("/members/{user_id}", response_model=TeamMember, responses=NOT_FOUND)
def assign_user(
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: TeamAssignment,
    _admin: Admin,
    db: DbDep,
    board: HubDep,
) -> TeamMember:
    """Put a user in a team (`team_id` null: in none)."""
    with db.write() as conn:
        member = teams.assign(conn, user_id, body.team_id)
        board.announce(conn, RESYNC_ALL)
    if db.is_sqlite:
        board.publish_threadsafe(RESYNC_ALL)
    return member


# -- live seats -------------------------------------------------------------------------------------
@router.post("/seat", response_model=SeatAck)
def report_seat(
    body: SeatReport, user: UserDep, db: DbDep, clock: ClockDep, board: HubDep
) -> SeatAck:
    """The caller's own seat: a change as it happens, or a heartbeat (every HEARTBEAT_S s)."""
    now = clock()
    with db.write() as conn:
        done = seats.report(conn, user, body, now)
        payload = _payload(done)
        board.announce(conn, payload)  # PostgreSQL: to every app server at commit
    if db.is_sqlite:
        board.publish_threadsafe(payload)
    return SeatAck(at=iso(now))


def _payload(done: seats.Reported) -> dict[str, Any]:
    if done.row is not None:
        return {"row": done.row.model_dump(mode="json")}
    return {"hb": done.agent_id, "seen": done.last_seen}


@router.get("/board", response_model=Board)
def read_board(user: Watcher, db: DbDep, clock: ClockDep) -> Board:
    """Agents by team with state, time in state, reason, current call and today's figures."""
    with db.read() as conn:
        return seats.board(conn, user, clock())


@router.get(
    "/board/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Server-Sent Events"}},
)
async def stream_board(
    request: Request, user: Watcher, db: DbDep, clock: ClockDep, board: HubDep
) -> StreamingResponse:
    """Server-Sent Events: `board` (the whole board, first and after any gap), then `seat`
    (one changed row: a state or call change, a seat turning lost or back) as they happen."""
    allowed = await run_in_threadpool(_visible, db, user)
    return StreamingResponse(
        _events(request, db, user, clock, board, allowed),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _visible(db: Database, user: CurrentUser) -> set[int] | None:
    with db.read() as conn:
        return teams.visible_teams(conn, user)


def _snapshot(db: Database, user: CurrentUser, now: datetime) -> Board:
    with db.read() as conn:
        return seats.board(conn, user, now)


def _sse(event: str, data: Any) -> str:
    return (
        f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"
    )


async def _events(
    request: Request,
    db: Database,
    user: CurrentUser,
    clock: Clock,
    board: BoardHub,
    allowed: set[int] | None,
) -> AsyncIterator[str]:
    queue = board.subscribe()  # before the snapshot: nothing committed after it is missed
    try:
        message: Any = RESYNC
        quiet = 0.0
        while True:
            if message == RESYNC:
                # The reader's teams may have changed too.
                allowed = await run_in_threadpool(_visible, db, user)
                snapshot = await run_in_threadpool(_snapshot, db, user, clock())
                board.seed(snapshot.agents)
                yield _sse("board", snapshot.model_dump(mode="json"))
                quiet = 0.0
            elif isinstance(message, dict) and (
                allowed is None or message.get("team_id") in allowed
            ):
                yield _sse("seat", message)
                quiet = 0.0
            message = None
            try:
                message = await asyncio.wait_for(queue.get(), WAKE_S)
                if message == CLOSE:
                    return  # the host is stopping
            except TimeoutError:
                # A reader that went away is only noticed by asking (nothing is written to
                # it while the board is quiet): end the stream instead of holding it open.
                if await request.is_disconnected():
                    return
                quiet += WAKE_S
                if quiet >= PING_S:
                    quiet = 0.0
                    yield ": ping\n\n"
    finally:
        board.unsubscribe(queue)


# -- grants -----------------------------------------------------------------------------------------
@router.post(
    "/grants",
    response_model=GrantReply,
    responses=NOT_FOUND | CONFLICT,
)
def request_grant(
    body: GrantRequest, user: UserDep, db: DbDep, clock: ClockDep, key: KeyDep
) -> GrantReply:
    """A signed grant for the caller to monitor `agent`'s current call `call_id` in `mode`.
    Refused (and audited) for other roles, another team's agent, or a call the agent's live
    seat does not show."""
    now = clock()
    private_key = key.private_key()
    try:
        with db.write() as conn:
            return grants.issue(conn, user, body, private_key, now)
    except grants.GrantRefused as refusal:
        with db.write() as conn:
            audit.grant_refused(
                conn,
                user,
                agent=body.agent,
                call_id=body.call_id,
                mode=body.mode,
                reason=refusal.reason,
                target_id=refusal.target_id,
                now=now,
            )
        raise refusal.error from None


@router.get("/public-key", response_model=PublicKeyReply)
def public_key(_user: UserDep, db: DbDep, key: KeyDep) -> PublicKeyReply:
    """The key seats verify grants with (raw Ed25519, base64url), and the center's policy on
    telling the agent that a call is monitored."""
    with db.read() as conn:
        show = policy.read(conn).show_monitored
    return PublicKeyReply(
        public_key=public_key_to_text(key.private_key().public_key()), show_monitored=show
    )


# -- the center's policy ----------------------------------------------------------------------------
@router.get("/policy", response_model=SupervisionPolicy)
def read_policy(_user: UserDep, db: DbDep) -> SupervisionPolicy:
    """Whether the agent's window says that a call is monitored (default: no)."""
    with db.read() as conn:
        return policy.read(conn)


@router.put("/policy", response_model=SupervisionPolicy)
def change_policy(body: SupervisionPolicyIn, user: PolicyKeeper, db: DbDep) -> SupervisionPolicy:
    """An admin or the manager sets the policy; seats take it at their next login."""
    with db.write() as conn:
        return policy.change(conn, user, body.show_monitored)


# -- audit ------------------------------------------------------------------------------------------
@router.post("/audit/sessions", response_model=BatchOut)
def report_sessions(body: BatchIn, user: UserDep, db: DbDep, clock: ClockDep) -> BatchOut:
    """The supervisor's client: start, mode switch, end or failure of its monitor calls."""
    with db.write() as conn:
        return BatchOut(results=audit.sessions(conn, user, body.items, clock()))


@router.post("/audit/rejections", response_model=BatchOut)
def report_rejections(body: BatchIn, user: UserDep, db: DbDep, clock: ClockDep) -> BatchOut:
    """The agent's client: monitor calls its seat refused, with the verify reason."""
    with db.write() as conn:
        return BatchOut(results=audit.rejections(conn, user, body.items, clock()))


@router.get("/audit", response_model=AuditPage)
def read_audit(
    _manager: Manager,
    db: DbDep,
    since: Moment | None = None,
    until: Moment | None = None,
    user: Annotated[str | None, Query(max_length=64)] = None,
    kind: AuditKind | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> AuditPage:
    """Grants issued and refused, monitoring sessions and refused monitor calls, newest first;
    `user` matches who monitored or whom."""
    with db.read() as conn:
        return audit.read(
            conn, since=since, until=until, user=user, kind=kind, limit=limit, offset=offset
        )
