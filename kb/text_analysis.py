"""Chinese text analysis for the index and for queries.

Tokens are produced here, in Python, and handed to Whoosh as space-separated strings, so the
index schema holds no custom analyzer objects (Whoosh pickles its schema) and the index and the
query side can never disagree on how text is cut.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import pypinyin
import rjieba
from pypinyin import Style

from kb.lexicon import Lexicon

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD_CHARS = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[a-z0-9]+")
MAX_PINYIN_NGRAM = 6
MIN_INITIALS_PHRASE = 3


def normalize(text: str) -> str:
    """NFKC (full-width to half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(text: str) -> bool:
    return bool(_CJK_RUN.search(text))


class Analyzer:
    """Segmentation with the domain lexicon; one instance per lexicon version."""

    _pinyin_lock = threading.Lock()

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.stopwords = lexicon.stopwords
        self._jieba = rjieba.Jieba()
        for word, freq in lexicon.user_words:
            self._jieba.add_word(word, freq, "n")
        if lexicon.pinyin_phrases:
            with self._pinyin_lock:
                pypinyin.load_phrases_dict(
                    {p: [[s] for s in syl] for p, syl in lexicon.pinyin_phrases.items()}
                )
        self._synonyms: dict[str, list[str]] = {}
        for group in lexicon.synonym_groups:
            normalized = [normalize(t) for t in group]
            for term in normalized:
                merged = self._synonyms.setdefault(term, [])
                merged.extend(t for t in normalized if t != term and t not in merged)
        self.fingerprint = lexicon.fingerprint
        self.syllables = lru_cache(maxsize=200_000)(self._syllables)
        self._phrases_by_latin = self._latin_keys(lexicon.phrases())

    # -- words --------------------------------------------------------------------------------
    def words(self, text: str, drop_stopwords: bool = True) -> list[str]:
        """Search-mode segmentation: compounds and their parts, lower case, no punctuation."""
        out = []
        for token, _start, _end in self._jieba.tokenize(normalize(text), mode="search"):
            if not _WORD_CHARS.search(token):
                continue
            token = token.strip()
            if drop_stopwords and token in self.stopwords:
                continue
            out.append(token)
        return out

    def synonyms(self, term: str) -> list[str]:
        return self._synonyms.get(term, [])

    # -- bigrams ------------------------------------------------------------------------------
    @staticmethod
    def bigrams(text: str) -> list[str]:
        """Character bigrams of each CJK run (single characters stand alone)."""
        out = []
        for run in _CJK_RUN.findall(normalize(text)):
            if len(run) == 1:
                out.append(run)
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        return out

    # -- pinyin -------------------------------------------------------------------------------
    def _syllables(self, run: str) -> tuple[str, ...]:
        with self._pinyin_lock:
            return tuple(pypinyin.lazy_pinyin(run, style=Style.NORMAL, errors="ignore"))

    def pinyin_ngrams(self, text: str) -> tuple[list[str], list[str]]:
        """(full pinyin, initials) of every phrase of 2..6 characters that starts and ends on
        word boundaries.

        "宽带报装" gives "kuandai", "kuandaibaozhuang", ... and "kd", "kdbz", ...: an agent
        typing the pinyin or initials of a phrase of a title finds it. Phrases cut through a
        word are left out: they rarely match what people type and would multiply the index.
        """
        full: list[str] = []
        initials: list[str] = []
        for run in _CJK_RUN.findall(normalize(text)):
            syl = self.syllables(run)
            if len(syl) != len(run):  # a character pypinyin does not know: keep it simple
                continue
            bounds = sorted({0, len(run), *(end for _w, _s, end in self._jieba.tokenize(run))})
            for a, start in enumerate(bounds):
                for stop in bounds[a + 1 :]:
                    if stop - start > MAX_PINYIN_NGRAM:
                        break
                    if stop - start >= 2:
                        full.append("".join(syl[start:stop]))
                        initials.append("".join(s[0] for s in syl[start:stop]))
        return full, initials

    def _latin_keys(self, phrases: list[str]) -> dict[str, list[str]]:
        """Full pinyin and initials -> the lexicon phrases they spell. Initials need three
        characters or more: two letters stand for too many words to be worth expanding."""
        keys: dict[str, list[str]] = {}
        for phrase in phrases:
            syl = self.syllables(phrase)
            if len(syl) != len(phrase):
                continue
            keys.setdefault("".join(syl), []).append(phrase)
            if len(phrase) >= MIN_INITIALS_PHRASE:
                keys.setdefault("".join(s[0] for s in syl), []).append(phrase)
        return keys

    def phrases_for_latin(self, text: str) -> list[str]:
        """The domain phrases `text` is the pinyin or the initials of ('kdbx' -> 宽带报修).

        The index holds the pinyin of the phrases in titles, aliases and tags only; what an
        agent types is often a phrase of the domain that no title spells out as such (宽带报修
        for 宽带断网故障排查, 光猫红灯 for 光猫指示灯含义与红灯处理). Those phrases live in the
        lexicon, so the query searches their words."""
        return self._phrases_by_latin.get(normalize(text), [])

    def word_pinyin(self, word: str) -> str:
        """Toneless pinyin of a word, '' when it holds no Chinese."""
        return "".join("".join(self.syllables(run)) for run in _CJK_RUN.findall(normalize(word)))

    @staticmethod
    def latin_runs(text: str) -> list[str]:
        return _LATIN_RUN.findall(normalize(text))
