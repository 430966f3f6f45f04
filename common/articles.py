"""The one Article model: what the importer, exporter, local store, changes-feed puller and the
server's routes all read and write.

Rows keep `tags` and `aliases` as JSON text (SQLite and the server's tables alike);
`Article.from_row` and `Article.row` are the only places that know it (`attachments` too: a
JSON list of {sha256, name, mime, size}). `record()` is the
exchange form the importer reads and the exporter writes (`id` is the center's own key when the
article came with one).
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ArticleType = Literal["faq", "script", "flow", "complaint_guide"]
ArticleStatus = Literal["draft", "published", "archived", "deleted"]
ARTICLE_TYPES: tuple[str, ...] = ("faq", "script", "flow", "complaint_guide")
ARTICLE_STATUSES: tuple[str, ...] = ("draft", "published", "archived", "deleted")

# The fields that make up an article's content: a change in any of them is a new revision.
CONTENT_FIELDS: tuple[str, ...] = (
    "type",
    "title",
    "body",
    "category",
    "tags",
    "aliases",
    "business_line",
    "contact_point",
    "status",
)
LIST_FIELDS = frozenset({"tags", "aliases"})
# Kept as JSON text in rows, like the lists above.
JSON_FIELDS = frozenset({"tags", "aliases", "attachments"})

# A fixed namespace: a center's own id ('FAQ-0012') maps to the same UUID on every import and
# on every workstation, so re-importing updates the article instead of adding a copy.
EXTERNAL_ID_NAMESPACE = uuidlib.UUID("3c0f5a52-2b7e-4d0e-9f4b-6d1f0a8e7c21")


def uuid_for_external_id(external_id: str) -> str:
    return str(uuidlib.uuid5(EXTERNAL_ID_NAMESPACE, external_id))


class AttachmentRef(BaseModel):
    """An image or PDF of an article, addressed by its content (the server keeps each file once;
    clients fetch `/attachments/{sha256}` and keep it under that name)."""

    model_config = ConfigDict(extra="ignore")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: str = Field(min_length=1, max_length=255)
    mime: str = Field(max_length=100)
    size: int = Field(ge=0, strict=True)


class Article(BaseModel):
    """An article at one version. Mutable on purpose: the store sets version, seq and stamps."""

    model_config = ConfigDict(extra="ignore")

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = CONTENT_FIELDS

    uuid: str
    type: ArticleType
    title: str
    body: str
    category: str = ""
    tags: list[str] = []
    aliases: list[str] = []
    business_line: str = ""
    contact_point: str = ""
    status: ArticleStatus = "published"
    version: int = 1
    created_at: str = ""
    updated_at: str = ""
    # Server side: the unanswered question the article was written from.
    source_question_uuid: str = ""
    # The day ('YYYY-MM-DD', may be empty) by which a trainer reviews the article again; set by
    # the author and approved with the text (issue 13), on the wire since then.
    review_due: str = ""
    # Images and PDFs that belong to the article (issue 13).
    attachments: list[AttachmentRef] = []
    # This workstation only, never on the wire (API answers, the feed, revisions): the center's
    # own id of an imported article ('FAQ-0012') and the local change number.
    external_id: str = Field(default="", exclude=True)
    seq: int = Field(default=0, exclude=True)

    @field_validator("tags", "aliases", "attachments", mode="before")
    @classmethod
    def _list_from_json_text(cls, value: Any) -> Any:
        """Rows hold the lists as JSON text (NULL in a column an older row lacks)."""
        if value is None:
            return []
        if isinstance(value, str):
            return json.loads(value) if value.strip() else []
        return value

    @field_validator(
        "category",
        "business_line",
        "contact_point",
        "created_at",
        "updated_at",
        "external_id",
        "source_question_uuid",
        "review_due",
        mode="before",
    )
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        """A NULL column (older rows, other tables) is an empty text."""
        return "" if value is None else value

    # -- rows -------------------------------------------------------------------------------
    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Article:
        """A database row (SQLite dict or SQLAlchemy mapping) or a feed/API payload."""
        return cls.model_validate(dict(row))

    def row(self, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """Column values for a table with `fields` (all fields by default); lists as JSON."""
        data = self.to_dict()
        if fields is not None:
            wanted = set(fields)
            data = {k: v for k, v in data.items() if k in wanted}
        for name in JSON_FIELDS & data.keys():
            data[name] = json.dumps(data[name], ensure_ascii=False)
        return data

    # -- content ----------------------------------------------------------------------------
    def same_content(self, other: Article) -> bool:
        return all(getattr(self, f) == getattr(other, f) for f in CONTENT_FIELDS)

    def to_dict(self) -> dict[str, Any]:
        """Every field, the local ones included (model_dump() gives the wire form)."""
        return {name: _copied(getattr(self, name)) for name in type(self).model_fields}

    def record(self) -> dict[str, Any]:
        """The exchange form of import and export: the center's id when it has one."""
        data = self.to_dict()
        return {"id": self.external_id or self.uuid, **{k: data[k] for k in CONTENT_FIELDS}}


def _copied(value: Any) -> Any:
    if isinstance(value, list):
        # Attachments are models: their plain form, so rows and copies hold no shared objects.
        return [item.model_dump() if isinstance(item, BaseModel) else item for item in value]
    return value
