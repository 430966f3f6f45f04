"""A side-by-side diff of two versions of an article (Qt-free, difflib): two HTML documents
whose lines line up row for row (a line added on one side faces an empty row on the other), so
two text browsers scrolled together show matching lines side by side. Removed lines are red on
the left, added ones green on the right, and within a changed line the changed characters are
marked more strongly.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

REMOVED_LINE = "#fee2e2"
ADDED_LINE = "#dcfce7"
REMOVED_CHARS = "#fca5a5"
ADDED_CHARS = "#86efac"
_ROW = (
    "<tr><td width='30' align='right' style='color:#9ca3af; padding-right:6px;'>{number}</td>"
    "<td style='background:{colour}; white-space:pre-wrap;'>{text}</td></tr>"
)


@dataclass(frozen=True)
class SideBySide:
    left: str  # HTML
    right: str  # HTML
    changes: int  # changed blocks (0: the texts are the same)


def _row(number: int | None, text: str, colour: str = "") -> str:
    return _ROW.format(
        number="" if number is None else number,
        colour=colour or "transparent",
        text=text or "&nbsp;",
    )


def _marked(a: str, b: str) -> tuple[str, str]:
    """Both lines as HTML with the characters that differ highlighted."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = html.escape(a[i1:i2]), html.escape(b[j1:j2])
        if tag == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(f"<span style='background:{REMOVED_CHARS}'>{old}</span>")
        if new:
            right.append(f"<span style='background:{ADDED_CHARS}'>{new}</span>")
    return "".join(left), "".join(right)


def side_by_side(old: str, new: str) -> SideBySide:
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    changes = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                left.append(_row(i1 + offset + 1, html.escape(a[i1 + offset])))
                right.append(_row(j1 + offset + 1, html.escape(b[j1 + offset])))
            continue
        changes += 1
        rows = max(i2 - i1, j2 - j1)
        for offset in range(rows):
            i, j = i1 + offset, j1 + offset
            has_old, has_new = i < i2, j < j2
            if has_old and has_new and tag == "replace":
                old_html, new_html = _marked(a[i], b[j])
            else:
                old_html = html.escape(a[i]) if has_old else ""
                new_html = html.escape(b[j]) if has_new else ""
            left.append(_row(i + 1 if has_old else None, old_html, REMOVED_LINE if has_old else ""))
            right.append(_row(j + 1 if has_new else None, new_html, ADDED_LINE if has_new else ""))
    return SideBySide(_table(left), _table(right), changes)


def _table(rows: list[str]) -> str:
    return (
        "<table cellspacing='0' cellpadding='1' width='100%' style='font-family: monospace;'>"
        + "".join(rows)
        + "</table>"
    )


def field_changes(
    old: dict[str, object], new: dict[str, object], names: dict[str, str]
) -> list[str]:
    """'name: old → new' for each field other than the body that differs (names: shown names)."""
    lines: list[str] = []
    for key, label in names.items():
        before, after = old.get(key, ""), new.get(key, "")
        if before != after:
            lines.append(f"{label}: {_text(before)} → {_text(after)}")
    return lines


def _text(value: object) -> str:
    if isinstance(value, list):
        return (
            "，".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
            or "—"
        )
    return str(value) or "—"
