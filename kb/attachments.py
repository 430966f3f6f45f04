"""Attachments of published articles on this workstation: each file kept once under its
SHA-256 in <data>/attachments/, fetched after the feed brings an article that names it, its
hash checked before it is kept, so the article view opens a local file (and says "not
downloaded yet" while offline)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import uuid as uuidlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.store import SEARCHABLE_STATUS, KnowledgeStore

log = logging.getLogger(__name__)
FOLDER_NAME = "attachments"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Fetches one file by its hash (ApiClient.download_attachment); raises when it cannot.
Download = Callable[[str], bytes]
MAX_FAILURES_IN_A_ROW = 3


class AttachmentDamaged(Exception):
    """The bytes fetched are not the file the article names (their hash differs)."""


@dataclass(frozen=True)
class AttachmentFile:
    """One attachment of an article, and where it is (or will be) on this workstation."""

    sha256: str
    name: str
    mime: str
    size: int
    path: Path

    @property
    def present(self) -> bool:
        return self.path.is_file()


@dataclass
class FetchReport:
    fetched: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # sha256 -> why


def attachment_refs(value: Any) -> list[dict[str, Any]]:
    """An article's attachments as plain dicts (models, dicts or the row's JSON text)."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    out = []
    for item in value or []:
        ref = item.model_dump() if hasattr(item, "model_dump") else dict(item)
        if _SHA256.match(str(ref.get("sha256", ""))):
            out.append(ref)
    return out


class AttachmentStore:
    """Content-addressed files: the name is the hash, so a file is never kept twice and a
    half-written one never carries a valid name (written beside, then renamed)."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / FOLDER_NAME

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.folder / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def save(self, sha256: str, data: bytes) -> Path:
        """Keep `data` as the file `sha256` names; AttachmentDamaged if it is not that file."""
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise AttachmentDamaged(f"expected {sha256}, got {actual}")
        target = self.path_for(sha256)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f".{sha256}.{uuidlib.uuid4().hex}.part"
        partial.write_bytes(data)
        os.replace(partial, target)
        return target

    def files(self, refs: list[Mapping[str, Any]] | Any) -> list[AttachmentFile]:
        """The article's attachments with their local paths (present or not)."""
        return [
            AttachmentFile(
                r["sha256"],
                str(r.get("name", "")),
                str(r.get("mime", "")),
                int(r.get("size", 0)),
                self.path_for(r["sha256"]),
            )
            for r in attachment_refs(refs)
        ]

    def missing(self, store: KnowledgeStore) -> list[str]:
        """Hashes a published article names and this workstation does not hold yet."""
        rows = store.database.query(
            "SELECT attachments FROM articles WHERE status = ? AND attachments NOT IN ('', '[]')",
            [SEARCHABLE_STATUS],
        )
        wanted: dict[str, None] = {}
        for row in rows:
            for ref in attachment_refs(row["attachments"]):
                if not self.has(ref["sha256"]):
                    wanted[ref["sha256"]] = None
        return list(wanted)

    def fetch_missing(self, store: KnowledgeStore, download: Download) -> FetchReport:
        """Fetch every missing file; one that fails (offline, damaged, not on the server yet)
        is tried again next time. A few failures in a row end the round: offline, the rest
        would fail the same way."""
        report = FetchReport()
        in_a_row = 0
        for sha256 in self.missing(store):
            try:
                self.save(sha256, download(sha256))
            except AttachmentDamaged as exc:
                log.warning("attachment %s damaged in transit: %s", sha256, exc)
                report.failed[sha256] = str(exc)
            except Exception as exc:  # offline, 404, session ended: next round
                log.info("attachment %s not fetched: %s", sha256, exc)
                report.failed[sha256] = str(exc)
                in_a_row += 1
                if in_a_row >= MAX_FAILURES_IN_A_ROW:
                    break
            else:
                in_a_row = 0
                report.fetched.append(sha256)
        return report
