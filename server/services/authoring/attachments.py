"""Attachments of articles: images and PDFs, recognised by their first bytes (never by the
file name: a renamed program is refused), at most 10 MB, stored once by SHA-256 in the
database (docs/authoring.md says why there)."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.articles import AttachmentRef
from common.authoring import ATTACHMENT_MAX_BYTES
from common.file_types import sniff_mime
from server.core.identity import CurrentUser
from server.core.security import stamp
from server.core.statements import insert_ignoring_duplicates
from server.services.errors import Invalid, NotFound, ServiceError
from server.tables import article_attachments


class TooLarge(ServiceError):
    status_code = 413


class Unsupported(ServiceError):
    status_code = 415


TOO_LARGE = (
    f"文件过大：附件上限为 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"
    f" / the file is too large: attachments are limited to "
    f"{ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"
)
UNSUPPORTED = (
    "不支持的文件类型：只能上传 PNG、JPEG、GIF、WebP 图片或 PDF"
    " / unsupported file type: only PNG, JPEG, GIF and WebP images and PDF files are accepted"
)
NO_FILE = "no such attachment / 附件不存在"


def _clean_name(name: str) -> str:
    """The file's own name (no folders), printable, at most 255 characters."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable())
    try:
        base.encode("utf-8")
    except UnicodeEncodeError:
        base = base.encode("utf-8", "replace").decode("utf-8")
    return base[-255:] or "attachment"


def store(conn: Connection, user: CurrentUser, name: str, data: bytes) -> AttachmentRef:
    """Keep the file (once per content) and give its reference for an article."""
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise TooLarge(TOO_LARGE)
    mime = sniff_mime(data)
    if mime is None:
        raise Unsupported(UNSUPPORTED)
    digest = hashlib.sha256(data).hexdigest()
    ref = AttachmentRef(sha256=digest, name=_clean_name(name), mime=mime, size=len(data))
    insert_ignoring_duplicates(
        conn,
        article_attachments,
        {
            "sha256": digest,
            "name": ref.name,
            "mime": mime,
            "size": len(data),
            "data": data,
            "uploaded_by": user.id,
            "created_at": stamp(),
        },
        key="sha256",
    )
    return ref


def read(conn: Connection, sha256: str) -> Any:
    """(name, mime, data) of a stored file."""
    row = conn.execute(
        sa.select(
            article_attachments.c.name, article_attachments.c.mime, article_attachments.c.data
        ).where(article_attachments.c.sha256 == sha256.lower())
    ).first()
    if row is None:
        raise NotFound(NO_FILE)
    return row


def resolved(conn: Connection, refs: list[AttachmentRef]) -> list[AttachmentRef]:
    """The references as the server has the files (type and size from the stored file, the
    author's name kept); 422 naming the first that was never uploaded: an article is not
    published pointing at a file no client could fetch."""
    if not refs:
        return []
    stored = {
        r.sha256: r
        for r in conn.execute(
            sa.select(
                article_attachments.c.sha256, article_attachments.c.mime, article_attachments.c.size
            ).where(article_attachments.c.sha256.in_([ref.sha256 for ref in refs]))
        ).all()
    }
    out: list[AttachmentRef] = []
    for ref in refs:
        row = stored.get(ref.sha256)
        if row is None:
            raise Invalid(
                f"the attachment {ref.name} was not uploaded yet / 附件“{ref.name}”尚未上传",
                "attachments",
            )
        out.append(AttachmentRef(sha256=ref.sha256, name=ref.name, mime=row.mime, size=row.size))
    return out
