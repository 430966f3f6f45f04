"""Business lines become center data: a table an admin manages, seeded with the seven lines of
DOMAIN.md (the codes the articles and questions of older databases already carry).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration seeds what this release shipped, whatever later code says.
SEED = [
    ("property", "物业服务", "Property services"),
    ("elderly_care", "养老服务", "Elderly care"),
    ("home_upgrade", "房屋配套升级", "Home upgrade"),
    ("real_estate", "不动产运营", "Property rental and sale"),
    ("education", "社区教育", "Community education"),
    ("finance", "社区金融", "Community finance"),
    ("telecom", "电信热线", "Telecom hotline"),
]


def upgrade() -> None:
    table = op.create_table(
        "business_lines",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name_zh", sa.String(32), nullable=False),
        sa.Column("name_en", sa.String(64), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    op.bulk_insert(
        table,
        [
            {
                "code": code,
                "name_zh": zh,
                "name_en": en,
                "active": True,
                "sort_order": order,
                "builtin": True,
                "updated_at": now,
                "updated_by": None,
            }
            for order, (code, zh, en) in enumerate(SEED)
        ],
    )


def downgrade() -> None:
    op.drop_table("business_lines")
