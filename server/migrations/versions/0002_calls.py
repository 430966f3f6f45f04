"""Call records and agent state changes pushed by the seats.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _stamp(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(40), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "call_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("local_number", sa.String(64), nullable=False, server_default=""),
        sa.Column("remote_number", sa.String(64), nullable=False, server_default=""),
        sa.Column("remote_display", sa.String(200), nullable=False, server_default=""),
        sa.Column("queue", sa.String(64), nullable=False, server_default=""),
        sa.Column("campaign", sa.String(64), nullable=False, server_default=""),
        _stamp("started_at"),
        _stamp("answered_at", nullable=True),
        _stamp("ended_at"),
        sa.Column("talk_seconds", sa.Float, nullable=False, server_default="0"),
        sa.Column("hold_seconds", sa.Float, nullable=False, server_default="0"),
        sa.Column("acw_seconds", sa.Float, nullable=False, server_default="0"),
        sa.Column("wrap_up_category", sa.String(64), nullable=False, server_default=""),
        sa.Column("wrap_up_note", sa.Text, nullable=False, server_default=""),
        sa.Column("disposition", sa.String(64), nullable=False, server_default=""),
        sa.Column("end_reason", sa.String(16), nullable=False),
        sa.Column("sip_code", sa.Integer, nullable=True),
        sa.Column("recording_path", sa.Text, nullable=True),
        _stamp("received_at"),
        _stamp("updated_at"),
    )
    op.create_index("call_records_time", "call_records", ["started_at"])
    op.create_index("call_records_agent_time", "call_records", ["agent_id", "started_at"])
    op.create_table(
        "agent_states",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False, server_default=""),
        sa.Column("on_call", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("call_uuid", sa.String(36), nullable=False, server_default=""),
        _stamp("started_at"),
        sa.Column("previous_state", sa.String(20), nullable=False),
        sa.Column("previous_reason", sa.String(64), nullable=False, server_default=""),
        sa.Column("previous_on_call", sa.Boolean, nullable=False, server_default=sa.false()),
        _stamp("previous_started_at"),
        sa.Column("previous_seconds", sa.Float, nullable=False, server_default="0"),
        _stamp("received_at"),
    )
    op.create_index("agent_states_agent_time", "agent_states", ["agent_id", "started_at"])
    op.create_index("agent_states_time", "agent_states", ["started_at"])


def downgrade() -> None:
    op.drop_table("agent_states")
    op.drop_table("call_records")
