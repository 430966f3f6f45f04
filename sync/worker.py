"""The background sync loop: push the outbox, pull the changes feed, back off when offline.

Items are marked sent only when the server acknowledges them ('stored' or 'duplicate'), so a
crash or a dropped connection at any point leads to a re-send, which the server ignores by UUID.

The loop must outlive anything a server or a bug throws at it:
- the backoff's exponent is capped before it is computed (2**1024 once overflowed inside the
  `except` block and killed the thread after ~1,000 failures in a row);
- `notify()` (called for every record queued) wakes the loop at once only while it is online;
  while it backs off, the wish is kept for the end of the wait, so a burst of queued records
  during an outage does not turn into a burst of requests;
- the thread records how it ended, and `ensure_running()` (the watchdog, called by the app on a
  timer and by `notify()`) starts a new one when it died.

News from the server comes sooner than the next pull through a second thread, the feed watcher:
it long-polls the changes feed (GET /changes?wait=S, from the checkpoint of the last pull) and,
when the server answers with something new, wakes the loop, which pulls as usual; the watcher
asks again only after that round. The loop itself never waits on the network for news, so
`notify()` still sends the outbox at once while a long-poll is pending. The watcher backs off
like the loop when the server is away, sleeps until a new token after a 401, and falls back to
the interval (asking again after `backoff_max`) when a server that predates `wait` answers at
once. An HTTP request cannot be interrupted from another thread, so `stop()` does not wait for
a pending long-poll: the watcher is a daemon thread that touches no local data and ends when
its request returns (at most `long_poll_s` later); the watchdog restarts it too if it died.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from common.timestamps import now_iso
from localdb import LocalDatabase
from sync.api_client import ApiClient, ApiError, AuthError, OfflineError
from sync.outbox import Outbox
from sync.puller import PullResult, apply_page
from sync.registry import SyncRegistry
from sync.state import SyncKey, SyncState

log = logging.getLogger(__name__)
# 2**MAX_EXPONENT seconds is far above any sane backoff_max; the cap only keeps the arithmetic
# finite however many failures there were.
MAX_EXPONENT = 32


@dataclass(frozen=True)
class SyncStatus:
    online: bool = False
    pending: int = 0
    auth_required: bool = False
    last_error: str = ""
    last_sync_at: str = ""
    stopped: bool = False  # the sync thread died: nothing is sent until the watchdog restarts it
    restarts: int = 0  # how often the watchdog restarted it


class SyncWorker:
    def __init__(
        self,
        database: LocalDatabase,
        registry: SyncRegistry,
        client: ApiClient,
        key: SyncKey,
        *,
        pull_interval: float = 15.0,
        batch_size: int = 100,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_answers: Callable[[list[dict[str, Any]]], None] | None = None,
        on_articles: Callable[[], None] | None = None,
        seed: int | None = None,
        long_poll_s: int = 25,
    ) -> None:
        self.database = database
        self.registry = registry
        self.outbox = Outbox(database)
        self.state = SyncState(database)
        self.client = client
        self.key = key
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
        self._control = threading.Lock()  # start / stop / restart
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._reconciled = False
        self.status = SyncStatus(pending=self.outbox.count())
        # The feed watcher (0: none, news waits for the interval).
        self.long_poll_s = long_poll_s
        self._watcher: threading.Thread | None = None
        self._round_done = threading.Event()  # set by the loop after every round
        self._token_changed = threading.Event()  # a 401 idles the watcher until this
        # The checkpoint after the last pull, where long-polls start (None: no pull yet).
        self._feed_since: int | None = None
        self._feed_server = ""
        self.watcher_restarts = 0
        self.long_polls = 0  # long-polls answered (for tests and diagnostics)
        # The watcher's last pause and why: ("offline", backoff) after a failed long-poll,
        # ("no_long_poll", backoff_max) after a server answered one at once (diagnostics).
        self.watch_pause: tuple[str, float] = ("", 0.0)

    # -- control ------------------------------------------------------------------------------
    def start(self) -> None:
        with self._control:
            self._start_thread()
            self._start_watcher()

    def _start_thread(self) -> None:
        self._thread = threading.Thread(target=self._main, name="seatdesk-sync", daemon=True)
        self._thread.start()

    def _start_watcher(self) -> None:
        if self.long_poll_s <= 0:
            return
        self._watcher = threading.Thread(
            target=self._watch_main, name="seatdesk-feed-watch", daemon=True
        )
        self._watcher.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the loop (waiting up to `timeout` for its round to end). A pending long-poll is
        not waited for: the watcher ends when it returns (see the module docstring)."""
        with self._control:
            self._stop.set()
            self._wake.set()
            self._round_done.set()
            self._token_changed.set()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    @property
    def watching(self) -> bool:
        watcher = self._watcher
        return watcher is not None and watcher.is_alive()

    @property
    def alive(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def ensure_running(self) -> bool:
        """The watchdog: start a new thread if the last one died; True when it did. A dead
        feed watcher is started again too (news then waits for the interval meanwhile)."""
        with self._control:
            if self._stop.is_set() or self._thread is None:
                return False
            if self._watcher is not None and not self._watcher.is_alive():
                self.watcher_restarts += 1
                log.warning("the feed watcher had stopped; starting it again")
                self._start_watcher()
            if self._thread.is_alive():
                return False
            restarts = self.status.restarts + 1
            log.warning("the sync thread had stopped; starting it again (restart %d)", restarts)
            self.status = replace(self.status, stopped=False, restarts=restarts)
            self._start_thread()
            return True

    def notify(self) -> None:
        """Something was queued (or the user asked): sync now rather than at the next tick, or,
        while backing off, as soon as the wait ends."""
        if not self._failures:  # while backing off, the round at the end of the wait sends it
            self._wake.set()
        self.ensure_running()

    def set_token(self, token: str) -> None:
        self.client.token = token
        self._set_status(auth_required=False)
        self._failures = 0  # a new session is worth trying at once
        self._wake.set()
        self._token_changed.set()
        self.ensure_running()

    # -- one round ----------------------------------------------------------------------------
    def push_pending(self) -> int:
        """Send everything queued, batch by batch; returns how many the server acknowledged."""
        outbox = self.outbox
        acknowledged = 0
        for kind in outbox.kinds_pending():
            path = self.registry.push_paths.get(kind)
            if path is None:
                log.warning("no endpoint registered for outbox kind %r: kept queued", kind)
                continue
            while True:
                entries = outbox.pending(kind, self.batch_size)
                if not entries:
                    break
                items = [e.payload for e in entries]
                try:
                    results = self.client.push(path, items)
                except OfflineError as exc:
                    outbox.acknowledge([], {}, {e.uuid: str(exc) for e in entries})
                    raise
                except ApiError as exc:
                    if isinstance(exc, AuthError):
                        raise
                    # This kind is refused as a whole (e.g. a server without its endpoint yet):
                    # keep it queued and still send the other kinds.
                    outbox.acknowledge([], {}, {e.uuid: str(exc) for e in entries})
                    log.warning("the server refused %s items: %s", kind, exc)
                    break
                # The server acknowledges by the item's uuid; the outbox entry may be keyed
                # differently (one entry per version of an updatable record).
                entry = {e.payload.get("uuid"): e.uuid for e in entries}
                sent = [
                    entry.get(r.uuid, r.uuid)
                    for r in results
                    if r.status in ("stored", "duplicate")
                ]
                refused = {
                    entry.get(r.uuid, r.uuid): json.dumps(r.errors, ensure_ascii=False)
                    for r in results
                    if r.status == "rejected"
                }
                outbox.acknowledge(sent, refused, {})
                acknowledged += len(sent)
                self._set_status(pending=outbox.count())
                if len(sent) + len(refused) < len(entries):
                    break  # the server skipped some: try again next round, not in a tight loop
        return acknowledged

    def pull(self) -> PullResult:
        total = PullResult()
        while True:
            since = self.state.checkpoint(self.key)
            page = self.client.changes(since)
            if since and self._another_server(page.server_id):
                # The feed's numbers are the old server's: this page may skip the new one's
                # first changes. Read it from the start; the user's own records are brought
                # up to date again at the next round.
                self.state.start_over(self.key, page.server_id)
                self._reconciled = False
                continue
            total.add(
                apply_page(
                    self.database,
                    self.registry,
                    self.state,
                    self.key,
                    page.changes,
                    page.next_since,
                    page.server_id,
                )
            )
            if not page.has_more:
                # Where the feed watcher's next long-poll starts.
                self._feed_server = page.server_id
                self._feed_since = page.next_since
                return total

    def _another_server(self, server_id: str) -> bool:
        """True when the server at this address is not the one the checkpoint was read from.
        A checkpoint read before servers had an id is kept (the id is adopted): the server
        was upgraded in place far more likely than replaced at that very moment."""
        known = self.state.server_id(self.key)
        if not server_id or not known or known == server_id:
            return False
        log.warning(
            "another server answers at %s (instance %s, was %s): reading its feed from the start",
            self.key.server,
            server_id,
            known,
        )
        return True

    def reconcile(self) -> PullResult:
        """After a login: the user's own records as the server has them now (answers given
        while someone else used this PC, or while this user worked elsewhere)."""
        result = PullResult()
        for reconciler in self.registry.reconcilers:
            for change in reconciler(self.client, self.key.user):
                result.news[change.kind].append(change)
        self.state.set_reconciled(self.key)
        return result

    def sync_once(self) -> PullResult:
        self.push_pending()
        result = PullResult()
        if not self._reconciled:
            result.add(self.reconcile())
            self._reconciled = True
        result.add(self.pull())
        self._set_status(
            online=True,
            pending=self.outbox.count(),
            last_error="",
            last_sync_at=now_iso(),
        )
        if result.answers and self.on_answers is not None:
            self.on_answers(result.answers)
        if (result.articles or result.tombstones) and self.on_articles is not None:
            self.on_articles()
        return result

    # -- loop ---------------------------------------------------------------------------------
    def backoff_delay(self) -> float:
        """Exponential with jitter: spreads reconnecting clients after a server restart. The
        exponent is capped first, so no number of failures overflows it."""
        return self._backoff(self._failures)

    def _backoff(self, failures: int) -> float:
        exponent = min(max(0, failures - 1), MAX_EXPONENT)
        ceiling = min(self.backoff_max, self.backoff_base * 2.0**exponent)
        return ceiling * (0.5 + 0.5 * self._rng.random())

    def _main(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # noqa: BLE001 - recorded for the watchdog and the user
            log.exception("the sync thread stopped")
            self.status = replace(self.status, online=False, stopped=True, last_error=str(exc))
            try:
                if self.on_status is not None:
                    self.on_status(self.status)
            except Exception:
                log.exception("reporting the stopped sync thread failed")

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
                    self._set_status(online=False, pending=self.outbox.count(), last_error=str(exc))
                    log.info("sync failed (%s); retry in %.1f s", exc, delay)
                except Exception as exc:  # a bug in one round: back off and try again
                    self._failures += 1
                    delay = self.backoff_delay()
                    log.exception("sync round failed")
                    self._set_status(online=False, last_error=str(exc))
            self._round_done.set()
            self._wait(delay)

    def _wait(self, delay: float) -> None:
        """Sleep until the next round: `delay`, or less when woken (never less while backing
        off, except to stop)."""
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            woken = self._wake.wait(remaining)
            self._wake.clear()
            if woken and not self._failures:
                break

    def _set_status(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        if self.on_status is not None:
            self.on_status(self.status)

    # -- the feed watcher -----------------------------------------------------------------------
    def _watch_main(self) -> None:
        try:
            self._watch()
        except BaseException:  # noqa: BLE001 - the watchdog starts it again
            log.exception("the feed watcher stopped")

    def _watch(self) -> None:
        failures = 0
        while not self._stop.is_set():
            since, server = self._feed_since, self._feed_server
            if since is None or self.status.auth_required:
                # No pull yet (or no session): the loop's next round comes first.
                self._round_done.clear()
                self._round_done.wait(self.pull_interval)
                continue
            asked = time.monotonic()
            try:
                page = self.client.changes(since, limit=1, wait=self.long_poll_s)
            except AuthError:
                # The loop reports the 401; a new token (or stop) lets us ask again.
                self._token_changed.clear()
                self._token_changed.wait(self.backoff_max)
                continue
            except Exception as exc:  # offline, refused, or a bug: never a tight loop
                failures += 1
                delay = self._backoff(failures)
                log.info("feed watch failed (%s); again in %.1f s", exc, delay)
                self.watch_pause = ("offline", delay)
                self._stop.wait(delay)
                continue
            failures = 0
            self.long_polls += 1
            if self._stop.is_set():
                return
            if page.changes or page.has_more or (server and page.server_id != server):
                # News (or another server): the loop pulls it; ask again after that round.
                self._round_done.clear()
                self._wake.set()
                self._round_done.wait(self.long_poll_s)
            elif time.monotonic() - asked < self.long_poll_s / 2:
                # Nothing, at once: a server without long-polls. The interval pulls news;
                # look again later in case it was upgraded.
                log.info("the server answered a long-poll at once; news waits for the interval")
                self.watch_pause = ("no_long_poll", self.backoff_max)
                self._stop.wait(self.backoff_max)
