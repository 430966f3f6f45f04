"""Business lines as data: the seven of DOMAIN.md to start with, plus the lines a center adds
(an import with --create-lines adds the ones it meets).

Kept in the knowledge base's meta table on this workstation. Managing them centrally (an admin
on the server, synced to every client) is the next step; until then each client keeps its own.
"""

from __future__ import annotations

import json
from typing import Protocol

from kb.models import BUSINESS_LINES, business_line_code

META_KEY = "business_lines"
MAX_NAME = 32  # the server's column width


class MetaStore(Protocol):
    def get_meta(self, key: str, default: str = "") -> str: ...
    def set_meta(self, key: str, value: str) -> None: ...


def business_lines(store: MetaStore) -> dict[str, tuple[str, str]]:
    """code -> (Chinese name, English name): the built-in lines, then the center's own."""
    lines = dict(BUSINESS_LINES)
    try:
        own = json.loads(store.get_meta(META_KEY, "{}") or "{}")
    except ValueError:
        own = {}
    for code, names in own.items() if isinstance(own, dict) else ():
        if isinstance(code, str) and isinstance(names, list) and len(names) == 2:
            lines.setdefault(code, (str(names[0]), str(names[1])))
    return lines


def add_business_line(store: MetaStore, name: str, english: str = "") -> str:
    """Add a line named `name` (its code is the name itself); returns the code. A name that is
    already a line's code or name returns that line's code."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"a business line name needs 1 to {MAX_NAME} characters")
    lines = business_lines(store)
    known = business_line_code(name, lines)
    if known is not None:
        return known
    try:
        own = json.loads(store.get_meta(META_KEY, "{}") or "{}")
    except ValueError:
        own = {}
    if not isinstance(own, dict):
        own = {}
    own[name] = [name, english or name]
    store.set_meta(META_KEY, json.dumps(own, ensure_ascii=False))
    return name
