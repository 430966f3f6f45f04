"""Request and response bodies of the API (pydantic). Limits here are the API's contract."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

Role = Literal["agent", "team_leader", "supervisor", "trainer", "manager", "admin"]
ArticleType = Literal["faq", "script", "flow", "complaint_guide"]
QuestionStatus = Literal["open", "claimed", "answered", "rejected", "merged"]


MAX_ID = 2**62  # integers beyond this would overflow the databases' 64-bit columns


def _no_nul(value: Any) -> Any:
    """PostgreSQL cannot store NUL in text: refuse it here, item by item, rather than fail a
    whole batch in the database."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters / 文本不能包含空字符")
    if isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _check_nul = field_validator("*")(_no_nul)


def _uuid(value: str) -> str:
    return str(uuidlib.UUID(value))


# -- auth and users -----------------------------------------------------------------------------
class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    disabled: bool = False


class LoginOut(BaseModel):
    token: str
    expires_at: str
    user: UserOut


class UserCreate(Strict):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=8, max_length=256)
    role: Role
    display_name: str = Field(default="", max_length=100)


class UserPatch(Strict):
    disabled: bool | None = None
    role: Role | None = None
    password: str | None = Field(default=None, min_length=8, max_length=256)
    display_name: str | None = Field(default=None, max_length=100)


# -- questions ----------------------------------------------------------------------------------
class QuestionIn(Strict):
    uuid: str
    query: str = Field(min_length=1, max_length=2000)
    note: str = Field(default="", max_length=5000)
    closest_article_uuid: str = Field(default="", max_length=36)
    business_line: str = Field(default="", max_length=32)
    category: str = Field(default="", max_length=200)
    created_at: str = Field(default="", max_length=40)

    _check_uuid = field_validator("uuid")(_uuid)


class BatchIn(BaseModel):
    # Items are validated one by one so a bad item is refused alone (per-item acknowledgement).
    items: list[dict[str, Any]] = Field(min_length=1, max_length=500)


class ItemAck(BaseModel):
    uuid: str
    status: Literal["stored", "duplicate", "rejected"]
    errors: list[dict[str, Any]] = []


class BatchOut(BaseModel):
    results: list[ItemAck]


def rejected_ack(raw: dict[str, Any], exc: ValidationError) -> ItemAck:
    """The acknowledgement of an item that failed validation, with its field errors."""
    errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
    return ItemAck(uuid=str(raw.get("uuid", ""))[:64], status="rejected", errors=errors)


class QuestionOut(BaseModel):
    uuid: str
    agent: str
    query: str
    note: str
    closest_article_uuid: str
    business_line: str
    category: str
    status: QuestionStatus
    claimed_by: str | None
    answer: str
    answered_by: str | None
    answered_at: str | None
    reject_reason: str
    merged_into: str | None
    article_uuid: str
    created_at: str
    received_at: str
    updated_at: str
    row_version: int


class QuestionPage(BaseModel):
    items: list[QuestionOut]
    total: int


class AnswerIn(Strict):
    answer: str = Field(min_length=1, max_length=20_000)
    article_uuid: str = Field(default="", max_length=36)
    expected_version: int | None = Field(default=None, ge=0, le=MAX_ID)  # stale -> 409


class RejectIn(Strict):
    reason: str = Field(min_length=1, max_length=2000)
    expected_version: int | None = Field(default=None, ge=0, le=MAX_ID)


class MergeIn(Strict):
    into: str

    _check_uuid = field_validator("into")(_uuid)


class LinkIn(Strict):
    article_uuid: str

    _check_uuid = field_validator("article_uuid")(_uuid)


class QuestionGroup(BaseModel):
    representative: str
    members: list[str]


# -- articles -----------------------------------------------------------------------------------
class ArticleIn(Strict):
    uuid: str | None = None
    type: ArticleType
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=200_000)
    category: str = Field(default="", max_length=200)
    tags: list[str] = Field(default_factory=list, max_length=50)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    business_line: str = Field(default="", max_length=32)
    contact_point: str = Field(default="", max_length=32)
    status: Literal["draft", "published"] = "draft"
    source_question_uuid: str = Field(default="", max_length=36)
    # For updates: the version the editor started from.
    base_version: int | None = Field(default=None, ge=0, le=MAX_ID)

    @field_validator("uuid")
    @classmethod
    def _check_optional_uuid(cls, value: str | None) -> str | None:
        return _uuid(value) if value else None


class ArticleOut(BaseModel):
    uuid: str
    type: str
    title: str
    body: str
    category: str
    tags: list[str]
    aliases: list[str]
    business_line: str
    contact_point: str
    status: str
    version: int
    source_question_uuid: str
    created_at: str
    updated_at: str


# -- feed ---------------------------------------------------------------------------------------
class Change(BaseModel):
    seq: int
    kind: Literal["article", "article_tombstone", "question"]
    uuid: str
    data: dict[str, Any]


class ChangesOut(BaseModel):
    changes: list[Change]
    next_since: int
    has_more: bool


class SearchMissIn(Strict):
    uuid: str
    query: str = Field(min_length=1, max_length=2000)
    created_at: str = Field(default="", max_length=40)

    _check_uuid = field_validator("uuid")(_uuid)


class SearchMissOut(BaseModel):
    query: str
    times: int
    agents: int
    last_at: str
