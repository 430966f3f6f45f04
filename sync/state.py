"""Sync state per (server, user): where this user's changes feed was read up to on that server,
and when their own records were last reconciled with it.

The feed is filtered per user (an agent's answers reach only that agent) and numbered per
server, so one value per data folder lost answers on shared PCs and asked a new server for
`since=5`. A pair never seen before starts from 0.

A server is known by its address, and each checkpoint also keeps the instance id of the server
it was read from (the `/changes` reply carries it): a brand-new server at the same address (a
center that re-installed its server) has another id, and its feed is read again from 0.
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

    def set_checkpoint(self, key: SyncKey, seq: int, server_id: str = "") -> None:
        """Call inside the transaction that applies the page, so both commit together.
        `server_id`: the instance the page came from ('' from a server without one: the id
        kept so far stays)."""
        with self.database.transaction():
            self._upsert(key, "checkpoint", seq)
            if server_id:
                self._upsert(key, "server_id", server_id)

    def server_id(self, key: SyncKey) -> str:
        """The instance id of the server the checkpoint was read from ('' = not known)."""
        value = self.database.scalar(
            "SELECT server_id FROM sync_state WHERE server = ? AND user = ?",
            [key.server, key.user],
        )
        return str(value or "")

    def start_over(self, key: SyncKey, server_id: str) -> None:
        """Another server answers at this address: read its feed from 0."""
        with self.database.transaction():
            self._upsert(key, "checkpoint", 0)
            self._upsert(key, "server_id", server_id)

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
