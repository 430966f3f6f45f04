"""Sync state per (server, user): where this user's changes feed was read up to on that server,
and when their own records were last reconciled with it.

The feed is filtered per user (an agent's answers reach only that agent) and numbered per
server, so one value per data folder lost answers on shared PCs and asked a new server for
`since=5`. A pair never seen before starts from 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.timestamps import now_iso
from localdb import LocalDatabase
from sync.schema import migrations


@dataclass(frozen=True)
class SyncKey:
    server: str  # the server as configured (its URL; 'built-in' for the embedded one)
    user: str  # the username logged in there


class SyncState:
    def __init__(self, database: LocalDatabase) -> None:
        self.database = database
        database.use(migrations)

    def checkpoint(self, key: SyncKey) -> int:
        value = self.database.scalar(
            "SELECT checkpoint FROM sync_state WHERE server = ? AND user = ?",
            [key.server, key.user],
        )
        return int(value or 0)

    def set_checkpoint(self, key: SyncKey, seq: int) -> None:
        """Call inside the transaction that applies the page, so both commit together."""
        self._upsert(key, "checkpoint", seq)

    def reconciled_at(self, key: SyncKey) -> str:
        value = self.database.scalar(
            "SELECT reconciled_at FROM sync_state WHERE server = ? AND user = ?",
            [key.server, key.user],
        )
        return str(value or "")

    def set_reconciled(self, key: SyncKey) -> None:
        self._upsert(key, "reconciled_at", now_iso())

    def _upsert(self, key: SyncKey, column: str, value: object) -> None:
        with self.database.transaction() as db:
            db.execute(
                f"INSERT INTO sync_state(server, user, {column}, updated_at) VALUES(?, ?, ?, ?) "
                f"ON CONFLICT(server, user) DO UPDATE SET {column} = excluded.{column}, "
                "updated_at = excluded.updated_at",
                [key.server, key.user, value, now_iso()],
            )
