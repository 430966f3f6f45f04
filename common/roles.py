"""Roles and who may do what: shared by the server's checks and the desktop's role views."""

from __future__ import annotations

ROLES = ("agent", "team_leader", "supervisor", "trainer", "manager", "admin")
QUESTION_HANDLERS = ("team_leader", "supervisor", "manager", "admin")
ARTICLE_EDITORS = ("supervisor", "trainer", "manager", "admin")
# Publish an article directly (and unpublish or delete one): only who approves changes to the
# knowledge base (issue 13: "only managers approve; the server checks this"; common/authoring.py
# APPROVERS). A supervisor's or trainer's article goes through a proposal a manager approves.
ARTICLE_PUBLISHERS = ("manager", "admin")
# Add, rename and deactivate business lines: the center's data, owned by the admin and the
# manager, who approves changes to the knowledge base (DOMAIN.md).
TAXONOMY_EDITORS = ("manager", "admin")
# Read every agent's call records and states (the supervisors' board); agents read their own.
CALL_SUPERVISORS = ("team_leader", "supervisor", "manager")
# Run outbound campaigns: create and edit them, import lists, read progress and reports, keep
# the do-not-call lists and the holiday overrides (issue 12).
CAMPAIGN_MANAGERS = ("supervisor", "manager", "admin")
# Write and change the outbound surveys: who runs campaigns, and the trainers, who edit them in
# the authoring window with the scripts and FAQs (issue 13). Reading them is open to everyone.
SURVEY_EDITORS = ("supervisor", "trainer", "manager", "admin")
