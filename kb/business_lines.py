"""The workstation's mirror of the center's business lines (table business_lines of the kb
migration set, m007).

The lines are center data: an admin or the manager manages them on the server, and each change
reaches the client through the changes feed (kind 'business_line', applied by
`apply_server_line`). The seven lines of DOMAIN.md are there from the start ('builtin'); an
import with --create-lines may add a line on this workstation only ('local'), which the
server's line of the same code replaces once an admin adds it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kb.models import BUSINESS_LINES, business_line_code
from localdb import LocalDatabase

FEED_KIND = "business_line"
MAX_NAME = 32  # the server's column width


class HasDatabase(Protocol):
    @property
    def database(self) -> LocalDatabase: ...


@dataclass(frozen=True)
class BusinessLine:
    code: str
    name_zh: str
    name_en: str
    active: bool = True
    builtin: bool = False
    origin: str = "local"  # 'builtin', 'server' or 'local'

    def name(self, chinese: bool) -> str:
        return self.name_zh if chinese or not self.name_en else self.name_en


# What a view offers before the workstation's lines are read (no I/O in a view's constructor).
BUILT_IN: list[BusinessLine] = [
    BusinessLine(code, zh, en, builtin=True, origin="builtin")
    for code, (zh, en) in BUSINESS_LINES.items()
]

# Built-in lines first, then the center's in its order.
_ORDER = "ORDER BY builtin DESC, sort_order, code"


def line_list(store: HasDatabase, include_inactive: bool = False) -> list[BusinessLine]:
    """The lines to offer (active only), or every line to name old records by."""
    where = "" if include_inactive else "WHERE active = 1 "
    rows = store.database.query(
        "SELECT code, name_zh, name_en, active, builtin, origin FROM business_lines "
        + where
        + _ORDER
    )
    return [
        BusinessLine(
            r["code"],
            r["name_zh"],
            r["name_en"],
            bool(r["active"]),
            bool(r["builtin"]),
            r["origin"],
        )
        for r in rows
    ]


def business_lines(
    store: HasDatabase, include_inactive: bool = False
) -> dict[str, tuple[str, str]]:
    """code -> (Chinese name, English name), in the order to show them."""
    return {
        line.code: (line.name_zh, line.name_en or line.name_zh)
        for line in line_list(store, include_inactive)
    }


def has_server_lines(store: HasDatabase) -> bool:
    """True once this data folder has synced lines from a server (a client of a server)."""
    return bool(store.database.scalar("SELECT 1 FROM business_lines WHERE origin = 'server'"))


def add_business_line(store: HasDatabase, name: str, english: str = "") -> str:
    """Add a line on this workstation only, named `name` (its code is the name itself); returns
    the code. A name that is already an active line's code or name returns that line's code; an
    inactive one is taken back into use."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"a business line name needs 1 to {MAX_NAME} characters")
    with store.database.transaction():
        known = business_line_code(name, business_lines(store, include_inactive=True))
        if known is not None:
            store.database.execute(
                "UPDATE business_lines SET active = 1 WHERE code = ? AND origin = 'local'", [known]
            )
            return known
        order = store.database.scalar("SELECT COALESCE(MAX(sort_order), 0) FROM business_lines")
        store.database.execute(
            "INSERT INTO business_lines(code, name_zh, name_en, sort_order, origin)"
            " VALUES (?, ?, ?, ?, 'local')",
            [name, name, english or name, int(order) + 1],
        )
    return name


def apply_server_line(store: HasDatabase, data: dict[str, Any]) -> bool:
    """Mirror one line as the server has it (a 'business_line' change of the feed); True when
    it changed what this workstation shows. Call inside the page's transaction."""
    code = str(data.get("code", ""))
    if not code:
        return False
    values = [
        str(data.get("name_zh") or code),
        str(data.get("name_en") or ""),
        1 if data.get("active", True) else 0,
        int(data.get("sort_order") or 0),
        1 if data.get("builtin") else 0,
        str(data.get("updated_at") or ""),
    ]
    with store.database.transaction():
        current = store.database.query(
            "SELECT name_zh, name_en, active, sort_order, builtin, updated_at, origin"
            " FROM business_lines WHERE code = ?",
            [code],
        )
        if current and current[0]["origin"] == "server":
            held = current[0]
            if held["updated_at"] > values[5]:
                return False  # an older state than the one held (a replayed page)
            if [
                held[k] for k in ("name_zh", "name_en", "active", "sort_order", "builtin")
            ] == values[:5]:
                return False
        store.database.execute(
            "INSERT INTO business_lines"
            "(code, name_zh, name_en, active, sort_order, builtin, updated_at, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'server')"
            " ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh,"
            " name_en = excluded.name_en, active = excluded.active,"
            " sort_order = excluded.sort_order, builtin = excluded.builtin,"
            " updated_at = excluded.updated_at, origin = 'server'",
            [code, *values],
        )
    return True
