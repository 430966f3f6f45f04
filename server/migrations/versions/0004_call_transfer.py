"""Call records keep how their last transfer went and what the agent was shown at the end.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with a default: records pushed before this release read as "no
    # transfer, no text", and no batch rebuild of a table other rows refer to is needed.
    op.add_column(
        "call_records",
        sa.Column("transfer_result", sa.String(16), nullable=False, server_default=""),
    )
    op.add_column("call_records", sa.Column("end_text", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("call_records", "end_text")
    op.drop_column("call_records", "transfer_result")
