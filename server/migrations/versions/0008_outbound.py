"""Outbound campaigns (issue 12): campaigns, surveys, the customer records of a campaign's list,
call attempts, do-not-call numbers and the center's holiday overrides.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("business_line", sa.String(32), nullable=False, server_default=""),
        sa.Column("script_article_uuid", sa.String(36), nullable=False, server_default=""),
        sa.Column("survey_uuid", sa.String(36), nullable=False, server_default=""),
        sa.Column("calling_hours", sa.Text, nullable=False, server_default="{}"),
        sa.Column("retry_policy", sa.Text, nullable=False, server_default="{}"),
        sa.Column("max_attempts_per_day", sa.Integer, nullable=False, server_default="3"),
        sa.Column("no_time_retry_minutes", sa.Integer, nullable=False, server_default="240"),
        sa.Column("callback_mode", sa.String(8), nullable=False, server_default="agent"),
        sa.Column("callback_handover_minutes", sa.Integer, nullable=False, server_default="60"),
        sa.Column("mask_numbers", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_table(
        "surveys",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_table(
        "campaign_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("phone", sa.String(64), nullable=False),
        sa.Column("phone_key", sa.String(64), nullable=False),
        sa.Column("fields", sa.Text, nullable=False, server_default="{}"),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("attempts_total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("attempts_day", sa.String(10), nullable=False, server_default=""),
        sa.Column("attempts_today", sa.Integer, nullable=False, server_default="0"),
        sa.Column("due_at", sa.String(40), nullable=True),
        sa.Column("callback_agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("callback_open_at", sa.String(40), nullable=True),
        sa.Column("locked_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("locked_until", sa.String(40), nullable=True),
        sa.Column("last_outcome", sa.String(200), nullable=False, server_default=""),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("campaign_id", "phone_key", name="campaign_records_phone"),
    )
    op.create_index(
        "campaign_records_due",
        "campaign_records",
        ["campaign_id", "status", "callback_agent_id", "due_at", "id"],
    )
    op.create_index(
        "campaign_records_callback",
        "campaign_records",
        ["callback_agent_id", "status", "due_at"],
        sqlite_where=sa.text("callback_agent_id IS NOT NULL"),
        postgresql_where=sa.text("callback_agent_id IS NOT NULL"),
    )
    op.create_index("campaign_records_locked", "campaign_records", ["locked_by", "campaign_id"])
    op.create_table(
        "campaign_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("campaign_records.id"), nullable=False),
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), nullable=False),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("outcome", sa.String(200), nullable=False),
        sa.Column("meaning", sa.String(32), nullable=False),
        sa.Column("started_at", sa.String(40), nullable=False),
        sa.Column("ended_at", sa.String(40), nullable=False),
        sa.Column("call_uuid", sa.String(36), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("callback_at", sa.String(40), nullable=True),
        sa.Column("new_phone", sa.String(64), nullable=False, server_default=""),
        sa.Column("answers", sa.Text, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("campaign_attempts_time", "campaign_attempts", ["campaign_id", "started_at"])
    op.create_index("campaign_attempts_record", "campaign_attempts", ["record_id", "started_at"])
    op.create_table(
        "dnc_numbers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("phone_key", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("added_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.UniqueConstraint("phone_key", "campaign_id", name="dnc_numbers_key"),
    )
    op.create_table(
        "holiday_overrides",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.String(40), nullable=False, server_default=""),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("holiday_overrides")
    op.drop_table("dnc_numbers")
    op.drop_table("campaign_attempts")
    op.drop_table("campaign_records")
    op.drop_table("surveys")
    op.drop_table("campaigns")
