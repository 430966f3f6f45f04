"""Supervision (issue 14): teams and each user's team, every seat's live state, the monitoring
audit, and the server's shared secrets (the key that signs monitor grants).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    # A plain nullable column (no foreign key: SQLite would rebuild the users table for one).
    op.add_column("users", sa.Column("team_id", sa.Integer, nullable=True))
    op.create_index("users_team", "users", ["team_id"])
    op.create_table(
        "seat_live",
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False, server_default=""),
        sa.Column("state_since", sa.String(40), nullable=False),
        sa.Column("call_uuid", sa.String(36), nullable=False, server_default=""),
        sa.Column("call_direction", sa.String(8), nullable=False, server_default=""),
        sa.Column("call_started_at", sa.String(40), nullable=True),
        sa.Column("call_answered_at", sa.String(40), nullable=True),
        sa.Column("call_queue", sa.String(64), nullable=False, server_default=""),
        sa.Column("call_campaign", sa.String(200), nullable=False, server_default=""),
        sa.Column("call_number", sa.String(64), nullable=False, server_default=""),
        sa.Column("last_seen", sa.String(40), nullable=False),
        sa.Column("changed_at", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_table(
        "monitor_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("actor_name", sa.String(64), nullable=False, server_default=""),
        sa.Column("target_id", sa.Integer, nullable=True),
        sa.Column("target_name", sa.String(64), nullable=False, server_default=""),
        sa.Column("call_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("grant_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("mode", sa.String(16), nullable=False, server_default=""),
        sa.Column("reason", sa.String(64), nullable=False, server_default=""),
        sa.Column("remote_uri", sa.String(255), nullable=False, server_default=""),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("ended_at", sa.String(40), nullable=True),
        sa.Column("duration_s", sa.Float, nullable=True),
        sa.Column("modes", sa.Text, nullable=False, server_default="[]"),
        sa.Column("events", sa.Text, nullable=False, server_default="[]"),
        sa.Column("reported_by", sa.Integer, nullable=True),
        sa.Column("received_at", sa.String(40), nullable=False),
    )
    op.create_index("monitor_audit_time", "monitor_audit", ["at"])
    op.create_index("monitor_audit_actor", "monitor_audit", ["actor_id", "at"])
    op.create_index("monitor_audit_target", "monitor_audit", ["target_id", "at"])
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("server_secrets")
    op.drop_index("monitor_audit_target", "monitor_audit")
    op.drop_index("monitor_audit_actor", "monitor_audit")
    op.drop_index("monitor_audit_time", "monitor_audit")
    op.drop_table("monitor_audit")
    op.drop_table("seat_live")
    op.drop_index("users_team", "users")
    op.drop_column("users", "team_id")
    op.drop_table("teams")
