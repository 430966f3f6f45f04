"""Agents' feedback on articles (有帮助 / 没帮助 with an optional reason), sent through the
outbox (kind `article_feedback`): each item stored once by its uuid."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.authoring import Feedback
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import insert_ignoring_duplicates
from server.schemas import ItemAck, rejected_ack
from server.services.authoring.proposals import client_stamp
from server.tables import article_feedback


def push(conn: Connection, user: CurrentUser, items: list[dict[str, Any]]) -> list[ItemAck]:
    results: list[ItemAck] = []
    now = stamp()
    for raw in items:
        try:
            item = Feedback.model_validate(raw)
        except ValidationError as exc:
            results.append(rejected_ack(raw, exc))
            continue
        stored = insert_ignoring_duplicates(
            conn,
            article_feedback,
            {
                "uuid": item.uuid,
                "article_uuid": item.article_uuid,
                "user_id": user.id,
                "kind": item.kind,
                "reason": item.reason.strip(),
                "created_at": client_stamp(item.created_at, now),
                "received_at": now,
            },
            key="uuid",
        )
        results.append(ItemAck(uuid=item.uuid, status="stored" if stored else "duplicate"))
    return results
