"""The behaviour of the question queue: loading it from the server and the supervisor's
actions (claim, answer, reject, merge, make an article), every call off the GUI thread.

Dialogs are not modal, so the supervisor can search the knowledge base while answering; each
stays open until the server has taken what was typed, and keeps the text on any failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog

from agent_app.common.roles import can_make_articles, can_publish
from agent_app.questions.actions import (
    ArticleDraft,
    MakeArticleJob,
    current_question,
    merge_into,
)
from agent_app.questions.views.make_article_dialog import MakeArticleDialog
from agent_app.questions.views.merge_dialog import MergeDialog
from agent_app.questions.views.question_queue import QuestionQueueView
from agent_app.questions.views.reply_dialogs import AnswerDialog, RejectDialog
from agent_app.shell.error_text import conflict_text, error_text
from agent_app.shell.taskman import Changes, TaskManager, op
from kb.business_lines import BUILT_IN, BusinessLine, line_list
from kb.knowledge_base import KnowledgeBase
from kb.models import Article
from sync.api_client import ApiClient, AuthError, ConflictError

log = logging.getLogger(__name__)
OPEN_STATES = ("open", "claimed")
MIN_REFRESH_S = 5.0

Reply = AnswerDialog | RejectDialog


class QueueController(QObject):
    refreshed = Signal()
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        username: str,
        role: str,
        view: QuestionQueueView,
        open_article: Callable[[], Article | None],
        refresh_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.username = username
        self.role = role
        self.view = view
        self.open_article = open_article
        self.dialogs: list[QDialog] = []  # open dialogs, kept alive while shown
        self._seq = 0
        # The business lines synced from the server (kb/business_lines.py), read off the GUI
        # thread once the local data is open; the built-in ones until then.
        self.kb: KnowledgeBase | None = None
        self.lines: list[BusinessLine] = list(BUILT_IN)
        taskman.data_changed.connect(self._on_data_changed)
        view.set_article_rights(can_make_articles(role))
        view.refresh_requested.connect(self.refresh)
        view.shown.connect(self.refresh)
        view.claim_requested.connect(self.claim)
        view.answer_requested.connect(self.answer)
        view.reject_requested.connect(self.reject)
        view.merge_requested.connect(self.merge_selected)
        view.merge_group_requested.connect(self.merge_group)
        view.make_article_requested.connect(self.make_article)
        # New questions are not pushed to supervisors: look again now and then while shown.
        self._timer = QTimer(self)
        self._timer.setInterval(int(max(refresh_s, MIN_REFRESH_S) * 1000))
        self._timer.timeout.connect(self._refresh_if_shown)
        self._timer.start()

    def set_knowledge_base(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._load_lines()

    def _load_lines(self) -> None:
        kb = self.kb
        if kb is None:
            return
        op(lambda: line_list(kb.store, include_inactive=True)).success(self._lines_loaded).run(
            self.taskman
        )

    def _lines_loaded(self, lines: list[BusinessLine]) -> None:
        self.lines = lines
        self.view.set_business_lines(lines)

    def _on_data_changed(self, changes: Changes) -> None:
        if Changes.ARTICLES in changes:  # a sync round brought articles or business lines
            self._load_lines()

    def close(self) -> None:
        self.kb = None  # no more reads for a closed queue
        self._timer.stop()
        self._seq += 1  # results still on their way are dropped
        for dialog in list(self.dialogs):
            dialog.close()

    # -- loading ------------------------------------------------------------------------------
    def _refresh_if_shown(self) -> None:
        if self.view.isVisible() and not self.dialogs:
            self.refresh()

    def refresh(self) -> None:
        self._seq += 1
        seq = self._seq
        params = self.view.filters()
        client = self.client

        def load() -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], list[Any]]:
            # The views show rows as dicts: the typed replies are dumped at this boundary.
            page = client.questions(**params, limit=200).model_dump()
            groups = [g.model_dump() for g in client.question_groups(params["business_line"])]
            texts: dict[str, Any] = {}
            if groups:  # the groups name questions by uuid: fetch the open ones' text
                for state in OPEN_STATES:
                    listed = client.questions(
                        status=state, business_line=params["business_line"], limit=500
                    )
                    texts.update((q.uuid, q.model_dump()) for q in listed.items)
            misses = [m.model_dump() for m in client.search_misses(params["since"])]
            return page, groups, texts, misses

        op(load).success(lambda result: self._loaded(seq, *result)).failure(
            lambda exc: self._failed(seq, exc)
        ).run(self.taskman, executor="net")

    def _loaded(
        self,
        seq: int,
        page: dict[str, Any],
        groups: list[dict[str, Any]],
        texts: dict[str, Any],
        misses: list[dict[str, Any]],
    ) -> None:
        if seq != self._seq:
            return
        self.view.set_questions(page["items"], page["total"])
        self.view.set_groups(groups, texts)
        self.view.set_misses(misses)
        self.refreshed.emit()

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        log.info("question queue not loaded: %s", exc)
        self._report(exc)

    def _report(self, exc: BaseException) -> None:
        self.view.show_notice(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()

    def _done(self, message: str) -> None:
        self.view.show_notice(message)
        self.refresh()

    # -- claim --------------------------------------------------------------------------------
    def claim(self) -> None:
        question = self.view.current_question()
        if question is None:
            return
        client = self.client
        op(lambda: client.claim(question["uuid"]).model_dump()).success(self._claimed).failure(
            self._action_failed
        ).run(self.taskman, executor="net")

    def _claimed(self, question: dict[str, Any]) -> None:
        self.view.update_question(question)
        self.view.show_notice(self.tr("You claimed “%1”.").replace("%1", question["query"]))

    def _action_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            current = current_question(exc)
            self.view.show_notice(conflict_text(current) if current else exc.message, error=True)
            self.refresh()
            return
        self._report(exc)

    # -- answer and reject --------------------------------------------------------------------
    def answer(self) -> None:
        question = self.view.current_question()
        if question is None or question["status"] not in OPEN_STATES:
            return
        dialog = AnswerDialog(question, self.open_article, self.view.window())
        dialog.submitted.connect(lambda text, link: self._send_answer(dialog, text, link))
        self._show(dialog)

    def reject(self) -> None:
        question = self.view.current_question()
        if question is None or question["status"] not in OPEN_STATES:
            return
        dialog = RejectDialog(question, self.view.window())
        dialog.submitted.connect(lambda text, _link: self._send_reject(dialog, text))
        self._show(dialog)

    def _send_answer(self, dialog: AnswerDialog, text: str, link: str) -> None:
        question, client = dialog.question, self.client
        dialog.set_busy(True)
        op(
            lambda: client.answer(
                question["uuid"], text, article_uuid=link, expected_version=question["row_version"]
            ).model_dump()
        ).success(
            lambda result: self._replied(
                dialog, result, self.tr("Answer sent to %1.").replace("%1", result["agent"])
            )
        ).failure(lambda exc: self._reply_failed(dialog, exc)).run(self.taskman, executor="net")

    def _send_reject(self, dialog: RejectDialog, reason: str) -> None:
        question, client = dialog.question, self.client
        dialog.set_busy(True)
        op(
            lambda: client.reject(
                question["uuid"], reason, expected_version=question["row_version"]
            ).model_dump()
        ).success(
            lambda result: self._replied(
                dialog, result, self.tr("Rejected; %1 is told why.").replace("%1", result["agent"])
            )
        ).failure(lambda exc: self._reply_failed(dialog, exc)).run(self.taskman, executor="net")

    def _replied(self, dialog: Reply, question: dict[str, Any], message: str) -> None:
        dialog.accept()
        self.view.update_question(question)
        self._done(message)

    def _reply_failed(self, dialog: Reply, exc: BaseException) -> None:
        if not isinstance(exc, ConflictError):
            dialog.show_error(error_text(exc))
            if isinstance(exc, AuthError):
                self.session_expired.emit()
            return
        current = current_question(exc)
        self.refresh()
        if self._only_changed_by_me(current):
            # E.g. claimed by this supervisor after the dialog opened: not someone else's
            # answer. Take the new version and let them send again.
            dialog.question = current
            dialog.show_error(self.tr("The question changed meanwhile; check it and send again."))
            return
        dialog.show_conflict(conflict_text(current) if current else exc.message)

    def _only_changed_by_me(self, current: dict[str, Any]) -> bool:
        return (
            bool(current)
            and current.get("status") in OPEN_STATES
            and current.get("claimed_by") in (None, "", self.username)
        )

    # -- merge --------------------------------------------------------------------------------
    def merge_selected(self) -> None:
        self._ask_merge(self.view.selected_questions())

    def merge_group(self, uuids: list[str]) -> None:
        known = self.view.groups_questions
        self._ask_merge([known[u] for u in uuids if u in known])

    def _ask_merge(self, questions: list[dict[str, Any]]) -> None:
        if len(questions) < 2:
            return
        dialog = MergeDialog(questions, self.view.window())
        dialog.accepted.connect(lambda: self._merge(dialog))
        self._show(dialog)

    def _merge(self, dialog: MergeDialog) -> None:
        into = dialog.target_uuid
        # Only questions still open can be merged; the one kept may be answered already.
        uuids = [q["uuid"] for q in dialog.questions if q["status"] in OPEN_STATES]
        client = self.client
        op(lambda: merge_into(client, uuids, into)).success(
            lambda merged: self._done(self.tr("%n question(s) merged.", "", len(merged)))
        ).failure(self._action_failed).run(self.taskman, executor="net")

    # -- make an article ----------------------------------------------------------------------
    def make_article(self) -> None:
        question = self.view.current_question()
        if question is None or not can_make_articles(self.role):
            return
        english = self.view.english
        dialog = MakeArticleDialog(
            question, can_publish(self.role), english, self.view.window(), lines=self.lines
        )
        jobs: list[MakeArticleJob] = []  # one job per dialog: a retry continues it
        dialog.submitted.connect(lambda draft: self._make(dialog, jobs, draft))
        self._show(dialog)

    def _make(
        self, dialog: MakeArticleDialog, jobs: list[MakeArticleJob], draft: ArticleDraft
    ) -> None:
        if not jobs:
            jobs.append(MakeArticleJob(question=dialog.question, draft=draft))
        job = jobs[0]
        job.draft = draft
        client = self.client
        dialog.set_busy(True)
        op(lambda: job.run(client)).success(lambda article: self._made(dialog, article)).failure(
            lambda exc: self._make_failed(dialog, job, exc)
        ).run(self.taskman, executor="net")

    def _made(self, dialog: MakeArticleDialog, article: dict[str, Any]) -> None:
        dialog.accept()
        if article.get("status") == "published":
            message = self.tr("Article “%1” published; the agent has the answer.")
        else:  # a proposal: a manager approves it on the review desk
            message = self.tr(
                "Article “%1” sent to a manager for review; the agent has the answer."
            )
        self._done(message.replace("%1", article.get("title", "")))

    def _make_failed(
        self, dialog: MakeArticleDialog, job: MakeArticleJob, exc: BaseException
    ) -> None:
        if isinstance(exc, ConflictError) and not job.answered and not job.create_tried:
            self.refresh()
            dialog.question = job.question
            dialog.show_conflict(
                conflict_text(job.question)
                + "\n"
                + self.tr("“Create article only” creates the article without answering.")
            )
            return
        dialog.show_error(error_text(exc))
        if isinstance(exc, AuthError):
            self.session_expired.emit()

    # -- dialogs ------------------------------------------------------------------------------
    def _show(self, dialog: QDialog) -> None:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()
