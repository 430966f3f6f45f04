"""The server's instance id: a random UUID made once, with the database, so a client can tell a
new server at a known address from the one it synced with (and read the new one's feed from 0).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "server_instance",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    # Made here, not at start-up: every app server on one database reads the same id, and
    # an upgraded database keeps its feed (its clients' checkpoints stay valid).
    op.bulk_insert(
        table,
        [{"id": str(uuid.uuid4()), "created_at": datetime.now(UTC).isoformat()}],
    )


def downgrade() -> None:
    op.drop_table("server_instance")
