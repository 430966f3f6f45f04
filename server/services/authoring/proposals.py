"""Proposals: a trainer's change to an article, waiting for the manager.

A proposal carries the version it was based on. When it arrives the base is checked: online
(`submit`) a stale base is a 409 with the current article and nothing is stored; through the
outbox (`push`) the proposal is stored in state `conflict` with the current article, so it is
never lost and its author sees it and merges.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.articles import Article
from common.authoring import Proposal, ProposalContent, ProposalIn
from common.timestamps import parse
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import insert_ignoring_duplicates
from server.schemas import ItemAck, rejected_ack
from server.services import articles as article_service
from server.services.errors import NotFound
from server.services.taxonomy import check_article_taxonomy
from server.tables import article_proposals, article_revisions, users

NO_PROPOSAL = "no such proposal / 修改申请不存在"


def client_stamp(text: str, now: str) -> str:
    """A moment from the client's clock as the server stamps it; `now` when it is missing or
    not an aware ISO time (it only orders the author's own list, never decides anything)."""
    try:
        moment = parse(text) if text else None
    except (ValueError, TypeError):
        return now
    if moment is None or moment.tzinfo is None:
        return now
    return stamp(moment)


def is_stale(current: Any | None, base_version: int | None) -> bool:
    """Whether the article moved away from the proposal's base (or, for a new article, whether
    one with that uuid exists already)."""
    if base_version is None:
        return current is not None
    return current is None or current.version != base_version


def content_row(content: ProposalContent) -> dict[str, Any]:
    """The articles' column values of a proposal's content (lists as JSON text)."""
    data = content.model_dump(mode="json")
    for name in ("tags", "aliases", "attachments"):
        data[name] = json.dumps(data[name], ensure_ascii=False)
    return data


def check_content(
    conn: Connection, content: ProposalContent, user: CurrentUser, current: Any | None
) -> None:
    """The center's lists: an unknown or deactivated business line is refused (422); what the
    article has it may keep."""
    check_article_taxonomy(conn, content.business_line, content.category, user, current)


def _insert(
    conn: Connection, user: CurrentUser, item: ProposalIn, state: str, current: Any | None
) -> bool:
    now = stamp()
    created = client_stamp(item.created_at, now)
    return insert_ignoring_duplicates(
        conn,
        article_proposals,
        {
            "uuid": item.uuid,
            "article_uuid": item.article_uuid,
            "base_version": item.base_version,
            "content": item.content.model_dump_json(),
            "note": item.note,
            "state": state,
            "author_id": user.id,
            "created_at": created,
            "received_at": now,
            "updated_at": now,
            "current": None if current is None else article_service.out(current).model_dump_json(),
        },
        key="uuid",
    )


def submit(conn: Connection, user: CurrentUser, item: ProposalIn) -> tuple[Proposal, bool]:
    """Store an online proposal; (the proposal, whether it is new). A known uuid gives the
    stored one (a retried request); a stale base is a 409 with the current article."""
    known = _row(conn, item.uuid)
    if known is not None:
        return _proposal(conn, known), False
    current = article_service.find(conn, item.article_uuid)
    if is_stale(current, item.base_version):
        if current is None:
            raise NotFound(article_service.NO_ARTICLE)
        raise article_service.stale(current)
    check_content(conn, item.content, user, current)
    _insert(conn, user, item, "submitted", None)
    return get(conn, item.uuid), True


def push(conn: Connection, user: CurrentUser, items: list[dict[str, Any]]) -> list[ItemAck]:
    """The outbox's batch: each proposal stored once by its uuid; a stale base stores it as
    `conflict` with the current article (acknowledged `stored`: it arrived)."""
    results: list[ItemAck] = []
    for raw in items:
        try:
            item = ProposalIn.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        current = article_service.find(conn, item.article_uuid)
        stale = is_stale(current, item.base_version)
        state = "conflict" if stale else "submitted"
        stored = _insert(conn, user, item, state, current if stale else None)
        results.append(ItemAck(uuid=item.uuid, status="stored" if stored else "duplicate"))
    return results


def _row(conn: Connection, uuid: str) -> Any | None:
    return conn.execute(
        sa.select(article_proposals).where(article_proposals.c.uuid == uuid)
    ).first()


def load_row(conn: Connection, uuid: str) -> Any:
    row = _row(conn, uuid)
    if row is None:
        raise NotFound(NO_PROPOSAL)
    return row


def get(conn: Connection, uuid: str) -> Proposal:
    return _proposal(conn, load_row(conn, uuid))


def listed(
    conn: Connection,
    user: CurrentUser,
    state: str | None,
    mine: bool,
    article_uuid: str | None,
    limit: int,
) -> list[Proposal]:
    query = sa.select(article_proposals)
    if state:
        query = query.where(article_proposals.c.state == state)
    if mine:
        query = query.where(article_proposals.c.author_id == user.id)
    if article_uuid:
        query = query.where(article_proposals.c.article_uuid == article_uuid)
    rows = conn.execute(
        query.order_by(article_proposals.c.updated_at.desc(), article_proposals.c.id.desc()).limit(
            limit
        )
    ).all()
    names = _names(conn, {r.author_id for r in rows} | {r.decided_by for r in rows})
    return [_proposal(conn, r, names) for r in rows]


def _names(conn: Connection, ids: set[int | None]) -> dict[int, tuple[str, str]]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = conn.execute(
        sa.select(users.c.id, users.c.username, users.c.display_name).where(users.c.id.in_(wanted))
    ).all()
    return {r.id: (r.display_name or r.username, r.username) for r in rows}


def _base_article(conn: Connection, article_uuid: str, version: int | None) -> Article | None:
    if version is None:
        return None
    content = conn.execute(
        sa.select(article_revisions.c.content)
        .where(article_revisions.c.article_uuid == article_uuid)
        .where(article_revisions.c.version == version)
    ).scalar()
    return None if content is None else Article.model_validate_json(content)


def _proposal(
    conn: Connection, row: Any, names: dict[int, tuple[str, str]] | None = None
) -> Proposal:
    if names is None:
        names = _names(conn, {row.author_id, row.decided_by})
    author, author_username = names.get(row.author_id, ("", ""))
    conflict = row.state == "conflict"
    return Proposal(
        uuid=row.uuid,
        article_uuid=row.article_uuid,
        base_version=row.base_version,
        content=ProposalContent.model_validate_json(row.content),
        note=row.note,
        state=row.state,
        author=author,
        author_username=author_username,
        created_at=row.created_at,
        received_at=row.received_at,
        decided_by=names.get(row.decided_by, ("", ""))[0] if row.decided_by else "",
        decided_at=row.decided_at or "",
        comment=row.comment,
        published_version=row.published_version,
        current=Article.model_validate_json(row.current) if row.current else None,
        # The base text only where the editor needs it: to merge a conflict.
        base=_base_article(conn, row.article_uuid, row.base_version) if conflict else None,
    )
