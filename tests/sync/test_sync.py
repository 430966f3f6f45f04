"""The sync client against the real backend over HTTP on 127.0.0.1 (a `python main.py serve`
subprocess on a SQLite file; the server tests run both SQLite and PostgreSQL): the outbox going
up, the changes feed coming down, sync state per (server, user), and a loop that survives."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from agent_app.shell.local_data import LocalData
from common.wire import Change
from server.core.db import Database
from server.services.users import create_user
from server.tables import questions
from sync.api_client import ApiClient
from sync.puller import apply_page
from sync.state import SyncKey, SyncState
from sync.worker import SyncWorker
from tests.server.support import REPO_ROOT, ServerProcess, free_port, wait_until

PASSWORD = "sync-test-password"


class Rig:
    def __init__(self, folder: Path, port: int | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite:///{folder / 'server.db'}"
        self.db = Database(self.url)
        self.db.migrate()
        with self.db.write() as conn:
            create_user(conn, "agent1", PASSWORD, "agent")
            # The one who answers and publishes: only a manager publishes directly (issue 13).
            create_user(conn, "boss", PASSWORD, "manager")
        self.proc = ServerProcess(self.url, folder, port=port)
        self.proc.start()
        self.clients: list[ApiClient] = []

    def client(self, username: str) -> ApiClient:
        """A logged-in client, closed with the rig."""
        client = ApiClient(self.proc.base_url)
        self.clients.append(client)
        client.login(username, PASSWORD)
        return client

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.proc.stop()
        self.db.dispose()

    def stored(self) -> list[str]:
        with self.db.read() as conn:
            return list(conn.execute(sa.select(questions.c.uuid)).scalars())


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


def worker_for(
    local: LocalData, client: ApiClient, user: str = "agent1", **options: Any
) -> SyncWorker:
    """A worker keyed to the client's server and `user`, as the app makes one at login."""
    return SyncWorker(
        local.database, local.registry, client, SyncKey(client.base_url, user), **options
    )


def checkpoint(local: LocalData, client: ApiClient, user: str = "agent1") -> int:
    return SyncState(local.database).checkpoint(SyncKey(client.base_url, user))


def test_question_goes_up_and_the_answer_and_article_come_back(rig: Rig, local: LocalData) -> None:
    agent = rig.client("agent1")
    worker = worker_for(local, agent)
    qid = local.questions.record(
        "宽带能开增值税专票吗", note="公司客户", business_line="telecom", agent="agent1"
    )
    assert local.outbox.count() == 1
    worker.sync_once()
    assert local.outbox.count() == 0
    assert rig.stored() == [qid]

    boss = rig.client("boss")
    article = boss.create_article(
        {
            "type": "faq",
            "title": "企业宽带增值税专用发票开具",
            "body": "带营业执照到营业厅开具专票。",
            "status": "published",
        }
    )
    boss.answer(qid, "可以，带营业执照办理", article_uuid=article.uuid)
    result = worker.sync_once()
    assert [a["uuid"] for a in result.answers] == [qid]
    mine = local.questions.for_user("agent1")[0]
    assert (mine["status"], mine["answer"], mine["answer_article_uuid"]) == (
        "answered",
        "可以，带营业执照办理",
        article.uuid,
    )
    assert local.questions.unread_answers("agent1") == 1
    assert local.questions.unread_answers("boss") == 0
    # The new article is searchable at once, and the checkpoint moved past it.
    assert local.kb.search("专票").hits[0].uuid == article.uuid
    assert checkpoint(local, agent) > 0
    # A second round finds nothing new.
    again = worker.sync_once()
    assert (again.articles, again.answers) == (0, [])


