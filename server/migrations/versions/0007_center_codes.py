"""The center's code lists become server data like business lines: article categories, wrap-up
categories, not-ready reasons and outbound call outcomes, seeded with what this release shipped.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Frozen here on purpose: a migration seeds what this release shipped, whatever later code says.
# (kind, code, Chinese, English, meaning)
SEED = [
    ("wrap_up", "enquiry", "咨询", "Enquiry", None),
    ("wrap_up", "complaint", "投诉", "Complaint", None),
    ("wrap_up", "repair", "报修", "Repair request", None),
    ("wrap_up", "transaction", "办理业务", "Transaction", None),
    ("wrap_up", "callback", "回访", "Callback", None),
    ("wrap_up", "other", "其他", "Other", None),
    ("not_ready", "training", "培训", "Training", None),
    ("not_ready", "meeting", "会议", "Meeting", None),
    ("not_ready", "paperwork", "处理工单", "Paperwork", None),
    ("not_ready", "other", "其他", "Other", None),
    ("outcome", "wrong_contact", "错误的联系人", "Wrong contact", "wrong_contact"),
    ("outcome", "empty_number", "空号/传真", "Empty number or fax", "empty_number"),
    ("outcome", "number_changed", "号码已改变", "Number changed", "number_changed"),
    ("outcome", "busy", "忙音", "Busy", "busy"),
    ("outcome", "no_answer", "无人接听", "No answer", "no_answer"),
    ("outcome", "success", "成功联系", "Success", "success"),
    ("outcome", "not_successful", "不成功", "Connected, not successful", "not_successful"),
]


def upgrade() -> None:
    table = op.create_table(
        "center_codes",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("name_zh", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False, server_default=""),
        sa.Column("meaning", sa.String(32), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.PrimaryKeyConstraint("kind", "code", name="center_codes_pkey"),
    )
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    orders: dict[str, int] = {}
    rows = []
    for kind, code, zh, en, meaning in SEED:
        orders[kind] = orders.get(kind, -1) + 1
        rows.append(
            {
                "kind": kind,
                "code": code,
                "name_zh": zh,
                "name_en": en,
                "meaning": meaning,
                "active": True,
                "sort_order": orders[kind],
                "builtin": True,
                "updated_at": now,
                "updated_by": None,
            }
        )
    op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("center_codes")
