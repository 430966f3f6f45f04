"""The backend's tables (SQLAlchemy Core). Schema changes go through migrations/versions."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(100), nullable=False, server_default=""),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.String(40), nullable=False),
    # The embedded backend's generated admin password must be replaced at first login.
    sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false()),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
    sa.Column("revoked_at", sa.String(40), nullable=True),
)

# Failed logins in a row per (username, source address); username "" counts every failure
# from that address (a login's username is never empty).
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure_at", sa.String(40), nullable=False),
    sa.PrimaryKeyConstraint("username", "address", name="login_failures_pkey"),
    sa.Index("login_failures_time", "last_failure_at"),
)

questions = sa.Table(
    "questions",
    metadata,
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
    sa.Column("answered_at", sa.String(40), nullable=True),
    sa.Column("reject_reason", sa.Text, nullable=False, server_default=""),
    sa.Column("merged_into", sa.String(36), nullable=True),
    sa.Column("article_uuid", sa.String(36), nullable=False, server_default=""),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("row_version", sa.Integer, nullable=False, server_default="1"),
    sa.Index("questions_status_time", "status", "created_at"),
    sa.Index("questions_agent", "agent_id", "created_at"),
)

articles = sa.Table(
    "articles",
    metadata,
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
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    # Issue 13 (migration 0009): the day of the next review, and the images/PDFs (JSON list of
    # {sha256, name, mime, size}; the files are in article_attachments).
    sa.Column("review_due", sa.String(10), nullable=False, server_default=""),
    sa.Column("attachments", sa.Text, nullable=False, server_default="[]"),
)

article_revisions = sa.Table(
    "article_revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_uuid", sa.String(36), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("content", sa.Text, nullable=False),  # JSON of the article at this version
    sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    # Issue 13 (0009): who approved the version, and the proposal it came from (none: a direct
    # edit through /articles).
    # (No foreign key: SQLite adds a column with one only by rebuilding the table.)
    sa.Column("approver_id", sa.Integer, nullable=True),
    sa.Column("proposal_uuid", sa.String(36), nullable=False, server_default=""),
    sa.UniqueConstraint("article_uuid", "version", name="article_revisions_version"),
)

# One monotonically increasing sequence over everything clients mirror.
changes = sa.Table(
    "changes",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    # article | article_tombstone | question | business_line
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("entity_uuid", sa.String(36), nullable=False),
    sa.Column("audience_user_id", sa.Integer, nullable=True),  # None: every client
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Index("changes_audience_seq", "audience_user_id", "seq"),
)

search_misses = sa.Table(
    "search_misses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Index("search_misses_time", "created_at"),
)

# A seat's call records: one row per call, replaced by newer versions of the same uuid.
call_records = sa.Table(
    "call_records",
    metadata,
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
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("answered_at", sa.String(40), nullable=True),
    sa.Column("ended_at", sa.String(40), nullable=False),
    sa.Column("talk_seconds", sa.Float, nullable=False, server_default="0"),
    sa.Column("hold_seconds", sa.Float, nullable=False, server_default="0"),
    sa.Column("acw_seconds", sa.Float, nullable=False, server_default="0"),
    sa.Column("wrap_up_category", sa.String(64), nullable=False, server_default=""),
    sa.Column("wrap_up_note", sa.Text, nullable=False, server_default=""),
    sa.Column("disposition", sa.String(64), nullable=False, server_default=""),
    sa.Column("end_reason", sa.String(16), nullable=False),
    sa.Column("sip_code", sa.Integer, nullable=True),
    sa.Column("recording_path", sa.Text, nullable=True),
    # The last transfer's outcome ('', 'succeeded', 'failed') and what the agent was shown
    # as the call ended (migration 0004).
    sa.Column("transfer_result", sa.String(16), nullable=False, server_default=""),
    sa.Column("end_text", sa.Text, nullable=False, server_default=""),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Index("call_records_time", "started_at"),
    sa.Index("call_records_agent_time", "agent_id", "started_at"),
)

# Agent state changes: immutable; an agent's current state is the latest by started_at.
agent_states = sa.Table(
    "agent_states",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(64), nullable=False, server_default=""),
    sa.Column("on_call", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("call_uuid", sa.String(36), nullable=False, server_default=""),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("previous_state", sa.String(20), nullable=False),
    sa.Column("previous_reason", sa.String(64), nullable=False, server_default=""),
    sa.Column("previous_on_call", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("previous_started_at", sa.String(40), nullable=False),
    sa.Column("previous_seconds", sa.Float, nullable=False, server_default="0"),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Index("agent_states_agent_time", "agent_id", "started_at"),
    sa.Index("agent_states_time", "started_at"),
)

# The center's business lines (migration 0005 seeds the seven of DOMAIN.md). Articles and
# questions refer to a line by its code, so a line is deactivated, never deleted.
business_lines = sa.Table(
    "business_lines",
    metadata,
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("name_zh", sa.String(32), nullable=False),
    sa.Column("name_en", sa.String(64), nullable=False, server_default=""),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("sort_order", sa.Integer, nullable=False, server_default="0"),
    sa.Column("builtin", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
)

# One row, made by migration 0006 with the database: the server's instance id. A client keeps
# its feed checkpoint for the instance it read it from, so a new server at the same address
# (a re-installed center) is read from 0, not from where the old one had got to.
server_instance = sa.Table(
    "server_instance",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)

# The center's other code lists (migration 0007): article categories, wrap-up categories,
# not-ready reasons and outbound call outcomes. Like business lines they are deactivated, never
# deleted (old records keep their codes). `meaning` is set for outcomes only: which of the seven
# DOMAIN.md outcomes a center's own code stands for (it drives the retry engine).
center_codes = sa.Table(
    "center_codes",
    metadata,
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

# -- outbound campaigns (issue 12, migration 0008; docs/outbound.md) ---------------------------
# JSON columns are text (one schema for SQLite and PostgreSQL); common/outbound.py defines them.
campaigns = sa.Table(
    "campaigns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("business_line", sa.String(32), nullable=False, server_default=""),
    sa.Column("script_article_uuid", sa.String(36), nullable=False, server_default=""),
    sa.Column("survey_uuid", sa.String(36), nullable=False, server_default=""),
    sa.Column("calling_hours", sa.Text, nullable=False, server_default="{}"),  # CallingHours
    sa.Column("retry_policy", sa.Text, nullable=False, server_default="{}"),  # RetryPolicy
    sa.Column("max_attempts_per_day", sa.Integer, nullable=False, server_default="3"),
    sa.Column("no_time_retry_minutes", sa.Integer, nullable=False, server_default="240"),
    sa.Column("callback_mode", sa.String(8), nullable=False, server_default="agent"),
    sa.Column("callback_handover_minutes", sa.Integer, nullable=False, server_default="60"),
    sa.Column("mask_numbers", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("status", sa.String(16), nullable=False, server_default="active"),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
)

surveys = sa.Table(
    "surveys",
    metadata,
    sa.Column("uuid", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("definition", sa.Text, nullable=False),  # JSON, as common/surveys.py defines it
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
)

# One customer of a campaign's list. due_at NULL: due now (never tried since the import);
# callback_agent_id set: an agreed callback for that agent, open to anyone from callback_open_at
# (NULL: never, the campaign keeps callbacks with their agent). A lock whose locked_until has
# passed is free.
campaign_records = sa.Table(
    "campaign_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=False),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("phone", sa.String(64), nullable=False),
    sa.Column("phone_key", sa.String(64), nullable=False),
    sa.Column("fields", sa.Text, nullable=False, server_default="{}"),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("attempts_total", sa.Integer, nullable=False, server_default="0"),
    sa.Column("attempts_day", sa.String(10), nullable=False, server_default=""),
    sa.Column("attempts_today", sa.Integer, nullable=False, server_default="0"),
    sa.Column("due_at", sa.String(40), nullable=True),
    sa.Column("callback_agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("callback_open_at", sa.String(40), nullable=True),
    sa.Column("locked_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("locked_until", sa.String(40), nullable=True),
    sa.Column("last_outcome", sa.String(200), nullable=False, server_default=""),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("campaign_id", "phone_key", name="campaign_records_phone"),
    # The hand-out: due records of a campaign without a callback, by due time then id.
    sa.Index("campaign_records_due", "campaign_id", "status", "callback_agent_id", "due_at", "id"),
    # An agent's callbacks (callbacks opened to anyone are few: campaign_records_due finds them).
    # Partial, so the planner never takes it for the many records without a callback.
    sa.Index(
        "campaign_records_callback",
        "callback_agent_id",
        "status",
        "due_at",
        sqlite_where=sa.text("callback_agent_id IS NOT NULL"),
        postgresql_where=sa.text("callback_agent_id IS NOT NULL"),
    ),
    # The record an agent holds (asked again: the same one comes back).
    sa.Index("campaign_records_locked", "locked_by", "campaign_id"),
)

campaign_attempts = sa.Table(
    "campaign_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("record_id", sa.Integer, sa.ForeignKey("campaign_records.id"), nullable=False),
    sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), nullable=False),
    sa.Column("agent_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("outcome", sa.String(200), nullable=False),  # the center's code
    sa.Column("meaning", sa.String(32), nullable=False),  # one of the seven built-in meanings
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("ended_at", sa.String(40), nullable=False),
    sa.Column("call_uuid", sa.String(36), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("callback_at", sa.String(40), nullable=True),
    sa.Column("new_phone", sa.String(64), nullable=False, server_default=""),
    sa.Column("answers", sa.Text, nullable=False, server_default="{}"),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Index("campaign_attempts_time", "campaign_id", "started_at"),
    sa.Index("campaign_attempts_record", "record_id", "started_at"),
)

# Do-not-call numbers by phone key; campaign_id 0 is the global list (not NULL, so the unique
# constraint holds for global numbers too: NULLs never collide).
dnc_numbers = sa.Table(
    "dnc_numbers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("phone_key", sa.String(64), nullable=False),
    sa.Column("campaign_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("added_at", sa.String(40), nullable=False),
    sa.Column("added_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.UniqueConstraint("phone_key", "campaign_id", name="dnc_numbers_key"),
)

# The center's corrections to the holiday calendar: a day closed, or a day worked.
holiday_overrides = sa.Table(
    "holiday_overrides",
    metadata,
    sa.Column("day", sa.String(10), primary_key=True),  # 'YYYY-MM-DD', China time
    sa.Column("kind", sa.String(8), nullable=False),  # closed | workday
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", sa.String(40), nullable=False, server_default=""),
    sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
)


# -- knowledge authoring (issue 13, migration 0009) -------------------------------------------
# A trainer's proposed change to an article (a new one when base_version is NULL), reviewed by
# the manager. `content` is the JSON of common.authoring.ProposalContent; `current` the JSON of
# the article when the proposal was found stale (state 'conflict').
article_proposals = sa.Table(
    "article_proposals",
    metadata,
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
    sa.Index("article_proposals_state", "state", "received_at"),
    sa.Index("article_proposals_author", "author_id", "updated_at"),
    sa.Index("article_proposals_article", "article_uuid"),
)

# Images and PDFs of articles, each stored once by its SHA-256. The bytes live in the database
# (BLOB / bytea): one backup, and every app server behind PostgreSQL sees the same files.
article_attachments = sa.Table(
    "article_attachments",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("mime", sa.String(100), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
)

# Agents' 有帮助 / 没帮助 on articles (outbox kind article_feedback), idempotent by uuid.
article_feedback = sa.Table(
    "article_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("article_uuid", sa.String(36), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Index("article_feedback_article", "article_uuid", "kind"),
)

# The center's search vocabulary: one row (id 1), replaced whole by each PUT; `content` is the
# JSON of common.authoring.VocabularyIn.
vocabulary = sa.Table(
    "vocabulary",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
)

# -- supervision (issue 14, migration 0010; docs/supervision.md) -------------------------------
# Teams, managed by an admin; users.team_id names a user's team (no foreign key: SQLite adds a
# column with one only by rebuilding the table). Team leaders and supervisors see their team.
teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)
users.append_column(sa.Column("team_id", sa.Integer, nullable=True))
sa.Index("users_team", users.c.team_id)

# Each seat's latest report (one row per agent, replaced by every report): kept in the database
# so every app server on one PostgreSQL builds the same board. last_seen is the server's time
# of the last report; the board calls a seat lost LOST_AFTER_S after it.
seat_live = sa.Table(
    "seat_live",
    metadata,
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
    sa.Column("call_number", sa.String(64), nullable=False, server_default=""),  # masked
    sa.Column("last_seen", sa.String(40), nullable=False),
    # The seat's SIP account (migration 0011): whom a supervisor's phone calls.
    sa.Column("sip_uri", sa.String(255), nullable=False, server_default=""),
    sa.Column("changed_at", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)

# The monitoring audit: grants issued and refused, monitoring sessions (one row each, updated
# by the supervisor's start / mode / end reports; `modes` is JSON [{mode, at}], `events` the
# JSON list of report uuids already applied) and monitor calls a seat refused.
monitor_audit = sa.Table(
    "monitor_audit",
    metadata,
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
    sa.Index("monitor_audit_time", "at"),
    sa.Index("monitor_audit_actor", "actor_id", "at"),
    sa.Index("monitor_audit_target", "target_id", "at"),
)

# Secrets every app server of one database shares, made at first start: the Ed25519 key that
# signs monitor grants ('monitor_grant_key', PKCS#8 PEM). Never logged, never sent.
server_secrets = sa.Table(
    "server_secrets",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

# Center-wide settings an admin or manager changes (migration 0012), one row per setting
# (value: JSON text); a setting without a row has its default. 'show_monitored_to_agent':
# whether the agent's window says that a call is monitored (issue 14; default false).
center_settings = sa.Table(
    "center_settings",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
)
