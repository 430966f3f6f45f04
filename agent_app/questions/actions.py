"""What a supervisor does to a question, as sequences of API calls (Qt-free, run off the GUI
thread). A multi-step job remembers the steps already done, so a retry after an error carries
on where it stopped instead of creating a second article or answering twice."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from sync.api_client import ApiClient, ConflictError

OPEN_STATES = ("open", "claimed")


def current_question(exc: ConflictError) -> dict[str, Any]:
    """The question as the server now has it, from a 409 answer ({} when not given)."""
    detail = exc.detail
    question = detail.get("question") if isinstance(detail, dict) else None
    return question if isinstance(question, dict) else {}


@dataclass
class ArticleDraft:
    title: str
    body: str
    type: str = "faq"
    business_line: str = ""
    category: str = ""
    publish: bool = False


@dataclass
class MakeArticleJob:
    """Turn a question into an article: answer it with the text (linking the article when it
    is published), create the article, link it when the question was already answered."""

    question: dict[str, Any]
    draft: ArticleDraft
    article_uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
    answered: bool = False
    create_tried: bool = False
    created: bool = False
    linked: bool = False

    def payload(self) -> dict[str, Any]:
        draft = self.draft
        return {
            "uuid": self.article_uuid,
            "type": draft.type,
            "title": draft.title,
            "body": draft.body,
            "category": draft.category,
            "business_line": draft.business_line,
            "status": "published" if draft.publish else "draft",
            "source_question_uuid": self.question["uuid"],
        }

    def run(self, client: ApiClient) -> dict[str, Any]:
        """Do the remaining steps; returns the created article. Raises ConflictError when
        another handler dealt with the question first (self.question is then updated)."""
        question = self.question
        link = self.article_uuid if self.draft.publish else ""
        answering = question["status"] in OPEN_STATES and not self.answered
        if answering:
            try:
                self.question = client.answer(
                    question["uuid"],
                    self.draft.body,
                    article_uuid=link,
                    expected_version=question.get("row_version"),
                ).model_dump()
            except ConflictError as exc:
                self.question = current_question(exc) or question
                raise
            self.answered = True
        article = self._create(client)
        if link and not self.answered and not self.linked and not question.get("article_uuid"):
            # Answered before (by this supervisor or another): point it at the new article,
            # unless it already points at one (never overwrite someone's link silently).
            self.question = client.link(question["uuid"], link).model_dump()
            self.linked = True
        return article

    def _create(self, client: ApiClient) -> dict[str, Any]:
        if self.created:
            return self.payload()
        retry = self.create_tried
        self.create_tried = True
        try:
            article = client.create_article(self.payload()).model_dump()
        except ConflictError:
            if not retry:
                raise
            # Our earlier attempt reached the server but its reply was lost: it exists.
            article = self.payload()
        self.created = True
        return article


def merge_into(client: ApiClient, uuids: list[str], into: str) -> list[dict[str, Any]]:
    """Merge every question of `uuids` (but `into`) into `into`; returns the merged ones."""
    return [client.merge(uuid, into).model_dump() for uuid in uuids if uuid != into]
