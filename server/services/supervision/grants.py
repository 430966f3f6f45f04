"""Monitor grants: who may listen to, whisper to or barge into whose call (issue 14).

Only a team leader, supervisor or manager gets one; a team leader or supervisor only for an
agent of their own team (the manager: any team); and only for the call the agent's live seat
shows up now (a lost seat shows none). Every grant issued and every refusal is audited
(`audit.grant_issued` / `audit.grant_refused`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Connection

from common.monitor_grants import new_grant, sign_grant
from common.roles import CALL_SUPERVISORS
from common.supervision import LOST_AFTER_S, GrantReply, GrantRequest
from common.timestamps import parse, seconds_between
from server.core.identity import CurrentUser
from server.services.errors import Conflict, Forbidden, NotFound, ServiceError
from server.services.supervision import audit
from server.services.supervision.seats import live_call
from server.services.supervision.teams import visible_teams
from server.tables import users

GRANTERS = CALL_SUPERVISORS  # team_leader, supervisor, manager


class GrantRefused(Exception):
    """A refusal to audit before it is answered: `reason` is its code in the audit log."""

    def __init__(self, error: ServiceError, reason: str, target_id: int | None = None) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason
        self.target_id = target_id


def issue(
    conn: Connection,
    user: CurrentUser,
    request: GrantRequest,
    key: Ed25519PrivateKey,
    now: datetime,
) -> GrantReply:
    if user.role not in GRANTERS:
        raise GrantRefused(
            Forbidden(f"role '{user.role}' may not monitor calls / 当前角色不能监听通话"), "role"
        )
    agent = conn.execute(
        sa.select(users.c.id, users.c.username, users.c.team_id, users.c.disabled).where(
            users.c.username == request.agent
        )
    ).first()
    if agent is None or agent.disabled:
        raise GrantRefused(NotFound("no such agent / 坐席不存在"), "no_agent")
    allowed = visible_teams(conn, user)
    if allowed is not None and (agent.team_id is None or agent.team_id not in allowed):
        raise GrantRefused(
            Forbidden("this agent is not in your team / 该坐席不属于您的班组"),
            "other_team",
            agent.id,
        )
    live = live_call(conn, agent.id)
    if live is None or live[0] != request.call_id.lower():
        raise GrantRefused(
            Conflict("the agent's seat does not show this call / 坐席当前没有这通电话"),
            "no_call",
            agent.id,
        )
    if seconds_between(parse(live[1]), now) >= LOST_AFTER_S:
        raise GrantRefused(
            Conflict("the agent's seat is not reporting / 坐席已失去联系"), "lost", agent.id
        )
    grant = new_grant(
        supervisor=user.username,
        supervisor_id=str(user.id),
        agent=agent.username,
        agent_id=str(agent.id),
        call_id=live[0],
        mode=request.mode,
        now=now.timestamp(),
    )
    audit.grant_issued(conn, user, agent.id, grant, now)
    return GrantReply(
        grant=sign_grant(key, grant),
        grant_id=grant.grant_id,
        agent=grant.agent,
        call_id=grant.call_id,
        mode=grant.mode,
        expires_at=grant.expires_at,
    )
