"""The feed's articles reach the client whole: an article published on the real backend with a
review day and an attachment is kept in the client's local store with both, as the server has
them (a later version's review day replaces the earlier one; a version with none has none)."""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.shell.local_data import LocalData
from common.articles import AttachmentRef
from common.authoring import ProposalContent, ProposalIn
from common.demo_accounts import DEMO_PASSWORD
from sync.api_client import ApiClient
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.helpers.backend import TestBackend

# The server takes a file by its first bytes: a PNG signature and a little more is a PNG.
PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(48))


class Rig:
    def __init__(self, folder: Path) -> None:
        self.backend = TestBackend(folder / "server")
        self.backend.start()
        self.clients: list[ApiClient] = []
        self.trainer = self.client(self.backend.new_user("trainer"))
        self.manager = self.client(self.backend.new_user("manager"))
        agent_name = self.backend.new_user("agent")
        self.local = LocalData(folder / "agent")
        self.worker = SyncWorker(
            self.local.database,
            self.local.registry,
            self.client(agent_name),
            SyncKey(self.backend.url, agent_name),
        )

    def client(self, username: str) -> ApiClient:
        client = ApiClient(self.backend.url)
        client.login(username, DEMO_PASSWORD)
        self.clients.append(client)
        return client

    def publish(
        self,
        article: str,
        base: int | None,
        review_due: str,
        attachments: list[AttachmentRef],
    ) -> None:
        proposal = ProposalIn(
            uuid=str(uuidlib.uuid4()),
            article_uuid=article,
            base_version=base,
            content=ProposalContent(
                type="faq",
                title="光猫指示灯图解",
                body=f"见附件图片（第 {(base or 0) + 1} 版）。",
                review_due=review_due,
                attachments=attachments,
            ),
        )
        self.manager.approve_proposal(self.trainer.submit_proposal(proposal).uuid)

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.local.close()
        self.backend.stop()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    running = Rig(tmp_path)
    yield running
    running.close()


def test_a_published_article_keeps_the_server_s_review_day_and_attachments(rig: Rig) -> None:
    ref = rig.trainer.upload_attachment("指示灯.png", PICTURE)
    assert ref.sha256 == hashlib.sha256(PICTURE).hexdigest()
    article = str(uuidlib.uuid4())
    rig.publish(article, None, "2027-03-01", [ref])

    rig.worker.sync_once()

    stored = rig.local.kb.store.get_article(article)
    assert stored is not None and stored.version == 1
    assert stored.review_due == "2027-03-01"
    assert [(a.sha256, a.name, a.mime, a.size) for a in stored.attachments] == [
        (ref.sha256, "指示灯.png", "image/png", len(PICTURE))
    ]
    # Kept in the row itself, not only in the object handed back.
    row = rig.local.database.query(
        "SELECT review_due, attachments FROM articles WHERE uuid = ?", [article]
    )[0]
    assert row["review_due"] == "2027-03-01" and ref.sha256 in row["attachments"]

    # The next version moves the review day and drops the file: the client follows.
    rig.publish(article, 1, "2027-09-01", [])
    rig.worker.sync_once()
    stored = rig.local.kb.store.get_article(article)
    assert stored is not None and stored.version == 2
    assert stored.review_due == "2027-09-01" and stored.attachments == []

    # A version with no review day has none here either (no local default replaces it).
    rig.publish(article, 2, "", [ref])
    rig.worker.sync_once()
    stored = rig.local.kb.store.get_article(article)
    assert stored is not None and stored.version == 3
    assert stored.review_due == "" and [a.sha256 for a in stored.attachments] == [ref.sha256]