def test_server_stopped_mid_batch_every_question_arrives_once(rig: Rig, local: LocalData) -> None:
    total = 400
    for i in range(total):
        local.questions.record(f"第{i}个问题：宽带和物业费怎么一起交", agent="agent1")
    worker = worker_for(
        local,
        rig.client("agent1"),
        batch_size=10,
        pull_interval=0.05,
        backoff_base=0.05,
        backoff_max=0.4,
    )
    worker.start()
    try:
        wait_until(lambda: local.outbox.count() < total - 30, 60, "the first batches")
        rig.proc.stop(kill=True)  # a hard stop while batches are in flight
        wait_until(lambda: not worker.status.online, 30, "the client to notice")
        assert local.outbox.count() > 0, "all sent before the stop: the test proves nothing"
        rig.proc.start()
        wait_until(lambda: local.outbox.count() == 0, 90, "the outbox to drain")
    finally:
        worker.stop()
    stored = rig.stored()
    assert len(stored) == total
    assert len(set(stored)) == total
    assert set(stored) == {q["uuid"] for q in local.questions.for_user("agent1")}


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from agent_app.shell.local_data import LocalData
    data = LocalData(Path(sys.argv[1]))
    qid = data.questions.record("停车卡丢了怎么补办", note="客户很着急", agent="agent1")
    print(qid, flush=True)
    sys.stdin.read()  # blocks until the parent kills us, before any sync ran
    """
)


def test_question_recorded_before_a_kill_is_sent_on_next_start(rig: Rig, tmp_path: Path) -> None:
    folder = tmp_path / "killed-client"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        qid = child.stdout.readline().strip()  # type: ignore[union-attr]
    finally:
        child.kill()  # SIGKILL on POSIX: no cleanup, no flush, no atexit
        child.wait(10)
        child.stdin.close()  # type: ignore[union-attr]
        child.stdout.close()  # type: ignore[union-attr]
    assert len(qid) == 36
    assert rig.stored() == []

    data = LocalData(folder)  # "the next start"
    try:
        assert data.outbox.count() == 1
        worker_for(data, rig.client("agent1")).sync_once()
        assert rig.stored() == [qid]
        assert data.outbox.count() == 0
    finally:
        data.close()


def test_a_page_is_applied_whole_or_not_at_all(local: LocalData) -> None:
    good = Change(
        seq=1,
        kind="article",
        uuid="00000000-0000-4000-8000-000000000001",
        data={
            "uuid": "00000000-0000-4000-8000-000000000001",
            "type": "faq",
            "title": "门禁卡补办",
            "body": "到物业前台办理。",
            "version": 1,
        },
    )
    broken = Change(seq=2, kind="article", uuid="x", data={"uuid": "x"})  # no title/body
    state, key = SyncState(local.database), SyncKey("http://127.0.0.1:1", "agent1")
    with pytest.raises((KeyError, ValueError)):
        apply_page(local.database, local.registry, state, key, [good, broken], next_since=2)
    assert state.checkpoint(key) == 0
    assert local.kb.store.get_article(good.uuid) is None
    apply_page(local.database, local.registry, state, key, [good], next_since=1)
    assert state.checkpoint(key) == 1
    assert local.kb.search("门禁卡").hits[0].uuid == good.uuid


def test_expired_session_waits_for_a_new_token_and_loses_nothing(
    rig: Rig, local: LocalData
) -> None:
    stale = ApiClient(rig.proc.base_url, token="not-a-valid-token")
    rig.clients.append(stale)
    worker = worker_for(local, stale, pull_interval=0.05, backoff_base=0.05)
    local.questions.record("物业费发票抬头写错了", agent="agent1")
    worker.start()
    try:
        wait_until(lambda: worker.status.auth_required, 30, "the worker to ask for a login")
        assert local.outbox.count() == 1
        token = rig.client("agent1").token
        worker.set_token(token)
        wait_until(lambda: local.outbox.count() == 0, 30, "the question to be sent")
    finally:
        worker.stop()
    assert len(rig.stored()) == 1


# -- sync state per (server, user): issue 11 #3 ---------------------------------------------------
def test_hot_desking_the_agent_gets_the_answer_given_while_someone_else_was_logged_in(
    rig: Rig, local: LocalData
) -> None:
    """Agent asks, logs out; a supervisor logs in on the same PC and answers there (their own
    feed passes the answer); the agent logs back in and the answer is there."""
    agent = rig.client("agent1")
    qid = local.questions.record("电梯卡消磁了怎么办", agent="agent1")
    worker_for(local, agent).sync_once()  # the agent's session: the question goes up
    assert rig.stored() == [qid]

    boss = rig.client("boss")
    boss_worker = worker_for(local, boss, user="boss")  # the supervisor on the same PC
    boss_worker.sync_once()
    boss.answer(qid, "到物业前台免费重新写卡")
    boss_worker.sync_once()  # the feed moves on for the supervisor
    assert checkpoint(local, boss, "boss") > checkpoint(local, agent)
    assert local.questions.for_user("agent1")[0]["status"] == "open"  # not the supervisor's
    assert local.questions.for_user("boss") == []

    again = rig.client("agent1")  # the agent logs back in: a new worker, the agent's own state
    result = worker_for(local, again).sync_once()
    assert [a["uuid"] for a in result.answers] == [qid]
    mine = local.questions.for_user("agent1")
    assert [(q["uuid"], q["status"], q["answer"]) for q in mine] == [
        (qid, "answered", "到物业前台免费重新写卡")
    ]
    assert local.questions.unread_answers("agent1") == 1


def test_login_reconciles_answers_the_feed_no_longer_brings(rig: Rig, local: LocalData) -> None:
    """Even with this user's checkpoint already past the answer (e.g. a data folder from a
    release that kept one checkpoint for everyone), logging in fetches the user's questions."""
    agent = rig.client("agent1")
    qid = local.questions.record("地下车库能办月卡吗", agent="agent1")
    worker_for(local, agent).sync_once()
    rig.client("boss").answer(qid, "可以，到物业办理")
    state, key = SyncState(local.database), SyncKey(agent.base_url, "agent1")
    latest = agent.changes(checkpoint(local, agent)).next_since
    state.set_checkpoint(key, latest)  # the answer's change is behind the checkpoint

    result = worker_for(local, agent).sync_once()  # a new worker: a new login
    assert [a["uuid"] for a in result.answers] == [qid]
    assert local.questions.for_user("agent1")[0]["status"] == "answered"
    assert state.reconciled_at(key)


