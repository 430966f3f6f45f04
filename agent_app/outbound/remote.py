"""The worklist's calls to the server (Qt-free; run on the operations layer's net executor):
the campaigns the agent may work, the next record of one, the agent's callbacks and a survey.
Each returns the wire model (common/outbound.py) as a plain dict, which is what the local
store keeps."""

from __future__ import annotations

from typing import Any

from common.outbound import Callback, CampaignRecord, NextRecordReply, Survey
from sync.api_client import ApiClient


def campaigns(client: ApiClient) -> list[dict[str, Any]]:
    """The active campaigns (the server lists only those for an agent)."""
    return [c.model_dump() for c in client.campaigns() if c.status == "active"]


def next_record(client: ApiClient, campaign_id: int) -> tuple[dict[str, Any] | None, str]:
    """(the record now locked to this agent, '') or (None, why there is none)."""
    reply: NextRecordReply = client.next_record(campaign_id)
    record: CampaignRecord | None = reply.record
    return (record.model_dump() if record is not None else None), reply.reason


def callbacks(client: ApiClient) -> list[dict[str, Any]]:
    """This agent's callbacks, due and upcoming (the reminder list)."""
    items: list[Callback] = client.callbacks(mine=True)
    return [c.model_dump() for c in items]


def survey(client: ApiClient, uuid: str) -> dict[str, Any]:
    found: Survey = client.survey(uuid)
    return found.model_dump()
