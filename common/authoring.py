"""Knowledge authoring on the wire (issue 13): proposals and their review, revisions with their
author and approver, attachments, agents' feedback, the trainers' attention lists and the
search vocabulary. Shared by the server's routes, the API client and the desktop's editor.

The contract in words (states, routes, roles) is docs/authoring.md.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from common.articles import Article, ArticleType, AttachmentRef

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_MIMES",
    "APPROVERS",
    "SUBMITTERS",
    "VOCABULARY_EDITORS",
    "ApproveIn",
    "Attention",
    "AttentionArticle",
    "AttachmentRef",
    "Feedback",
    "FeedbackKind",
    "LinkedQuestion",
    "NotHelpful",
    "Proposal",
    "ProposalContent",
    "ProposalIn",
    "ProposalState",
    "RejectIn",
    "RevisionOut",
    "Vocabulary",
    "VocabularyIn",
    "contact_point_problem",
]

# Who may do what (the server checks; the desktop shows only what the role may do).
# Submit a proposal, edit the search vocabulary: everyone who writes knowledge, not agents.
SUBMITTERS: tuple[str, ...] = ("trainer", "supervisor", "manager", "admin")
VOCABULARY_EDITORS: tuple[str, ...] = SUBMITTERS
# Approve, reject, publish and retire: the center manager approves every change (DOMAIN.md,
# "Quality and knowledge"); the admin, who can do everything the server allows, too.
APPROVERS: tuple[str, ...] = ("manager", "admin")

# Draft lives on the client only. `conflict`: the base was stale when the proposal arrived (or
# when it was approved); the author merges and submits a new proposal.
ProposalState = Literal["submitted", "conflict", "approved", "rejected", "published"]
PROPOSAL_STATES: tuple[str, ...] = ("submitted", "conflict", "approved", "rejected", "published")

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MIMES: tuple[str, ...] = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
)

UUID_PATTERN = _UUID = (
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_DAY = r"^(\d{4}-\d{2}-\d{2})?$"
# Channel letter, an optional middle letter (the center's charts print AAA1102 as well as
# AA1102), brand letter, four digits: DOMAIN.md "Service process map", seed 002.
_CONTACT_POINT = re.compile(r"^[A-D][A-Z]?[A-E][1-9][0-9](0[1-9]|[1-9][0-9])$")
# The same shape for the OpenAPI document (lower case is taken and stored upper case), so a
# client or fuzzer reading the schema knows what the server takes; the check itself is
# contact_point_problem, whose message is in Chinese and English.
CONTACT_POINT_PATTERN = r"^([A-Da-d][A-Za-z]?[A-Ea-e][1-9][0-9](0[1-9]|[1-9][0-9]))?$"
# A search word: no spaces (the client trims), at most 30 characters.
WORD_PATTERN = r"^[^ \t\r\n\f\v\u3000]{1,30}$"


def contact_point_problem(code: str) -> str:
    """'' when `code` is empty or a contact-point code as DOMAIN.md describes, else why not."""
    if not code or _CONTACT_POINT.match(code):
        return ""
    return (
        "接触点编码的格式是：渠道字母(A-D) + 品牌字母(A-E) + 4 位业务编码，例如 AA1102"
        " / a contact-point code is a channel letter (A-D), a brand letter (A-E) and 4 digits,"
        " e.g. AA1102"
    )


def _clean_text(value: Any) -> Any:
    """No NUL (PostgreSQL cannot store it) and no lone surrogate (nothing can encode it)."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str):
            if "\x00" in text:
                raise ValueError("text must not contain NUL characters / 文本不能包含空字符")
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("text is not valid Unicode / 文本包含无效字符") from None
    return value


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProposalContent(_Wire):
    """The article as the author wants it: every field a proposal may change."""

    type: ArticleType
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=200_000)
    category: str = Field(default="", max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=50)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    business_line: str = Field(default="", max_length=32)
    contact_point: str = Field(
        default="", max_length=32, json_schema_extra={"pattern": CONTACT_POINT_PATTERN}
    )
    review_due: str = Field(default="", pattern=_DAY)
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=50)
    source_question_uuid: str = Field(default="", max_length=36)

    _clean = field_validator(
        "title", "body", "category", "tags", "aliases", "business_line", "contact_point"
    )(_clean_text)

    @field_validator("tags", "aliases")
    @classmethod
    def _short_items(cls, value: list[str]) -> list[str]:
        if any(len(item) > 100 for item in value):
            raise ValueError("a tag or alias is at most 100 characters / 标签或别名最多 100 个字")
        return value

    @field_validator("contact_point")
    @classmethod
    def _contact_point(cls, value: str) -> str:
        value = value.upper()
        problem = contact_point_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @classmethod
    def of(cls, article: Article) -> ProposalContent:
        """The content of an article as it is (to restore a revision, or to start editing)."""
        data = article.model_dump()
        return cls.model_validate({k: data[k] for k in cls.model_fields if k in data})


