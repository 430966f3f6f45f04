"""What kind of file some bytes are, told by their content (magic bytes), never by the file's
name: the one check the server's attachment upload and the desktop's editor both make, so a
file the editor takes is a file the server takes."""

from __future__ import annotations

# (leading bytes, MIME type); WebP and PDF need more than a prefix (below).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
# PDF readers look for the header in the first kilobyte: some writers put a little before it.
PDF_HEADER_WITHIN = 1024


def sniff_mime(data: bytes) -> str | None:
    """The MIME type the content shows: a PNG, JPEG, GIF or WebP image or a PDF; None for
    anything else."""
    for magic, mime in _SIGNATURES:
        if data.startswith(magic):
            return mime
    if len(data) >= 12 and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    if b"%PDF-" in data[:PDF_HEADER_WITHIN]:
        return "application/pdf"
    return None
