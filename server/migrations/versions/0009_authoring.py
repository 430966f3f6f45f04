"""Knowledge authoring (issue 13): proposals and their review, attachments, agents' feedback,
the search vocabulary; the review day and attachments of articles; the approver and proposal of
a revision.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with defaults: articles and revisions written before read as "no review
    # day, no attachments, no approver" (no rebuild of tables others refer to).
    op.add_column(
        "articles", sa.Column("review_due", sa.String(10), nullable=False, server_default="")
    )
    op.add_column(
        "articles", sa.Column("attachments", sa.Text, nullable=False, server_default="[]")
    )
    op.add_column("article_revisions", sa.Column("approver_id", sa.Integer, nullable=True))
    op.add_column(
        "article_revisions",
        sa.Column("proposal_uuid", sa.String(36), nullable=False, server_default=""),
    )
    op.create_table(
        "article_proposals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("article_uuid", sa.String(36), nullable=False),
        sa.Column("base_version", sa.Integer, nullable=True),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("decided_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_at", sa.String(40), nullable=True),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("published_version", sa.Integer, nullable=True),
        sa.Column("current", sa.Text, nullable=True),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("article_proposals_state", "article_proposals", ["state", "received_at"])
    op.create_index("article_proposals_author", "article_proposals", ["author_id", "updated_at"])
    op.create_index("article_proposals_article", "article_proposals", ["article_uuid"])
    op.create_table(
        "article_attachments",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "article_feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("article_uuid", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
    )
    op.create_index("article_feedback_article", "article_feedback", ["article_uuid", "kind"])
    op.create_table(
        "vocabulary",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("vocabulary")
    op.drop_table("article_feedback")
    op.drop_table("article_attachments")
    op.drop_table("article_proposals")
    with op.batch_alter_table("article_revisions") as batch:
        batch.drop_column("proposal_uuid")
        batch.drop_column("approver_id")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("attachments")
        batch.drop_column("review_due")