def test_a_brand_new_server_is_read_from_the_start(
    rig: Rig, local: LocalData, tmp_path: Path
) -> None:
    boss = rig.client("boss")
    for title in ("旧服务器文章一", "旧服务器文章二", "旧服务器文章三"):
        boss.create_article(
            {"type": "faq", "title": title, "body": "正文。", "status": "published"}
        )
    old = rig.client("agent1")
    worker_for(local, old).sync_once()
    assert checkpoint(local, old) >= 3

    fresh = Rig(tmp_path / "new-server")  # another center's server, its feed starting at 1
    try:
        article = fresh.client("boss").create_article(
            {
                "type": "faq",
                "title": "新服务器的门禁卡说明",
                "body": "到前台办理。",
                "status": "published",
            }
        )
        new = fresh.client("agent1")
        assert checkpoint(local, new) == 0, "a server never seen starts from 0"
        worker_for(local, new).sync_once()
        assert local.kb.store.get_article(article.uuid) is not None
        assert local.kb.search("门禁卡").hits[0].uuid == article.uuid
        assert checkpoint(local, old) >= 3  # the old server's state is kept for a switch back
    finally:
        fresh.close()


def test_a_new_server_at_the_same_address_is_read_from_the_start(
    local: LocalData, tmp_path: Path
) -> None:
    """The center re-installs its server: same address, same user, an empty database. The
    checkpoint read from the old one must not be used against the new one's feed."""
    old = Rig(tmp_path / "server-a")
    client = ApiClient(old.proc.base_url)  # the app's client: it outlives the server
    try:
        boss = old.client("boss")
        for title in ("旧服务器文章一", "旧服务器文章二", "旧服务器文章三"):
            boss.create_article(
                {"type": "faq", "title": title, "body": "正文。", "status": "published"}
            )
        client.login("agent1", PASSWORD)
        worker = worker_for(local, client)
        worker.sync_once()
        old_id = client.changes(0).server_id
        assert old_id
        assert checkpoint(local, client) >= 3
        old.close()

        new = Rig(tmp_path / "server-b", port=old.proc.port)  # its feed starts again at 1
        try:
            assert new.proc.base_url == client.base_url
            article = new.client("boss").create_article(
                {
                    "type": "faq",
                    "title": "新服务器的门禁卡说明",
                    "body": "到前台办理。",
                    "status": "published",
                }
            )
            worker.set_token(client.login("agent1", PASSWORD).token)  # the old token is gone
            worker.sync_once()
            new_id = client.changes(0).server_id
            assert new_id and new_id != old_id
            assert local.kb.store.get_article(article.uuid) is not None
            assert local.kb.search("门禁卡").hits[0].uuid == article.uuid
            state = SyncState(local.database)
            key = SyncKey(client.base_url, "agent1")
            assert state.server_id(key) == new_id
            assert checkpoint(local, client) == client.changes(0).next_since
        finally:
            new.close()
    finally:
        client.close()
        old.close()


