"""Files told by their content: the one check shared by the server's upload and the desktop's
editor. The editor's drafts store and the real backend take and refuse the same files (they
once had a check each, and a PDF with a few bytes before its header was taken by the server
and refused by the editor)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.authoring.drafts import DraftError
from agent_app.shell.local_data import LocalData
from common.authoring import ATTACHMENT_MIMES
from common.demo_accounts import DEMO_PASSWORD
from common.file_types import sniff_mime
from sync.api_client import ApiClient, ApiError
from tests.helpers.backend import TestBackend

FILES: dict[str, tuple[bytes, str | None]] = {
    "图.png": (b"\x89PNG\r\n\x1a\n" + bytes(range(40)), "image/png"),
    "照片.jpg": (b"\xff\xd8\xff\xe0" + bytes(40), "image/jpeg"),
    "动图.gif": (b"GIF89a" + bytes(40), "image/gif"),
    "旧动图.gif": (b"GIF87a" + bytes(40), "image/gif"),
    "图.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(40), "image/webp"),
    "说明.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(40), "application/pdf"),
    # Some writers put a few bytes before the header; readers look in the first kilobyte.
    "扫描件.pdf": (b"\r\n\x00junk" * 8 + b"%PDF-1.4\n" + bytes(40), "application/pdf"),
    "远处的头.pdf": (bytes(1100) + b"%PDF-1.4\n", None),
    "病毒.png": (b"MZ\x90\x00 not a picture" + bytes(40), None),
    "页面.pdf": (b"<html><body>%PDF</body></html>", None),
    "短.webp": (b"RIFF\x00\x00", None),
}


def test_kinds_are_told_by_content_and_are_the_accepted_ones() -> None:
    for name, (data, mime) in FILES.items():
        assert sniff_mime(data) == mime, name
    assert {m for _, m in FILES.values() if m} == set(ATTACHMENT_MIMES)


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[TestBackend]:
    running = TestBackend(tmp_path / "server")
    running.start()
    yield running
    running.stop()


def test_the_editor_takes_exactly_the_files_the_server_takes(
    backend: TestBackend, tmp_path: Path
) -> None:
    trainer = ApiClient(backend.url)
    trainer.login(backend.new_user("trainer"), DEMO_PASSWORD)
    local = LocalData(tmp_path / "seat")
    try:
        for name, (data, mime) in FILES.items():
            path = tmp_path / name
            path.write_bytes(data)
            try:
                editor_mime: str | None = local.authoring.add_attachment("t", path)["mime"]
            except DraftError:
                editor_mime = None
            try:
                server_mime: str | None = trainer.upload_attachment(name, data).mime
            except ApiError as exc:
                assert exc.status == 415, name
                server_mime = None
            assert editor_mime == server_mime == mime, name
    finally:
        local.close()
        trainer.close()
