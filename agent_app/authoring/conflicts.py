"""The conflict regions of a merged text as the trainer edits it (Qt-free): where each
``<<<<<<< 我的 / ======= / >>>>>>> 他人的`` block stands now, and settling one by keeping one
side or both. The markers are common/merge.py's; the merge itself is there too.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.merge import MINE_MARKER, SEPARATOR_MARKER, THEIRS_MARKER


@dataclass(frozen=True)
class MarkedRegion:
    """Lines [start, end] (0-based, inclusive) hold one conflict; `separator` its ======= line."""

    start: int
    separator: int
    end: int


def marked_regions(text: str) -> list[MarkedRegion]:
    """The complete conflict blocks in `text`, in order (a half-deleted block is not one, but
    its leftover marker lines still count for `has_markers`)."""
    regions: list[MarkedRegion] = []
    start = separator = -1
    for number, line in enumerate(text.split("\n")):
        stripped = line.rstrip("\r")
        if stripped == MINE_MARKER:
            start, separator = number, -1
        elif stripped == SEPARATOR_MARKER and start >= 0:
            separator = number
        elif stripped == THEIRS_MARKER and start >= 0 and separator >= 0:
            regions.append(MarkedRegion(start, separator, number))
            start = separator = -1
    return regions


def settle(text: str, region: MarkedRegion, keep: str) -> str:
    """`text` with `region` replaced by the author's lines ('mine'), the published ones
    ('theirs') or both, the author's first ('both')."""
    lines = text.split("\n")
    mine = lines[region.start + 1 : region.separator]
    theirs = lines[region.separator + 1 : region.end]
    kept = {"mine": mine, "theirs": theirs, "both": mine + theirs}[keep]
    return "\n".join(lines[: region.start] + kept + lines[region.end + 1 :])
