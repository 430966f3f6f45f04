"""The behaviour of the conflict view: merge the trainer's draft with the version published
meanwhile (common/merge.py: the body line by line with `merge3`, the other fields one by one),
show base / mine / theirs and the pre-merged text, settle conflicts at the cursor, and once no
marker is left submit the merged article again, based on the current version.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from agent_app.authoring.conflicts import settle
from agent_app.authoring.drafts import Draft, DraftError, DraftStore
from agent_app.authoring.views.conflict_view import ConflictView
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from common.merge import ArticleMerge, has_markers, merge_article

log = logging.getLogger(__name__)


class ConflictController(QObject):
    resubmitted = Signal(str)  # the new proposal's uuid
    message = Signal(str)

    def __init__(
        self,
        taskman: TaskManager,
        view: ConflictView,
        store: DraftStore,
        username: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.view = view
        self.store = store
        self.username = username
        self.draft: Draft | None = None
        self.merge: ArticleMerge | None = None
        view.merged_edited.connect(self._check)
        view.settle_requested.connect(self.settle_current)
        view.resubmit_requested.connect(self.resubmit)
        view.set_intro(self.tr("No conflict to settle."))

    def show_conflict(self, draft: Draft) -> None:
        """Merge `draft` (mine) with the current article (theirs) from its base."""
        self.draft = draft
        self.merge = merge_article(draft.base, draft.content, draft.theirs)
        body = self.merge.body
        self.view.set_intro(
            self.tr(
                "“%1” was changed and published while you were editing it (now version %2). "
                "Changes that do not overlap are merged already; settle the highlighted "
                "conflicts below, then submit again."
            )
            .replace("%1", str(draft.content.get("title", "")))
            .replace("%2", str(draft.theirs_version or ""))
        )
        self.view.set_texts(
            str(draft.base.get("body", "")),
            str(draft.content.get("body", "")),
            str(draft.theirs.get("body", "")),
            body.text,
        )
        lines = [
            self.tr("%1: yours “%2” is kept; published meanwhile: “%3”.")
            .replace("%1", self.field_name(conflict.name))
            .replace("%2", _shown(conflict.mine))
            .replace("%3", _shown(conflict.theirs))
            for conflict in self.merge.field_conflicts
        ]
        self.view.set_field_conflicts(lines)
        self._check()

    def field_name(self, name: str) -> str:
        names = {
            "type": self.tr("Type"),
            "title": self.tr("Title"),
            "category": self.tr("Category"),
            "business_line": self.tr("Business line"),
            "contact_point": self.tr("Contact point"),
            "review_due": self.tr("Review by"),
        }
        return names.get(name, name)

    def _check(self) -> None:
        ok = self.draft is not None and not has_markers(self.view.merged())
        self.view.set_can_resubmit(ok)

    def settle_current(self, keep: str) -> None:
        region = self.view.current_region()
        if region is None:
            self.view.go_to_conflict(1)
            region = self.view.current_region()
        if region is None:
            return
        self.view.set_merged(settle(self.view.merged(), region, keep), region.start)
        self.view.go_to_conflict(1)

    def merged_content(self) -> dict[str, Any]:
        assert self.draft is not None and self.merge is not None
        content = dict(self.merge.fields)
        content["body"] = self.view.merged()
        return content

    def resubmit(self) -> None:
        draft = self.draft
        if draft is None or has_markers(self.view.merged()):
            return
        merged = self.merged_content()
        theirs, version = dict(draft.theirs), int(draft.theirs_version or 0)
        store, owner = self.store, self.username
        self.view.set_can_resubmit(False)

        def resubmit() -> str:
            store.resolve(draft.uuid, owner, merged, theirs, version)
            return store.submit(draft.uuid, owner, draft.note)

        op(resubmit).success(self._resubmitted).failure(self._failed).run(self.taskman)

    def _resubmitted(self, proposal_uuid: str) -> None:
        self.draft = None
        self.view.set_intro(self.tr("Submitted again, based on the current version."))
        self.message.emit(self.tr("The merged article was submitted for approval."))
        self.resubmitted.emit(proposal_uuid)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, DraftError):
            log.error("resubmitting failed", exc_info=exc)
        self.message.emit(str(exc) if isinstance(exc, DraftError) else error_text(exc))
        self._check()


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "，".join(str(v) for v in value)
    return str(value)
