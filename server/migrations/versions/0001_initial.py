"""Initial schema: users, tokens, questions, articles, revisions, the changes feed.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _stamp(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(40), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        _stamp("created_at"),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        _stamp("created_at"),
        _stamp("expires_at"),
        _stamp("revoked_at", nullable=True),
    )
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        _stamp("last_failure_at"),
    )
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("closest_article_uuid", sa.String(36), nullable=False, server_default=""),
        sa.Column("business_line", sa.String(32), nullable=False, server_default=""),
        sa.Column("category", sa.String(200), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("claimed_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("answer", sa.Text, nullable=False, server_default=""),
        sa.Column("answered_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        _stamp("answered_at", nullable=True),
        sa.Column("reject_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("merged_into", sa.String(36), nullable=True),
        sa.Column("article_uuid", sa.String(36), nullable=False, server_default=""),
        _stamp("created_at"),
        _stamp("received_at"),
        _stamp("updated_at"),
        sa.Column("row_version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("questions_status_time", "questions", ["status", "created_at"])
    op.create_index("questions_agent", "questions", ["agent_id", "created_at"])
    op.create_table(
        "articles",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("category", sa.String(200), nullable=False, server_default=""),
        sa.Column("tags", sa.Text, nullable=False, server_default="[]"),
        sa.Column("aliases", sa.Text, nullable=False, server_default="[]"),
        sa.Column("business_line", sa.String(32), nullable=False, server_default=""),
        sa.Column("contact_point", sa.String(32), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("source_question_uuid", sa.String(36), nullable=False, server_default=""),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_uuid", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        _stamp("created_at"),
        sa.UniqueConstraint("article_uuid", "version", name="article_revisions_version"),
    )
    op.create_table(
        "changes",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("entity_uuid", sa.String(36), nullable=False),
        sa.Column("audience_user_id", sa.Integer, nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        _stamp("created_at"),
    )
    op.create_index("changes_audience_seq", "changes", ["audience_user_id", "seq"])
    op.create_table(
        "search_misses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        _stamp("created_at"),
    )
    op.create_index("search_misses_time", "search_misses", ["created_at"])


def downgrade() -> None:
    for table in (
        "search_misses",
        "changes",
        "article_revisions",
        "articles",
        "questions",
        "login_failures",
        "tokens",
        "users",
    ):
        op.drop_table(table)
