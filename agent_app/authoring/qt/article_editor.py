"""The behaviour of the article editor: show a draft, save it as the trainer types (debounced,
one write on the db executor per pause), render the live preview and check the fields
(debounced), attach images and PDFs (read and kept on the db executor, uploaded on the net
executor when the server is reachable), and submit the draft for approval through the outbox.

Nothing here touches the disk or the network on the GUI thread: every read and write goes
through the operations layer (agent_app/shell/taskman.py). One exception: closing (logging out,
quitting) waits, a bounded time, for the last save on the db executor, because shutdown cancels
the work still queued there and what was typed in the last moments would be lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from agent_app.authoring import templates
from agent_app.authoring.drafts import Draft, DraftError, DraftStore
from agent_app.authoring.preview import preview_html
from agent_app.authoring.views.article_editor import ArticleEditorView
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from common.merge import has_markers
from sync.api_client import ApiClient

log = logging.getLogger(__name__)
SAVE_DELAY_MS = 600  # a pause in typing this long saves the draft
PREVIEW_DELAY_MS = 250
CLOSE_WAIT_S = 5.0  # closing waits this long at most for the last save (as the seat's records)


class ArticleEditorController(QObject):
    submitted = Signal(str)  # proposal uuid: the outbox grew (sync now)
    saved = Signal(str)  # when (ISO) the draft was last written
    conflict_found = Signal(object)  # Draft in state 'conflict': the conflict view takes it
    history_requested = Signal(str)  # article uuid
    discarded = Signal(str)  # draft uuid
    message = Signal(str)
    preview_shown = Signal()  # the preview shows the text as it stands (tests wait for it)

    def __init__(
        self,
        taskman: TaskManager,
        view: ArticleEditorView,
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
        self.draft: Draft | None = None
        self._dirty = False
        # Saves handed to the db executor and not yet confirmed, by draft uuid: closing writes
        # them again (waiting) in case they were still queued when shutdown cancels the queue.
        self._unconfirmed: dict[str, tuple[Draft, dict[str, Any], str]] = {}
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_now)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        view.edited.connect(self._edited)
        view.submit_requested.connect(self.submit)
        view.add_attachment_requested.connect(self.pick_attachment)
        view.remove_attachment_requested.connect(self.remove_attachment)
        view.open_attachment_requested.connect(self.open_attachment)
        view.history_requested.connect(self._history)
        view.discard_requested.connect(self.discard)
        view.type_combo.currentIndexChanged.connect(self._type_changed)
        view.set_editable(False)
        view.set_can_submit(False)

    @property
    def dirty(self) -> bool:
        """Typed but not yet written."""
        return self._dirty

    # -- showing a draft --------------------------------------------------------------------
    def show_draft(self, draft: Draft, heading: str = "") -> None:
        self.flush()
        self.draft = draft
        self._dirty = False
        self.view.set_heading(heading or draft.content.get("title") or self.tr("New article"))
        self.view.set_content(draft.content, draft.note, new=draft.is_new)
        self.view.set_editable(draft.editable)
        self.view.history_button.setEnabled(not draft.is_new)
        self.view.set_saved(self._saved_text(draft.saved_at))
        self._show_state(draft)
        self.refresh_preview()
        if draft.state == "conflict":
            self.conflict_found.emit(draft)

    def _show_state(self, draft: Draft) -> None:
        texts = {
            "draft": "",
            "submitted": self.tr("Submitted for approval; waiting for the center manager."),
            "approved": self.tr("Approved."),
            "published": self.tr("Approved and published."),
            "rejected": self.tr("Rejected: %1 — change the draft and submit it again."),
            "conflict": self.tr(
                "The article changed since you started: settle the differences in the "
                "Conflict tab, then submit again."
            ),
        }
        text = texts.get(draft.state, "").replace("%1", draft.comment)
        self.view.set_state(text, error=draft.state in ("rejected", "conflict"))

    def _saved_text(self, iso: str) -> str:
        if not iso:
            return ""
        try:
            moment = datetime.fromisoformat(iso).astimezone()
        except ValueError:
            return ""
        return self.tr("Draft saved %1").replace("%1", moment.strftime("%H:%M"))

    # -- typing -----------------------------------------------------------------------------
    def _edited(self) -> None:
        if self.draft is None or not self.draft.editable:
            return
        self._dirty = True
        self.view.set_saved(self.tr("Saving…"))
        self._save_timer.start()
        self._preview_timer.start()

    def _type_changed(self, _index: int) -> None:
        """A new article's type chosen: its template replaces a body still untouched."""
        draft = self.draft
        if draft is None or not draft.is_new or not draft.editable:
            return
        body = self.view.body_edit.toPlainText()
        old = str(draft.content.get("type") or "faq")
        if body.strip() and body != templates.template(old):
            return
        new_type = self.view.type_combo.currentData()
        draft.content["type"] = new_type
        self.view.body_edit.setPlainText(templates.template(new_type))

    def refresh_preview(self) -> None:
        content = self.view.content()
        self.view.set_preview(preview_html(content["type"], content["body"]))
        problems = [
            (p.field, p.message)
            for p in templates.problems(
                content["type"], content["title"], content["body"], content["contact_point"]
            )
        ]
        if has_markers(content["body"]):
            problems.append(
                (
                    "body",
                    self.tr("The text still holds conflict markers (<<<<<<< ======= >>>>>>>)."),
                )
            )
        self.view.set_problems(problems)
        draft = self.draft
        self.view.set_can_submit(draft is not None and draft.editable and not problems)
        self.preview_shown.emit()

    def save_now(self) -> None:
        """Write what the fields hold (on the db executor); the indicator says when."""
        self._save_timer.stop()
        draft = self.draft
        if draft is None or not self._dirty or not draft.editable:
            return
        self._dirty = False
        content, note = self.view.content(), self.view.note()
        draft.content, draft.note = content, note
        self._unconfirmed[draft.uuid] = (draft, content, note)
        store, owner = self.store, self.username
        op(lambda: store.save(draft.uuid, owner, content, note)).success(
            lambda when: self._saved(draft, when, content)
        ).failure(self._failed).run(self.taskman)

    def _saved(self, draft: Draft, when: str, content: dict[str, Any] | None = None) -> None:
        waiting = self._unconfirmed.get(draft.uuid)
        if waiting is not None and waiting[1] is content:  # not a later save's
            del self._unconfirmed[draft.uuid]
        draft.saved_at = when
        if draft is self.draft:
            self.view.set_saved(self._saved_text(when))
        self.saved.emit(when)

    def flush(self) -> None:
        """Save at once what is still waiting for the pause (closing, switching drafts)."""
        if self._dirty:
            self.save_now()

    # -- submitting -------------------------------------------------------------------------
    def submit(self) -> None:
        draft = self.draft
        if draft is None or not draft.editable:
            return
        self.refresh_preview()
        if not self.view.submit_button.isEnabled():
            return
        self._dirty = True  # the submitted content is what the fields hold now
        self.save_now()
        store, owner, note = self.store, self.username, self.view.note()
        self.view.set_can_submit(False)
        op(lambda: store.submit(draft.uuid, owner, note)).success(
            lambda proposal: self._submitted(draft, proposal)
        ).failure(self._failed).run(self.taskman)

    def _submitted(self, draft: Draft, proposal_uuid: str) -> None:
        draft.state, draft.proposal_uuid, draft.comment = "submitted", proposal_uuid, ""
        if draft is self.draft:
            self.view.set_editable(False)
            self._show_state(draft)
            self.view.set_can_submit(False)
        self.message.emit(
            self.tr("Submitted for approval; it is sent when the server is reachable.")
        )
        self.submitted.emit(proposal_uuid)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, DraftError):
            self.message.emit(str(exc))
        else:
            log.error("draft operation failed", exc_info=exc)
            self.message.emit(error_text(exc))
        self.refresh_preview()

    # -- attachments ------------------------------------------------------------------------
    def pick_attachment(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.view,
            self.tr("Add an image or PDF"),
            "",
            self.tr("Images and PDF (*.png *.jpg *.jpeg *.gif *.webp *.pdf)"),
        )
        if path:
            self.add_attachment(Path(path))

    def add_attachment(self, path: Path) -> None:
        draft = self.draft
        if draft is None or not draft.editable:
            return
        store, owner = self.store, self.username
        op(lambda: store.add_attachment(owner, path)).success(self._attached).failure(
            self._failed
        ).run(self.taskman)

    def _attached(self, descriptor: dict[str, Any]) -> None:
        content = self.view.content()
        if all(a["sha256"] != descriptor["sha256"] for a in content["attachments"]):
            self.view.set_attachments([*content["attachments"], descriptor])
            self._edited()
        self.upload_pending()

    def remove_attachment(self, sha256: str) -> None:
        content = self.view.content()
        self.view.set_attachments([a for a in content["attachments"] if a["sha256"] != sha256])
        self._edited()

    def open_attachment(self, sha256: str) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store.attachment_path(sha256))))

    def upload_pending(self) -> None:
        """Send the attachments not yet on the server (each sync round and after adding one);
        offline they wait for the next try. The files are read on the db executor, sent on
        the net one, and marked sent on the db one again."""
        client = self._client()
        if client is None:
            return
        store, owner = self.store, self.username

        def read() -> list[tuple[str, str, bytes]]:
            return [
                (item["sha256"], item["name"], store.attachment_bytes(item["sha256"]))
                for item in store.pending_uploads(owner)
            ]

        def send(files: list[tuple[str, str, bytes]]) -> list[str]:
            return [client.upload_attachment(name, data).sha256 for _sha, name, data in files]

        def mark(shas: list[str]) -> None:
            for sha in shas:
                store.mark_uploaded(owner, sha)

        def sent(shas: list[str]) -> None:
            op(lambda: mark(shas)).run(self.taskman)

        def upload(files: list[tuple[str, str, bytes]]) -> None:
            if files:
                op(lambda: send(files)).success(sent).failure(
                    lambda exc: log.info("attachments not uploaded yet: %s", exc)
                ).run(self.taskman, executor="net")

        op(read).success(upload).run(self.taskman)

    def discard(self, confirmed: bool = False) -> None:
        """Throw the draft away, once the trainer said so (a proposal already sent stays)."""
        draft = self.draft
        if draft is None or not draft.editable:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self.view,
                self.tr("Discard draft"),
                self.tr("Throw away this draft and what you wrote in it?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        self._save_timer.stop()
        self._dirty = False
        self._unconfirmed.pop(draft.uuid, None)
        store, owner = self.store, self.username
        op(lambda: store.discard(draft.uuid, owner)).success(
            lambda _r: self._discarded(draft)
        ).failure(self._failed).run(self.taskman)

    def _discarded(self, draft: Draft) -> None:
        if draft is self.draft:
            self.draft = None
            self.view.set_heading(self.tr("The draft was discarded."))
            self.view.set_editable(False)
            self.view.set_can_submit(False)
            self.view.set_saved("")
        self.discarded.emit(draft.uuid)

    def _history(self) -> None:
        if self.draft is not None and not self.draft.is_new:
            self.history_requested.emit(self.draft.article_uuid)

    def close(self) -> None:
        """Logging out or quitting: what was typed is written before this returns."""
        self._save_timer.stop()
        self._preview_timer.stop()
        self.save_before_closing()

    def save_before_closing(self) -> None:
        """Write what the fields hold, and every save not confirmed yet, on the db executor,
        waiting for it (bounded). Queued as usual, a save made in the last 600 ms before the
        app quits was cancelled with the rest of the queue at shutdown."""
        draft = self.draft
        if draft is not None and self._dirty and draft.editable:
            self._dirty = False
            draft.content, draft.note = self.view.content(), self.view.note()
            self._unconfirmed[draft.uuid] = (draft, draft.content, draft.note)
        writes = [w for w in self._unconfirmed.values() if w[0].editable]
        self._unconfirmed.clear()
        if not writes or self.taskman.closed:
            return
        store, owner = self.store, self.username

        def write() -> None:
            for waiting, content, note in writes:
                store.save(waiting.uuid, owner, content, note)

        try:
            self.taskman.executors["db"].submit(write).result(timeout=CLOSE_WAIT_S)
        except Exception:
            log.warning("a draft could not be saved while closing", exc_info=True)
