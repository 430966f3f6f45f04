"""Turn what an agent types into a weighted Whoosh query.

Title and aliases weigh most; synonyms expand at query time (so editing a group needs no
re-index); pinyin terms of the query catch homophone typos from pinyin input methods; title
bigrams catch one-character typos; latin input is tried as pinyin and initials.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as Q

from kb.text_analysis import MAX_PINYIN_NGRAM, Analyzer, is_cjk

# How much a match in each field counts.
BOOSTS = {
    "title": 5.0,
    "aliases": 4.0,
    "tags": 2.5,
    "body": 1.0,
    "bigram": 0.6,
    "pinyin": 1.5,
    "initials": 1.2,
}
SYNONYM_FACTOR = 0.7
HOMOPHONE_FACTOR = 0.6
LEXICON_PINYIN_FACTOR = 0.8  # words of a lexicon phrase the query's pinyin spells
WORD_FIELDS = ("title", "aliases", "tags", "body")


@dataclass
class BuiltQuery:
    terms: dict[tuple[str, str], float]  # (field, term) -> boost
    highlight_terms: list[str] = field(default_factory=list)

    def query(self, keep: set[tuple[str, str]] | None = None) -> Q.Query | None:
        """One OR over the terms (those in `keep`, when given).

        Whoosh's array matcher: with more than 5,000 documents a segment otherwise gets a
        binary tree of union matchers, which costs far more per candidate document.
        """
        chosen = [
            Q.Term(f, t, boost=b)
            for (f, t), b in self.terms.items()
            if keep is None or (f, t) in keep
        ]
        if not chosen:
            return None
        union = Q.Or(chosen)
        union.matcher_type = Q.Or.ARRAY_MATCHER
        return union


class QueryBuilder:
    def __init__(self, analyzer: Analyzer) -> None:
        self.an = analyzer

    def build(self, text: str) -> BuiltQuery:
        an = self.an
        terms: dict[tuple[str, str], float] = {}

        def add(fieldname: str, term: str, factor: float = 1.0) -> None:
            if not term:
                return
            boost = BOOSTS[fieldname] * factor
            key = (fieldname, term)
            if terms.get(key, 0.0) < boost:
                terms[key] = boost

        words = an.words(text)
        if not words:  # a query of only question words: search them rather than nothing
            words = an.words(text, drop_stopwords=False)
        highlight: list[str] = []
        for word in words:
            highlight.append(word)
            for f in WORD_FIELDS:
                add(f, word)
            for syn in an.synonyms(word):
                highlight.append(syn)
                for f in WORD_FIELDS:
                    add(f, syn, SYNONYM_FACTOR)
            if not is_cjk(word) and word.isalpha():
                add("pinyin", word)
                if len(word) <= MAX_PINYIN_NGRAM:
                    add("initials", word)
                # Pinyin or initials of a domain phrase: search the phrase's words too.
                for phrase in an.phrases_for_latin(word):
                    for part in an.words(phrase):
                        highlight.append(part)
                        for f in WORD_FIELDS:
                            add(f, part, LEXICON_PINYIN_FACTOR)
                        for syn in an.synonyms(part):
                            for f in WORD_FIELDS:
                                add(f, syn, LEXICON_PINYIN_FACTOR * SYNONYM_FACTOR)

        # Homophone typos: the pinyin of the words and of each adjacent pair of words.
        cut = [w for w in an.words(text) if is_cjk(w)]
        pinyins = [an.word_pinyin(w) for w in cut]
        for i, py in enumerate(pinyins):
            if len(cut[i]) >= 2:
                add("pinyin", py, HOMOPHONE_FACTOR)
            if i + 1 < len(pinyins) and len(cut[i]) + len(cut[i + 1]) <= MAX_PINYIN_NGRAM:
                add("pinyin", py + pinyins[i + 1], HOMOPHONE_FACTOR)

        # One wrong character still leaves most of the title's bigrams intact.
        core = "".join(w for w in an.words(text, drop_stopwords=False) if w not in an.stopwords)
        for bg in an.bigrams(core or text):
            add("bigram", bg)

        return BuiltQuery(terms, _unique(highlight))


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
