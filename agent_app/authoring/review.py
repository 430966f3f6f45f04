"""What the manager's review shows, without Qt: a proposal's article as comparable lines and
the side-by-side diff of two of them (difflib), so the review queue's view only paints rows."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
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


def article_lines(content: Mapping[str, Any] | None, labels: Mapping[str, str]) -> list[str]:
    """The article as lines: '<label>: value' for each field, a blank line, then the body.
    `labels` names the fields in the reviewer's language. None (a new article): no lines."""
    if content is None:
        return []
    lines = []
    for name in FIELD_ORDER:
        value = content.get(name, "")
        if name == "attachments":
            value = [a.get("name", "") if isinstance(a, Mapping) else str(a) for a in value or []]
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        lines.append(f"{labels.get(name, name)}: {value or ''}")
    lines.append("")
    lines.extend(str(content.get("body", "")).splitlines())
    return lines


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
