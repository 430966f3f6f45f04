"""Highlighted snippets: a short window of an article's body around the query's words."""

from __future__ import annotations

import html
import re

_MARKDOWN_NOISE = re.compile(r"[#*`>|_~]+|\[|\]\([^)]*\)|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable running text for a one-line snippet."""
    return _SPACE.sub(" ", _MARKDOWN_NOISE.sub(" ", markdown)).strip()


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    terms = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> str:
    """HTML-escaped `text` with each term wrapped in <b>."""
    pattern = _pattern(terms)
    if pattern is None:
        return html.escape(text)
    out = []
    last = 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        out.append(f"<b>{html.escape(m.group(0))}</b>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(body: str, terms: list[str], width: int = 80) -> str:
    """The window of `width` characters holding the most query terms, highlighted."""
    text = plain_text(body)
    pattern = _pattern(terms)
    start = 0
    if pattern is not None:
        positions = [m.start() for m in pattern.finditer(text)]
        if positions:
            best = max(
                positions,
                key=lambda p: (sum(1 for q in positions if p <= q < p + width), -p),
            )
            start = max(0, best - width // 5)
    window = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return prefix + highlight(window, terms) + suffix
