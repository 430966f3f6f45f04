"""The domain lexicon: user dictionary, synonym groups, question-word stoplist, pinyin fixes.

Built-in lists live in common/resources/kb/ as plain text a trainer can read; trainers' additions
live in the knowledge-base file. `Lexicon.fingerprint` changes whenever tokenisation would,
so an index built with an older lexicon is rebuilt.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.paths import RESOURCES_DIR

LEXICON_DIR = RESOURCES_DIR / "kb"
_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    out = []
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@dataclass
class Lexicon:
    user_words: list[tuple[str, int]] = field(default_factory=list)
    synonym_groups: list[list[str]] = field(default_factory=list)
    stopwords: frozenset[str] = frozenset()
    pinyin_phrases: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def builtin(cls, folder: Path = LEXICON_DIR) -> Lexicon:
        words = []
        for line in _lines(folder / "user_dict.txt"):
            parts = line.split()
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 2000
            words.append((parts[0], freq))
        groups = [line.split() for line in _lines(folder / "synonyms.txt")]
        stop = frozenset(_lines(folder / "stopwords.txt"))
        phrases = {}
        for line in _lines(folder / "pinyin_phrases.txt"):
            if "\t" in line:
                phrase, syllables = line.split("\t", 1)
            else:
                phrase, _, syllables = line.partition(" ")
            phrases[phrase.strip()] = syllables.split()
        return cls(words, [g for g in groups if len(g) > 1], stop, phrases)

    def with_store(
        self, user_words: list[tuple[str, int]], synonym_groups: list[list[str]]
    ) -> Lexicon:
        """The built-in words plus trainers' words; the synonym groups kept in the store.

        Built-in synonym groups are seeded into the store once, so trainers can edit them.
        """
        return Lexicon(
            self.user_words + list(user_words),
            [g for g in synonym_groups if len(g) > 1],
            self.stopwords,
            self.pinyin_phrases,
        )

    def phrases(self) -> list[str]:
        """The lexicon's Chinese terms of two characters or more (user words, synonym terms):
        what an agent typing pinyin or initials ('kdbx') may mean ('宽带报修'), even when no
        title holds the phrase as it is."""
        terms = [w for w, _f in self.user_words] + [t for g in self.synonym_groups for t in g]
        return [t for t in dict.fromkeys(terms) if len(t) >= 2 and _CHINESE.fullmatch(t)]

    @property
    def fingerprint(self) -> str:
        """Changes when indexing would tokenise differently (synonyms expand at query time)."""
        h = hashlib.sha256()
        for word, freq in sorted(self.user_words):
            h.update(f"w:{word}:{freq}\n".encode())
        for word in sorted(self.stopwords):
            h.update(f"s:{word}\n".encode())
        for phrase, syl in sorted(self.pinyin_phrases.items()):
            h.update(f"p:{phrase}:{' '.join(syl)}\n".encode())
        return h.hexdigest()[:16]
