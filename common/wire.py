"""What the client reads from the server's API, as typed models (pydantic): the replies of the
endpoints `sync.api_client.ApiClient` calls. Qt-free and server-free, so both sides can use them.

Replies ignore fields they do not know, so a newer server does not break an older client.
Kinds and states stay plain text here: the server narrows them in its own input schemas.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


class UserInfo(Reply):
    id: int = 0
    username: str
    display_name: str = ""
    role: str
    disabled: bool = False


class LoginReply(Reply):
    token: str
    expires_at: str
    user: UserInfo
    must_change_password: bool = False  # the first admin's generated password


class Health(Reply):
    ok: bool
    db: str = ""


class ItemAck(Reply):
    """The server's answer for one pushed item: kept ('stored'), already had ('duplicate'), or
    refused for good ('rejected', with the field errors)."""

    uuid: str
    status: Literal["stored", "duplicate", "rejected"]
    errors: list[dict[str, Any]] = []


class BatchReply(Reply):
    results: list[ItemAck]


class Change(Reply):
    """One entry of the changes feed; `data` is the changed record as its kind defines it."""

    seq: int
    kind: str
    uuid: str
    data: dict[str, Any]


class ChangesPage(Reply):
    changes: list[Change]
    next_since: int
    has_more: bool
    # The server's instance id: the feed's numbers are its own. "" from a server older than it.
    server_id: str = ""


class BusinessLine(Reply):
    """One of the center's business lines (GET /taxonomy/business-lines, and the data of a
    'business_line' change of the feed)."""

    code: str
    name_zh: str
    name_en: str = ""
    active: bool = True
    sort_order: int = 0
    builtin: bool = False
    updated_at: str = ""


class CenterCode(Reply):
    """A code of one of the center's lists (common/center_codes.py: category, wrap_up,
    not_ready, outcome), from GET /taxonomy and as the data of a 'center_code' change."""

    kind: str
    code: str
    name_zh: str
    name_en: str = ""
    meaning: str | None = None  # outcomes: which of the seven meanings
    active: bool = True
    sort_order: int = 0
    builtin: bool = False
    updated_at: str = ""  # "" for a category path in use that the list does not hold yet


class Taxonomy(Reply):
    business_lines: list[BusinessLine]
    categories: list[str] = []
    codes: dict[str, list[CenterCode]] = {}  # by kind; {} from a server older than the lists


class Question(Reply):
    uuid: str
    agent: str = ""
    query: str
    note: str = ""
    closest_article_uuid: str = ""
    business_line: str = ""
    category: str = ""
    status: str
    claimed_by: str | None = None
    answer: str = ""
    answered_by: str | None = None
    answered_at: str | None = None
    reject_reason: str = ""
    merged_into: str | None = None
    article_uuid: str = ""
    created_at: str = ""
    received_at: str = ""
    updated_at: str = ""
    row_version: int = 0


class QuestionPage(Reply):
    items: list[Question]
    total: int


class QuestionGroup(Reply):
    representative: str
    members: list[str]


class SearchMiss(Reply):
    query: str
    times: int
    agents: int
    last_at: str


class CallRecordOut(Reply):
    uuid: str
    agent: str
    version: int
    direction: str
    local_number: str = ""
    remote_number: str = ""
    remote_display: str = ""
    queue: str = ""
    campaign: str = ""
    started_at: str
    answered_at: str | None = None
    ended_at: str
    talk_seconds: float = 0.0
    hold_seconds: float = 0.0
    acw_seconds: float = 0.0
    handle_seconds: float = 0.0
    wrap_up_category: str = ""
    wrap_up_note: str = ""
    disposition: str = ""
    end_reason: str = ""
    sip_code: int | None = None
    recording_path: str | None = None
    transfer_result: str = ""  # "", "succeeded" or "failed"
    end_text: str = ""
    received_at: str = ""
    updated_at: str = ""


class CallPage(Reply):
    items: list[CallRecordOut]
    total: int


class AgentStateOut(Reply):
    uuid: str
    agent: str
    display_name: str = ""
    state: str
    reason: str = ""
    on_call: bool = False
    call_uuid: str = ""
    started_at: str
    previous_state: str
    previous_reason: str = ""
    previous_on_call: bool = False
    previous_started_at: str
    previous_seconds: float = 0.0
    received_at: str = ""


class AgentStatePage(Reply):
    items: list[AgentStateOut]
    total: int
