"""What the manager's review shows, without Qt: a proposal's article as comparable lines and
the side-by-side diff of two of them (difflib), so the review queue's view only paints rows."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

RowKind = Literal["equal", "changed", "removed", "added"]

# The fields a reviewer compares besides the body, in the order they are shown.
FIELD_ORDER: tuple[str, ...] = (
    "title",
    "type",
    "category",
    "business_line",
    "contact_point",
    "tags",
    "aliases",
    "review_due",
    "attachments",
)


@dataclass(frozen=True)
class DiffRow:
    """One line of the side-by-side view: left (published) and right (proposed)."""

    kind: RowKind
    left: str
    right: str
    left_no: int | None
    right_no: int | None


def article_lines(
    content: Mapping[str, Any] | None,
    labels: Mapping[str, str],
    fields: tuple[str, ...] = FIELD_ORDER,
    shown: Callable[[str, str], str] | None = None,
) -> list[str]:
    """The article as lines: '<label>: value' for each of `fields`, a blank line, then the
    body. `labels` names the fields in the reviewer's language; `shown(field, value)` gives a
    code's name (type, business line). None (a new article): no lines."""
    if content is None:
        return []
    lines = []
    for name in fields:
        value = field_text(content, name)
        if shown is not None and value:
            value = shown(name, value)
        lines.append(f"{labels.get(name, name)}: {value}")
    lines.append("")
    lines.extend(str(content.get("body", "")).splitlines())
    return lines


def field_text(content: Mapping[str, Any], name: str) -> str:
    value = content.get(name) or ""
    if name == "attachments":
        value = [a.get("name", "") if isinstance(a, Mapping) else str(a) for a in value]
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def compared_fields(*contents: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The fields worth a line: those that hold something on either side."""
    return tuple(
        name for name in FIELD_ORDER if any(c is not None and field_text(c, name) for c in contents)
    )


def side_by_side(old: list[str], new: list[str]) -> list[DiffRow]:
    """Rows pairing the old and new lines: equal ones side by side, a replaced block line by
    line (the longer side's extra lines against blanks), removals and additions alone."""
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(
                DiffRow("equal", old[i1 + k], new[j1 + k], i1 + k + 1, j1 + k + 1)
                for k in range(i2 - i1)
            )
        elif tag == "delete":
            rows.extend(DiffRow("removed", old[i], "", i + 1, None) for i in range(i1, i2))
        elif tag == "insert":
            rows.extend(DiffRow("added", "", new[j], None, j + 1) for j in range(j1, j2))
        else:
            for k in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + k, j1 + k
                left = old[i] if i < i2 else ""
                right = new[j] if j < j2 else ""
                rows.append(
                    DiffRow(
                        "changed",
                        left,
                        right,
                        i + 1 if i < i2 else None,
                        j + 1 if j < j2 else None,
                    )
                )
    return rows


def changed_count(rows: list[DiffRow]) -> int:
    return sum(1 for r in rows if r.kind != "equal")
