"""Do-not-call numbers: the center's global list and each campaign's own.

Numbers are kept by the list import's key (common.numbers.list_phone), so '138-0013-8000',
'+86 13800138000' and '１３８００１３８０００' are one number. campaign_id 0 in the table is the
global list (None on the wire). The hand-out skips and marks a record whose number is listed;
the import skips listed numbers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from common.numbers import list_phone
from common.outbound import DncIn, DncNumber
from common.timestamps import iso
from server.core.identity import CurrentUser
from server.core.statements import insert_missing
from server.services.errors import Invalid, NotFound
from server.services.outbound.campaigns import get_campaign
from server.tables import dnc_numbers

GLOBAL = 0


def _out(row: Row[Any]) -> DncNumber:
    return DncNumber(
        id=row.id,
        phone_key=row.phone_key,
        campaign_id=row.campaign_id or None,
        reason=row.reason,
        added_at=row.added_at,
        added_by=row.added_by,
    )


def list_numbers(
    conn: Connection, campaign_id: int | None = None, limit: int = 1000, offset: int = 0
) -> list[DncNumber]:
    """The global list (campaign_id None) or one campaign's own list."""
    rows = conn.execute(
        sa.select(dnc_numbers)
        .where(dnc_numbers.c.campaign_id == (campaign_id or GLOBAL))
        .order_by(dnc_numbers.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [_out(row) for row in rows]


def add_number(conn: Connection, body: DncIn, user: CurrentUser | None) -> DncNumber:
    """Add a number (adding it again changes nothing and answers the stored entry)."""
    judged = list_phone(body.phone)
    if not judged.ok:
        raise Invalid(
            f"not a phone number ({judged.reason}): {body.phone}"
            f" / 不是有效的电话号码（{judged.reason}）：{body.phone}"
        )
    if body.campaign_id:
        get_campaign(conn, body.campaign_id)
    scope = body.campaign_id or GLOBAL
    insert_missing(
        conn,
        dnc_numbers,
        {
            "phone_key": judged.key,
            "campaign_id": scope,
            "reason": body.reason,
            "added_at": iso(),
            "added_by": user.id if user else None,
        },
        ("phone_key", "campaign_id"),
    )
    row = conn.execute(
        sa.select(dnc_numbers).where(
            dnc_numbers.c.phone_key == judged.key, dnc_numbers.c.campaign_id == scope
        )
    ).one()
    return _out(row)


def remove_number(conn: Connection, dnc_id: int) -> None:
    """Take a number off its list. Records already marked 'dnc' stay so (a supervisor reopens
    them deliberately, not as a side effect)."""
    done = conn.execute(dnc_numbers.delete().where(dnc_numbers.c.id == dnc_id))
    if done.rowcount != 1:
        raise NotFound(f"no do-not-call entry {dnc_id} / 没有编号为 {dnc_id} 的免打扰号码")


def listed_keys(conn: Connection, campaign_id: int) -> set[str]:
    """Every key on the global list or the campaign's (the import's DNC check)."""
    rows = conn.execute(
        sa.select(dnc_numbers.c.phone_key).where(
            dnc_numbers.c.campaign_id.in_((GLOBAL, campaign_id))
        )
    ).scalars()
    return set(rows)
