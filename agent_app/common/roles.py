"""What each role sees in the window; the server checks every action again on its side."""

from __future__ import annotations

from common.roles import (
    ARTICLE_EDITORS,
    ARTICLE_PUBLISHERS,
    CAMPAIGN_MANAGERS,
    QUESTION_HANDLERS,
    TAXONOMY_EDITORS,
)


def has_my_questions(role: str) -> bool:
    """Agents follow the questions they asked."""
    return role == "agent"


def has_question_queue(role: str) -> bool:
    """Team leaders, supervisors, managers and admins answer agents' questions."""
    return role in QUESTION_HANDLERS


def can_make_articles(role: str) -> bool:
    return role in ARTICLE_EDITORS


def can_publish(role: str) -> bool:
    return role in ARTICLE_PUBLISHERS


def can_manage_codes(role: str) -> bool:
    """An admin or the manager keeps the center's lists (business lines, codes)."""
    return role in TAXONOMY_EDITORS


def has_campaign_admin(role: str) -> bool:
    """Supervisors, managers and admins run outbound campaigns (the campaign pane)."""
    return role in CAMPAIGN_MANAGERS
