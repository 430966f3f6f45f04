"""Import articles from JSON Lines or a folder of Markdown files with front matter.

Each good record is saved in its own transaction (all or nothing per record); each bad one is
reported with its source, line number and reason in the user's language, and the rest go on.
UTF-8 (with or without BOM) and GB18030 are read.

A center's own ids ('FAQ-0012', 'h-001') are kept as the article's external key and map to the
same UUID on every import, so a re-import updates the articles it made. A business line the
knowledge base does not know is reported per record, or created with `create_lines`. The lines
known are the workstation's mirror of the center's lines (kb/business_lines.py); in a data folder
that syncs with a server, a line created here exists on this workstation only until an admin
adds it on the server, and the report says so.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from common.articles import (
    ARTICLE_STATUSES,
    ARTICLE_TYPES,
    Article,
    ArticleStatus,
    ArticleType,
    uuid_for_external_id,
)
from kb.business_lines import add_business_line, business_lines, has_server_lines
from kb.knowledge_base import KnowledgeBase
from kb.messages import UserError, tr
from kb.models import BUSINESS_LINES, business_line_code

LIMITS = {"title": 200, "body": 200_000, "category": 200, "contact_point": 32, "business_line": 32}
MAX_EXTERNAL_ID = 64
_BAD_ID_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")
# A stable namespace so that a record without an id gets the same id on every import.
_NO_ID_NAMESPACE = uuidlib.UUID("5b1f5d0e-6f43-4f0a-9d55-1f1c2b7a9e10")


@dataclass
class LineError:
    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return tr("import_line_error", source=self.source, line=self.line, reason=self.reason)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)
    new_lines: list[str] = field(default_factory=list)  # business lines this import created
    # The data folder syncs its lines from a server: new lines exist on this workstation only.
    lines_local_only: bool = False

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        text = tr(
            "import_summary",
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            failed=len(self.errors),
        )
        if self.new_lines:
            key = "lines_created_local" if self.lines_local_only else "lines_created"
            text += "\n" + tr(key, lines="、".join(self.new_lines))
        return text

    def add(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)
        self.new_lines.extend(n for n in other.new_lines if n not in self.new_lines)
        self.lines_local_only = self.lines_local_only or other.lines_local_only


@dataclass
class LinePolicy:
    """The business lines an import may use, and whether an unknown one is created."""

    lines: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(BUSINESS_LINES))
    create: bool = False
    new: list[str] = field(default_factory=list)
    from_server: bool = False  # the lines are a server's (a client's data folder)

    @classmethod
    def of(cls, kb: KnowledgeBase, create: bool) -> LinePolicy:
        # A deactivated line is still a line: older articles of it import under its code.
        known = business_lines(kb.store, include_inactive=True)
        return cls(known, create, from_server=has_server_lines(kb.store))

    def resolve(self, value: str) -> str:
        """The line's code; an unknown name is noted as new (create) or refused (UserError)."""
        code = business_line_code(value, self.lines)
        if code is not None:
            return code
        if not self.create:
            key = "bad_business_line_server" if self.from_server else "bad_business_line"
            raise UserError(key, value=value, allowed=", ".join(self.lines))
        self.lines[value] = (value, value)
        self.new.append(value)
        return value


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030; raises UserError when neither fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UserError("undecodable") from None


def _text(record: dict[str, Any], name: str, required: bool) -> str:
    value = record.get(name)
    if value is None:
        if required:
            raise UserError("missing_field", field=name)
        return ""
    if not isinstance(value, str):
        raise UserError("not_string", field=name)
    value = value.strip()
    if required and not value:
        raise UserError("empty_field", field=name)
    limit = LIMITS.get(name)
    if limit and len(value) > limit:
        raise UserError("too_long", field=name, length=len(value), limit=limit)
    return value


