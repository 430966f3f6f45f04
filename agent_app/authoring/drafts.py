"""Article drafts and the proposals made from them, on this workstation (Qt-free).

A draft is what a trainer (or supervisor, manager) is writing: a new article, or a change to
one, kept with the version it started from (its base) and that version's content, so a later
conflict can be shown as base / mine / theirs. The editor saves it as the trainer types (one
short transaction per save: SQLite's WAL keeps the last committed save through a kill -9).

Submitting turns the draft's content into a proposal: the proposal row and its outbox entry
(kind `article_proposal`, pushed to `/authoring/proposals/batch`, stored by the server once by
its uuid) are written in ONE transaction, so a crash keeps both or neither; the start-up check
queues again any proposal written here that lacks its entry. The server's answer (submitted,
approved, rejected with a comment, conflict with the current article, published) comes back
through `refresh`, each sync round and after a login, and is kept here.

Hot-desking: every row belongs to the user who wrote it (`owner`), and every read and write
takes the user: the next person on a shared PC sees none of the previous one's drafts.

Attachments (images and PDF) are kept content-addressed in the data folder where the client
keeps the attachments of published articles too (kb/attachments.py), and uploaded when the
server is reachable (`pending_uploads`/`mark_uploaded`). Their kind is checked by content here
as the server checks it, so a wrong file is refused at once, offline too.
"""

from __future__ import annotations

import hashlib
import json
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from common.articles import Article
from common.authoring import ATTACHMENT_MAX_BYTES, ProposalContent
from common.file_types import sniff_mime
from common.texts import pick, translate
from common.timestamps import now_iso
from common.wire import Change
from kb.attachments import AttachmentStore
from localdb import LocalDatabase
from sync.api_client import ApiClient, ApiError
from sync.outbox import Outbox
from sync.registry import SyncRegistry

OUTBOX_KIND = "article_proposal"
PUSH_PATH = "/authoring/proposals/batch"

# The fields of an article a draft edits: what a proposal carries as its content.
CONTENT_KEYS: tuple[str, ...] = tuple(ProposalContent.model_fields)
LIST_KEYS = ("tags", "aliases", "attachments")
# Where a draft stands: 'draft' (being written, only here), then the server's states.
EDITABLE = ("draft", "rejected", "conflict")
SERVER_STATES = ("submitted", "approved", "rejected", "conflict", "published")

TEXTS = {
    "not_editable": (
        "这份草稿已提交审批，等待结果期间不能修改",
        "This draft has been submitted; it cannot be changed while it waits for review",
    ),
    "unknown_draft": ("草稿不存在", "There is no such draft"),
    "too_big": (
        "附件“{name}”超过 10 MB，不能添加",
        "The attachment '{name}' is larger than 10 MB and cannot be added",
    ),
    "wrong_kind": (
        "附件“{name}”不是图片（PNG、JPEG、GIF、WebP）或 PDF",
        "The attachment '{name}' is not an image (PNG, JPEG, GIF, WebP) or a PDF",
    ),
}

migrations = Migrations("seatdesk.authoring")


