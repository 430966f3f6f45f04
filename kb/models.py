"""Data types of the knowledge base's search side, and the kinds and business lines articles
carry. The Article itself is the shared model of common/articles.py (re-exported here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from common.articles import ARTICLE_STATUSES, ARTICLE_TYPES, Article

__all__ = [
    "ARTICLE_STATUSES",
    "ARTICLE_TYPES",
    "BUSINESS_LINES",
    "TYPE_NAMES",
    "Article",
    "SearchFilters",
    "SearchHit",
    "business_line_code",
]

# The business lines of DOMAIN.md a knowledge base starts with: code -> (Chinese, English).
# They are the seed, not a closed list: a center's own lines are data (kb/business_lines.py).
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


def business_line_code(
    value: str, lines: Mapping[str, tuple[str, str]] = BUSINESS_LINES
) -> str | None:
    """Accept a code or its Chinese/English name (English in any case); None when unknown."""
    value = value.strip()
    if value in lines:
        return value
    folded = value.casefold()
    for code, (zh, en) in lines.items():
        if value == zh or folded == en.casefold():
            return code
    return None


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
