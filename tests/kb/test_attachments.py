"""Attachments on the client: after the feed brings a published article that names files, they
are fetched from the real backend into <data>/attachments/<sha256>, their hash checked; bytes
that are not the file named are never kept; offline, nothing is lost and the next round
fetches what is missing."""

from __future__ import annotations

import hashlib
import struct
import uuid as uuidlib
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.shell.local_data import LocalData
from common.authoring import ProposalContent, ProposalIn
from common.demo_accounts import DEMO_PASSWORD
from kb.attachments import AttachmentDamaged, AttachmentStore
from sync.api_client import ApiClient
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.helpers.backend import TestBackend


def png(width: int, height: int, shade: int) -> bytes:
    """A real PNG (grey pixels), so the server's content check takes it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class Rig:
    def __init__(self, folder: Path) -> None:
        self.backend = TestBackend(folder / "server")
        self.backend.start()
        self.clients: list[ApiClient] = []
        self.trainer = self.client(self.backend.new_user("trainer"))
        self.manager = self.client(self.backend.new_user("manager"))
        self.agent_name = agent_name = self.backend.new_user("agent")
        self.agent = self.client(agent_name)
        self.data = LocalData(folder / "agent")
        self.worker = SyncWorker(
            self.data.database,
            self.data.registry,
            self.agent,
            SyncKey(self.backend.url, agent_name),
        )
        self.store = AttachmentStore(self.data.data_dir)

    def client(self, username: str) -> ApiClient:
        client = ApiClient(self.backend.url)
        client.login(username, DEMO_PASSWORD)
        self.clients.append(client)
        return client

    def publish_with(self, *files: tuple[str, bytes]) -> tuple[str, list[str]]:
        refs = [self.trainer.upload_attachment(name, data) for name, data in files]
        article = str(uuidlib.uuid4())
        proposal = ProposalIn(
            uuid=str(uuidlib.uuid4()),
            article_uuid=article,
            base_version=None,
            content=ProposalContent(
                type="faq", title="光猫指示灯图解", body="见附件图片。", attachments=refs
            ),
        )
        self.manager.approve_proposal(self.trainer.submit_proposal(proposal).uuid)
        return article, [r.sha256 for r in refs]

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.data.close()
        self.backend.stop()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    running = Rig(tmp_path)
    yield running
    running.close()


def test_the_feed_s_attachments_are_fetched_and_verified(rig: Rig) -> None:
    picture, sheet = png(4, 4, 90), png(8, 2, 200)
    article, hashes = rig.publish_with(("指示灯.png", picture), ("对照表.png", sheet))
    assert hashes == [hashlib.sha256(picture).hexdigest(), hashlib.sha256(sheet).hexdigest()]
    rig.worker.sync_once()
    stored = rig.data.kb.store.get_article(article)
    assert stored is not None
    files = rig.store.files(stored.attachments)
    assert [f.name for f in files] == ["指示灯.png", "对照表.png"]
    assert not any(f.present for f in files)
    assert sorted(rig.store.missing(rig.data.kb.store)) == sorted(hashes)

    report = rig.store.fetch_missing(rig.data.kb.store, rig.agent.download_attachment)

    assert sorted(report.fetched) == sorted(hashes) and not report.failed
    assert (rig.data.data_dir / "attachments" / hashes[0]).read_bytes() == picture
    assert all(f.present for f in rig.store.files(stored.attachments))
    assert rig.store.missing(rig.data.kb.store) == []
    # Nothing left to fetch: no request at all the next time.
    assert rig.store.fetch_missing(rig.data.kb.store, rig.agent.download_attachment).fetched == []


def test_bytes_that_are_not_the_file_named_are_never_kept(rig: Rig) -> None:
    article, (sha,) = rig.publish_with(("图.png", png(2, 2, 10)))
    rig.worker.sync_once()

    def damaged_in_transit(wanted: str) -> bytes:
        data = bytearray(rig.agent.download_attachment(wanted))
        data[-1] ^= 0xFF
        return bytes(data)

    report = rig.store.fetch_missing(rig.data.kb.store, damaged_in_transit)
    assert sha in report.failed and not report.fetched
    assert not rig.store.has(sha)
    assert list((rig.data.data_dir / "attachments").glob("*")) == [], "no partial file left"
    with pytest.raises(AttachmentDamaged):
        rig.store.save(sha, b"something else")
    # The next round, with the real bytes, keeps it.
    assert rig.store.fetch_missing(rig.data.kb.store, rig.agent.download_attachment).fetched == [
        sha
    ]


def test_offline_nothing_is_kept_and_the_next_round_fetches(rig: Rig) -> None:
    article, (sha,) = rig.publish_with(("图.png", png(3, 3, 120)))
    rig.worker.sync_once()
    rig.backend.stop()
    report = rig.store.fetch_missing(rig.data.kb.store, rig.agent.download_attachment)
    assert sha in report.failed and not rig.store.has(sha)
    stored = rig.data.kb.store.get_article(article)
    assert stored is not None
    assert not rig.store.files(stored.attachments)[0].present  # the view says 附件尚未下载
    # The server is back (the same data, at the address it has now): the next round fetches.
    rig.backend.start()
    agent = ApiClient(rig.backend.url)
    rig.clients.append(agent)
    agent.login(rig.agent_name, DEMO_PASSWORD)
    assert rig.store.fetch_missing(rig.data.kb.store, agent.download_attachment).fetched == [sha]
    assert rig.store.files(stored.attachments)[0].present
