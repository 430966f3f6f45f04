"""The behaviour of the history view: load an article's revisions from the server (net
executor), diff two of them side by side (agent_app/authoring/diff.py), and restore one: a new
draft with that revision's content whose base is the current version, opened in the editor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from agent_app.authoring.diff import field_changes, side_by_side
from agent_app.authoring.drafts import Draft, DraftStore, content_of
from agent_app.authoring.views.history_view import HistoryView
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from common.articles import Article
from sync.api_client import ApiClient

log = logging.getLogger(__name__)


class HistoryController(QObject):
    restored = Signal(object)  # the new Draft
    loaded = Signal()
    message = Signal(str)

    def __init__(
        self,
        taskman: TaskManager,
        view: HistoryView,
        store: DraftStore,
        username: str,
        client: Callable[[], ApiClient | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.view = view
        self.store = store
        self.username = username
        self._client = client
        self.article_uuid = ""
        self.revisions: dict[int, dict[str, Any]] = {}
        view.compare_changed.connect(self.compare)
        view.restore_requested.connect(self.restore)

    def field_names(self) -> dict[str, str]:
        return {
            "title": self.tr("Title"),
            "category": self.tr("Category"),
            "tags": self.tr("Tags"),
            "aliases": self.tr("Aliases"),
            "business_line": self.tr("Business line"),
            "contact_point": self.tr("Contact point"),
            "review_due": self.tr("Review by"),
            "attachments": self.tr("Attachments"),
        }

    def load(self, article_uuid: str) -> None:
        client = self._client()
        self.article_uuid = article_uuid
        if client is None:
            self.view.set_message(self.tr("The history is kept on the server: log in to see it."))
            return
        self.view.set_message(self.tr("Loading the history…"))

        def fetch() -> list[dict[str, Any]]:
            rows = []
            for revision in client.revisions(article_uuid):
                data = revision.model_dump()
                article = data.get("article") or {}
                rows.append({**data, "content": content_of(article), "article": article})
            return sorted(rows, key=lambda r: r["version"], reverse=True)

        op(fetch).success(lambda rows: self._loaded(article_uuid, rows)).failure(self._failed).run(
            self.taskman, executor="net"
        )

    def _loaded(self, article_uuid: str, rows: list[dict[str, Any]]) -> None:
        if article_uuid != self.article_uuid:
            return  # another article was asked for meanwhile
        self.revisions = {row["version"]: row for row in rows}
        title = rows[0]["content"]["title"] if rows else ""
        heading = self.tr("History of “%1” (%n version(s))", "", len(rows)).replace("%1", title)
        self.view.set_revisions(heading, rows)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        log.info("history not loaded: %s", exc)
        self.view.set_message(error_text(exc))

    def compare(self, left: int, right: int) -> None:
        old, new = self.revisions.get(left), self.revisions.get(right)
        if old is None or new is None:
            return
        diff = side_by_side(old["content"]["body"], new["content"]["body"])
        fields = field_changes(old["content"], new["content"], self.field_names())
        if not diff.changes and not fields:
            fields = [self.tr("The two versions are the same.")]
        self.view.set_diff(diff.left, diff.right, fields)

    def restore(self, version: int) -> None:
        """A new draft holding `version`'s content on top of the current (newest) version."""
        if not self.revisions or version not in self.revisions:
            return
        current = self.revisions[max(self.revisions)]
        old = self.revisions[version]
        article = Article.model_validate(current["article"])
        store, owner = self.store, self.username
        content = dict(old["content"])

        op(lambda: store.new_draft(owner, content, article)).success(self._restored).failure(
            lambda exc: self.message.emit(error_text(exc))
        ).run(self.taskman)

    def _restored(self, draft: Draft) -> None:
        self.message.emit(self.tr("A new draft holds the old version; check it and submit it."))
        self.restored.emit(draft)
