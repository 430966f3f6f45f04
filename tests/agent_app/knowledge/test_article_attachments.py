"""An article's attachments in the agent's window: fetched after the sync brings the article,
listed under it, opened from the local copy in the system's viewer (QDesktopServices, whose
file handler the test takes over), and "附件尚未下载" while a file is not here yet."""

from __future__ import annotations

import struct
import uuid as uuidlib
import zlib

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from common.authoring import ProposalContent, ProposalIn
from tests.helpers.corpus import type_text


def png(shade: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    rows = b"".join(b"\x00" + bytes([shade]) * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class Opened(QObject):
    """Stands in for the system's viewer: records the file URLs the app asks to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_attachments_are_fetched_listed_and_opened_from_the_local_copy(  # type: ignore[no-untyped-def]
    qtbot, logged_in_app, backend, api
) -> None:
    trainer = api(backend.url, backend.new_user("trainer"))
    manager = api(backend.url, backend.new_user("manager"))
    refs = [
        trainer.upload_attachment("指示灯图解.png", png(60)),
        trainer.upload_attachment("资费表.png", png(180)),
    ]
    article = str(uuidlib.uuid4())
    proposal = ProposalIn(
        uuid=str(uuidlib.uuid4()),
        article_uuid=article,
        base_version=None,
        content=ProposalContent(
            type="faq", title="光猫指示灯图解说明", body="见附件。", attachments=refs
        ),
    )
    manager.approve_proposal(trainer.submit_proposal(proposal).uuid)
    app = logged_in_app(backend.url, backend.new_user("agent"))
    store = app.kb_pane.attachments
    # The sync brings the article; the pane fetches its files on the net executor.
    qtbot.waitUntil(lambda: all(store.has(r.sha256) for r in refs), timeout=20_000)

    pane = app.kb_view
    with qtbot.waitSignal(pane.results_shown, timeout=10_000):
        type_text(pane.search, "光猫指示灯图解说明")
    with qtbot.waitSignal(pane.article_opened, timeout=10_000):
        pane.open_current()
    assert pane.article_view.article.uuid == article
    listing = pane.article_view.attachments
    qtbot.waitUntil(lambda: listing.count() == 2 and listing.isVisible())
    assert "指示灯图解.png" in listing.item(0).text()

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        listing.setCurrentRow(0)
        qtbot.keyClick(listing, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(opened.urls))
        assert opened.urls[0].toLocalFile() == str(store.path_for(refs[0].sha256))

        # Offline, a file not here (yet): listed as such; opening it says so and opens nothing.
        download, app.kb_pane.download = app.kb_pane.download, None
        store.path_for(refs[1].sha256).unlink()
        app.kb_pane.show_article(app.kb.store.get_article(article))
        qtbot.waitUntil(lambda: listing.count() == 2 and "尚未下载" in listing.item(1).text())
        listing.setCurrentRow(1)
        qtbot.keyClick(listing, Qt.Key.Key_Return)
        assert "附件尚未下载" in pane.article_view.feedback_label.text()
        assert len(opened.urls) == 1
        # Online again: opening the article fetches what it lacks, and the list says so.
        app.kb_pane.download = download
        app.kb_pane.show_article(app.kb.store.get_article(article))
        qtbot.waitUntil(lambda: store.has(refs[1].sha256), timeout=10_000)
        qtbot.waitUntil(
            lambda: listing.count() == 2 and "尚未下载" not in listing.item(1).text(),
            timeout=10_000,
        )
    finally:
        QDesktopServices.unsetUrlHandler("file")