def test_a_checkpoint_from_before_server_ids_is_kept(rig: Rig, local: LocalData) -> None:
    """A client upgraded before its server has checkpoints with no instance id: the first id
    the server gives is adopted, and the feed goes on from the checkpoint (not from 0)."""
    boss = rig.client("boss")
    first = boss.create_article(
        {"type": "faq", "title": "升级前的文章", "body": "正文。", "status": "published"}
    )
    agent = rig.client("agent1")
    key = SyncKey(agent.base_url, "agent1")
    state = SyncState(local.database)
    page = agent.changes(0)
    state.set_checkpoint(key, page.next_since)  # as an older client kept it: no id
    assert state.server_id(key) == ""
    later = boss.create_article(
        {"type": "faq", "title": "升级后的文章", "body": "正文。", "status": "published"}
    )
    worker_for(local, agent).sync_once()
    assert local.kb.store.get_article(later.uuid) is not None
    assert local.kb.store.get_article(first.uuid) is None, "read on from the checkpoint"
    assert state.server_id(key) == page.server_id


# -- a loop that survives: issue 11 #2 --------------------------------------------------------------
def test_backoff_grows_exponentially_with_jitter(local: LocalData) -> None:
    worker = worker_for(
        local, ApiClient("http://127.0.0.1:9"), backoff_base=1.0, backoff_max=60.0, seed=3
    )
    for failures, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (7, 60.0), (20, 60.0)):
        worker._failures = failures
        delays = [worker.backoff_delay() for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered, so reconnecting clients spread out


def test_two_thousand_failures_in_a_row_leave_the_thread_running(local: LocalData) -> None:
    """2**1024 once overflowed inside the except block after 1,025 failures: the thread died."""
    unreachable = ApiClient(f"http://127.0.0.1:{free_port()}")
    worker = worker_for(local, unreachable, backoff_base=1e-6, backoff_max=1e-5, pull_interval=1e-5)
    worker.start()
    try:
        wait_until(lambda: worker._failures >= 2000 or not worker.alive, 300, "2000 failures")
        assert worker.alive and not worker.status.stopped
        assert worker._failures >= 2000
        assert 0 < worker.backoff_delay() <= 1e-5
    finally:
        worker.stop()
        unreachable.close()


class CountingHandler(BaseHTTPRequestHandler):
    """A server that is up but failing (503 to everything), counting what it is asked."""

    requests = 0

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        type(self).requests += 1
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_notify_during_a_backoff_waits_for_the_backoff(local: LocalData) -> None:
    """Every record queued calls notify(): during an outage that must not turn each one into
    a request."""
    CountingHandler.requests = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    client = ApiClient(f"http://127.0.0.1:{server.server_address[1]}")
    worker = worker_for(local, client, backoff_base=30.0, backoff_max=30.0)
    worker.start()
    try:
        wait_until(lambda: worker.status.last_error, 30, "the first failure")
        first = CountingHandler.requests
        for i in range(100):
            local.questions.record(f"第{i}个问题", agent="agent1")
            worker.notify()
        time.sleep(1.0)  # room for any request a notify() would have caused
        assert CountingHandler.requests == first
        assert worker.alive
    finally:
        worker.stop()
        client.close()
        server.shutdown()
        server.server_close()


def test_the_watchdog_restarts_a_worker_whose_loop_raised(rig: Rig, local: LocalData) -> None:
    """The loop raising where nothing catches it (as the overflow did) ends the thread; the
    status says so, and ensure_running() starts a new one that carries on."""
    down = ApiClient(f"http://127.0.0.1:{free_port()}")
    worker = worker_for(local, down, pull_interval=0.05, backoff_base=0.01, backoff_max=0.02)

    def broken() -> float:
        raise OverflowError("(34, 'Numerical result out of range')")

    worker.backoff_delay = broken  # type: ignore[method-assign]
    worker.start()
    wait_until(lambda: not worker.alive, 30, "the loop to die")
    assert worker.status.stopped and "Numerical result" in worker.status.last_error
    local.questions.record("保洁多久来一次", agent="agent1")

    del worker.backoff_delay  # the bug is gone; the server is reachable again
    worker.client = rig.client("agent1")
    try:
        assert worker.ensure_running()
        assert not worker.ensure_running()  # once: it runs now
        wait_until(lambda: local.outbox.count() == 0, 30, "the question to be sent")
        assert worker.status.restarts == 1 and not worker.status.stopped
    finally:
        worker.stop()
        down.close()
