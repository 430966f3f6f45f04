"""Login throttling per (user, address) and per address; a forced first password change.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Failure counts are short-lived by nature: the old per-username counts are dropped.
    op.drop_table("login_failures")
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("username", "address", name="login_failures_pkey"),
    )
    op.create_index("login_failures_time", "login_failures", ["last_failure_at"])
    # Plain ALTER TABLE (SQLite 3.35+ has DROP COLUMN too): a batch rebuild of `users` would
    # drop a table that other rows refer to.
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("users", "must_change_password")
    op.drop_index("login_failures_time", table_name="login_failures")
    op.drop_table("login_failures")
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure_at", sa.String(40), nullable=False),
    )
