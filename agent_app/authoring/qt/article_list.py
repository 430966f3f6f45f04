"""The authoring desk of a trainer, supervisor or manager: the 知识编写 pane (the article list)
in the main window, the authoring window it opens, and the sync round's part: after each
round the states of the user's proposals are fetched (net executor) and kept (db executor),
and attachments still waiting are uploaded. Made at login, closed at logout.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from agent_app.authoring.drafts import DraftStore, fetch_states
from agent_app.authoring.listing import Row, list_rows
from agent_app.authoring.qt.editor_window import EditorWindowController
from agent_app.authoring.views.article_list import ArticleListView
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import Changes, TaskManager, op
from common.authoring import SUBMITTERS
from kb.business_lines import line_list
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)
FILTER_DELAY_MS = 200
CATEGORY = "category"  # the center's code list of article categories (common/center_codes.py)


def has_authoring(role: str) -> bool:
    """Trainers, supervisors and managers (and the admin) write and change articles; the
    server checks the role again (common/authoring.py SUBMITTERS)."""
    return role in SUBMITTERS


class AuthoringDesk(QObject):
    outbox_grew = Signal()
    session_expired = Signal()
    listed = Signal()  # the list shows the current rows (tests wait for it)
    states_refreshed = Signal(int)  # proposals whose state changed in a refresh

    def __init__(
        self,
        taskman: TaskManager,
        window: Any,  # agent_app.shell.main_window.MainWindow
        client: ApiClient | None,
        username: str,
        round_done: Any,  # the sync controller's round_done signal
        english: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.window = window
        self.client = client
        self.username = username
        self.round_done = round_done
        self.english = english
        self.view = ArticleListView(english)
        self.window.add_pane("authoring", self.view.title(), self.view, PaneRole.AUTHORING)
        self.store: DraftStore | None = None
        self.kb: Any = None
        self.codes: Any = None
        self.editor: EditorWindowController | None = None
        self._refreshing = False
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.reload)
        self.view.filter_changed.connect(self._filter_timer.start)
        self.view.new_requested.connect(self.new_article)
        self.view.open_requested.connect(self.open_row)
        self.view.history_requested.connect(self.history_of)
        self.view.surveys_requested.connect(self.open_surveys)
        taskman.data_changed.connect(self._data_changed)
        round_done.connect(self.refresh_states)

    def _client(self) -> ApiClient | None:
        return self.client

    def set_data(self, data: Any) -> None:
        """The local data is open (agent_app/shell/local_data.LocalData): start working."""
        if data is None or self.store is not None:
            return
        self.store, self.kb, self.codes = data.authoring, data.kb, data.codes
        self.editor = EditorWindowController(
            self.taskman, self.store, self.kb, self.username, self._client, self.english, self
        )
        self.editor.drafts_changed.connect(self.reload)
        self.editor.outbox_grew.connect(self.outbox_grew.emit)
        self.editor.message.connect(lambda m: self.window.statusBar().showMessage(m, 10000))
        self.reload()
        self.load_choices()
        self.refresh_states()

    def _data_changed(self, changes: Changes) -> None:
        if changes & (Changes.ARTICLES | Changes.CODES):
            self.reload()
        if Changes.CODES in changes:
            self.load_choices()

    # -- the list ---------------------------------------------------------------------------
    def reload(self) -> None:
        store, kb, owner = self.store, self.kb, self.username
        if store is None:
            return
        wanted = self.view.current_filter()
        op(lambda: list_rows(kb, store, owner, wanted)).success(self._listed).run(self.taskman)

    def _listed(self, rows: list[Row]) -> None:
        if self.store is None:
            return
        self.view.set_rows(rows, date.today().isoformat())
        self.listed.emit()

    def load_choices(self) -> None:
        """The categories and business lines the editor offers (read on the db executor)."""
        kb, codes, editor = self.kb, self.codes, self.editor
        if kb is None or editor is None:
            return

        def choices() -> tuple[list[str], list[Any]]:
            paths = [code.code for code in codes.codes(CATEGORY)] if codes is not None else []
            for path in kb.store.categories():
                if path not in paths:
                    paths.append(path)
            return sorted(paths), line_list(kb.store)

        def show(result: tuple[list[str], list[Any]]) -> None:
            if self.editor is not None:
                self.editor.window.editor.set_categories(result[0])
                self.editor.window.editor.set_lines(result[1])

        op(choices).success(show).run(self.taskman)

    # -- actions ----------------------------------------------------------------------------
    def new_article(self, article_type: str) -> None:
        if self.editor is not None:
            self.editor.new_article(article_type)

    def open_row(self, row: Row) -> None:
        if self.editor is None:
            return
        if row.kind == "draft":
            self.editor.open_draft(row.uuid)
        else:
            self.editor.edit_article(row.article_uuid)

    def history_of(self, row: Row) -> None:
        if self.editor is not None:
            self.editor.show_history(row.article_uuid)

    def open_surveys(self) -> None:
        if self.editor is not None:
            self.editor.show_surveys()

    # -- each sync round --------------------------------------------------------------------
    def refresh_states(self) -> None:
        """Ask the server how the user's proposals stand and keep the answers."""
        client, store, owner = self.client, self.store, self.username
        if client is None or store is None or self._refreshing:
            return
        self._refreshing = True
        if self.editor is not None:
            self.editor.editor.upload_pending()

        def asked(proposals: list[dict[str, Any]]) -> None:
            op(lambda: sum(store.put_state(owner, p) for p in proposals)).success(
                self._refreshed
            ).failure(self._refresh_failed).run(self.taskman)

        def ask(waiting: list[str]) -> None:
            if not waiting:  # nothing waits for an answer: no request
                self._refreshed(0)
                return
            op(lambda: fetch_states(client, waiting)).success(asked).failure(
                self._refresh_failed
            ).run(self.taskman, executor="net")

        # Which proposals wait is a local read (db executor); the requests run on net.
        op(lambda: store.waiting(owner)).success(ask).failure(self._refresh_failed).run(
            self.taskman
        )

    def _refreshed(self, changed: int) -> None:
        self._refreshing = False
        if changed:
            self.reload()
            if self.editor is not None:
                self.editor.states_changed()
        self.states_refreshed.emit(changed)

    def _refresh_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        if isinstance(exc, AuthError):
            self.session_expired.emit()
        log.info("proposal states not refreshed: %s", exc)

    def close(self) -> None:
        self.taskman.data_changed.disconnect(self._data_changed)
        self.round_done.disconnect(self.refresh_states)
        self._filter_timer.stop()
        if self.editor is not None:
            self.editor.close()
            self.editor = None
        self.store = None
        self.window.remove_pane(self.view)
