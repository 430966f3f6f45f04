"""Agent state changes over HTTP (logic in server/services/agent_states.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from server.api.deps import DbDep, UserDep
from server.api.responses import AUTH
from server.schemas import (
    MAX_ID,
    AgentStateName,
    AgentStateOut,
    AgentStatePage,
    BatchIn,
    BatchOut,
    Moment,
)
from server.services import agent_states as service

router = APIRouter(prefix="/agent-states", tags=["agent states"], responses=AUTH)


@router.post("/batch", response_model=BatchOut)
def push_states(body: BatchIn, user: UserDep, db: DbDep) -> BatchOut:
    """Idempotent by uuid (a change never changes); each item is acknowledged on its own."""
    with db.write() as conn:
        return BatchOut(results=service.push(conn, user, body.items))


@router.get("", response_model=list[AgentStateOut])
def current_states(
    user: UserDep,
    db: DbDep,
    agent: Annotated[str | None, Query(max_length=64)] = None,
) -> list[AgentStateOut]:
    """The board: each enabled agent's latest state change."""
    with db.read() as conn:
        return service.board(conn, user, agent)


@router.get("/history", response_model=AgentStatePage)
def state_history(
    user: UserDep,
    db: DbDep,
    agent: Annotated[str | None, Query(max_length=64)] = None,
    since: Moment | None = None,
    until: Moment | None = None,
    state: AgentStateName | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> AgentStatePage:
    """Changes, newest first; `since` <= started_at < `until`."""
    with db.read() as conn:
        return service.history(
            conn,
            user,
            agent=agent,
            since=since,
            until=until,
            state=state,
            limit=limit,
            offset=offset,
        )
