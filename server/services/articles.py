"""The one place an article's version changes on the server: each change writes its revision
and tells the changes feed (the whole article while published, a tombstone when it leaves the
published state). Used by the articles routes and by authoring's review (issue 13)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.articles import Article
from server.core.security import stamp
from server.services.changes_feed import append_change
from server.services.errors import Conflict, NotFound
from server.tables import article_revisions, articles

NO_ARTICLE = "no such article / 文章不存在"


def out(row: Any) -> Article:
    return Article.from_row(row._mapping)


def find(conn: Connection, uuid: str) -> Any | None:
    return conn.execute(sa.select(articles).where(articles.c.uuid == uuid)).first()


def load(conn: Connection, uuid: str) -> Any:
    row = find(conn, uuid)
    if row is None:
        raise NotFound(NO_ARTICLE)
    return row


def stale(current: Any) -> Conflict:
    """409 with the article as it now is: the editor merges against it."""
    return Conflict(
        {
            "message": "the article changed since you started / 文章已被他人修改",
            "article": out(current).model_dump(),
        }
    )


def record(
    conn: Connection,
    uuid: str,
    author_id: int | None,
    previous: str | None = None,
    approver_id: int | None = None,
    proposal_uuid: str = "",
) -> Article:
    """Write the revision of the article as it now is, and tell the feed: a live article is
    sent whole; one that left the published state (unpublished, retired or deleted) goes as a
    tombstone, so no client keeps showing it. `previous`: the status before this change."""
    article = out(load(conn, uuid))
    conn.execute(
        article_revisions.insert().values(
            article_uuid=uuid,
            version=article.version,
            content=article.model_dump_json(),
            author_id=author_id,
            approver_id=approver_id,
            proposal_uuid=proposal_uuid,
            created_at=stamp(),
        )
    )
    if article.status == "published":
        append_change(conn, "article", uuid, article.model_dump())
    elif article.status == "deleted" or previous not in (None, article.status):
        append_change(conn, "article_tombstone", uuid, {"uuid": uuid, "version": article.version})
    return article


def set_status(conn: Connection, uuid: str, new_status: str, user_id: int) -> Article:
    """Move an article to `new_status` as a new version (no-op when it is already there)."""
    current = load(conn, uuid)
    if current.status == new_status:
        return out(current)
    conn.execute(
        articles.update()
        .where(articles.c.uuid == uuid)
        .values(
            status=new_status,
            version=current.version + 1,
            updated_at=stamp(),
            updated_by=user_id,
        )
    )
    return record(conn, uuid, user_id, previous=current.status)


def publish_content(
    conn: Connection,
    uuid: str,
    content: dict[str, Any],
    base_version: int | None,
    author_id: int,
    approver_id: int,
    proposal_uuid: str,
) -> Article:
    """Publish `content` (column values: lists as JSON text) as the article's next version, or
    as a new article when `base_version` is None. The base is checked here, in the writing
    transaction: a version that moved (or an article that appeared) is a 409 with it."""
    current = find(conn, uuid)
    if base_version is None:
        if current is not None:
            raise stale(current)
    elif current is None:
        raise NotFound(NO_ARTICLE)
    elif current.version != base_version:
        raise stale(current)
    now = stamp()
    values = {**content, "status": "published", "updated_at": now, "updated_by": author_id}
    if current is None:
        conn.execute(articles.insert().values(uuid=uuid, version=1, created_at=now, **values))
    else:
        conn.execute(
            articles.update()
            .where(articles.c.uuid == uuid)
            .values(version=current.version + 1, **values)
        )
    return record(
        conn,
        uuid,
        author_id,
        previous=None if current is None else current.status,
        approver_id=approver_id,
        proposal_uuid=proposal_uuid,
    )
