"""The sync client against the real backend over HTTP on 127.0.0.1 (a `python main.py serve`
subprocess on a SQLite file; the server tests run both SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kb.knowledge_base import KnowledgeBase
from server.core.db import Database
from server.tables import questions
from server.users_service import create_user
from sync.api_client import ApiClient
from sync.puller import apply_page, checkpoint
from sync.worker import SyncWorker
from tests.server.support import REPO_ROOT, ServerProcess, wait_until

PASSWORD = "sync-test-password"


class Rig:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.url = f"sqlite:///{folder / 'server.db'}"
        self.db = Database(self.url)
        self.db.migrate()
        with self.db.write() as conn:
            create_user(conn, "agent1", PASSWORD, "agent")
            create_user(conn, "boss", PASSWORD, "supervisor")
        self.proc = ServerProcess(self.url, folder)
        self.proc.start()

    def client(self, username: str) -> ApiClient:
        client = ApiClient(self.proc.base_url)
        client.login(username, PASSWORD)
        return client

    def stored(self) -> list[str]:
        with self.db.read() as conn:
            return list(conn.execute(sa.select(questions.c.uuid)).scalars())


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path / "server")
    yield rig
    rig.proc.stop()
    rig.db.dispose()


@pytest.fixture
def client_kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase(tmp_path / "client")
    kb.ensure_index()
    yield kb
    kb.close()


def test_question_goes_up_and_the_answer_and_article_come_back(
    rig: Rig, client_kb: KnowledgeBase
) -> None:
    agent = rig.client("agent1")
    worker = SyncWorker(client_kb, agent)
    qid = client_kb.record_unanswered(
        "宽带能开增值税专票吗", note="公司客户", business_line="telecom"
    )
    assert client_kb.store.outbox_count() == 1
    worker.sync_once()
    assert client_kb.store.outbox_count() == 0
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
    boss.answer(qid, "可以，带营业执照办理", article_uuid=article["uuid"])
    result = worker.sync_once()
    assert [a["uuid"] for a in result.answers] == [qid]
    mine = client_kb.store.unanswered()[0]
    assert (mine["status"], mine["answer"], mine["answer_article_uuid"]) == (
        "answered",
        "可以，带营业执照办理",
        article["uuid"],
    )
    assert client_kb.store.unread_answers() == 1
    # The new article is searchable at once, and the checkpoint moved past it.
    assert client_kb.search("专票").hits[0].uuid == article["uuid"]
    assert checkpoint(client_kb) > 0
    # A second round finds nothing new.
    again = worker.sync_once()
    assert (again.articles, again.answers) == (0, [])


def test_server_stopped_mid_batch_every_question_arrives_once(
    rig: Rig, client_kb: KnowledgeBase
) -> None:
    total = 400
    for i in range(total):
        client_kb.record_unanswered(f"第{i}个问题：宽带和物业费怎么一起交")
    worker = SyncWorker(
        client_kb,
        rig.client("agent1"),
        batch_size=10,
        pull_interval=0.05,
        backoff_base=0.05,
        backoff_max=0.4,
    )
    worker.start()
    try:
        wait_until(lambda: client_kb.store.outbox_count() < total - 30, 60, "the first batches")
        rig.proc.stop(kill=True)  # a hard stop while batches are in flight
        wait_until(lambda: not worker.status.online, 30, "the client to notice")
        assert client_kb.store.outbox_count() > 0, (
            "all sent before the stop: the test proves nothing"
        )
        rig.proc.start()
        wait_until(lambda: client_kb.store.outbox_count() == 0, 90, "the outbox to drain")
    finally:
        worker.stop()
    stored = rig.stored()
    assert len(stored) == total
    assert len(set(stored)) == total
    local = {q["uuid"] for q in client_kb.store.unanswered()}
    assert set(stored) == local


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kb.knowledge_base import KnowledgeBase
    kb = KnowledgeBase(Path(sys.argv[1]))
    qid = kb.record_unanswered("停车卡丢了怎么补办", note="客户很着急")
    print(qid, flush=True)
    sys.stdin.read()  # blocks until the parent kills us, before any sync ran
    """
)


def test_question_recorded_before_a_kill_is_sent_on_next_start(rig: Rig, tmp_path: Path) -> None:
    data = tmp_path / "killed-client"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data)],
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

    kb = KnowledgeBase(data)  # "the next start"
    try:
        assert kb.store.outbox_count() == 1
        SyncWorker(kb, rig.client("agent1")).sync_once()
        assert rig.stored() == [qid]
        assert kb.store.outbox_count() == 0
    finally:
        kb.close()


def test_a_page_is_applied_whole_or_not_at_all(client_kb: KnowledgeBase) -> None:
    good = {
        "seq": 1,
        "kind": "article",
        "uuid": "00000000-0000-4000-8000-000000000001",
        "data": {
            "uuid": "00000000-0000-4000-8000-000000000001",
            "type": "faq",
            "title": "门禁卡补办",
            "body": "到物业前台办理。",
            "version": 1,
        },
    }
    broken = {"seq": 2, "kind": "article", "uuid": "x", "data": {"uuid": "x"}}  # no title/body
    with pytest.raises(KeyError):
        apply_page(client_kb, [good, broken], next_since=2)
    assert checkpoint(client_kb) == 0
    assert client_kb.store.get_article(good["uuid"]) is None
    apply_page(client_kb, [good], next_since=1)
    assert checkpoint(client_kb) == 1
    assert client_kb.search("门禁卡").hits[0].uuid == good["uuid"]


def test_expired_session_waits_for_a_new_token_and_loses_nothing(
    rig: Rig, client_kb: KnowledgeBase
) -> None:
    stale = ApiClient(rig.proc.base_url, token="not-a-valid-token")
    worker = SyncWorker(client_kb, stale, pull_interval=0.05, backoff_base=0.05)
    client_kb.record_unanswered("物业费发票抬头写错了")
    worker.start()
    try:
        wait_until(lambda: worker.status.auth_required, 30, "the worker to ask for a login")
        assert client_kb.store.outbox_count() == 1
        token = rig.client("agent1").token
        worker.set_token(token)
        wait_until(lambda: client_kb.store.outbox_count() == 0, 30, "the question to be sent")
    finally:
        worker.stop()
    assert len(rig.stored()) == 1


def test_backoff_grows_exponentially_with_jitter(client_kb: KnowledgeBase) -> None:
    worker = SyncWorker(
        client_kb, ApiClient("http://127.0.0.1:9"), backoff_base=1.0, backoff_max=60.0, seed=3
    )
    for failures, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (7, 60.0), (20, 60.0)):
        worker._failures = failures
        delays = [worker.backoff_delay() for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered, so reconnecting clients spread out
