"""Three-way merge of an article: the body line by line (the `merge3` package), the other fields
one by one. Used by the desktop's conflict view and by bench/authoring.py; Qt-free.

base = the version both edits started from, mine = the author's edit, theirs = what was
published meanwhile. Changes on one side only are taken; the same change on both sides is taken
once; different changes to the same lines (or the same field) are a conflict, left for the
author to settle.

Conflicts in the body are written into the merged text between markers the trainer can read:

    <<<<<<< 我的
    (the author's lines)
    =======
    (the lines published meanwhile)
    >>>>>>> 他人的

and reported as `ConflictRegion`s (line numbers in the merged text) for a view that colours
them. A field conflict keeps the author's value in the merged fields and is reported as a
`FieldConflict`. Lists (tags, aliases, attachments) never conflict: both sides' additions are
kept and both sides' removals applied.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from merge3 import Merge3

MINE_MARKER = "<<<<<<< 我的"
SEPARATOR_MARKER = "======="
THEIRS_MARKER = ">>>>>>> 他人的"
MARKERS = (MINE_MARKER, SEPARATOR_MARKER, THEIRS_MARKER)

# Fields merged as sets (by identity key); the body as text; everything else as one value.
LIST_FIELDS = ("tags", "aliases", "attachments")
TEXT_FIELDS = ("body",)


@dataclass(frozen=True)
class ConflictRegion:
    """A conflict in the merged text: lines [start, end) hold the markers and both sides."""

    start: int  # 0-based line of the MINE marker
    end: int  # one past the THEIRS marker
    base: tuple[str, ...]
    mine: tuple[str, ...]
    theirs: tuple[str, ...]


@dataclass(frozen=True)
class TextMerge:
    text: str
    conflicts: tuple[ConflictRegion, ...] = ()

    @property
    def has_conflicts(self) -> bool:
        return bool(self.conflicts)


@dataclass(frozen=True)
class FieldConflict:
    name: str
    base: Any
    mine: Any
    theirs: Any


@dataclass
class ArticleMerge:
    """The merged fields (the body with conflict markers where it has conflicts)."""

    fields: dict[str, Any]
    body: TextMerge
    field_conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def has_conflicts(self) -> bool:
        return self.body.has_conflicts or bool(self.field_conflicts)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _ended(lines: Sequence[str]) -> list[str]:
    """Lines that each end with a newline, so a marker after them starts a line of its own."""
    out = list(lines)
    if out and not out[-1].endswith(("\n", "\r")):
        out[-1] += "\n"
    return out


def merge_text(base: str, mine: str, theirs: str) -> TextMerge:
    """Merge two edits of `base` line by line; conflicts between markers (see the module)."""
    if mine == theirs:
        return TextMerge(mine)
    if mine == base:
        return TextMerge(theirs)
    if theirs == base:
        return TextMerge(mine)
    merger = Merge3(_lines(base), _lines(mine), _lines(theirs))
    out: list[str] = []
    conflicts: list[ConflictRegion] = []
    for group in merger.merge_groups():
        if group[0] != "conflict":
            out.extend(group[1])
            continue
        _, base_lines, mine_lines, theirs_lines = group
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += "\n"
        start = len(out)
        out.append(MINE_MARKER + "\n")
        out.extend(_ended(mine_lines))
        out.append(SEPARATOR_MARKER + "\n")
        out.extend(_ended(theirs_lines))
        out.append(THEIRS_MARKER + "\n")
        conflicts.append(
            ConflictRegion(
                start,
                len(out),
                tuple(base_lines),
                tuple(mine_lines),
                tuple(theirs_lines),
            )
        )
    return TextMerge("".join(out), tuple(conflicts))


def has_markers(text: str) -> bool:
    """Whether `text` still holds a conflict marker line (the editor refuses to submit it)."""
    return any(line.rstrip("\r\n") in MARKERS for line in _lines(text))


def merge_list(
    base: Sequence[Any],
    mine: Sequence[Any],
    theirs: Sequence[Any],
    key: Callable[[Any], Hashable] = lambda item: item,
) -> list[Any]:
    """Theirs, with what mine added (in mine's order, at the end) and without what mine
    removed: both sides' additions and removals hold."""
    base_keys = {key(item) for item in base}
    mine_keys = {key(item) for item in mine}
    removed = base_keys - mine_keys
    out = [item for item in theirs if key(item) not in removed]
    seen = {key(item) for item in out}
    for item in mine:
        k = key(item)
        if k not in base_keys and k not in seen:
            out.append(item)
            seen.add(k)
    return out


def _attachment_key(item: Any) -> Hashable:
    if isinstance(item, Mapping):
        return str(item.get("sha256", ""))
    return str(getattr(item, "sha256", item))


def merge_article(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> ArticleMerge:
    """Merge two edits of an article's fields (dicts such as ProposalContent.model_dump()).

    Every field of `mine` is merged; a field missing from base or theirs counts as unchanged
    there."""
    fields: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    body = TextMerge(str(mine.get("body", "")))
    for name, mine_value in mine.items():
        base_value = base.get(name, mine_value)
        theirs_value = theirs.get(name, base_value)
        if name in TEXT_FIELDS:
            body = merge_text(str(base_value), str(mine_value), str(theirs_value))
            fields[name] = body.text
        elif name in LIST_FIELDS:
            key = _attachment_key if name == "attachments" else (lambda item: item)
            fields[name] = merge_list(base_value or [], mine_value or [], theirs_value or [], key)
        elif mine_value == theirs_value or theirs_value == base_value:
            fields[name] = mine_value
        elif mine_value == base_value:
            fields[name] = theirs_value
        else:
            fields[name] = mine_value
            conflicts.append(FieldConflict(name, base_value, mine_value, theirs_value))
    return ArticleMerge(fields, body, conflicts)
