"""The authoring pane's list (Qt-free): the articles of the local knowledge base found by title,
type and review date, with the user's own drafts and proposals first. Read on the db executor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agent_app.authoring.drafts import DraftStore
from kb.knowledge_base import KnowledgeBase

LIMIT = 500  # rows shown at once: narrow the search for more
# A published draft has done its work: the article itself is listed (its next edit is a new
# draft from the version now published).
LISTED_STATES = ("draft", "submitted", "rejected", "conflict", "approved")


@dataclass(frozen=True)
class ListFilter:
    text: str = ""  # part of the title
    type: str = ""  # '' = every type
    due_only: bool = False  # only articles past their review date (or due today)
    drafts_only: bool = False  # only the user's drafts


@dataclass(frozen=True)
class Row:
    kind: str  # 'draft' or 'article'
    uuid: str  # the draft's uuid, or the article's
    article_uuid: str
    title: str
    type: str
    review_due: str
    state: str  # a draft's state; 'published' for an article
    version: int = 0
    saved_at: str = ""


def list_rows(
    kb: KnowledgeBase, drafts: DraftStore, owner: str, wanted: ListFilter, today: date | None = None
) -> list[Row]:
    """The user's drafts that match, then the published articles that match (title order)."""
    day = (today or date.today()).isoformat()
    needle = wanted.text.strip().lower()
    rows: list[Row] = []
    for draft in drafts.for_user(owner, LISTED_STATES):
        content = draft.content
        if needle and needle not in str(content.get("title", "")).lower():
            continue
        if wanted.type and content.get("type") != wanted.type:
            continue
        due = str(content.get("review_due") or "")
        if wanted.due_only and not (due and due <= day):
            continue
        rows.append(
            Row(
                "draft",
                draft.uuid,
                draft.article_uuid,
                str(content.get("title") or ""),
                str(content.get("type") or "faq"),
                due,
                draft.state,
                draft.base_version or 0,
                draft.saved_at,
            )
        )
    if wanted.drafts_only:
        return rows
    sql = "SELECT uuid, title, type, review_due, version FROM articles WHERE status = 'published'"
    params: list[object] = []
    if needle:
        sql += " AND instr(lower(title), ?) > 0"
        params.append(needle)
    if wanted.type:
        sql += " AND type = ?"
        params.append(wanted.type)
    if wanted.due_only:
        sql += " AND review_due != '' AND review_due <= ?"
        params.append(day)
    sql += " ORDER BY title LIMIT ?"
    params.append(LIMIT)
    for r in kb.store.database.query(sql, params):
        rows.append(
            Row(
                "article",
                r["uuid"],
                r["uuid"],
                r["title"],
                r["type"],
                r["review_due"] or "",
                "published",
                int(r["version"]),
            )
        )
    return rows
