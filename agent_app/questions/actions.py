"""What a supervisor does to a question, as sequences of API calls (Qt-free, run off the GUI
thread). A multi-step job remembers the steps already done, so a retry after an error carries
on where it stopped instead of creating a second article or answering twice.

Making an article: only a manager (or admin) publishes directly (issue 13, "only managers
approve; the server checks this"); everyone else's article is a proposal for a new article
that a manager approves on the review desk. Either way the article names the question it was
made from (`source_question_uuid`)."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from common.authoring import ProposalContent, ProposalIn
from common.timestamps import now_iso
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
    publish: bool = False  # publish at once (a manager); else a proposal for review


PROPOSED = "proposed"  # the status run() reports for an article sent for review


@dataclass
class MakeArticleJob:
    """Turn a question into an article: answer it with the text (linking the article when it
    is published), create the article (published at once) or propose it (for review), link it
    when the question was already answered and the article is published."""

    question: dict[str, Any]
    draft: ArticleDraft
    article_uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
    # The proposal's own uuid, made once: a retried submit is the same proposal (the server
    # answers with the stored one), never a second one.
    proposal_uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
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

    def proposal(self) -> ProposalIn:
        """The article as a proposal for a new article (no base version) made from the
        question."""
        draft = self.draft
        content = ProposalContent.model_validate(
            {
                "type": draft.type,
                "title": draft.title,
                "body": draft.body,
                "category": draft.category,
                "business_line": draft.business_line,
                "source_question_uuid": self.question["uuid"],
            }
        )
        return ProposalIn(
            uuid=self.proposal_uuid,
            article_uuid=self.article_uuid,
            base_version=None,
            content=content,
            created_at=now_iso(),
        )

    def run(self, client: ApiClient) -> dict[str, Any]:
        """Do the remaining steps; returns the created article (status `published`, or
        PROPOSED with `proposal_uuid` when it waits for a manager). Raises ConflictError when
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
        if not self.draft.publish:
            return self._propose(client)
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

    def _propose(self, client: ApiClient) -> dict[str, Any]:
        proposed = {
            "uuid": self.article_uuid,
            "title": self.draft.title,
            "status": PROPOSED,
            "proposal_uuid": self.proposal_uuid,
        }
        if not self.created:
            self.create_tried = True
            client.submit_proposal(self.proposal())  # idempotent by the proposal's uuid
            self.created = True
        return proposed


def merge_into(client: ApiClient, uuids: list[str], into: str) -> list[dict[str, Any]]:
    """Merge every question of `uuids` (but `into`) into `into`; returns the merged ones."""
    return [client.merge(uuid, into).model_dump() for uuid in uuids if uuid != into]
