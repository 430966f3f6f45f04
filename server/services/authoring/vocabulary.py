"""The center's search vocabulary (synonym groups and the user dictionary): one document,
replaced whole by each save and sent to every client through the feed (kind `vocabulary`),
which applies it to its knowledge base and rebuilds the search index."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.authoring import Vocabulary, VocabularyIn
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.services.changes_feed import append_change
from server.tables import users, vocabulary

ROW_ID = 1
FEED_UUID = "vocabulary"


def get(conn: Connection) -> Vocabulary:
    row = conn.execute(
        sa.select(
            vocabulary.c.content,
            vocabulary.c.version,
            vocabulary.c.updated_at,
            users.c.display_name,
            users.c.username,
        )
        .select_from(vocabulary.outerjoin(users, users.c.id == vocabulary.c.updated_by))
        .where(vocabulary.c.id == ROW_ID)
    ).first()
    if row is None:
        return Vocabulary()
    return Vocabulary(
        **json.loads(row.content),
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.display_name or row.username or "",
    )


def put(conn: Connection, user: CurrentUser, body: VocabularyIn) -> Vocabulary:
    """Replace the vocabulary (call in a write opened with appends_changes=True)."""
    content = body.model_dump_json()
    now = stamp()
    updated = conn.execute(
        vocabulary.update()
        .where(vocabulary.c.id == ROW_ID)
        .values(
            content=content,
            version=vocabulary.c.version + 1,
            updated_at=now,
            updated_by=user.id,
        )
    )
    if updated.rowcount == 0:
        conn.execute(
            vocabulary.insert().values(
                id=ROW_ID, content=content, version=1, updated_at=now, updated_by=user.id
            )
        )
    saved = get(conn)
    append_change(conn, "vocabulary", FEED_UUID, saved.model_dump())
    return saved
