"""The workstation's mirror of the center's code lists (Qt-free): article categories, wrap-up
categories, not-ready reasons and outbound outcomes, as an admin or the manager keeps them on
the server (common/center_codes.py). Each change reaches the client through the changes feed
(kind 'center_code', applied by `CodeLists.apply`), so every seat offers the center's one list.

The feed carries changes only, never the lists a server was installed with: after each login
`reconcile` reads the whole lists (GET /taxonomy) so the mirror starts complete. Before that the
mirror of a kind is empty and whoever offers the list falls back to the built-in defaults it
passes in. A deactivated code is no longer offered but still names the
records that carry it. The table is this module's own (migration set 'seatdesk.code_lists').
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from common.center_codes import CODE_KINDS, FEED_KIND, feed_id
from common.codes import Code
from common.wire import Change
from localdb import LocalDatabase
from sync.api_client import ApiClient, ApiError

__all__ = ["FEED_KIND", "CodeLists", "migrations"]

migrations = Migrations("seatdesk.code_lists")


@migrations()
def m001_center_codes(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS center_codes (
            kind TEXT NOT NULL,
            code TEXT NOT NULL,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL DEFAULT '',
            meaning TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            sort_order INTEGER NOT NULL DEFAULT 0,
            builtin INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (kind, code)
        )
        """
    )


_FIELDS = ("name_zh", "name_en", "meaning", "active", "sort_order", "builtin")


class CodeLists:
    """The mirrored lists on the client's one database (every read and write takes its lock)."""

    def __init__(self, database: LocalDatabase) -> None:
        database.use(migrations)
        self.database = database

    def codes(
        self, kind: str, fallback: Sequence[Code] = (), include_inactive: bool = False
    ) -> tuple[Code, ...]:
        """The `kind` list in the center's order: the active codes to offer, or with
        `include_inactive` every code (to name old records by). `fallback` until a sync has
        brought the list; with include_inactive, fallback codes the center no longer has are
        added after its own, so records made before the first sync keep their names."""
        where = "" if include_inactive else " AND active = 1"
        rows = self.database.query(
            "SELECT code, name_zh, name_en FROM center_codes WHERE kind = ?"
            + where
            + " ORDER BY sort_order, code",
            [kind],
        )
        if not rows and not self.has_list(kind):
            return tuple(fallback)
        listed = tuple(Code(r["code"], r["name_zh"], r["name_en"] or r["name_zh"]) for r in rows)
        if include_inactive:
            known = {c.code for c in listed}
            listed += tuple(c for c in fallback if c.code not in known)
        return listed

    def meanings(self) -> dict[str, str]:
        """Outcome code -> which of the seven meanings it stands for (every outcome code)."""
        rows = self.database.query(
            "SELECT code, meaning FROM center_codes WHERE kind = 'outcome' ORDER BY sort_order"
        )
        return {r["code"]: r["meaning"] or "" for r in rows}

    def has_list(self, kind: str) -> bool:
        """True once a sync has brought any code of `kind` (active or not)."""
        return bool(self.database.scalar("SELECT 1 FROM center_codes WHERE kind = ?", [kind]))

    def apply(self, data: dict[str, Any]) -> bool:
        """Mirror one code as the server has it (the data of a 'center_code' change); True when
        it changed what this workstation shows. Call inside the page's transaction."""
        kind, code = str(data.get("kind", "")), str(data.get("code", ""))
        if kind not in CODE_KINDS or not code:
            return False  # a kind this version does not know: nothing to show it in
        values: list[Any] = [
            str(data.get("name_zh") or code),
            str(data.get("name_en") or ""),
            data.get("meaning") or None,
            1 if data.get("active", True) else 0,
            int(data.get("sort_order") or 0),
            1 if data.get("builtin") else 0,
        ]
        stamp = str(data.get("updated_at") or "")
        with self.database.transaction():
            held = self.database.query(
                "SELECT " + ", ".join(_FIELDS) + ", updated_at FROM center_codes"
                " WHERE kind = ? AND code = ?",
                [kind, code],
            )
            if held:
                if held[0]["updated_at"] > stamp:
                    return False  # an older state than the one held (a replayed page)
                if [held[0][k] for k in _FIELDS] == values:
                    return False
            self.database.execute(
                "INSERT INTO center_codes(kind, code, " + ", ".join(_FIELDS) + ", updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(kind, code) DO UPDATE SET name_zh = excluded.name_zh,"
                " name_en = excluded.name_en, meaning = excluded.meaning,"
                " active = excluded.active, sort_order = excluded.sort_order,"
                " builtin = excluded.builtin, updated_at = excluded.updated_at",
                [kind, code, *values, stamp],
            )
        return True

    def reconcile(self, client: ApiClient, _user: str = "") -> list[Change]:
        """After a login: every list as the server has it now (its seeded codes never went
        through the feed). Returns the codes that were news. A server older than the lists
        (no /taxonomy, or no codes in it) leaves the mirror as it is."""
        try:
            taxonomy = client.taxonomy()
        except ApiError as exc:
            if exc.status == 404:
                return []
            raise
        news: list[Change] = []
        with self.database.transaction():
            for items in taxonomy.codes.values():
                for item in items:
                    data = item.model_dump()
                    if self.apply(data):
                        news.append(
                            Change(
                                seq=0, kind=FEED_KIND, uuid=feed_id(item.kind, item.code), data=data
                            )
                        )
        return news
