"""Attachments over HTTP: images and PDFs round-trip by SHA-256; anything else is refused by
its content (415) whatever its name, and a file over 10 MB with 413; both say why in Chinese
and English."""

from __future__ import annotations

import hashlib
import struct
import uuid as uuidlib
import zlib

from tests.server.authoring.support import proposal, submit
from tests.server.support import Actors, Backend


def _png() -> bytes:
    """A real 1x1 PNG (signature, IHDR, IDAT, IEND with their CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The start of a Windows program (the MZ header), named as if it were a picture.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def test_a_png_and_a_pdf_round_trip_by_their_sha256(server: Backend, actors: Actors) -> None:
    trainer, agent = actors("trainer"), actors("agent")
    for name, data, mime in (
        ("流程图.png", _png(), "image/png"),
        ("资费说明.pdf", PDF, "application/pdf"),
    ):
        up = trainer.http.post(
            "/authoring/attachments", files={"file": (name, data, "application/octet-stream")}
        )
        assert up.status_code == 201, up.text
        ref = up.json()
        assert ref == {
            "sha256": hashlib.sha256(data).hexdigest(),
            "name": name,
            "mime": mime,
            "size": len(data),
        }
        # Any logged-in user (the agent whose article shows it) downloads it.
        down = agent.http.get(f"/attachments/{ref['sha256']}")
        assert down.status_code == 200
        assert down.content == data and down.headers["content-type"] == mime
        # The same content again is the same reference (stored once).
        again = trainer.http.post("/authoring/attachments", files={"file": (name, data)})
        assert again.status_code == 201 and again.json()["sha256"] == ref["sha256"]
    assert agent.http.get("/attachments/" + "0" * 64).status_code == 404


def test_a_renamed_program_gets_415_and_an_11_mb_file_413(server: Backend, actors: Actors) -> None:
    trainer, agent = actors("trainer"), actors("agent")
    exe = trainer.http.post(
        "/authoring/attachments", files={"file": ("截图.png", EXE, "image/png")}
    )
    assert exe.status_code == 415
    assert "不支持的文件类型" in exe.json()["detail"] and "unsupported" in exe.json()["detail"]
    big = _png() + b"\x00" * (11 * 1024 * 1024)
    too_big = trainer.http.post("/authoring/attachments", files={"file": ("大图.png", big)})
    assert too_big.status_code == 413
    assert "10 MB" in too_big.json()["detail"] and "文件过大" in too_big.json()["detail"]
    refused = agent.http.post("/authoring/attachments", files={"file": ("a.png", _png())})
    assert refused.status_code == 403


def test_an_article_is_published_only_with_files_the_server_has(
    server: Backend, actors: Actors
) -> None:
    trainer, manager, agent = actors("trainer"), actors("manager"), actors("agent")
    # A file no other test has uploaded (bytes after IEND are ignored by readers).
    data = _png() + uuidlib.uuid4().bytes
    # The author says it is a PDF of 1 byte; the server's own record of the file wins.
    ref = {"sha256": hashlib.sha256(data).hexdigest(), "name": "示意图.png", "mime": "x", "size": 1}
    item = submit(trainer, proposal(attachments=[ref]))
    early = manager.http.post(f"/authoring/proposals/{item['uuid']}/approve", json={})
    assert early.status_code == 422 and "尚未上传" in early.text
    assert trainer.http.get(f"/authoring/proposals/{item['uuid']}").json()["state"] == "submitted"
    up = trainer.http.post("/authoring/attachments", files={"file": ("示意图.png", data)})
    assert up.status_code == 201
    assert manager.http.post(f"/authoring/proposals/{item['uuid']}/approve", json={}).is_success
    article = agent.http.get(f"/articles/{item['article_uuid']}").json()
    assert article["attachments"] == [{**ref, "mime": "image/png", "size": len(data)}]
