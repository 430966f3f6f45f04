"""Plain data types of the knowledge base: articles, their kinds and business lines."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

ARTICLE_TYPES = ("faq", "script", "flow", "complaint_guide")
ARTICLE_STATUSES = ("draft", "published", "archived", "deleted")

# Business lines of DOMAIN.md: code -> (Chinese name, English name).
BUSINESS_LINES: dict[str, tuple[str, str]] = {
    "property": ("物业服务", "Property services"),
    "elderly_care": ("养老服务", "Elderly care"),
    "home_upgrade": ("房屋配套升级", "Home upgrade"),
    "real_estate": ("不动产运营", "Property rental and sale"),
    "education": ("社区教育", "Community education"),
    "finance": ("社区金融", "Community finance"),
    "telecom": ("电信热线", "Telecom hotline"),
}

TYPE_NAMES: dict[str, tuple[str, str]] = {
    "faq": ("常见问题", "FAQ"),
    "script": ("话术", "Script"),
    "flow": ("流程", "Process flow"),
    "complaint_guide": ("投诉处理", "Complaint guide"),
}


def business_line_code(value: str) -> str | None:
    """Accept a code or its Chinese/English name; None when unknown."""
    value = value.strip()
    if value in BUSINESS_LINES:
        return value
    for code, names in BUSINESS_LINES.items():
        if value in names:
            return code
    return None


@dataclass
class Article:
    uuid: str
    type: str
    title: str
    body: str
    category: str = ""
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    business_line: str = ""
    contact_point: str = ""
    status: str = "published"
    version: int = 1
    created_at: str = ""
    updated_at: str = ""
    review_due: str = ""
    seq: int = 0

    # The fields that make up an article's content: a change in any of them is a new revision.
    CONTENT_FIELDS = (
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

    def same_content(self, other: Article) -> bool:
        return all(getattr(self, f) == getattr(other, f) for f in self.CONTENT_FIELDS)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class SearchHit:
    uuid: str
    title: str
    type: str
    business_line: str
    category: str
    score: float
    snippet: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.uuid,
            "title": self.title,
            "type": self.type,
            "business_line": self.business_line,
            "category": self.category,
            "score": round(self.score, 4),
            "snippet": self.snippet,
        }


@dataclass
class SearchFilters:
    type: str | None = None
    business_line: str | None = None
    category: str | None = None  # a category path prefix, e.g. "电信/宽带"

    def is_empty(self) -> bool:
        return not (self.type or self.business_line or self.category)
