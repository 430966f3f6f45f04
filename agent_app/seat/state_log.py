"""Agent state changes, kept in the local database and sent through the outbox (kind
'agent_state') in the same transaction: reports add up time in state from them and the
supervisors' board shows each agent's latest."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from agent_app.seat.agent_state import AgentState, StateChange
from agent_app.seat.schema import migrations
from common.timestamps import parse
from localdb import LocalDatabase
from sync.outbox import Outbox
from sync.registry import SyncRegistry

OUTBOX_KIND = "agent_state"
PUSH_PATH = "/agent-states/batch"


class AgentStateLog:
    def __init__(self, database: LocalDatabase, outbox: Outbox | None = None) -> None:
        database.use(migrations)
        self.database = database
        self.outbox = outbox if outbox is not None else Outbox(database)

    def register(self, registry: SyncRegistry) -> None:
        registry.outbox_kind(OUTBOX_KIND, PUSH_PATH)
        registry.requeue_check(self.requeue_missing)

    def record(self, change: StateChange | None) -> None:
        """Keep one change (None, what a no-op transition returns, is ignored). Its call_uuid
        must be a call record's uuid (ValueError otherwise)."""
        if change is None:
            return
        if change.call_uuid:
            uuidlib.UUID(change.call_uuid)  # the call record's uuid (the server links them)
        payload = change.to_payload()
        row = {**payload, "user": change.user}
        with self.database.transaction() as db:
            db.table("agent_states").insert(row)
            self.outbox.enqueue(OUTBOX_KIND, change.uuid, payload)

    def history(self, user: str | None = None, limit: int = 200) -> list[StateChange]:
        """Changes, newest first: `user`'s (None, every user's: tools and tests)."""
        sql = "SELECT * FROM agent_states"
        params: list[Any] = []
        if user is not None:
            sql += " WHERE user = ?"
            params.append(user)
        rows = self.database.query(
            sql + " ORDER BY started_at DESC, rowid DESC LIMIT ?", [*params, limit]
        )
        return [_from_row(r) for r in rows]

    def requeue_missing(self) -> int:
        """Queue again every state change that has no outbox entry (the start-up check)."""
        with self.database.transaction():
            missing = self.outbox.missing("agent_states")
            for row in self.database.query(
                f"SELECT * FROM agent_states WHERE uuid IN ({', '.join('?' * len(missing))})",
                missing,
            ):
                change = _from_row(row)
                self.outbox.enqueue(OUTBOX_KIND, change.uuid, change.to_payload())
        return len(missing)

    def last(self, user: str) -> StateChange | None:
        found = self.history(user, limit=1)
        return found[0] if found else None


def _from_row(row: dict[str, Any]) -> StateChange:
    return StateChange(
        uuid=row["uuid"],
        user=row["user"],
        state=AgentState(row["state"]),
        reason=row["reason"],
        on_call=bool(row["on_call"]),
        started_at=parse(row["started_at"]),
        previous_state=AgentState(row["previous_state"]),
        previous_reason=row["previous_reason"],
        previous_on_call=bool(row["previous_on_call"]),
        previous_started_at=parse(row["previous_started_at"]),
        previous_seconds=float(row["previous_seconds"]),
        call_uuid=row["call_uuid"],
    )