def _text_list(record: dict[str, Any], name: str) -> list[str]:
    value = record.get(name, [])
    if value is None:
        return []
    if isinstance(value, str):  # front matter often writes "tags: 宽带, 报装"
        value = [v for v in (p.strip() for p in value.replace("，", ",").split(",")) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError("not_string_list", field=name)
    return [v.strip() for v in value if v.strip()]


def _ids(raw_id: Any, kind: str, title: str) -> tuple[str, str]:
    """(uuid, external id): a UUID is kept; any other id is the center's own key, mapped to the
    same UUID on every import; no id at all keys the record by its type and title."""
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        return str(uuidlib.uuid5(_NO_ID_NAMESPACE, f"{kind}\n{title}")), ""
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        raise UserError("bad_id", value=raw_id, limit=MAX_EXTERNAL_ID)
    text = str(raw_id).strip()
    try:
        return str(uuidlib.UUID(text)), ""
    except ValueError:
        pass
    if len(text) > MAX_EXTERNAL_ID or _BAD_ID_CHARS.search(text):
        raise UserError("bad_id", value=raw_id, limit=MAX_EXTERNAL_ID)
    return uuid_for_external_id(text), text


def article_from_record(record: Any, lines: LinePolicy | None = None) -> Article:
    """Validate one record (a dict from JSON or front matter) into an Article."""
    if not isinstance(record, dict):
        raise UserError("not_object")
    kind = _text(record, "type", required=True)
    if kind not in ARTICLE_TYPES:
        raise UserError("bad_type", value=kind)
    title = _text(record, "title", required=True)
    body = _text(record, "body", required=True)
    status = _text(record, "status", required=False) or "published"
    if status not in ARTICLE_STATUSES:
        raise UserError("bad_status", value=status)
    article_id, external_id = _ids(record.get("id"), kind, title)
    raw_line = _text(record, "business_line", required=False)
    line = (lines or LinePolicy()).resolve(raw_line) if raw_line else ""
    return Article(
        uuid=article_id,
        external_id=external_id,
        type=cast(ArticleType, kind),
        title=title,
        body=body,
        category=_text(record, "category", required=False),
        tags=_text_list(record, "tags"),
        aliases=_text_list(record, "aliases"),
        business_line=line,
        contact_point=_text(record, "contact_point", required=False),
        status=cast(ArticleStatus, status),
    )


def _save(
    kb: KnowledgeBase,
    article: Article,
    report: ImportReport,
    source: str,
    line: int,
    lines: LinePolicy,
) -> None:
    try:
        if article.business_line in lines.new and article.business_line not in report.new_lines:
            add_business_line(kb.store, article.business_line)
            report.new_lines.append(article.business_line)
            report.lines_local_only = lines.from_server
        _, action = kb.save_article(article, note="import")
    except Exception as exc:  # a database refusal for one record must not stop the rest
        report.errors.append(LineError(source, line, tr("db_error", detail=exc)))
        return
    setattr(report, action, getattr(report, action) + 1)


def import_jsonl(
    kb: KnowledgeBase, path: Path, lines: LinePolicy | None = None, create_lines: bool = False
) -> ImportReport:
    policy = lines or LinePolicy.of(kb, create_lines)
    report = ImportReport()
    source = path.name
    try:
        text = decode(path.read_bytes())
    except UserError as exc:
        report.errors.append(LineError(source, 0, str(exc)))
        return report
    seen: dict[str, int] = {}
    # Only "\n" ends a record: JSON text may hold U+2028 and friends, which splitlines() splits.
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.removesuffix("\r")
        if not raw.strip():
            continue
        try:
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise UserError("bad_json", detail=exc.msg) from None
            article = article_from_record(record, policy)
        except UserError as exc:
            report.errors.append(LineError(source, number, str(exc)))
            continue
        if article.uuid in seen:
            reason = tr("duplicate_id", first_line=seen[article.uuid])
            report.errors.append(LineError(source, number, reason))
            continue
        seen[article.uuid] = number
        _save(kb, article, report, source, number, policy)
    return report


def parse_markdown(text: str) -> dict[str, Any]:
    """Front matter (YAML between --- lines) plus the Markdown body.

    Windows line ends (CRLF) become LF; every other character of the body is kept.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise UserError("no_front_matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise UserError("bad_front_matter", detail="---") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise UserError("bad_front_matter", detail=str(exc).splitlines()[0]) from None
    if not isinstance(meta, dict):
        raise UserError("bad_front_matter", detail=type(meta).__name__)
    record = {str(k): v for k, v in meta.items()}
    if record.get("id") is not None:
        record["id"] = str(record["id"])
    record["body"] = "\n".join(lines[end + 1 :]).strip("\n")
    return record


def import_markdown_folder(
    kb: KnowledgeBase, folder: Path, lines: LinePolicy | None = None, create_lines: bool = False
) -> ImportReport:
    policy = lines or LinePolicy.of(kb, create_lines)
    report = ImportReport()
    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*.md")):
        source = str(path.relative_to(folder))
        try:
            article = article_from_record(parse_markdown(decode(path.read_bytes())), policy)
        except UserError as exc:
            report.errors.append(LineError(source, 1, str(exc)))
            continue
        if article.uuid in seen:
            report.errors.append(
                LineError(source, 1, tr("duplicate_id", first_line=seen[article.uuid]))
            )
            continue
        seen[article.uuid] = source
        _save(kb, article, report, source, 1, policy)
    return report


def import_path(kb: KnowledgeBase, path: Path, create_lines: bool = False) -> ImportReport:
    """Import a .jsonl file, a .md file or a folder of both. `create_lines`: a business line
    the knowledge base does not know is added to its lines instead of refusing the record."""
    path = Path(path)
    policy = LinePolicy.of(kb, create_lines)
    if path.is_dir():
        report = import_markdown_folder(kb, path, policy)
        for jsonl in sorted(path.rglob("*.jsonl")):
            report.add(import_jsonl(kb, jsonl, policy))
        return report
    if not path.exists():
        raise UserError("file_missing", path=path)
    if path.suffix.lower() == ".md":
        report = ImportReport()
        try:
            article = article_from_record(parse_markdown(decode(path.read_bytes())), policy)
        except UserError as exc:
            report.errors.append(LineError(path.name, 1, str(exc)))
            return report
        _save(kb, article, report, path.name, 1, policy)
        return report
    return import_jsonl(kb, path, policy)
