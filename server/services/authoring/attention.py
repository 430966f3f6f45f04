"""What trainers should look at: published articles past their review day, and articles agents
voted 没帮助 on (with their reasons); each with the unanswered questions linked to it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.authoring import Attention, AttentionArticle, LinkedQuestion, NotHelpful
from common.timestamps import utc_now
from server.tables import article_feedback, articles, questions

# Review days are the center's calendar days (China time), like the outbound calendar's.
CHINA = ZoneInfo("Asia/Shanghai")
MAX_REASONS = 20
MAX_ARTICLES = 200


def today(now: datetime | None = None) -> str:
    return (now or utc_now()).astimezone(CHINA).date().isoformat()


def _columns() -> list[Any]:
    return [
        articles.c.uuid,
        articles.c.title,
        articles.c.type,
        articles.c.business_line,
        articles.c.review_due,
        articles.c.version,
        articles.c.source_question_uuid,
    ]


def _linked(conn: Connection, rows: list[Any]) -> dict[str, list[LinkedQuestion]]:
    """The questions each article was made from or that point at it."""
    uuids = [r.uuid for r in rows]
    sources = {r.source_question_uuid: r.uuid for r in rows if r.source_question_uuid}
    if not uuids:
        return {}
    found = conn.execute(
        sa.select(
            questions.c.uuid,
            questions.c.query,
            questions.c.status,
            questions.c.article_uuid,
            questions.c.closest_article_uuid,
        )
        .where(
            sa.or_(
                questions.c.article_uuid.in_(uuids),
                questions.c.closest_article_uuid.in_(uuids),
                questions.c.uuid.in_(list(sources)),
            )
        )
        .order_by(questions.c.id)
        .limit(20 * len(uuids))
    ).all()
    out: dict[str, list[LinkedQuestion]] = defaultdict(list)
    for q in found:
        targets = {q.article_uuid, q.closest_article_uuid, sources.get(q.uuid, "")} & set(uuids)
        for target in targets:
            out[target].append(LinkedQuestion(uuid=q.uuid, query=q.query, status=q.status))
    return out


def _article(row: Any, linked: dict[str, list[LinkedQuestion]]) -> AttentionArticle:
    return AttentionArticle(
        uuid=row.uuid,
        title=row.title,
        type=row.type,
        business_line=row.business_line,
        review_due=row.review_due,
        version=row.version,
        questions=linked.get(row.uuid, []),
    )


def attention(conn: Connection, min_not_helpful: int = 1, now: datetime | None = None) -> Attention:
    day = today(now)
    overdue = conn.execute(
        sa.select(*_columns())
        .where(articles.c.status == "published")
        .where(articles.c.review_due != "")
        .where(articles.c.review_due < day)
        .order_by(articles.c.review_due, articles.c.uuid)
        .limit(MAX_ARTICLES)
    ).all()
    count = sa.func.count().label("votes")
    voted = conn.execute(
        sa.select(article_feedback.c.article_uuid, count)
        .where(article_feedback.c.kind == "not_helpful")
        .group_by(article_feedback.c.article_uuid)
        .having(sa.func.count() >= min_not_helpful)
        .order_by(count.desc(), article_feedback.c.article_uuid)
        .limit(MAX_ARTICLES)
    ).all()
    votes = {r.article_uuid: int(r.votes) for r in voted}
    voted_rows = (
        conn.execute(
            sa.select(*_columns())
            .where(articles.c.uuid.in_(list(votes)))
            .where(articles.c.status == "published")
        ).all()
        if votes
        else []
    )
    reasons: dict[str, list[str]] = defaultdict(list)
    if votes:
        for r in conn.execute(
            sa.select(article_feedback.c.article_uuid, article_feedback.c.reason)
            .where(article_feedback.c.article_uuid.in_(list(votes)))
            .where(article_feedback.c.kind == "not_helpful")
            .where(article_feedback.c.reason != "")
            .order_by(article_feedback.c.created_at.desc(), article_feedback.c.id.desc())
        ).all():
            if len(reasons[r.article_uuid]) < MAX_REASONS:
                reasons[r.article_uuid].append(r.reason)
    linked = _linked(conn, [*overdue, *voted_rows])
    not_helpful = [
        NotHelpful(article=_article(row, linked), count=votes[row.uuid], reasons=reasons[row.uuid])
        for row in voted_rows
    ]
    not_helpful.sort(key=lambda item: (-item.count, item.article.uuid))
    return Attention(
        today=day,
        review_overdue=[_article(row, linked) for row in overdue],
        not_helpful=not_helpful,
    )
