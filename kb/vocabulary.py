"""The center's search vocabulary as trainers edit it and the feed carries it: synonym groups
and user-dictionary words. Parsing what a trainer typed lives here, so the editor and the
applier agree on what one group or one word is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Terms of a group are separated the way trainers write lists in Chinese and in English.
_TERM_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_terms(text: str) -> list[str]:
    """'宽带、光纤, 网线' -> ['宽带', '光纤', '网线']: duplicates dropped, order kept."""
    return list(dict.fromkeys(t for t in (p.strip() for p in _TERM_SEPARATORS.split(text)) if t))


def split_words(text: str) -> list[str]:
    """One word a line (blank lines and surrounding spaces ignored), duplicates dropped."""
    return list(dict.fromkeys(w for w in (line.strip() for line in text.splitlines()) if w))


def join_terms(terms: Iterable[str]) -> str:
    return "、".join(terms)


@dataclass(frozen=True)
class Vocabulary:
    """Synonym groups (each two terms or more) and the words segmentation must keep whole."""

    synonym_groups: list[list[str]] = field(default_factory=list)
    user_words: list[str] = field(default_factory=list)

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> Vocabulary:
        """The wire form ({synonym_groups: [[...]], user_words: [...]}); a word may come as
        text or as {word, freq}. Groups of fewer than two terms say nothing and are dropped."""
        groups: list[list[str]] = []
        for raw in data.get("synonym_groups") or []:
            terms = split_terms(raw) if isinstance(raw, str) else _clean(raw)
            if len(terms) > 1:
                groups.append(terms)
        words: list[str] = []
        for raw in data.get("user_words") or []:
            word = raw.get("word", "") if isinstance(raw, Mapping) else raw
            if isinstance(word, str) and word.strip():
                words.append(word.strip())
        return cls(groups, list(dict.fromkeys(words)))

    def payload(self) -> dict[str, Any]:
        return {
            "synonym_groups": [list(g) for g in self.synonym_groups],
            "user_words": list(self.user_words),
        }


def _clean(terms: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(str(t).strip() for t in terms if str(t).strip()))
