"""The one HTTP client of the desktop app: typed calls to the backend, errors users can read."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from common.articles import Article, AttachmentRef
from common.authoring import (
    Attention,
    Proposal,
    ProposalIn,
    RevisionOut,
    Vocabulary,
    VocabularyIn,
)
from common.outbound import (
    AttemptIn,
    CalendarReply,
    Callback,
    Campaign,
    CampaignIn,
    CampaignPatch,
    CampaignReport,
    DncNumber,
    HolidayOverride,
    ImportPreview,
    ImportReport,
    LockReply,
    NextRecordReply,
    Progress,
    Survey,
    SurveyIn,
)
from common.supervision import (
    REJECTIONS_PATH,
    SESSIONS_PATH,
    AuditPage,
    Board,
    GrantReply,
    MonitorRejection,
    MonitorSessionEvent,
    PublicKeyReply,
    SeatAck,
    SeatReport,
    SupervisionPolicy,
    Team,
    TeamMember,
)
from common.texts import language
from common.wire import (
    AgentStateOut,
    AgentStatePage,
    BatchReply,
    BusinessLine,
    CallPage,
    CenterCode,
    ChangesPage,
    Health,
    ItemAck,
    LoginReply,
    Question,
    QuestionGroup,
    QuestionPage,
    SearchMiss,
    Taxonomy,
    UserInfo,
)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
# A long-poll's read timeout is its wait plus this: time for the server to answer once it ends.
LONG_POLL_MARGIN_S = 10.0
M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    """The server answered with an error; `message` is in the user's language when it gave one."""

    def __init__(self, status: int, detail: Any) -> None:
        self.status = status
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        detail = self.detail
        if isinstance(detail, dict):
            detail = detail.get("message", detail)
        if isinstance(detail, list):  # pydantic field errors, and the services' refusals
            return "; ".join(_field_error(error) for error in detail)
        return _in_language(str(detail))


def _field_error(error: Any) -> str:
    """One field error: its message in the user's language after the field it names. A refusal
    of the whole request (loc ["body"], as the services answer) names no field."""
    if not isinstance(error, dict):
        return _in_language(str(error))
    loc = [str(part) for part in error.get("loc", [])]
    if loc[:1] == ["body"]:
        loc = loc[1:]
    text = _in_language(str(error.get("msg", "")))
    return f"{'.'.join(loc)}: {text}" if loc else text


def _in_language(text: str) -> str:
    """'english / 中文' (our server's details): the half in the user's language."""
    if " / " not in text:
        return text
    english, chinese = text.split(" / ", 1)
    if _has_han(english) and not _has_han(chinese):
        # Written the other way round ("中文 / English"): told apart by the script, so the
        # user never gets the other language.
        english, chinese = chinese, english
    return english if language().startswith("en") else chinese


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class AuthError(ApiError):
    """401: not logged in or the session ended; log in again."""


class ConflictError(ApiError):
    """409: someone else changed it first; `detail` holds the current state."""


class OfflineError(Exception):
    """The server could not be reached (network down, server stopped, timeout)."""


class ProtocolError(OfflineError):
    """The server's reply was not what this client understands (another program on that
    port, or an incompatible version): treated like an unreachable server."""


@dataclass
class Session:
    token: str
    expires_at: str
    user: UserInfo
    must_change_password: bool = False

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def display_name(self) -> str:
        return self.user.display_name


