"""Text the backend refuses, cleans or escapes: lone UTF-16 surrogates, NUL, and the control
and bidirectional-override characters that can disguise a name on screen or in a terminal."""

from __future__ import annotations

import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
# Bidi embeddings, overrides and isolates, and the invisible marks that steer them.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def has_lone_surrogate(text: str) -> bool:
    """True for text that cannot be encoded as UTF-8 (JSON allows "\\ud800"; nothing else does)."""
    return _SURROGATE.search(text) is not None


def encodable(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD, so it can always be sent back."""
    return _SURROGATE.sub("\ufffd", text)


def _unsafe(ch: str) -> bool:
    # Cc: C0/C1 controls (newline, ESC, DEL...); Cf covers the bidi controls and zero-width
    # joiners; Cs: surrogates.
    return (
        ch in _BIDI
        or unicodedata.category(ch) in ("Cc", "Cs")
        or (unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d")
    )


def clean_name(text: str) -> str:
    """A name as stored: control and bidi characters removed, outer spaces trimmed."""
    return "".join(ch for ch in text if not _unsafe(ch)).strip()


def printable(text: str) -> str:
    """Text for a terminal or a log line: each unsafe character shown as its escape (\\u202e),
    so a stored name can neither reorder nor hide what is printed around it."""
    return "".join(
        (ch.encode("unicode_escape").decode("ascii") if _unsafe(ch) else ch) for ch in text
    )
