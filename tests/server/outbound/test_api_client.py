"""The desktop's ApiClient methods for campaigns against the real app over HTTP (SQLite and
PostgreSQL): every reply parses into its common/outbound.py model, and refusals arrive as the
client's errors."""

from __future__ import annotations

import io
import uuid as uuidlib
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from common.outbound import (
    AttemptIn,
    CampaignIn,
    CampaignPatch,
    HolidayOverride,
    SurveyIn,
)
from sync.api_client import ApiClient, ApiError, ConflictError
from tests.server.outbound.clocked import MONDAY_10, ClockedServer


def client(app: ClockedServer, role: str) -> tuple[ApiClient, int]:
    user = app.user(role)
    token = user.http.headers["Authorization"].removeprefix("Bearer ")
    return ApiClient(app.url, token), user.id


def test_the_api_client_covers_the_campaign_routes(app: ClockedServer) -> None:
    manager, _ = client(app, "supervisor")
    agent, agent_id = client(app, "agent")
    other, _ = client(app, "agent")
    try:
        survey = manager.create_survey(
            SurveyIn(
                name="回访问卷",
                definition={"questions": [{"id": "q1", "type": "yes_no", "text": "满意吗？"}]},
            )
        )
        assert manager.survey(survey.uuid).version == 1
        changed = manager.change_survey(
            survey.uuid,
            SurveyIn(
                name="回访问卷二",
                definition={"questions": [{"id": "q1", "type": "yes_no", "text": "满意吗？"}]},
            ),
        )
        assert changed.version == 2 and survey.uuid in [s.uuid for s in agent.surveys()]
        campaign = manager.create_campaign(
            CampaignIn(name=f"客户端-{uuidlib.uuid4().hex[:6]}", survey_uuid=survey.uuid)
        )
        edited = manager.change_campaign(campaign.id, CampaignPatch(mask_numbers=True))
        assert edited.mask_numbers and edited.survey_uuid == survey.uuid
        assert campaign.id in [c.id for c in agent.campaigns()]
        assert agent.campaign(campaign.id).calling_hours.days[5] == []
        (record_id,) = app.records(campaign.id, ["13800138555"])

        handed = agent.next_record(campaign.id)
        assert handed.record is not None and handed.record.id == record_id
        assert handed.record.phone == "138****8555" and handed.record.dial_number == "13800138555"
        assert other.next_record(campaign.id).reason == "empty"
        assert agent.renew_record(record_id).locked_until is not None
        with pytest.raises(ConflictError):
            other.renew_record(record_id)

        callback_at = MONDAY_10 + timedelta(days=1)
        acks = agent.push_attempts(
            [
                AttemptIn(
                    uuid=str(uuidlib.uuid4()),
                    record_id=record_id,
                    campaign_id=campaign.id,
                    outcome="not_successful",
                    started_at=MONDAY_10,
                    ended_at=MONDAY_10 + timedelta(minutes=3),
                    callback_at=callback_at,
                    answers={"q1": True},
                )
            ]
        )
        assert [ack.status for ack in acks] == ["stored"]
        (callback,) = agent.callbacks()
        assert callback.record_id == record_id and callback.agent_id == agent_id
        assert callback.phone == "138****8555" and not callback.due
        assert agent.release_record(record_id).locked_until is None

        progress = manager.campaign_progress(campaign.id)
        assert (progress.records_left, progress.attempts, progress.contacts) == (1, 1, 1)
        report = manager.campaign_report(campaign.id, "2026-09-14")
        assert report.total.attempts == 1 and report.rows[0].agent_id == agent_id
        book = load_workbook(io.BytesIO(manager.campaign_report_xlsx(campaign.id)))
        assert book.sheetnames == ["反馈报表"]

        entry = manager.add_dnc("138-0013-8666", campaign_id=campaign.id, reason="投诉")
        assert [n.phone_key for n in manager.dnc_numbers(campaign.id)] == ["13800138666"]
        manager.remove_dnc(entry.id)
        assert manager.dnc_numbers(campaign.id) == []

        overrides = [HolidayOverride(day="2031-01-02", kind="closed", note="测试")]
        assert manager.set_holiday_overrides(overrides) == overrides
        assert manager.holiday_overrides() == overrides
        assert manager.set_holiday_overrides([]) == []

        with pytest.raises(ApiError) as refused:
            agent.create_campaign(CampaignIn(name="坐席不能建"))
        assert refused.value.status == 403
    finally:
        for api in (manager, agent, other):
            api.close()
