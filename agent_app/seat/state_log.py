"""Agent state changes, kept in the local database and sent through the outbox (kind
'agent_state') in the same transaction: reports add up time in state from them and the
supervisors' board shows each agent's latest."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from agent_app.seat.agent_state import AgentState, StateChange
from common.timestamps import parse
from kb.store import KnowledgeStore

OUTBOX_KIND = "agent_state"


class AgentStateLog:
    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def record(self, change: StateChange | None) -> None:
        """Keep one change (None, what a no-op transition returns, is ignored). Its call_uuid
        must be a call record's uuid (ValueError otherwise)."""
        if change is None:
            return
        if change.call_uuid:
            uuidlib.UUID(change.call_uuid)  # the call record's uuid (the server links them)
        payload = change.to_payload()
        row = {**payload, "user": change.user}
        with self.store.transaction() as db:
            db.table("agent_states").insert(row)
            self.store.enqueue(OUTBOX_KIND, change.uuid, payload)

    def history(self, user: str | None = None, limit: int = 200) -> list[StateChange]:
        """Changes, newest first (one user's, or everyone's on this seat)."""
        sql = "SELECT * FROM agent_states"
        params: list[Any] = []
        if user is not None:
            sql += " WHERE user = ?"
            params.append(user)
        with self.store.lock:
            rows = list(
                self.store.db.query(
                    sql + " ORDER BY started_at DESC, rowid DESC LIMIT ?", [*params, limit]
                )
            )
        return [_from_row(r) for r in rows]

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
