"""The center's lists as the admin screen edits them (Qt-free): business lines and the four
code lists of common/center_codes.py, read from and changed on the server through the one API
client. Every function here does network calls: the controller runs them on the `net` executor.

Nothing is deleted: a line or code is deactivated and reactivated. Moving one up or down
renumbers the list 0, 1, 2, ... and sends only the orders that changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.center_codes import CATEGORY, CODE_KINDS, OUTCOME, WRAP_UP, code_problem
from common.texts import pick
from sync.api_client import ApiClient

BUSINESS_LINE = "business_line"
# The screen's tabs, in order: business lines first, then the code lists.
TABS: tuple[str, ...] = (BUSINESS_LINE, CATEGORY, "wrap_up", "not_ready", OUTCOME)
assert set(TABS[1:]) == set(CODE_KINDS)


@dataclass(frozen=True)
class Entry:
    """One row of a tab: a business line or a code."""

    code: str
    name_zh: str
    name_en: str
    active: bool = True
    sort_order: int = 0
    builtin: bool = False
    meaning: str = ""  # outcomes only
    registered: bool = True  # False: a category path older articles use, not in the list yet


Lists = dict[str, list[Entry]]


def load_lists(client: ApiClient) -> Lists:
    """Every tab's entries in the center's order, inactive ones included."""
    taxonomy = client.taxonomy()
    lists: Lists = {
        BUSINESS_LINE: [
            Entry(
                line.code,
                line.name_zh,
                line.name_en,
                line.active,
                line.sort_order,
                line.builtin,
            )
            for line in taxonomy.business_lines
        ]
    }
    for kind in CODE_KINDS:
        lists[kind] = [
            Entry(
                c.code,
                c.name_zh,
                c.name_en,
                c.active,
                c.sort_order,
                c.builtin,
                c.meaning or "",
                registered=bool(c.updated_at),
            )
            for c in taxonomy.codes.get(kind, [])
        ]
    return lists


def entry_problem(tab: str, code: str, name_zh: str) -> str | None:
    """What is wrong with a new entry before it is sent, in the user's language (the server
    checks again; its schema's own words would be English)."""
    # A business line's code follows the same rule as a list's (the server allows 32 of them).
    problem = code_problem(WRAP_UP if tab == BUSINESS_LINE else tab, code.strip())
    if problem is None and tab != CATEGORY and not name_zh.strip():
        problem = "a Chinese name is needed / 需要填写中文名"
    if problem is None:
        return None
    english, chinese = problem.split(" / ", 1)
    return pick(chinese, english)


def add_entry(
    client: ApiClient, tab: str, code: str, name_zh: str, name_en: str, meaning: str = ""
) -> None:
    code, name_zh, name_en = code.strip(), name_zh.strip(), name_en.strip()
    if tab == BUSINESS_LINE:
        client.create_business_line(code, name_zh, name_en)
    else:
        client.create_center_code(tab, code, name_zh, name_en, meaning or None)


def change_entry(client: ApiClient, tab: str, code: str, **changes: object) -> None:
    """name_zh, name_en, meaning (outcomes), active, sort_order."""
    if tab == BUSINESS_LINE:
        client.change_business_line(code, **changes)
    else:
        client.change_center_code(tab, code, **changes)


def rename_entry(
    client: ApiClient, tab: str, entry: Entry, name_zh: str, name_en: str, meaning: str = ""
) -> None:
    """Send only what differs from `entry` (so an unchanged name never clashes)."""
    changes: dict[str, object] = {}
    if name_zh.strip() != entry.name_zh:
        changes["name_zh"] = name_zh.strip()
    if name_en.strip() != entry.name_en:
        changes["name_en"] = name_en.strip()
    if tab == OUTCOME and meaning and meaning != entry.meaning:
        changes["meaning"] = meaning
    if changes:
        change_entry(client, tab, entry.code, **changes)


def moved(
    entries: list[Entry], code: str, delta: int, grouped: bool = False
) -> list[tuple[str, int]]:
    """The (code, new order) pairs that move `code` by `delta` places: the list renumbered
    0, 1, 2, ... with only the entries whose order changes. Empty at either end, and with
    `grouped` (business lines: the server lists the built-in ones first whatever their order)
    across the border between built-in and other entries."""
    codes = [e.code for e in entries]
    index = codes.index(code)
    target = index + delta
    if not 0 <= target < len(codes):
        return []
    if grouped and entries[index].builtin != entries[target].builtin:
        return []
    codes.insert(target, codes.pop(index))
    orders = {e.code: e.sort_order for e in entries}
    return [(c, i) for i, c in enumerate(codes) if orders[c] != i]


def move_entry(client: ApiClient, tab: str, entries: list[Entry], code: str, delta: int) -> None:
    for other, order in moved(entries, code, delta, grouped=tab == BUSINESS_LINE):
        change_entry(client, tab, other, sort_order=order)
