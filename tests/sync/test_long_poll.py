"""The sync worker's feed watcher against the real backend (`python main.py serve` on SQLite):
news reaches the local knowledge base long before the pull interval, the outbox still goes up
at once while a long-poll is pending, quitting does not wait for a pending long-poll, a server
that is away is retried with a bounded backoff, a server that answers long-polls at once (one
that predates `wait`) leaves the worker on its interval, and the watchdog restarts a dead
watcher."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_app.shell.local_data import LocalData
from common.wire import ChangesPage
from sync.api_client import ApiClient
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.helpers.waiting import wait_until
from tests.sync.test_sync import Rig

# The interval of every worker here: news that arrives within seconds came by the watcher.
INTERVAL_S = 60.0


class CountingClient(ApiClient):
    """The real client, counting its long-polls (and optionally dropping `wait`, as a server
    that predates it would ignore it, or ending the watcher's thread once)."""

    def __init__(self, base_url: str, *, ignore_wait: bool = False, die_once: bool = False):
        super().__init__(base_url)
        self.long_polls = 0
        self.ignore_wait = ignore_wait
        self.die_once = die_once

    def changes(self, since: int, limit: int = 500, wait: int = 0) -> ChangesPage:
        if wait:
            self.long_polls += 1
            if self.die_once:
                self.die_once = False
                raise SystemExit("the watcher's thread ends here (a BaseException)")
            if self.ignore_wait:
                wait = 0
        return super().changes(since, limit, wait)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path / "server")
    yield rig
    rig.close()


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalData]:
    data = LocalData(tmp_path / "client")
    data.kb.ensure_index()
    yield data
    data.close()


def _client(rig: Rig, username: str = "agent1", **options: Any) -> CountingClient:
    client = CountingClient(rig.proc.base_url, **options)
    rig.clients.append(client)
    client.login(username, "sync-test-password")
    return client


def _worker(local: LocalData, client: ApiClient, **options: Any) -> SyncWorker:
    options.setdefault("pull_interval", INTERVAL_S)
    return SyncWorker(
        local.database, local.registry, client, SyncKey(client.base_url, "agent1"), **options
    )


def _publish(rig: Rig, title: str) -> str:
    boss = rig.client("boss")
    article = boss.create_article(
        {"type": "faq", "title": title, "body": "发送短信 CXHF 到 10086。", "status": "published"}
    )
    return article.uuid


def _started(worker: SyncWorker) -> None:
    """Started, its first round done and the watcher's first long-poll on its way."""
    worker.start()
    wait_until(lambda: worker.status.last_sync_at != "", 30, "the first round")
    wait_until(lambda: worker.watching, 10, "the watcher running")
    # Its long-poll is asked (a change committed before the server takes it is still read:
    # the server reads the feed after it starts listening).
    wait_until(lambda: getattr(worker.client, "long_polls", 1) >= 1, 10, "a long-poll asked")


def _has_article(local: LocalData, uuid: str) -> bool:
    return local.kb.store.get_article(uuid) is not None


def test_news_arrives_by_long_poll_long_before_the_interval(rig: Rig, local: LocalData) -> None:
    client = _client(rig)
    rounds: list[str] = []
    worker = _worker(local, client, on_status=lambda s: rounds.append(s.last_sync_at))
    try:
        _started(worker)
        pulls_before = worker.long_polls
        uuid = _publish(rig, "长轮询送来的文章")
        # The interval is 60 s: only the watcher can bring it this soon.
        wait_until(lambda: _has_article(local, uuid), 15, "the article in the local store")
        assert worker.long_polls > pulls_before  # a long-poll answered with the news ...
        assert local.kb.search("长轮询送来的文章")  # ... and the pull indexed it for search
        # And again: the watcher asks anew after the worker's pull.
        second = _publish(rig, "第二篇长轮询文章")
        wait_until(lambda: _has_article(local, second), 15, "the second article")
    finally:
        worker.stop()


