"""Group near-duplicate questions so a supervisor answers each topic once.

Character bigrams with Jaccard similarity and single-link grouping: cheap, language-neutral and
good for short Chinese questions ("宽带怎么开发票" / "宽带能开发票吗").
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"[0-9a-z\u3400-\u9fff]+")
THRESHOLD = 0.3


def bigrams(text: str) -> frozenset[str]:
    runs = _KEEP.findall(text.lower())
    grams = {run[i : i + 2] for run in runs for i in range(max(1, len(run) - 1))}
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def group(items: list[tuple[str, str]], threshold: float = THRESHOLD) -> list[list[str]]:
    """items: (id, text) -> groups of ids, largest first; singletons included."""
    grams = [bigrams(text) for _, text in items]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if similarity(grams[i], grams[j]) >= threshold:
                parent[find(i)] = find(j)
    groups: dict[int, list[str]] = {}
    for i, (item_id, _text) in enumerate(items):
        groups.setdefault(find(i), []).append(item_id)
    return sorted(groups.values(), key=len, reverse=True)
