"""Supervision (issue 14): each live seat's SIP account, so a supervisor's phone calls the
seat where it is registered (not the agent's user name on the supervisor's own domain).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "seat_live", sa.Column("sip_uri", sa.String(255), nullable=False, server_default="")
    )


def downgrade() -> None:
    # batch mode: SQLite drops a column by rebuilding the table.
    with op.batch_alter_table("seat_live") as batch:
        batch.drop_column("sip_uri")