def test_the_outbox_goes_up_at_once_while_a_long_poll_waits(rig: Rig, local: LocalData) -> None:
    client = _client(rig)
    worker = _worker(local, client, long_poll_s=30)
    try:
        _started(worker)
        assert worker.long_polls == 0  # the first long-poll is still pending
        qid = local.questions.record("长轮询时提问", business_line="telecom", agent="agent1")
        worker.notify()
        wait_until(lambda: qid in rig.stored(), 10, "the question on the server")
        wait_until(lambda: local.outbox.count() == 0, 10, "the outbox acknowledged")
    finally:
        worker.stop()


def test_stopping_does_not_wait_for_a_pending_long_poll(rig: Rig, local: LocalData) -> None:
    client = _client(rig)
    worker = _worker(local, client, long_poll_s=30)
    _started(worker)
    assert worker.watching and worker.long_polls == 0
    started = time.monotonic()
    worker.stop(timeout=10)
    # Bounded by the loop's own round, not by the 30 s the long-poll may still take.
    assert time.monotonic() - started < 5
    assert not worker.alive
    # The watcher touches nothing local: the store closes under it, and news after the stop
    # wakes nobody.
    uuid = _publish(rig, "停止之后的文章")
    wait_until(lambda: not worker.watching, 20, "the watcher ending with its request")
    assert not _has_article(local, uuid)


def test_a_server_that_is_away_is_long_polled_with_a_bounded_backoff(
    rig: Rig, local: LocalData
) -> None:
    client = _client(rig)
    worker = _worker(local, client, backoff_base=0.2, backoff_max=1.0)
    try:
        _started(worker)
        rig.proc.stop()
        wait_until(lambda: not worker.watching or client.long_polls >= 2, 30, "a failed poll")
        before = client.long_polls
        # A tight loop would ask at once again; here each failure is followed by a pause that
        # doubles from 0.2 s up to the 1 s cap (jittered to half of it at least).
        wait_until(lambda: client.long_polls - before >= 4, 30, "four failed polls")
        kind, pause = worker.watch_pause
        assert kind == "offline" and 0.5 <= pause <= 1.0
        assert worker.watching  # still there, waiting for the server
        # The server back (same port): news comes by long-poll again.
        rig.proc.start()
        uuid = _publish(rig, "服务器回来后的文章")
        wait_until(lambda: _has_article(local, uuid), 20, "the article after the outage")
    finally:
        worker.stop()


def test_a_server_without_long_polls_leaves_the_worker_on_its_interval(
    rig: Rig, local: LocalData
) -> None:
    client = _client(rig, ignore_wait=True)
    worker = _worker(local, client, pull_interval=1.0, backoff_max=3.0)
    try:
        _started(worker)
        # An immediate empty answer is not taken for news: the watcher pauses for backoff_max
        # instead of asking again at once.
        wait_until(lambda: worker.watch_pause[0] == "no_long_poll", 10, "the watcher pausing")
        assert worker.watch_pause == ("no_long_poll", 3.0)
        assert client.long_polls <= 3
        uuid = _publish(rig, "按间隔同步的文章")
        wait_until(lambda: _has_article(local, uuid), 15, "the article by the interval")
    finally:
        worker.stop()


def test_the_watchdog_restarts_a_dead_watcher(rig: Rig, local: LocalData) -> None:
    client = _client(rig, die_once=True)
    worker = _worker(local, client)
    try:
        worker.start()
        wait_until(lambda: client.long_polls == 1 and not worker.watching, 30, "watcher died")
        assert worker.alive  # the loop itself goes on
        assert worker.ensure_running() is False  # the loop did not need restarting ...
        assert worker.watcher_restarts == 1 and worker.watching  # ... the watcher did
        uuid = _publish(rig, "看门狗之后的文章")
        wait_until(lambda: _has_article(local, uuid), 15, "news by the restarted watcher")
    finally:
        worker.stop()
