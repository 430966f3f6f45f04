"""Group near-duplicate questions so a supervisor answers each topic once.

Character bigrams with Jaccard similarity and single-link grouping: cheap, language-neutral and
good for short Chinese questions ("宽带怎么开发票" / "宽带能开发票吗").

Comparing every pair of open questions on each request cost seconds at a few thousand, so
`SimilarityIndex` remembers what never changes: a question's text, hence its bigram signature,
and which signatures are similar. It keeps an inverted index (bigram -> signatures), so a new
signature is compared only with those sharing a bigram, once. A request then only looks up the
open questions' signatures and joins the similar ones that are open: the same groups as
comparing every pair, in time linear in the questions and their similar pairs.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict

_KEEP = re.compile(r"[0-9a-z\u3400-\u9fff]+")
THRESHOLD = 0.3
# Past this many signatures the index starts again from the questions open now: texts of
# questions long answered would otherwise be kept for the life of the process.
MAX_SIGNATURES = 200_000
RECENT_RESULTS = 8
_ALONE = -1  # a text without letters, digits or CJK: similar to nothing, not even to itself


def bigrams(text: str) -> frozenset[str]:
    runs = _KEEP.findall(text.lower())
    grams = {run[i : i + 2] for run in runs for i in range(max(1, len(run) - 1))}
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class SimilarityIndex:
    """Signatures seen so far and their similar neighbours; safe to share between threads."""

    def __init__(self, threshold: float = THRESHOLD, max_signatures: int = MAX_SIGNATURES) -> None:
        self.threshold = threshold
        self.max_signatures = max_signatures
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._by_text: dict[str, int] = {}
        self._by_grams: dict[frozenset[str], int] = {}
        self._sizes: list[int] = []
        self._postings: defaultdict[str, list[int]] = defaultdict(list)
        self._neighbours: list[list[int]] = []  # per signature: the similar older ones
        # The last few results, by their exact input (one per business-line filter in use).
        self._recent: dict[tuple[tuple[str, str], ...], list[list[str]]] = {}

    @property
    def signatures(self) -> int:
        return len(self._sizes)

    def _signature(self, text: str) -> int:
        known = self._by_text.get(text)
        if known is not None:
            return known
        grams = bigrams(text)
        if not grams:
            sid = _ALONE
        else:
            found = self._by_grams.get(grams)
            sid = self._add(grams) if found is None else found
        self._by_text[text] = sid
        return sid

    def _add(self, grams: frozenset[str]) -> int:
        sid = len(self._sizes)
        size = len(grams)
        shared: Counter[int] = Counter()
        for gram in grams:
            posting = self._postings[gram]
            shared.update(posting)
            posting.append(sid)
        mine: list[int] = []
        for other, common in shared.items():
            # Jaccard = |a & b| / |a | b|, computed exactly as similarity() does.
            if common / (size + self._sizes[other] - common) >= self.threshold:
                mine.append(other)  # each similar pair is kept once, by the newer signature
        self._sizes.append(size)
        self._neighbours.append(mine)
        self._by_grams[grams] = sid
        return sid

    def group(self, items: list[tuple[str, str]]) -> list[list[str]]:
        """items: (id, text) in order -> groups of ids, largest first (ties: the group whose
        first member comes first), members in the order given; singletons included."""
        asked = tuple(items)
        with self._lock:
            # Every supervisor's queue asks every few seconds; while no question came or went,
            # the answer is the one just computed.
            done = self._recent.get(asked)
            if done is not None:
                return [list(g) for g in done]
            if (
                len(self._sizes) > self.max_signatures
                or len(self._by_text) > 2 * self.max_signatures
            ):
                self._reset()
            sids = [self._signature(text) for _, text in items]
            # Union-find over the signatures present; a signature's questions share one group.
            parent = {sid: sid for sid in sids if sid != _ALONE}

            def find(x: int) -> int:
                while parent[x] != x:
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                return x

            for sid in parent:
                for other in self._neighbours[sid]:
                    if other in parent:
                        a, b = find(sid), find(other)
                        if a != b:
                            parent[a] = b
            groups: dict[object, list[str]] = {}
            for position, ((item_id, _text), sid) in enumerate(zip(items, sids, strict=True)):
                label: object = ("alone", position) if sid == _ALONE else find(sid)
                groups.setdefault(label, []).append(item_id)
            result = sorted(groups.values(), key=len, reverse=True)
            self._recent[asked] = [list(g) for g in result]
            while len(self._recent) > RECENT_RESULTS:
                del self._recent[next(iter(self._recent))]
        return result


def group(items: list[tuple[str, str]], threshold: float = THRESHOLD) -> list[list[str]]:
    """items: (id, text) -> groups of ids, largest first; singletons included.

    Compares every pair: the reference the index is tested against, for small inputs only.
    """
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
