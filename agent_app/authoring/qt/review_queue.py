"""The manager's review queue: the submitted proposals from the server, each compared with the
published article this workstation holds (the changes feed keeps it current), approved and
published, returned with a comment, or its article retired. Every call runs on the net executor;
a stale base (409 on approve) is said plainly and the proposal marked until the author merges.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from agent_app.authoring.qt.attention import AttentionController
from agent_app.authoring.qt.vocabulary import VocabularyController, open_vocabulary
from agent_app.authoring.review import article_lines, compared_fields, side_by_side
from agent_app.authoring.views.attention import AttentionView
from agent_app.authoring.views.review_queue import ReviewQueueView
from agent_app.shell.error_text import error_text
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import Changes, TaskManager, op
from common.authoring import APPROVERS, SUBMITTERS
from common.markdown_html import markdown_to_html
from kb.business_lines import line_list
from kb.knowledge_base import KnowledgeBase
from sync.api_client import ApiClient, AuthError, ConflictError

log = logging.getLogger(__name__)
MIN_REFRESH_S = 5.0


def can_review(role: str) -> bool:
    """The manager approves every change (the admin too); the server checks again."""
    return role in APPROVERS


def has_attention(role: str) -> bool:
    """Who writes knowledge sees what needs looking at and edits the search vocabulary."""
    return role in SUBMITTERS


class ReviewQueueController(QObject):
    refreshed = Signal()
    decided = Signal(str, str)  # proposal uuid, 'approved' | 'rejected' | 'conflict'
    retired = Signal(str)  # article uuid
    published = Signal()  # an approval or a retirement changed what agents see: sync now
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        view: ReviewQueueView,
        refresh_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.view = view
        self.kb: KnowledgeBase | None = None
        self._seq = 0
        self._detail_seq = 0
        view.refresh_requested.connect(self.refresh)
        view.shown.connect(self.refresh)
        view.proposal_selected.connect(self.show_proposal)
        view.approve_requested.connect(self.approve)
        view.reject_requested.connect(self.reject)
        view.retire_requested.connect(self.retire)
        taskman.data_changed.connect(self._on_data_changed)
        # Proposals are not pushed to the manager: look again now and then while shown.
        self._timer = QTimer(self)
        self._timer.setInterval(int(max(refresh_s, MIN_REFRESH_S) * 1000))
        self._timer.timeout.connect(self._refresh_if_shown)
        self._timer.start()

    def set_knowledge_base(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.show_proposal(self.view.current_uuid())

    def close(self) -> None:
        self.kb = None
        self._timer.stop()
        self._seq += 1
        self._detail_seq += 1

    def _on_data_changed(self, changes: Changes) -> None:
        if Changes.ARTICLES in changes:  # the published side of the comparison moved
            self.show_proposal(self.view.current_uuid())

    # -- loading ------------------------------------------------------------------------------
    def _refresh_if_shown(self) -> None:
        if self.view.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._seq += 1
        seq = self._seq
        client = self.client

        def load() -> list[dict[str, Any]]:
            return [p.model_dump() for p in client.proposals(state="submitted")]

        op(load).success(lambda rows: self._loaded(seq, rows)).failure(
            lambda exc: self._failed(seq, exc)
        ).run(self.taskman, executor="net")

    def _loaded(self, seq: int, rows: list[dict[str, Any]]) -> None:
        if seq != self._seq:
            return
        rows.sort(key=lambda p: p.get("received_at") or p.get("created_at") or "")
        self.view.set_proposals(rows)
        self.refreshed.emit()

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            log.info("review queue not loaded: %s", exc)
            self._report(exc)

    def _report(self, exc: BaseException) -> None:
        self.view.show_notice(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()

    def show_proposal(self, uuid: str) -> None:
        """The proposal against the published article: this workstation's copy (the feed keeps
        it current) when it is the base or newer, else the server's latest revision (a copy
        not synced yet). Approval checks the base on the server again anyway."""
        self._detail_seq += 1
        seq = self._detail_seq
        proposal = self.view.proposals.get(uuid)
        if proposal is None:
            self.view.show_detail(None, [], "")
            return
        kb, client = self.kb, self.client
        article_uuid = proposal["article_uuid"]
        base = proposal.get("base_version")

        def read_local() -> tuple[dict[str, Any] | None, dict[str, str]]:
            if kb is None:
                return None, {}
            lines = {
                line.code: line.name(not self.view.english)
                for line in line_list(kb.store, include_inactive=True)
            }
            article = kb.store.get_article(article_uuid)
            live = article if article is not None and article.status == "published" else None
            return (live.model_dump() if live is not None else None), lines

        def current(local: tuple[dict[str, Any] | None, dict[str, str]]) -> None:
            published, lines = local
            if seq != self._detail_seq:
                return
            if base is None or (published is not None and published["version"] >= base):
                self._render(seq, uuid, proposal, published, lines)
                return

            def ask_server() -> dict[str, Any] | None:
                revisions = client.revisions(article_uuid)
                live = [r.article for r in revisions if r.article.status == "published"]
                return live[-1].model_dump() if live else None

            op(ask_server).success(
                lambda article: self._render(seq, uuid, proposal, article, lines)
            ).failure(lambda _exc: self._render(seq, uuid, proposal, published, lines)).run(
                self.taskman, executor="net"
            )

        op(read_local).success(current).run(self.taskman)

    def _render(
        self,
        seq: int,
        uuid: str,
        proposal: dict[str, Any],
        published: dict[str, Any] | None,
        lines: dict[str, str],
    ) -> None:
        if seq != self._detail_seq or self.view.current_uuid() != uuid:
            return
        content = proposal.get("content") or {}
        labels = self._labels()

        def shown(field: str, value: str) -> str:
            if field == "type":
                return self.view.type_name(value)
            if field == "business_line":
                return lines.get(value, value)
            return value

        def build() -> tuple[list[Any], str]:
            fields = compared_fields(published, content)
            old = article_lines(published, labels, fields, shown)
            rows = side_by_side(old, article_lines(content, labels, fields, shown))
            title = html.escape(content.get("title", ""))
            return rows, f"<h2>{title}</h2>" + markdown_to_html(content.get("body", ""))

        def done(result: tuple[list[Any], str]) -> None:
            if seq == self._detail_seq and self.view.current_uuid() == uuid:
                version = published["version"] if published is not None else None
                self.view.show_detail(proposal, result[0], result[1], version)

        op(build).success(done).run(self.taskman)

    def _labels(self) -> dict[str, str]:
        return {
            "title": self.tr("Title"),
            "type": self.tr("Type"),
            "category": self.tr("Category"),
            "business_line": self.tr("Business line"),
            "contact_point": self.tr("Contact point"),
            "tags": self.tr("Tags"),
            "aliases": self.tr("Aliases"),
            "review_due": self.tr("Review by"),
            "attachments": self.tr("Attachments"),
        }

    # -- decisions ----------------------------------------------------------------------------
    def approve(self, uuid: str) -> None:
        client = self.client
        op(lambda: client.approve_proposal(uuid, publish=True)).success(
            lambda _p: self._approved(uuid)
        ).failure(lambda exc: self._approve_failed(uuid, exc)).run(self.taskman, executor="net")

    def _approved(self, uuid: str) -> None:
        self.view.show_notice(self.tr("Approved and published; agents get it at their next sync."))
        self.decided.emit(uuid, "approved")
        self.published.emit()
        self.refresh()

    def _approve_failed(self, uuid: str, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            why = self.tr(
                "The article was changed by someone else; the author must merge and submit again."
            )
            self.view.mark(uuid, why)
            self.view.show_notice(why, error=True)
            self.decided.emit(uuid, "conflict")
            return
        self.view.enable_actions(self.view.current_uuid())  # the click may be tried again
        self._report(exc)

    def reject(self, uuid: str, comment: str) -> None:
        client = self.client
        op(lambda: client.reject_proposal(uuid, comment)).success(
            lambda _p: self._rejected(uuid)
        ).failure(self._report).run(self.taskman, executor="net")

    def _rejected(self, uuid: str) -> None:
        self.view.show_notice(self.tr("Returned to the author with your comment."))
        self.decided.emit(uuid, "rejected")
        self.refresh()

    def retire(self, article_uuid: str, title: str) -> None:
        client = self.client
        op(lambda: client.retire_article(article_uuid)).success(
            lambda _a: self._retired(article_uuid, title)
        ).failure(self._report).run(self.taskman, executor="net")

    def _retired(self, article_uuid: str, title: str) -> None:
        self.view.show_notice(
            self.tr("“%1” retired; workstations remove it at their next sync.").replace("%1", title)
        )
        self.retired.emit(article_uuid)
        self.published.emit()
        self.refresh()


class ReviewDesk(QObject):
    """The review side of authoring in the main window, made at login for the roles that have
    it: the review queue pane (approvers), the attention pane and, from it, the search
    vocabulary editor (everyone who writes knowledge). Opening an article from the attention
    list is `edit_requested`: the authoring desk's editor opens it."""

    edit_requested = Signal(str)  # article uuid
    published = Signal()  # an approval, a retirement or a new vocabulary: sync now
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        window: Any,  # agent_app.shell.main_window.MainWindow
        client: ApiClient,
        role: str,
        refresh_s: float,
        english: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.window = window
        self.client = client
        self.review: ReviewQueueController | None = None
        self.attention: AttentionController | None = None
        self.vocabulary: VocabularyController | None = None
        if can_review(role):
            view = ReviewQueueView(english)
            self.review = ReviewQueueController(taskman, client, view, refresh_s, parent=view)
            self.review.published.connect(self.published.emit)
            self.review.session_expired.connect(self.session_expired.emit)
            window.add_pane("review_queue", view.title(), view, PaneRole.WORKLIST)
        if has_attention(role):
            attention_view = AttentionView(english)
            self.attention = AttentionController(
                taskman,
                client,
                attention_view,
                refresh_s,
                can_retire=can_review(role),
                parent=attention_view,
            )
            self.attention.retired.connect(lambda _uuid: self.published.emit())
            self.attention.edit_requested.connect(self.edit_requested.emit)
            self.attention.session_expired.connect(self.session_expired.emit)
            attention_view.vocabulary_requested.connect(self.open_vocabulary)
            window.add_pane("attention", attention_view.title(), attention_view, PaneRole.WORKLIST)

    def set_knowledge_base(self, kb: KnowledgeBase | None) -> None:
        if kb is not None and self.review is not None:
            self.review.set_knowledge_base(kb)

    def open_vocabulary(self) -> None:
        current = self.vocabulary
        if current is not None and current.dialog.isVisible():
            current.dialog.raise_()
            current.dialog.activateWindow()
            return
        self.vocabulary = open_vocabulary(self.taskman, self.client, self.window)
        self.vocabulary.saved.connect(self.published.emit)
        self.vocabulary.session_expired.connect(self.session_expired.emit)

    def close(self) -> None:
        if self.vocabulary is not None:
            self.vocabulary.dialog.close()
            self.vocabulary = None
        if self.review is not None:
            self.review.close()
            self.window.remove_pane(self.review.view)
            self.review = None
        if self.attention is not None:
            self.attention.close()
            self.window.remove_pane(self.attention.view)
            self.attention = None
