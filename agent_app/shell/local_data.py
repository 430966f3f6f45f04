"""The client's local data put together (Qt-free): the one database file of the data folder,
each capability's store on it with its own tables, and what each registers with sync.

Opening runs the start-up check: every local record that should be on its way to the server
and has no outbox entry is queued again (sync/registry.py `requeue_missing`).
"""

from __future__ import annotations

import logging
import uuid as uuidlib
from collections.abc import Callable
from pathlib import Path

from agent_app.authoring.drafts import DraftStore
from agent_app.common.code_lists import CodeLists
from agent_app.knowledge import feedback
from agent_app.outbound.store import OutboundStore
from agent_app.questions.store import QuestionStore
from agent_app.seat.call_log import CallLog
from agent_app.seat.state_log import AgentStateLog
from agent_app.supervision import audit as monitor_audit
from common import center_codes
from common.wire import BusinessLine, CenterCode, Change
from kb import business_lines, vocabulary_feed
from kb.knowledge_base import KnowledgeBase
from kb.paths import DB_FILENAME
from localdb import LocalDatabase
from sync.api_client import ApiClient
from sync.outbox import Outbox
from sync.puller import register_articles
from sync.registry import SyncRegistry

log = logging.getLogger(__name__)
SEARCH_MISS_KIND = "search_miss"
SEARCH_MISS_PATH = "/search-misses/batch"


class LocalData:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database = LocalDatabase(self.data_dir / DB_FILENAME)
        self.outbox = Outbox(self.database)
        self.kb = KnowledgeBase(self.data_dir, self.database, on_search_miss=self._search_missed)
        self.questions = QuestionStore(self.database, self.outbox)
        # The outbound records handed to each user, their attempts and survey drafts.
        self.outbound = OutboundStore(self.database, self.outbox)
        # The seat's logs; the seat controller keeps its own, with the user and clock it needs.
        self.calls = CallLog(self.database, outbox=self.outbox)
        self.states = AgentStateLog(self.database, self.outbox)
        # Article drafts and the proposals made from them (knowledge authoring), per user.
        self.authoring = DraftStore(self.database, self.outbox, self.data_dir)
        self.registry = SyncRegistry()
        self.registry.outbox_kind(SEARCH_MISS_KIND, SEARCH_MISS_PATH)
        register_articles(self.registry, self.kb)
        # An agent's 有帮助 / 没帮助 (with the reason given) goes to the trainers' lists.
        self.registry.outbox_kind(feedback.OUTBOX_KIND, feedback.PUSH_PATH)
        # Supervision's audit: a supervisor's monitor sessions, the monitor calls a seat refused.
        self.registry.outbox_kind(monitor_audit.SESSION_KIND, monitor_audit.SESSION_PATH)
        self.registry.outbox_kind(monitor_audit.REJECTION_KIND, monitor_audit.REJECTION_PATH)
        # The center's search vocabulary; a change of segmentation needs an index rebuild,
        # which the app runs on its index executor (None: in the sync thread, as without a
        # window).
        self.index_outdated: Callable[[], None] | None = None
        vocabulary_feed.register(self.registry, self.kb, self._rebuild_for_vocabulary)
        # The center's business lines, mirrored into the knowledge base's tables; after a page
        # that changed any, whoever shows them is told (the sync controller, on the GUI thread).
        self.lines_changed: Callable[[], None] | None = None
        self.registry.feed_kind(
            business_lines.FEED_KIND, self._apply_line, after_page=self._lines_applied
        )
        # The center's other code lists (wrap-up, not-ready, outcomes, categories): the seat
        # reads them again after a page that changed any (Changes.CODES, on the GUI thread).
        self.codes = CodeLists(self.database)
        self.codes_changed: Callable[[], None] | None = None
        self.registry.feed_kind(
            center_codes.FEED_KIND, self._apply_code, after_page=self._codes_applied
        )
        self.registry.reconciler(self._reconcile_codes)
        self.questions.register(self.registry)
        self.outbound.register(self.registry)
        self.calls.register(self.registry)
        self.states.register(self.registry)
        self.authoring.register(self.registry)
        requeued = self.registry.requeue_missing()
        if requeued:
            log.warning("%d local records had no outbox entry: queued again", requeued)

    def _search_missed(self, query: str, created_at: str) -> None:
        self.outbox.enqueue(
            SEARCH_MISS_KIND, str(uuidlib.uuid4()), {"query": query, "created_at": created_at}
        )

    def _rebuild_for_vocabulary(self) -> None:
        listener = self.index_outdated
        if listener is not None:
            listener()
        else:
            self.kb.rebuild_index()

    def _apply_line(self, change: Change) -> bool:
        line = BusinessLine.model_validate(change.data)
        return business_lines.apply_server_line(self.kb.store, line.model_dump())

    def _lines_applied(self) -> None:
        listener = self.lines_changed
        if listener is not None:
            listener()

    def _apply_code(self, change: Change) -> bool:
        return self.codes.apply(CenterCode.model_validate(change.data).model_dump())

    def _reconcile_codes(self, client: ApiClient, user: str) -> list[Change]:
        news = self.codes.reconcile(client, user)
        if news:
            self._codes_applied()
        return news

    def _codes_applied(self) -> None:
        listener = self.codes_changed
        if listener is not None:
            listener()

    def close(self) -> None:
        self.kb.close()
        self.database.close()