class ApiClient:
    def __init__(
        self, base_url: str, token: str = "", timeout: httpx.Timeout = DEFAULT_TIMEOUT
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The server's successful response; errors raised as ApiError / OfflineError."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise OfflineError(str(exc) or type(exc).__name__) from exc
        if response.status_code >= 500:
            raise OfflineError(f"server error {response.status_code}")
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail", response.text)
            except ValueError:
                detail = response.text
            error = {401: AuthError, 409: ConflictError}.get(response.status_code, ApiError)
            raise error(response.status_code, detail)
        return response

    def _get(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        data = self._request(method, path, **kwargs)
        return _checked(lambda: model.model_validate(data))

    def _list(self, model: type[M], method: str, path: str, **kwargs: Any) -> list[M]:
        data = self._request(method, path, **kwargs)
        if not isinstance(data, list):
            raise ProtocolError(f"unexpected reply from the server: a list was expected at {path}")
        return [_checked(partial(model.model_validate, item)) for item in data]

    # -- session ------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Session:
        data = self._get(
            LoginReply, "POST", "/auth/login", json={"username": username, "password": password}
        )
        self.token = data.token
        return Session(data.token, data.expires_at, data.user, data.must_change_password)

    def change_password(self, old_password: str, new_password: str) -> None:
        """Replace this user's password; this session goes on, their others end. The first
        admin (and anyone an admin flagged) must do this before any other call."""
        self._request(
            "POST",
            "/auth/password",
            json={"old_password": old_password, "new_password": new_password},
        )

    def me(self) -> UserInfo:
        return self._get(UserInfo, "GET", "/auth/me")

    def users(self) -> list[UserInfo]:
        """Every user of the center (admin): the teams dialog assigns them."""
        return self._list(UserInfo, "GET", "/users")

    def logout(self) -> None:
        self._request("POST", "/auth/logout")
        self.token = ""

    def health(self) -> Health:
        return self._get(Health, "GET", "/health")

    # -- sync ---------------------------------------------------------------------------------
    def push(self, path: str, items: list[dict[str, Any]]) -> list[ItemAck]:
        """One batch to `path` (the endpoint registered for the items' outbox kind)."""
        return self._get(BatchReply, "POST", path, json={"items": items}).results

    def changes(self, since: int, limit: int = 500, wait: int = 0) -> ChangesPage:
        """A page of the feed after `since`. With `wait` (seconds, at most 30) the server holds
        the request until there is news or the wait ends (a server that predates it answers at
        once); the read timeout is stretched to cover it."""
        if not wait:
            params = {"since": since, "limit": limit}
            return self._get(ChangesPage, "GET", "/changes", params=params)
        params = {"since": since, "limit": limit, "wait": wait}
        timeout = httpx.Timeout(wait + LONG_POLL_MARGIN_S, connect=DEFAULT_TIMEOUT.connect)
        return self._get(ChangesPage, "GET", "/changes", params=params, timeout=timeout)

    # -- questions ----------------------------------------------------------------------------
    def questions(self, **filters: Any) -> QuestionPage:
        """status, business_line, category, agent, since, until, limit, offset (agents get
        their own questions only)."""
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        return self._get(QuestionPage, "GET", "/questions", params=params)

    def question_groups(self, business_line: str = "") -> list[QuestionGroup]:
        params = {"business_line": business_line} if business_line else {}
        return self._list(QuestionGroup, "GET", "/questions/groups", params=params)

    def claim(self, uuid: str) -> Question:
        return self._get(Question, "POST", f"/questions/{uuid}/claim")

    def answer(
        self, uuid: str, answer: str, article_uuid: str = "", expected_version: int | None = None
    ) -> Question:
        body: dict[str, Any] = {"answer": answer, "article_uuid": article_uuid}
        if expected_version is not None:
            body["expected_version"] = expected_version
        return self._get(Question, "POST", f"/questions/{uuid}/answer", json=body)

    def reject(self, uuid: str, reason: str, expected_version: int | None = None) -> Question:
        body: dict[str, Any] = {"reason": reason}
        if expected_version is not None:
            body["expected_version"] = expected_version
        return self._get(Question, "POST", f"/questions/{uuid}/reject", json=body)

    def merge(self, uuid: str, into: str) -> Question:
        return self._get(Question, "POST", f"/questions/{uuid}/merge", json={"into": into})

    def link(self, uuid: str, article_uuid: str) -> Question:
        return self._get(
            Question, "POST", f"/questions/{uuid}/link", json={"article_uuid": article_uuid}
        )

    def search_misses(self, since: str = "") -> list[SearchMiss]:
        return self._list(SearchMiss, "GET", "/search-misses", params={"since": since})

    # -- taxonomy -----------------------------------------------------------------------------
    def taxonomy(self) -> Taxonomy:
        """The center's business lines (inactive ones flagged) and the categories in use."""
        return self._get(Taxonomy, "GET", "/taxonomy")

    def create_business_line(self, code: str, name_zh: str, name_en: str = "") -> BusinessLine:
        body = {"code": code, "name_zh": name_zh, "name_en": name_en}
        return self._get(BusinessLine, "POST", "/taxonomy/business-lines", json=body)

    def change_business_line(self, code: str, **changes: Any) -> BusinessLine:
        """name_zh, name_en, active, sort_order (an admin or the manager)."""
        return self._get(BusinessLine, "PATCH", f"/taxonomy/business-lines/{code}", json=changes)

    def create_center_code(
        self,
        kind: str,
        code: str,
        name_zh: str,
        name_en: str = "",
        meaning: str | None = None,
    ) -> CenterCode:
        """Add a code to the center's `kind` list (an admin or the manager)."""
        body: dict[str, Any] = {"code": code, "name_zh": name_zh, "name_en": name_en}
        if meaning is not None:
            body["meaning"] = meaning
        return self._get(CenterCode, "POST", f"/taxonomy/codes/{kind}", json=body)

    def change_center_code(self, kind: str, code: str, **changes: Any) -> CenterCode:
        """name_zh, name_en, meaning (outcomes), active, sort_order (an admin or the manager).
        A category's code is its path: its '/' stay separators of the URL's last part."""
        path = f"/taxonomy/codes/{kind}/{quote(code, safe='/')}"
        return self._get(CenterCode, "PATCH", path, json=changes)

    # -- seat records -------------------------------------------------------------------------
    def calls(self, **filters: Any) -> CallPage:
        """Call records: agent, since, until (ISO with timezone), direction, limit, offset."""
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        return self._get(CallPage, "GET", "/calls", params=params)

    def agent_states(self) -> list[AgentStateOut]:
        """The supervisors' board: each agent's current state."""
        return self._list(AgentStateOut, "GET", "/agent-states")

    def agent_state_history(self, **filters: Any) -> AgentStatePage:
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        return self._get(AgentStatePage, "GET", "/agent-states/history", params=params)

    # -- articles -----------------------------------------------------------------------------
    def create_article(self, article: dict[str, Any]) -> Article:
        return self._get(Article, "POST", "/articles", json=article)

    def publish_article(self, uuid: str) -> Article:
        return self._get(Article, "POST", f"/articles/{uuid}/publish")

    # -- knowledge authoring (docs/authoring.md; models in common/authoring.py) ----------------
    def submit_proposal(self, proposal: ProposalIn) -> Proposal:
        """Online submit; a stale base raises ConflictError whose detail holds the current
        article (`detail["article"]`). Offline, the outbox sends kind `article_proposal`."""
        body = proposal.model_dump(mode="json")
        return self._get(Proposal, "POST", "/authoring/proposals", json=body)

    def proposals(
        self, state: str | None = None, mine: bool = False, article_uuid: str | None = None
    ) -> list[Proposal]:
        """Newest first; state='submitted' is the review queue, mine=True the caller's own."""
        params: dict[str, Any] = {"mine": "true" if mine else "false"}
        if state:
            params["state"] = state
        if article_uuid:
            params["article_uuid"] = article_uuid
        return self._list(Proposal, "GET", "/authoring/proposals", params=params)

    def proposal(self, uuid: str) -> Proposal:
        return self._get(Proposal, "GET", f"/authoring/proposals/{quote(uuid, safe='')}")

    def approve_proposal(self, uuid: str, publish: bool = True) -> Proposal:
        """Approve (and by default publish); ConflictError with the current article when the
        article moved since the proposal's base (the proposal is then in state 'conflict')."""
        path = f"/authoring/proposals/{quote(uuid, safe='')}/approve"
        return self._get(Proposal, "POST", path, json={"publish": publish})

    def reject_proposal(self, uuid: str, comment: str) -> Proposal:
        """(`reject` is the question queue's.)"""
        path = f"/authoring/proposals/{quote(uuid, safe='')}/reject"
        return self._get(Proposal, "POST", path, json={"comment": comment})

    def publish_proposal(self, uuid: str) -> Proposal:
        path = f"/authoring/proposals/{quote(uuid, safe='')}/publish"
        return self._get(Proposal, "POST", path)

    def retire_article(self, uuid: str) -> Article:
        return self._get(Article, "POST", f"/articles/{quote(uuid, safe='')}/retire")

    def revisions(self, article_uuid: str) -> list[RevisionOut]:
        """Every version of the article, oldest first, with author and approver names."""
        path = f"/authoring/articles/{quote(article_uuid, safe='')}/revisions"
        return self._list(RevisionOut, "GET", path)

    def upload_attachment(self, filename: str, data: bytes) -> AttachmentRef:
        """PNG/JPEG/GIF/WebP/PDF up to 10 MB; ApiError 413 / 415 with a readable message."""
        return self._get(
            AttachmentRef,
            "POST",
            "/authoring/attachments",
            files={"file": (filename, data, "application/octet-stream")},
            timeout=IMPORT_TIMEOUT,
        )

    def download_attachment(self, sha256: str) -> bytes:
        path = f"/attachments/{quote(sha256, safe='')}"
        return self._send("GET", path, timeout=IMPORT_TIMEOUT).content

    def attention(self, min_not_helpful: int = 1) -> Attention:
        params = {"min_not_helpful": min_not_helpful}
        return self._get(Attention, "GET", "/authoring/attention", params=params)

    def vocabulary(self) -> Vocabulary:
        return self._get(Vocabulary, "GET", "/authoring/vocabulary")

    def put_vocabulary(self, vocabulary: VocabularyIn) -> Vocabulary:
        body = vocabulary.model_dump(mode="json", include={"synonym_groups", "user_words"})
        return self._get(Vocabulary, "PUT", "/authoring/vocabulary", json=body)

    # -- outbound campaigns (docs/outbound.md; models in common/outbound.py) --------------------
    def campaigns(self) -> list[Campaign]:
        """Campaigns (an agent gets the active ones)."""
        return self._list(Campaign, "GET", "/campaigns")

    def campaign(self, campaign_id: int) -> Campaign:
        return self._get(Campaign, "GET", f"/campaigns/{campaign_id}")

    def create_campaign(self, campaign: CampaignIn) -> Campaign:
        return self._get(Campaign, "POST", "/campaigns", json=campaign.model_dump(mode="json"))

    def change_campaign(self, campaign_id: int, changes: CampaignPatch) -> Campaign:
        """Change the fields set in `changes` (CampaignPatch(status="paused"), ...)."""
        body = changes.model_dump(mode="json", exclude_unset=True)
        return self._get(Campaign, "PATCH", f"/campaigns/{campaign_id}", json=body)

    def next_record(self, campaign_id: int) -> NextRecordReply:
        """The next record for this user, locked to them; or `record` None and the reason."""
        return self._get(NextRecordReply, "POST", f"/campaigns/{campaign_id}/next")

    def renew_record(self, record_id: int) -> LockReply:
        """Keep this user's lock on the record (ConflictError: it is no longer theirs)."""
        return self._get(LockReply, "POST", f"/campaigns/records/{record_id}/renew")

    def release_record(self, record_id: int) -> LockReply:
        return self._get(LockReply, "POST", f"/campaigns/records/{record_id}/release")

    def push_attempts(self, attempts: list[AttemptIn]) -> list[ItemAck]:
        """Attempts straight to the server (the outbox sends kind 'campaign_attempt' through
        push('/campaigns/attempts/batch', items) with the same item shape)."""
        items = [attempt.model_dump(mode="json") for attempt in attempts]
        return self.push("/campaigns/attempts/batch", items)

    def callbacks(self, mine: bool = True) -> list[Callback]:
        """This user's agreed callbacks, due and upcoming (mine=False: also those handed over
        to anyone and due now)."""
        params = {"mine": "true" if mine else "false"}
        return self._list(Callback, "GET", "/campaigns/callbacks", params=params)

    def campaign_progress(self, campaign_id: int) -> Progress:
        return self._get(Progress, "GET", f"/campaigns/{campaign_id}/progress")

    def campaign_report(self, campaign_id: int, day: str | None = None) -> CampaignReport:
        """The feedback report; `day` 'YYYY-MM-DD' (China time), every day when None."""
        params = {"day": day} if day else {}
        return self._get(CampaignReport, "GET", f"/campaigns/{campaign_id}/report", params=params)

    def campaign_report_xlsx(self, campaign_id: int, day: str | None = None) -> bytes:
        """The feedback report as an XLSX workbook's bytes."""
        params = {"day": day} if day else {}
        return self._send("GET", f"/campaigns/{campaign_id}/report.xlsx", params=params).content

    def dnc_numbers(self, campaign_id: int | None = None) -> list[DncNumber]:
        """The global do-not-call list, or a campaign's own."""
        params = {"campaign_id": campaign_id} if campaign_id else {}
        return self._list(DncNumber, "GET", "/campaigns/dnc", params=params)

    def add_dnc(self, phone: str, campaign_id: int | None = None, reason: str = "") -> DncNumber:
        body = {"phone": phone, "campaign_id": campaign_id, "reason": reason}
        return self._get(DncNumber, "POST", "/campaigns/dnc", json=body)

    def remove_dnc(self, dnc_id: int) -> None:
        self._request("DELETE", f"/campaigns/dnc/{dnc_id}")

    def holiday_overrides(self) -> list[HolidayOverride]:
        return self._get(CalendarReply, "GET", "/campaigns/calendar").overrides

    def set_holiday_overrides(self, overrides: list[HolidayOverride]) -> list[HolidayOverride]:
        """Replace the center's whole override list."""
        body = {"overrides": [item.model_dump(mode="json") for item in overrides]}
        return self._get(CalendarReply, "PUT", "/campaigns/calendar", json=body).overrides

    def surveys(self) -> list[Survey]:
        return self._list(Survey, "GET", "/campaigns/surveys")

    def survey(self, survey_uuid: str) -> Survey:
        return self._get(Survey, "GET", f"/campaigns/surveys/{quote(survey_uuid, safe='')}")

    def create_survey(self, survey: SurveyIn) -> Survey:
        body = survey.model_dump(mode="json", exclude_none=True)
        return self._get(Survey, "POST", "/campaigns/surveys", json=body)

    def change_survey(self, survey_uuid: str, survey: SurveyIn) -> Survey:
        body = survey.model_dump(mode="json", exclude_none=True)
        path = f"/campaigns/surveys/{quote(survey_uuid, safe='')}"
        return self._get(Survey, "PUT", path, json=body)

    def import_preview(
        self, campaign_id: int, filename: str, data: bytes, mapping: dict[str, str] | None = None
    ) -> ImportPreview:
        """A list import's dry run: header, column mapping, first rows and the report it would
        give; `mapping` {header: 'name' | 'phone' | 'field' | 'ignore'} overrides the detected."""
        return self._get(
            ImportPreview,
            "POST",
            f"/campaigns/{campaign_id}/import",
            **_upload(filename, data, mapping, dry_run=True),
        )

    def import_list(
        self, campaign_id: int, filename: str, data: bytes, mapping: dict[str, str] | None = None
    ) -> ImportReport:
        """Import a customer list (CSV UTF-8/BOM/GB18030 or XLSX) into the campaign."""
        return self._get(
            ImportReport,
            "POST",
            f"/campaigns/{campaign_id}/import",
            **_upload(filename, data, mapping, dry_run=False),
        )

    # -- supervision (issue 14; common/supervision.py, docs/supervision.md) --------------------
    def teams(self) -> list[Team]:
        """Teams with their members (admin, manager)."""
        return self._list(Team, "GET", "/teams")

    def create_team(self, name: str) -> Team:
        return self._get(Team, "POST", "/teams", json={"name": name})

    def rename_team(self, team_id: int, name: str) -> Team:
        return self._get(Team, "PATCH", f"/teams/{team_id}", json={"name": name})

    def assign_team(self, user_id: int, team_id: int | None) -> TeamMember:
        """Put a user in a team (None: in none); admin."""
        return self._get(TeamMember, "PUT", f"/teams/members/{user_id}", json={"team_id": team_id})

    def report_seat(self, report: SeatReport) -> SeatAck:
        """This user's seat: a change as it happens, or a heartbeat."""
        return self._get(SeatAck, "POST", "/supervision/seat", json=report.model_dump(mode="json"))

    def board(self) -> Board:
        """The supervisors' board now (its live updates: sync.board_stream)."""
        return self._get(Board, "GET", "/supervision/board")

    def request_grant(self, agent: str, call_id: str, mode: str) -> GrantReply:
        """A signed grant to monitor `agent`'s call `call_id` (ApiError 403/404/409 if refused)."""
        body = {"agent": agent, "call_id": call_id, "mode": mode}
        return self._get(GrantReply, "POST", "/supervision/grants", json=body)

    def monitor_public_key(self) -> str:
        """The server's grant-verifying key (common.monitor_grants.public_key_from_text)."""
        return self._get(PublicKeyReply, "GET", "/supervision/public-key").public_key

    def monitor_trust(self) -> PublicKeyReply:
        """The whole public-key reply: the key and the center's policy that goes with it."""
        return self._get(PublicKeyReply, "GET", "/supervision/public-key")

    def supervision_policy(self) -> SupervisionPolicy:
        """The center's policy: does the agent's window say that a call is monitored."""
        return self._get(SupervisionPolicy, "GET", "/supervision/policy")

    def set_supervision_policy(self, show_monitored: bool) -> SupervisionPolicy:
        """Change it (admin or manager)."""
        body = {"show_monitored": show_monitored}
        return self._get(SupervisionPolicy, "PUT", "/supervision/policy", json=body)

    def report_monitor_sessions(self, events: list[MonitorSessionEvent]) -> list[ItemAck]:
        return self.push(SESSIONS_PATH, [e.model_dump(mode="json") for e in events])

    def report_monitor_rejections(self, rejections: list[MonitorRejection]) -> list[ItemAck]:
        return self.push(REJECTIONS_PATH, [r.model_dump(mode="json") for r in rejections])

    def monitor_audit(self, **filters: Any) -> AuditPage:
        """The monitoring audit (manager): since, until (ISO), user, kind, limit, offset."""
        params = {k: v for k, v in filters.items() if v is not None}
        return self._get(AuditPage, "GET", "/supervision/audit", params=params)


# A 100,000-row list takes the server several seconds to read and write: more than the usual
# read timeout, which is for quick calls.
IMPORT_TIMEOUT = httpx.Timeout(300.0, connect=3.0)


def _upload(
    filename: str, data: bytes, mapping: dict[str, str] | None, dry_run: bool
) -> dict[str, Any]:
    """The import route's multipart request: the file, the optional mapping as JSON."""
    form = {"mapping": json.dumps(mapping, ensure_ascii=False)} if mapping else {}
    return {
        "params": {"dry_run": "true" if dry_run else "false"},
        "files": {"file": (filename, data, "application/octet-stream")},
        "data": form,
        "timeout": IMPORT_TIMEOUT,
    }


def _checked(parse: Callable[[], M]) -> M:
    """A reply that does not fit its model is reported like an unreachable server."""
    try:
        return parse()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ProtocolError(f"unexpected reply from the server: {exc}") from exc
