"""Teams: made and renamed by an admin, who also puts users in them. Who sees which team:
a team leader or supervisor their own team only; the center's manager every team."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.supervision import Team, TeamMember
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.services.errors import Conflict, NotFound
from server.tables import teams, users

# Roles limited to their own team on the board and for grants; the manager covers every team.
TEAM_BOUND = ("team_leader", "supervisor")
ALL_TEAMS = ("manager", "admin")


def visible_teams(conn: Connection, user: CurrentUser) -> set[int] | None:
    """The team ids `user` may watch; None: every team (and agents without one)."""
    if user.role in ALL_TEAMS:
        return None
    if user.role not in TEAM_BOUND:
        return set()
    team_id = user_team(conn, user.id)
    return {team_id} if team_id is not None else set()


def user_team(conn: Connection, user_id: int) -> int | None:
    value = conn.execute(sa.select(users.c.team_id).where(users.c.id == user_id)).scalar()
    return int(value) if value is not None else None


def list_teams(conn: Connection) -> list[Team]:
    members: dict[int, list[TeamMember]] = {}
    rows = conn.execute(
        sa.select(users.c.id, users.c.username, users.c.display_name, users.c.role, users.c.team_id)
        .where(users.c.team_id.is_not(None), users.c.disabled == sa.false())
        .order_by(users.c.username)
    ).all()
    for row in rows:
        members.setdefault(int(row.team_id), []).append(
            TeamMember(
                id=row.id, username=row.username, display_name=row.display_name, role=row.role
            )
        )
    return [
        Team(id=row.id, name=row.name, members=members.get(row.id, []))
        for row in conn.execute(sa.select(teams).order_by(teams.c.name)).all()
    ]


def get_team(conn: Connection, team_id: int) -> Team:
    for team in list_teams(conn):
        if team.id == team_id:
            return team
    raise NotFound("no such team / 班组不存在")


def _name_taken(conn: Connection, name: str, other_than: int | None = None) -> bool:
    query = sa.select(teams.c.id).where(teams.c.name == name)
    if other_than is not None:
        query = query.where(teams.c.id != other_than)
    return conn.execute(query).first() is not None


def create_team(conn: Connection, name: str) -> Team:
    if _name_taken(conn, name):
        raise Conflict("a team has this name already / 班组名称已存在")
    now = stamp()
    team_id = conn.execute(
        teams.insert().values(name=name, created_at=now, updated_at=now)
    ).inserted_primary_key[0]  # type: ignore[index]
    return get_team(conn, int(team_id))


def rename_team(conn: Connection, team_id: int, name: str) -> Team:
    if conn.execute(sa.select(teams.c.id).where(teams.c.id == team_id)).first() is None:
        raise NotFound("no such team / 班组不存在")
    if _name_taken(conn, name, other_than=team_id):
        raise Conflict("a team has this name already / 班组名称已存在")
    conn.execute(teams.update().where(teams.c.id == team_id).values(name=name, updated_at=stamp()))
    return get_team(conn, team_id)


def assign(conn: Connection, user_id: int, team_id: int | None) -> TeamMember:
    """Put a user in a team (None: in none)."""
    row = conn.execute(
        sa.select(users.c.id, users.c.username, users.c.display_name, users.c.role).where(
            users.c.id == user_id
        )
    ).first()
    if row is None:
        raise NotFound("no such user / 用户不存在")
    if team_id is not None and (
        conn.execute(sa.select(teams.c.id).where(teams.c.id == team_id)).first() is None
    ):
        raise NotFound("no such team / 班组不存在")
    conn.execute(users.update().where(users.c.id == user_id).values(team_id=team_id))
    return TeamMember(
        id=row.id, username=row.username, display_name=row.display_name, role=row.role
    )
