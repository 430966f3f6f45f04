"""The demo campaign of the app's built-in backend: something to work in the outbound worklist
on the first start, and gone again with the rest of the demo (`main.py kb remove-demo`).

Made only by the embedded first start (server/services/first_start.py, asked for by
agent_app/shell/embedded_backend.py), in the transaction that creates the demo users, so a
second start never makes it again and a removed demo never comes back. A center's own server,
an import and the tests' backends never get it (issue 11, #14: no demo mixed into real data).

It holds the demo script (common/scripts.py) as a published article, so it reaches the
workstation's knowledge base through the changes feed like any script; the demo survey
(common/surveys.py); calling hours every day 08:00-21:00, so a demo has work at most hours (a
real center edits them); and 20 customers whose numbers cannot ring anyone: Beijing (010)
numbers whose subscriber part starts with 0, which no Chinese subscriber number does (a
leading 0 is the trunk prefix), yet they pass the list import's phone rules like real ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.numbers import list_phone
from common.outbound import CallingHours, CampaignIn, SurveyIn
from common.scripts import DEMO_SCRIPT_UUID, demo_script_article
from common.surveys import demo_survey
from common.timestamps import now_iso
from server.core.db import Database
from server.services import articles as article_service
from server.services.outbound import campaigns as campaign_service
from server.services.outbound import surveys as survey_service
from server.tables import campaign_attempts, campaign_records, campaigns, surveys

DEMO_CAMPAIGN_NAME = "物业满意度回访（演示）"
DEMO_BUSINESS_LINE = "property"  # made by migration 0005
DEMO_HOURS = ("08:00", "21:00")
# The article's columns a publish writes (the rest: uuid, version, status, stamps).
_CONTENT_FIELDS = (
    "type",
    "title",
    "body",
    "category",
    "tags",
    "aliases",
    "business_line",
    "contact_point",
    "source_question_uuid",
    "review_due",
    "attachments",
)
_SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗"
_ESTATES = ("翠湖花园", "滨江一号", "锦绣家园", "阳光新城")


def demo_customers() -> list[tuple[str, str, dict[str, str]]]:
    """(姓名, phone, custom fields) of the 20 demo customers; the phones are fictitious
    (010 + a subscriber part starting with 0, see the module's docstring)."""
    customers = []
    for number, surname in enumerate(_SURNAMES, start=1):
        title = "先生" if number % 2 else "女士"
        estate = _ESTATES[(number - 1) % len(_ESTATES)]
        room = f"{(number - 1) % 8 + 1}栋{(number - 1) % 3 + 1}单元{(number % 6 + 1) * 100 + 2}"
        customers.append(
            (f"{surname}{title}", f"010-0000{number:04d}", {"楼盘": estate, "房号": room})
        )
    return customers


def create_demo_campaign(conn: Connection, author_id: int) -> int | None:
    """Make the demo campaign with its script article, survey and customers; returns its id,
    or None when a campaign of that name exists already (nothing is touched then)."""
    if campaign_service.find_campaign(conn, DEMO_CAMPAIGN_NAME) is not None:
        return None
    if article_service.find(conn, DEMO_SCRIPT_UUID) is None:
        script = demo_script_article()
        script.business_line = DEMO_BUSINESS_LINE
        article_service.publish_content(
            conn, DEMO_SCRIPT_UUID, script.row(_CONTENT_FIELDS), None, author_id, author_id, ""
        )
    survey = demo_survey()
    if conn.execute(sa.select(surveys.c.uuid).where(surveys.c.uuid == survey.uuid)).first() is None:
        definition = survey.model_dump(mode="json")
        survey_service.create_survey(
            conn, SurveyIn(uuid=survey.uuid, name=survey.name, definition=definition), None
        )
    every_day = [[DEMO_HOURS] for _day in range(7)]
    campaign = campaign_service.create_campaign(
        conn,
        CampaignIn(
            name=DEMO_CAMPAIGN_NAME,
            business_line=DEMO_BUSINESS_LINE,
            script_article_uuid=DEMO_SCRIPT_UUID,
            survey_uuid=survey.uuid,
            calling_hours=CallingHours(days=every_day),
        ),
        None,
    )
    now = now_iso()
    rows: list[dict[str, Any]] = []
    for row_number, (name, phone, fields) in enumerate(demo_customers(), start=1):
        judged = list_phone(phone)
        assert judged.ok, phone  # the list import's own rules: the demo is a list like any other
        rows.append(
            {
                "campaign_id": campaign.id,
                "row_number": row_number,
                "name": name,
                "phone": phone,
                "phone_key": judged.key,
                "fields": json.dumps(fields, ensure_ascii=False),
                "status": "pending",
                "due_at": None,
                "updated_at": now,
            }
        )
    conn.execute(campaign_records.insert(), rows)
    return campaign.id


def remove_demo_campaign(conn: Connection) -> int:
    """Delete the demo campaign (its records and attempts too), and its script article and
    survey unless another campaign uses them; returns how many campaigns went (0 or 1).

    The demo campaign is the one with the demo's name and script: one a center renamed, or
    made itself, stays."""
    row = conn.execute(
        sa.select(campaigns.c.id, campaigns.c.survey_uuid).where(
            campaigns.c.name == DEMO_CAMPAIGN_NAME,
            campaigns.c.script_article_uuid == DEMO_SCRIPT_UUID,
        )
    ).first()
    if row is None:
        return 0
    conn.execute(campaign_attempts.delete().where(campaign_attempts.c.campaign_id == row.id))
    conn.execute(campaign_records.delete().where(campaign_records.c.campaign_id == row.id))
    conn.execute(campaigns.delete().where(campaigns.c.id == row.id))
    if not _used(conn, campaigns.c.script_article_uuid, DEMO_SCRIPT_UUID):
        article = article_service.find(conn, DEMO_SCRIPT_UUID)
        if article is not None and article.status != "deleted":
            # A tombstone on the feed takes it out of every workstation's knowledge base.
            article_service.set_status(conn, DEMO_SCRIPT_UUID, "deleted", article.updated_by)
    if row.survey_uuid and not _used(conn, campaigns.c.survey_uuid, row.survey_uuid):
        conn.execute(surveys.delete().where(surveys.c.uuid == row.survey_uuid))
    return 1


def _used(conn: Connection, column: sa.Column[Any], value: str) -> bool:
    return (
        conn.execute(sa.select(campaigns.c.id).where(column == value).limit(1)).first() is not None
    )


def remove_demo_campaign_in(data_dir: Path) -> int:
    """`main.py kb remove-demo`: the demo campaign of the built-in backend kept in `data_dir`
    (none there: 0, and no database is created)."""
    from server.embedded import SERVER_DB_FILE  # the embedded server imports this package

    path = Path(data_dir) / SERVER_DB_FILE
    if not path.is_file():
        return 0
    db = Database(str(path))
    try:
        db.migrate()
        with db.write() as conn:
            return remove_demo_campaign(conn)
    finally:
        db.dispose()
