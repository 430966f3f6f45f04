"""The outbox: records the server must receive, queued in the same transaction that creates
them and marked sent only when the server acknowledges them.

Any capability queues through `Outbox`; which endpoint receives a kind is registered with
`sync.registry.SyncRegistry`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from common.timestamps import now_iso
from localdb import LocalDatabase
from sync.schema import migrations

_UNSENT = "sent_at IS NULL AND rejected = ''"


@dataclass(frozen=True)
class OutboxEntry:
    uuid: str  # the entry's key: the record's uuid, or '<uuid>#<version>'
    kind: str
    payload: dict[str, Any]


class Outbox:
    def __init__(self, database: LocalDatabase) -> None:
        self.database = database
        database.use(migrations)

    def enqueue(self, kind: str, uuid: str, payload: dict[str, Any]) -> None:
        """Queue a record for the server; call inside the transaction that creates it."""
        with self.database.transaction() as db:
            db.table("outbox").insert(
                {
                    "uuid": uuid,
                    "kind": kind,
                    "payload": json.dumps({"uuid": uuid, **payload}, ensure_ascii=False),
                    "created_at": now_iso(),
                }
            )

    def enqueue_version(self, kind: str, uuid: str, version: int, payload: dict[str, Any]) -> None:
        """Queue version `version` of a record the server keeps by uuid, the highest version
        winning. Call inside the transaction that writes that version.

        Each version is its own outbox entry, keyed '<uuid>#<version>' (the payload carries the
        plain uuid and the version), so sending one version never marks a later one as sent.
        Earlier versions still waiting are dropped: the newest one carries everything.
        """
        prefix = f"{uuid}#"
        with self.database.transaction() as db:
            db.execute(
                f"DELETE FROM outbox WHERE kind = ? AND {_UNSENT} AND substr(uuid, 1, ?) = ?",
                [kind, len(prefix), prefix],
            )
            db.table("outbox").insert(
                {
                    "uuid": f"{uuid}#{version}",
                    "kind": kind,
                    "payload": json.dumps(
                        {**payload, "uuid": uuid, "version": version}, ensure_ascii=False
                    ),
                    "created_at": now_iso(),
                }
            )

    def pending(self, kind: str, limit: int) -> list[OutboxEntry]:
        rows = self.database.query(
            f"SELECT uuid, kind, payload FROM outbox WHERE {_UNSENT} AND kind = ? "
            "ORDER BY id LIMIT ?",
            [kind, limit],
        )
        return [OutboxEntry(r["uuid"], r["kind"], json.loads(r["payload"])) for r in rows]

    def kinds_pending(self) -> list[str]:
        rows = self.database.query(f"SELECT DISTINCT kind FROM outbox WHERE {_UNSENT}")
        return [r["kind"] for r in rows]

    def count(self) -> int:
        return int(self.database.scalar(f"SELECT count(*) FROM outbox WHERE {_UNSENT}"))

    def acknowledge(
        self, sent: list[str], rejected: dict[str, str], failed: dict[str, str]
    ) -> None:
        """Record the server's answers: sent (stored or duplicate), refused, or not reached."""
        now = now_iso()
        with self.database.transaction() as db:
            for uuid in sent:
                db.execute(
                    "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE uuid = ?",
                    [now, uuid],
                )
            for uuid, reason in rejected.items():
                db.execute(
                    "UPDATE outbox SET rejected = ?, attempts = attempts + 1 WHERE uuid = ?",
                    [reason or "rejected", uuid],
                )
            for uuid, error in failed.items():
                db.execute(
                    "UPDATE outbox SET last_error = ?, attempts = attempts + 1 WHERE uuid = ?",
                    [error, uuid],
                )

    def missing(
        self, table: str, key: str = "uuid", where: str = "1", versioned: bool = False
    ) -> list[str]:
        """Keys of `table`'s rows (matching `where`) that have no outbox entry at all: the
        start-up check re-queues them. `versioned` entries are keyed '<uuid>#<version>'."""
        match = "o.uuid LIKE t.{key} || '#%'" if versioned else "o.uuid = t.{key}"
        sql = (
            f"SELECT t.{key} AS k FROM {table} t WHERE ({where}) AND NOT EXISTS "
            f"(SELECT 1 FROM outbox o WHERE {match.format(key=key)})"
        )
        return [r["k"] for r in self.database.query(sql)]
