"""The center's taxonomies: business lines (managed by an admin or the manager, synced to every
client through the changes feed) and the category paths the published articles use.

A line is never deleted: articles, questions and call records keep its code, so it is
deactivated instead and clients stop offering it while still naming it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.core.identity import CurrentUser
from server.core.security import stamp
from server.schemas import BusinessLineIn, BusinessLineOut, BusinessLinePatch
from server.services.changes_feed import append_change
from server.services.errors import Conflict, NotFound
from server.tables import articles, business_lines

# The feed kind every client applies into its local mirror of the lines.
FEED_KIND = "business_line"


def _out(row: Any) -> BusinessLineOut:
    return BusinessLineOut(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        active=bool(row.active),
        sort_order=int(row.sort_order),
        builtin=bool(row.builtin),
        updated_at=row.updated_at,
    )


def all_lines(conn: Connection) -> list[BusinessLineOut]:
    """Every line, the built-in ones first, then by sort order and code."""
    rows = conn.execute(
        sa.select(business_lines).order_by(
            business_lines.c.builtin.desc(), business_lines.c.sort_order, business_lines.c.code
        )
    ).all()
    return [_out(r) for r in rows]


def categories_in_use(conn: Connection) -> list[str]:
    """The distinct category paths of published articles (free text on each article)."""
    rows = conn.execute(
        sa.select(sa.distinct(articles.c.category))
        .where(articles.c.status == "published")
        .where(articles.c.category != "")
        .order_by(articles.c.category)
    ).all()
    return [r[0] for r in rows]


def get_line(conn: Connection, code: str) -> BusinessLineOut:
    row = conn.execute(sa.select(business_lines).where(business_lines.c.code == code)).first()
    if row is None:
        raise NotFound("no such business line / 业务线不存在")
    return _out(row)


def _publish(conn: Connection, line: BusinessLineOut) -> None:
    append_change(conn, FEED_KIND, line.code, line.model_dump())


def create_line(conn: Connection, body: BusinessLineIn, user: CurrentUser) -> BusinessLineOut:
    """Add a line (call in a write opened with appends_changes=True). A code or Chinese name
    another line has already is refused (409): the importer resolves a name to one line."""
    clash = conn.execute(
        sa.select(business_lines.c.code).where(
            sa.or_(business_lines.c.code == body.code, business_lines.c.name_zh == body.name_zh)
        )
    ).first()
    if clash is not None:
        raise Conflict("business line exists / 业务线已存在")
    order = body.sort_order
    if order is None:  # after every line so far
        order = int(conn.execute(sa.select(sa.func.max(business_lines.c.sort_order))).scalar() or 0)
        order += 1
    conn.execute(
        business_lines.insert().values(
            code=body.code,
            name_zh=body.name_zh,
            name_en=body.name_en or body.name_zh,
            active=True,
            sort_order=order,
            builtin=False,
            updated_at=stamp(),
            updated_by=user.id,
        )
    )
    line = get_line(conn, body.code)
    _publish(conn, line)
    return line


def change_line(
    conn: Connection, code: str, body: BusinessLinePatch, user: CurrentUser
) -> BusinessLineOut:
    """Rename, reorder, deactivate or reactivate a line; each change goes to the feed."""
    current = get_line(conn, code)
    values = body.model_dump(exclude_none=True)
    if body.name_zh is not None and body.name_zh != current.name_zh:
        taken = conn.execute(
            sa.select(business_lines.c.code)
            .where(business_lines.c.name_zh == body.name_zh)
            .where(business_lines.c.code != code)
        ).first()
        if taken is not None:
            raise Conflict("another business line has this name / 已有同名业务线")
    if not values or all(getattr(current, k) == v for k, v in values.items()):
        return current  # nothing changes: no feed entry either
    conn.execute(
        business_lines.update()
        .where(business_lines.c.code == code)
        .values(**values, updated_at=stamp(), updated_by=user.id)
    )
    line = get_line(conn, code)
    _publish(conn, line)
    return line