class ProposalIn(_Wire):
    """What the author sends, online (`POST /authoring/proposals`) or through the outbox
    (`POST /authoring/proposals/batch`, kind `article_proposal`)."""

    uuid: str = Field(pattern=_UUID)  # made by the client: the outbox retries by it
    article_uuid: str = Field(pattern=_UUID)  # a new uuid for a new article
    # None: a new article. Strict: JSON true is not version 1.
    base_version: int | None = Field(default=None, ge=1, le=2**53 - 1, strict=True)
    content: ProposalContent
    note: str = Field(default="", max_length=2000)
    created_at: str = Field(default="", max_length=40)  # when the author submitted (client)

    _clean = field_validator("note")(_clean_text)


class Proposal(BaseModel):
    """A proposal as the server keeps it."""

    model_config = ConfigDict(extra="ignore")

    uuid: str
    article_uuid: str
    base_version: int | None
    content: ProposalContent
    note: str = ""
    state: ProposalState
    author: str = ""  # display name (username when it has none)
    author_username: str = ""
    created_at: str = ""
    received_at: str = ""
    decided_by: str = ""  # who approved or rejected
    decided_at: str = ""
    comment: str = ""  # the reason of a rejection
    published_version: int | None = None
    # The article as it stood when the proposal was found stale (state `conflict`), and the
    # text it was based on: the editor's theirs and base for the three-way merge.
    current: Article | None = None
    base: Article | None = None


class ApproveIn(_Wire):
    publish: bool = Field(default=True, strict=True)  # approve and publish at once (usual)


class RejectIn(_Wire):
    comment: str = Field(min_length=1, max_length=2000)

    _clean = field_validator("comment")(_clean_text)


class RevisionOut(BaseModel):
    """One version of an article, with who wrote it and who approved it."""

    model_config = ConfigDict(extra="ignore")

    version: int
    article: Article
    author: str = ""
    approver: str = ""
    proposal_uuid: str = ""
    created_at: str = ""


FeedbackKind = Literal["helpful", "not_helpful"]


class Feedback(_Wire):
    """An agent's 有帮助 / 没帮助 on an article (outbox kind `article_feedback`)."""

    uuid: str = Field(pattern=_UUID)
    article_uuid: str = Field(pattern=_UUID)
    kind: FeedbackKind
    reason: str = Field(default="", max_length=500)
    created_at: str = Field(default="", max_length=40)

    _clean = field_validator("reason")(_clean_text)


class LinkedQuestion(BaseModel):
    """An unanswered question an article was made from, or that points at it."""

    uuid: str
    query: str
    status: str


class AttentionArticle(BaseModel):
    uuid: str
    title: str
    type: str
    business_line: str = ""
    review_due: str = ""
    version: int
    questions: list[LinkedQuestion] = []


class NotHelpful(BaseModel):
    article: AttentionArticle
    count: int
    reasons: list[str] = []  # the newest first, the empty ones left out


class Attention(BaseModel):
    """`GET /authoring/attention`: what trainers should look at."""

    today: str
    review_overdue: list[AttentionArticle] = []
    not_helpful: list[NotHelpful] = []


_WORD_SCHEMA: dict[str, Any] = {"type": "string", "pattern": WORD_PATTERN}


class VocabularyIn(_Wire):
    """The center's search vocabulary: synonym groups and the user dictionary's words.

    A word has no spaces and at most 30 characters; a group has 2 to 50 different words; the
    user dictionary drops repeats. The schema says so (`json_schema_extra`); the validators
    check it with messages in Chinese and English."""

    synonym_groups: list[list[str]] = Field(
        default_factory=list,
        max_length=5000,
        json_schema_extra={
            "items": {
                "type": "array",
                "items": _WORD_SCHEMA,
                "minItems": 2,
                "maxItems": 50,
                "uniqueItems": True,
            }
        },
    )
    user_words: list[str] = Field(
        default_factory=list, max_length=20000, json_schema_extra={"items": _WORD_SCHEMA}
    )

    @field_validator("synonym_groups")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            words = _words(group)
            if len(words) != len(group):
                raise ValueError("a synonym group lists a word twice / 同义词组中有重复的词")
            if len(words) < 2:
                raise ValueError(
                    "a synonym group needs at least two different words"
                    " / 同义词组至少要有两个不同的词"
                )
            if len(words) > 50:
                raise ValueError("a synonym group has at most 50 words / 同义词组最多 50 个词")
        return groups

    @field_validator("user_words")
    @classmethod
    def _user_words(cls, words: list[str]) -> list[str]:
        return _words(words)


def _words(words: list[str]) -> list[str]:
    """Each a word (no spaces, 1-30 characters), without repeats."""
    out: list[str] = []
    for word in words:
        _clean_text(word)
        if not re.fullmatch(WORD_PATTERN, word):
            raise ValueError(
                "a word is 1 to 30 characters with no spaces / 每个词为 1 到 30 个字且不含空格"
            )
        if word not in out:
            out.append(word)
    return out


class Vocabulary(VocabularyIn):
    model_config = ConfigDict(extra="ignore")

    version: int = 0
    updated_at: str = ""
    updated_by: str = ""
