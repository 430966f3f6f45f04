"""What each capability plugs into sync: its outbox kinds (and the batch endpoint that receives
each), its changes-feed appliers, its start-up checks and its login reconciliation. The worker
knows none of the kinds itself.

A capability registers once, where the app puts the local database together
(agent_app/shell/local_data.py):

    registry.outbox_kind("question", "/questions/batch")
    registry.feed_kind("question", questions.apply_change)
    registry.requeue_check(questions.requeue_missing)
    registry.reconciler(questions.reconcile)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from common.wire import Change

if TYPE_CHECKING:
    from sync.api_client import ApiClient

# Applies one change inside the page's transaction; True when it is news for the user (an
# answer arrived, an article changed), which the worker reports after the commit.
Applier = Callable[[Change], bool]
# Re-queues local records that lack their outbox entry; returns how many.
RequeueCheck = Callable[[], int]
# Brings the user's own records up to date with the server after a login; returns the changes
# that were news (the same shape the feed gives).
Reconciler = Callable[["ApiClient", str], list[Change]]


@dataclass
class FeedKind:
    kind: str
    apply: Applier
    # Held around the page's transaction (the knowledge base's write lock, so its index sees a
    # page whole), and run after the commit when the page brought news of this kind.
    guard: Callable[[], AbstractContextManager[object]] | None = None
    after_page: Callable[[], None] | None = None


@dataclass
class SyncRegistry:
    push_paths: dict[str, str] = field(default_factory=dict)
    feed: dict[str, FeedKind] = field(default_factory=dict)
    requeue_checks: list[RequeueCheck] = field(default_factory=list)
    reconcilers: list[Reconciler] = field(default_factory=list)

    def outbox_kind(self, kind: str, path: str) -> None:
        if kind in self.push_paths:
            raise ValueError(f"outbox kind {kind!r} registered twice")
        self.push_paths[kind] = path

    def feed_kind(
        self,
        kind: str,
        apply: Applier,
        *,
        guard: Callable[[], AbstractContextManager[object]] | None = None,
        after_page: Callable[[], None] | None = None,
    ) -> None:
        if kind in self.feed:
            raise ValueError(f"feed kind {kind!r} registered twice")
        self.feed[kind] = FeedKind(kind, apply, guard, after_page)

    def requeue_check(self, check: RequeueCheck) -> None:
        self.requeue_checks.append(check)

    def reconciler(self, reconcile: Reconciler) -> None:
        self.reconcilers.append(reconcile)

    def requeue_missing(self) -> int:
        """The start-up check: every local record that should be on its way to the server and
        has no outbox entry (a crash between two writes of an older version) is queued again."""
        return sum(check() for check in self.requeue_checks)

    @contextlib.contextmanager
    def guards(self) -> Iterator[None]:
        """Hold every feed kind's guard (each once, in registration order) for the block."""
        with contextlib.ExitStack() as stack:
            seen: set[int] = set()
            for handler in self.feed.values():
                if handler.guard is not None and id(handler.guard) not in seen:
                    seen.add(id(handler.guard))
                    stack.enter_context(handler.guard())
            yield
