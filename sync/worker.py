"""The background sync loop: push the outbox, pull the changes feed, back off when offline.

Items are marked sent only when the server acknowledges them ('stored' or 'duplicate'), so a
crash or a dropped connection at any point leads to a re-send, which the server ignores by UUID.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from kb.store import utcnow
from sync.api_client import ApiClient, ApiError, AuthError, OfflineError
from sync.puller import PullResult, apply_page, checkpoint

if TYPE_CHECKING:
    from kb.knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    online: bool = False
    pending: int = 0
    auth_required: bool = False
    last_error: str = ""
    last_sync_at: str = ""


class SyncWorker:
    def __init__(
        self,
        kb: KnowledgeBase,
        client: ApiClient,
        *,
        pull_interval: float = 15.0,
        batch_size: int = 100,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_answers: Callable[[list[dict[str, Any]]], None] | None = None,
        on_articles: Callable[[], None] | None = None,
        seed: int | None = None,
    ) -> None:
        self.kb = kb
        self.client = client
        self.pull_interval = pull_interval
        self.batch_size = batch_size
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.on_status = on_status
        self.on_answers = on_answers
        self.on_articles = on_articles
        self._rng = random.Random(seed)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self.status = SyncStatus(pending=kb.store.outbox_count())

    # -- control ------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="seatdesk-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def notify(self) -> None:
        """Something was queued (or the user asked): sync now rather than at the next tick."""
        self._wake.set()

    def set_token(self, token: str) -> None:
        self.client.token = token
        self._set_status(auth_required=False)
        self.notify()

    # -- one round ----------------------------------------------------------------------------
    def push_pending(self) -> int:
        """Send everything queued, batch by batch; returns how many the server acknowledged."""
        store = self.kb.store
        acknowledged = 0
        for kind in store.outbox_kinds_pending():
            while True:
                rows = store.outbox_pending(kind, self.batch_size)
                if not rows:
                    break
                items = [json.loads(r["payload"]) for r in rows]
                try:
                    results = self.client.push(kind, items)
                except OfflineError as exc:
                    store.outbox_acknowledge([], {}, {r["uuid"]: str(exc) for r in rows})
                    raise
                except ApiError as exc:
                    if isinstance(exc, AuthError):
                        raise
                    # This kind is refused as a whole (e.g. a server without its endpoint yet):
                    # keep it queued and still send the other kinds.
                    store.outbox_acknowledge([], {}, {r["uuid"]: str(exc) for r in rows})
                    log.warning("the server refused %s items: %s", kind, exc)
                    break
                # The server acknowledges by the item's uuid; the outbox entry may be keyed
                # differently (one entry per version of an updatable record).
                entry = {
                    item.get("uuid"): row["uuid"] for row, item in zip(rows, items, strict=True)
                }
                sent = [
                    entry.get(r["uuid"], r["uuid"])
                    for r in results
                    if r["status"] in ("stored", "duplicate")
                ]
                refused = {
                    entry.get(r["uuid"], r["uuid"]): json.dumps(
                        r.get("errors", []), ensure_ascii=False
                    )
                    for r in results
                    if r["status"] == "rejected"
                }
                store.outbox_acknowledge(sent, refused, {})
                acknowledged += len(sent)
                self._set_status(pending=store.outbox_count())
                if len(sent) + len(refused) < len(rows):
                    break  # the server skipped some: try again next round, not in a tight loop
        return acknowledged

    def pull(self) -> PullResult:
        total = PullResult()
        while True:
            page = self.client.changes(checkpoint(self.kb))
            total.add(apply_page(self.kb, page["changes"], page["next_since"]))
            if not page["has_more"]:
                return total

    def sync_once(self) -> PullResult:
        self.push_pending()
        result = self.pull()
        self._set_status(
            online=True,
            pending=self.kb.store.outbox_count(),
            last_error="",
            last_sync_at=utcnow(),
        )
        if result.answers and self.on_answers is not None:
            self.on_answers(result.answers)
        if (result.articles or result.tombstones) and self.on_articles is not None:
            self.on_articles()
        return result

    # -- loop ---------------------------------------------------------------------------------
    def backoff_delay(self) -> float:
        """Exponential with jitter: spreads reconnecting clients after a server restart."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** max(0, self._failures - 1))
        return ceiling * (0.5 + 0.5 * self._rng.random())

    def _run(self) -> None:
        while not self._stop.is_set():
            delay = self.pull_interval
            if not self.status.auth_required:
                try:
                    self.sync_once()
                    self._failures = 0
                except AuthError as exc:
                    self._set_status(online=True, auth_required=True, last_error=exc.message)
                except (OfflineError, ApiError) as exc:
                    self._failures += 1
                    delay = self.backoff_delay()
                    self._set_status(
                        online=False, pending=self.kb.store.outbox_count(), last_error=str(exc)
                    )
                    log.info("sync failed (%s); retry in %.1f s", exc, delay)
                except Exception as exc:  # never let the sync thread die silently
                    self._failures += 1
                    delay = self.backoff_delay()
                    log.exception("sync round failed")
                    self._set_status(online=False, last_error=str(exc))
            self._wake.wait(delay)
            self._wake.clear()

    def _set_status(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        if self.on_status is not None:
            self.on_status(self.status)