@migrations()
def m001_drafts(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE authoring_drafts (
            uuid TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            article_uuid TEXT NOT NULL,
            base_version INTEGER,
            base TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'draft',
            proposal_uuid TEXT NOT NULL DEFAULT '',
            comment TEXT NOT NULL DEFAULT '',
            theirs TEXT NOT NULL DEFAULT '',
            theirs_version INTEGER,
            created_at TEXT NOT NULL,
            saved_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX authoring_drafts_owner ON authoring_drafts(owner, saved_at)")
    # The proposals sent from this workstation: the outbox entry's record (start-up check).
    db.execute(
        """
        CREATE TABLE authoring_proposals (
            uuid TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            draft_uuid TEXT NOT NULL,
            article_uuid TEXT NOT NULL,
            base_version INTEGER,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'submitted',
            comment TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX authoring_proposals_owner ON authoring_proposals(owner, state)")
    db.execute(
        """
        CREATE TABLE authoring_attachments (
            sha256 TEXT NOT NULL,
            owner TEXT NOT NULL,
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            uploaded INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL,
            PRIMARY KEY (sha256, owner)
        )
        """
    )


class DraftError(ValueError):
    """A draft action the user asked for that cannot be done; the message is for them."""


@dataclass
class Draft:
    uuid: str
    owner: str
    article_uuid: str
    base_version: int | None
    base: dict[str, Any]  # the article's content at base_version ({} for a new article)
    content: dict[str, Any]
    note: str = ""
    state: str = "draft"
    proposal_uuid: str = ""
    comment: str = ""  # the reviewer's, when rejected
    theirs: dict[str, Any] = field(default_factory=dict)  # the current article, on a conflict
    theirs_version: int | None = None
    created_at: str = ""
    saved_at: str = ""

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def is_new(self) -> bool:
        return self.base_version is None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Draft:
        return cls(
            uuid=row["uuid"],
            owner=row["owner"],
            article_uuid=row["article_uuid"],
            base_version=row["base_version"],
            base=_loads(row["base"]),
            content=_loads(row["content"]),
            note=row["note"],
            state=row["state"],
            proposal_uuid=row["proposal_uuid"],
            comment=row["comment"],
            theirs=_loads(row["theirs"]),
            theirs_version=row["theirs_version"],
            created_at=row["created_at"],
            saved_at=row["saved_at"],
        )


def content_of(article: Article | dict[str, Any]) -> dict[str, Any]:
    """An article's editable content, every key present."""
    data = article.to_dict() if isinstance(article, Article) else dict(article)
    content = {key: data.get(key) for key in CONTENT_KEYS}
    for key in LIST_KEYS:
        value = content[key]
        if isinstance(value, str):
            value = json.loads(value) if value.strip() else []
        content[key] = [
            item.model_dump() if hasattr(item, "model_dump") else item for item in value or []
        ]
    for key in CONTENT_KEYS:
        if content[key] is None:
            content[key] = ""
    if not content["type"]:
        content["type"] = "faq"
    return content


def _loads(text: str) -> dict[str, Any]:
    return json.loads(text) if text else {}


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


class DraftStore:
    def __init__(self, database: LocalDatabase, outbox: Outbox, data_dir: Path) -> None:
        self.database = database
        self.outbox = outbox
        # The content-addressed folder the published articles' files are fetched into too.
        self.files = AttachmentStore(data_dir)
        database.use(migrations)

    def register(self, registry: SyncRegistry) -> None:
        """Proposals go up through the outbox; their states come back after each login (and
        each sync round, from the editor: `refresh`)."""
        registry.outbox_kind(OUTBOX_KIND, PUSH_PATH)
        registry.requeue_check(self.requeue_missing)
        registry.reconciler(self.reconcile)

    # -- drafts -----------------------------------------------------------------------------
    def new_draft(
        self,
        owner: str,
        content: dict[str, Any],
        article: Article | None = None,
        base_content: dict[str, Any] | None = None,
    ) -> Draft:
        """A draft of a new article (`article` None) or of a change to `article` (its version
        is the base). `base_content` overrides the base's content (a restore writes an old
        revision's content on top of the current version)."""
        now = now_iso()
        if article is None:
            article_uuid, base_version, base = str(uuidlib.uuid4()), None, {}
        else:
            article_uuid, base_version = article.uuid, article.version
            base = base_content if base_content is not None else content_of(article)
        draft = Draft(
            uuid=str(uuidlib.uuid4()),
            owner=owner,
            article_uuid=article_uuid,
            base_version=base_version,
            base=base,
            content=content_of(content),
            created_at=now,
            saved_at=now,
        )
        with self.database.transaction() as db:
            db.table("authoring_drafts").insert(self._row(draft))
        return draft

    def open_for(self, owner: str, article: Article) -> Draft:
        """`owner`'s draft of `article` still being worked on, or a new one starting from it."""
        rows = self.database.query(
            "SELECT * FROM authoring_drafts WHERE owner = ? AND article_uuid = ? "
            "AND state IN ('draft', 'rejected', 'conflict', 'submitted') "
            "ORDER BY saved_at DESC LIMIT 1",
            [owner, article.uuid],
        )
        if rows:
            return Draft.from_row(rows[0])
        return self.new_draft(owner, content_of(article), article)

    def save(
        self, draft_uuid: str, owner: str, content: dict[str, Any], note: str | None = None
    ) -> str:
        """Keep what the trainer has typed (one transaction); returns the time it was saved.
        A rejected draft being changed is a draft again; a conflict stays one until resolved."""
        now = now_iso()
        with self.database.transaction() as db:
            draft = self._get(db, draft_uuid, owner)
            if not draft.editable:
                raise DraftError(translate(TEXTS, "not_editable"))
            state = "draft" if draft.state == "rejected" else draft.state
            sets = {"content": _dumps(content_of(content)), "saved_at": now, "state": state}
            if note is not None:
                sets["note"] = note
            db.table("authoring_drafts").update(draft_uuid, sets)
        return now

    def resolve(
        self,
        draft_uuid: str,
        owner: str,
        merged: dict[str, Any],
        theirs: dict[str, Any],
        theirs_version: int,
    ) -> None:
        """A conflict settled by the trainer: the merged content on top of the current version
        (the new base), ready to submit again."""
        with self.database.transaction() as db:
            self._get(db, draft_uuid, owner)
            db.table("authoring_drafts").update(
                draft_uuid,
                {
                    "content": _dumps(content_of(merged)),
                    "base": _dumps(content_of(theirs)),
                    "base_version": theirs_version,
                    "state": "draft",
                    "theirs": "",
                    "theirs_version": None,
                    "comment": "",
                    "saved_at": now_iso(),
                },
            )

    def discard(self, draft_uuid: str, owner: str) -> None:
        """Throw a draft away (a proposal already sent stays on the server)."""
        self.database.execute(
            "DELETE FROM authoring_drafts WHERE uuid = ? AND owner = ?", [draft_uuid, owner]
        )

    def get(self, draft_uuid: str, owner: str) -> Draft | None:
        rows = self.database.query(
            "SELECT * FROM authoring_drafts WHERE uuid = ? AND owner = ?", [draft_uuid, owner]
        )
        return Draft.from_row(rows[0]) if rows else None

    def for_user(self, owner: str, states: Iterable[str] | None = None) -> list[Draft]:
        """`owner`'s drafts, the last saved first (only those in `states`, if given)."""
        sql = "SELECT * FROM authoring_drafts WHERE owner = ?"
        params: list[Any] = [owner]
        wanted = list(states or [])
        if wanted:
            sql += f" AND state IN ({', '.join('?' for _ in wanted)})"
            params += wanted
        return [
            Draft.from_row(r) for r in self.database.query(sql + " ORDER BY saved_at DESC", params)
        ]

    def _get(self, db: Database, draft_uuid: str, owner: str) -> Draft:
        rows = list(
            db.query(
                "SELECT * FROM authoring_drafts WHERE uuid = ? AND owner = ?", [draft_uuid, owner]
            )
        )
        if not rows:
            raise DraftError(translate(TEXTS, "unknown_draft"))
        return Draft.from_row(rows[0])

    @staticmethod
    def _row(draft: Draft) -> dict[str, Any]:
        return {
            "uuid": draft.uuid,
            "owner": draft.owner,
            "article_uuid": draft.article_uuid,
            "base_version": draft.base_version,
            "base": _dumps(draft.base) if draft.base else "",
            "content": _dumps(draft.content),
            "note": draft.note,
            "state": draft.state,
            "proposal_uuid": draft.proposal_uuid,
            "comment": draft.comment,
            "theirs": _dumps(draft.theirs) if draft.theirs else "",
            "theirs_version": draft.theirs_version,
            "created_at": draft.created_at,
            "saved_at": draft.saved_at,
        }

    # -- submitting -------------------------------------------------------------------------
    def submit(self, draft_uuid: str, owner: str, note: str = "") -> str:
        """Send the draft for review: the proposal and its outbox entry in one transaction
        (sent when the server is reachable). Returns the proposal's uuid."""
        proposal_uuid = str(uuidlib.uuid4())
        now = now_iso()
        with self.database.transaction() as db:
            draft = self._get(db, draft_uuid, owner)
            if not draft.editable:
                raise DraftError(translate(TEXTS, "not_editable"))
            try:
                checked = ProposalContent.model_validate(content_of(draft.content))
            except ValidationError as exc:
                raise DraftError(_validation_text(exc)) from None
            payload = {
                "article_uuid": draft.article_uuid,
                "base_version": draft.base_version,
                "content": checked.model_dump(mode="json"),
                "note": note or draft.note,
                "created_at": now,
            }
            db.table("authoring_proposals").insert(
                {
                    "uuid": proposal_uuid,
                    "owner": owner,
                    "draft_uuid": draft_uuid,
                    "article_uuid": draft.article_uuid,
                    "base_version": draft.base_version,
                    "payload": _dumps(payload),
                    "state": "submitted",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            self.outbox.enqueue(OUTBOX_KIND, proposal_uuid, payload)
            db.table("authoring_drafts").update(
                draft_uuid,
                {
                    "state": "submitted",
                    "proposal_uuid": proposal_uuid,
                    "note": payload["note"],
                    "comment": "",
                    "saved_at": now,
                },
            )
        return proposal_uuid

    def proposals(self, owner: str) -> list[dict[str, Any]]:
        rows = self.database.query(
            "SELECT * FROM authoring_proposals WHERE owner = ? ORDER BY created_at", [owner]
        )
        for row in rows:
            row["payload"] = _loads(row["payload"])
        return rows

    def waiting(self, owner: str) -> list[str]:
        """The uuids of `owner`'s proposals whose outcome is still open."""
        rows = self.database.query(
            "SELECT uuid FROM authoring_proposals WHERE owner = ? "
            "AND state IN ('submitted', 'approved')",
            [owner],
        )
        return [r["uuid"] for r in rows]

    def put_state(self, owner: str, proposal: dict[str, Any]) -> bool:
        """Keep the server's state of one of `owner`'s proposals (uuid, state, comment, and on
        a conflict the current article); True when it changed."""
        state = str(proposal.get("state") or "submitted")
        if state not in SERVER_STATES:
            state = "submitted"
        comment = str(proposal.get("comment") or "")
        current = proposal.get("current") or None
        with self.database.transaction() as db:
            rows = list(
                db.query(
                    "SELECT state, comment, draft_uuid FROM authoring_proposals "
                    "WHERE uuid = ? AND owner = ?",
                    [proposal["uuid"], owner],
                )
            )
            if not rows:
                return False  # written on another workstation: not a draft of this one
            before = rows[0]
            news = (before["state"], before["comment"]) != (state, comment)
            if not news:
                return False
            db.execute(
                "UPDATE authoring_proposals SET state = ?, comment = ?, updated_at = ? "
                "WHERE uuid = ?",
                [state, comment, now_iso(), proposal["uuid"]],
            )
            sets: dict[str, Any] = {"state": state, "comment": comment}
            if state == "conflict" and current:
                sets["theirs"] = _dumps(content_of(current))
                sets["theirs_version"] = int(current.get("version") or 0)
            # Only the draft's latest proposal speaks for it (an older one may still answer).
            db.execute(
                f"UPDATE authoring_drafts SET {', '.join(f'{k} = ?' for k in sets)} "
                "WHERE uuid = ? AND owner = ? AND proposal_uuid = ? AND state != 'draft'",
                [*sets.values(), before["draft_uuid"], owner, proposal["uuid"]],
            )
            return True

    def mark_conflict(
        self, draft_uuid: str, owner: str, current: dict[str, Any], version: int
    ) -> None:
        """The server said the base is stale (a 409 with the current article)."""
        with self.database.transaction() as db:
            self._get(db, draft_uuid, owner)
            db.table("authoring_drafts").update(
                draft_uuid,
                {
                    "state": "conflict",
                    "theirs": _dumps(content_of(current)),
                    "theirs_version": version,
                },
            )

    # -- attachments ------------------------------------------------------------------------
    def add_attachment(self, owner: str, path: Path) -> dict[str, Any]:
        """Read a file the trainer picked (on the db executor), keep it content-addressed and
        note it for upload; returns its descriptor {sha256, name, mime, size}."""
        path = Path(path)
        name = path.name
        if path.stat().st_size > ATTACHMENT_MAX_BYTES:
            raise DraftError(translate(TEXTS, "too_big", name=name))
        data = path.read_bytes()
        mime = sniff_mime(data)
        if mime is None:
            raise DraftError(translate(TEXTS, "wrong_kind", name=name))
        sha = hashlib.sha256(data).hexdigest()
        if not self.files.has(sha):
            self.files.save(sha, data)
        descriptor = {"sha256": sha, "name": name, "mime": mime, "size": len(data)}
        with self.database.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO authoring_attachments "
                "(sha256, owner, name, mime, size, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                [sha, owner, name, mime, len(data), now_iso()],
            )
        return descriptor

    def attachment_path(self, sha256: str) -> Path:
        return self.files.path_for(sha256)

    def attachment_bytes(self, sha256: str) -> bytes:
        return self.attachment_path(sha256).read_bytes()

    def pending_uploads(self, owner: str) -> list[dict[str, Any]]:
        return self.database.query(
            "SELECT sha256, name, mime, size FROM authoring_attachments "
            "WHERE owner = ? AND uploaded = 0 ORDER BY added_at",
            [owner],
        )

    def mark_uploaded(self, owner: str, sha256: str) -> None:
        self.database.execute(
            "UPDATE authoring_attachments SET uploaded = 1 WHERE owner = ? AND sha256 = ?",
            [owner, sha256],
        )

    # -- sync -------------------------------------------------------------------------------
    def requeue_missing(self) -> int:
        """Queue again every proposal written here that has no outbox entry (start-up)."""
        with self.database.transaction():
            missing = self.outbox.missing("authoring_proposals")
            for uuid in missing:
                rows = self.database.query(
                    "SELECT payload FROM authoring_proposals WHERE uuid = ?", [uuid]
                )
                if rows:
                    self.outbox.enqueue(OUTBOX_KIND, uuid, _loads(rows[0]["payload"]))
        return len(missing)

    def refresh(self, client: ApiClient, owner: str) -> int:
        """Bring the states of `owner`'s proposals up to date; how many changed. (The window
        splits this in two: the requests on the net executor, the writes on the db one.)"""
        waiting = self.waiting(owner)
        if not waiting:
            return 0
        return sum(self.put_state(owner, p) for p in fetch_states(client, waiting))

    def reconcile(self, client: ApiClient, user: str) -> list[Change]:
        """After a login: the user's proposals as the server has them now."""
        self.refresh(client, user)
        return []


def fetch_states(client: ApiClient, waiting: list[str]) -> list[dict[str, Any]]:
    """The server's word on the proposals in `waiting`: the user's newest ones in one request
    (the server's page holds 200), any older one still waiting asked for by itself (one that
    has not arrived yet is skipped)."""
    found = {p.uuid: p.model_dump() for p in client.proposals(mine=True)}
    for uuid in waiting:
        if uuid not in found:
            try:
                found[uuid] = client.proposal(uuid).model_dump()
            except ApiError as exc:
                if exc.status != 404:  # 404: still in the outbox
                    raise
    return [found[uuid] for uuid in waiting if uuid in found]


def _validation_text(exc: ValidationError) -> str:
    """The first problem pydantic found, as the models word it ('中文 / English': the half in
    the user's language)."""
    message = str(exc.errors()[0].get("msg", "")) if exc.errors() else str(exc)
    message = message.removeprefix("Value error, ")
    if " / " in message:
        first, second = message.split(" / ", 1)
        zh, en = (first, second) if _has_han(first) else (second, first)
        return pick(zh, en)
    return message


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
