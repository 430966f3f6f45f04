"""Articles on the server: drafts, publishing, revisions, tombstones.

Published articles reach clients through the changes feed. Updates carry the version they were
based on; a stale base gets 409 with the current article (nothing is overwritten silently).
"""

from __future__ import annotations

import uuid as uuidlib
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy.engine import Connection

from common.articles import CONTENT_FIELDS, Article
from common.roles import ARTICLE_EDITORS, ARTICLE_PUBLISHERS
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, CONFLICT, NOT_FOUND
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.schemas import ArticleIn, ArticleOut
from server.services import articles as article_service
from server.services.taxonomy import check_article_taxonomy
from server.tables import article_revisions, articles

router = APIRouter(prefix="/articles", tags=["articles"], responses=AUTH | NOT_FOUND)
Editor = Annotated[CurrentUser, Depends(require(*ARTICLE_EDITORS))]
Publisher = Annotated[CurrentUser, Depends(require(*ARTICLE_PUBLISHERS))]


# The versioning, revisions and feed of articles live in server/services/articles.py (one
# place, shared with authoring's review); these names keep the routes below readable.
_out = article_service.out
_load = article_service.load


def _record(
    conn: Connection, uuid: str, author: CurrentUser, previous: str | None = None
) -> ArticleOut:
    return article_service.record(conn, uuid, author.id, previous=previous)


def _content(body: ArticleIn) -> dict[str, Any]:
    """The content columns of the request (its status is set apart: publishing is a right)."""
    article = Article.model_validate({**body.model_dump(), "uuid": body.uuid or ""})
    return article.row(f for f in CONTENT_FIELDS if f != "status")


def _check_publish_right(user: CurrentUser, wanted: str) -> None:
    if wanted == "published" and not user.has(ARTICLE_PUBLISHERS):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="only a manager publishes; submit a proposal for review instead"
            " / 仅经理可直接发布，请提交修改申请等待审核",
        )


@router.post("", response_model=ArticleOut, status_code=status.HTTP_201_CREATED, responses=CONFLICT)
def create_article(body: ArticleIn, editor: Editor, db: DbDep) -> ArticleOut:
    _check_publish_right(editor, body.status)
    uuid = body.uuid or str(uuidlib.uuid4())
    now = stamp()
    with db.write(appends_changes=True) as conn:
        if conn.execute(sa.select(articles.c.uuid).where(articles.c.uuid == uuid)).first():
            raise HTTPException(status.HTTP_409_CONFLICT, detail="article exists / 文章已存在")
        # The center's lists: an unknown or deactivated line is refused (422), a new category
        # path is added to the center's list.
        check_article_taxonomy(conn, body.business_line, body.category, editor)
        conn.execute(
            articles.insert().values(
                uuid=uuid,
                **_content(body),
                status=body.status,
                version=1,
                source_question_uuid=body.source_question_uuid,
                created_at=now,
                updated_at=now,
                updated_by=editor.id,
            )
        )
        return _record(conn, uuid, editor)


@router.put("/{uuid}", response_model=ArticleOut, responses=CONFLICT)
def update_article(uuid: str, body: ArticleIn, editor: Editor, db: DbDep) -> ArticleOut:
    _check_publish_right(editor, body.status)
    with db.write(appends_changes=True) as conn:
        current = _load(conn, uuid)
        if body.status != current.status and not editor.has(ARTICLE_PUBLISHERS):
            # Unpublishing, or bringing back a deleted article, is a publishing decision.
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail="only a manager changes whether an article is published"
                " / 仅经理可更改文章的发布状态",
            )
        if body.base_version is None or body.base_version != current.version:
            raise article_service.stale(current)
        # What the article had it may keep (a line deactivated since); a change must be valid.
        check_article_taxonomy(conn, body.business_line, body.category, editor, current)
        conn.execute(
            articles.update()
            .where(articles.c.uuid == uuid)
            .values(
                **_content(body),
                status=body.status,
                version=current.version + 1,
                updated_at=stamp(),
                updated_by=editor.id,
            )
        )
        return _record(conn, uuid, editor, previous=current.status)


def _set_status(conn: Connection, uuid: str, new_status: str, user: CurrentUser) -> ArticleOut:
    return article_service.set_status(conn, uuid, new_status, user.id)


@router.post("/{uuid}/publish", response_model=ArticleOut)
def publish_article(uuid: str, publisher: Publisher, db: DbDep) -> ArticleOut:
    with db.write(appends_changes=True) as conn:
        return _set_status(conn, uuid, "published", publisher)


@router.delete("/{uuid}", status_code=status.HTTP_204_NO_CONTENT)
def delete_article(uuid: str, publisher: Publisher, db: DbDep) -> None:
    with db.write(appends_changes=True) as conn:
        _set_status(conn, uuid, "deleted", publisher)


@router.get("", response_model=list[ArticleOut])
def list_articles(
    _editor: Editor,
    db: DbDep,
    status_: Annotated[str, Query(alias="status")] = "draft",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[ArticleOut]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(articles)
            .where(articles.c.status == status_)
            .order_by(articles.c.updated_at.desc())
            .limit(limit)
        ).all()
    return [_out(r) for r in rows]


@router.get("/{uuid}", response_model=ArticleOut)
def get_article(uuid: str, user: UserDep, db: DbDep) -> ArticleOut:
    with db.read() as conn:
        row = _load(conn, uuid)
    if row.status != "published" and not user.has(ARTICLE_EDITORS):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such article / 文章不存在")
    return _out(row)


@router.get("/{uuid}/revisions", response_model=list[ArticleOut])
def revisions(uuid: str, _editor: Editor, db: DbDep) -> list[ArticleOut]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(article_revisions.c.content)
            .where(article_revisions.c.article_uuid == uuid)
            .order_by(article_revisions.c.version)
        ).all()
    return [ArticleOut.model_validate_json(r.content) for r in rows]
