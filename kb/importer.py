"""Import articles from JSON Lines or a folder of Markdown files with front matter.

Each good record is saved in its own transaction (all or nothing per record); each bad one is
reported with its source, line number and reason in the user's language, and the rest go on.
UTF-8 (with or without BOM) and GB18030 are read.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kb.messages import UserError, tr
from kb.models import ARTICLE_STATUSES, ARTICLE_TYPES, BUSINESS_LINES, Article, business_line_code

if TYPE_CHECKING:
    from kb.knowledge_base import KnowledgeBase

LIMITS = {"title": 200, "body": 200_000, "category": 200, "contact_point": 32}
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

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return tr(
            "import_summary",
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            failed=len(self.errors),
        )

    def add(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)


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


def article_from_record(record: Any) -> Article:
    """Validate one record (a dict from JSON or front matter) into an Article."""
    if not isinstance(record, dict):
        raise UserError("not_object")
    kind = _text(record, "type", required=True)
    if kind not in ARTICLE_TYPES:
        raise UserError("bad_type", value=kind)
    title = _text(record, "title", required=True)
    body = _text(record, "body", required=True)
    raw_line = _text(record, "business_line", required=False)
    line = business_line_code(raw_line) if raw_line else ""
    if line is None:
        raise UserError("bad_business_line", value=raw_line, allowed=", ".join(BUSINESS_LINES))
    status = _text(record, "status", required=False) or "published"
    if status not in ARTICLE_STATUSES:
        raise UserError("bad_status", value=status)
    raw_id = record.get("id")
    if raw_id in (None, ""):
        article_id = str(uuidlib.uuid5(_NO_ID_NAMESPACE, f"{kind}\n{title}"))
    else:
        try:
            article_id = str(uuidlib.UUID(str(raw_id)))
        except ValueError:
            raise UserError("bad_id", value=raw_id) from None
    return Article(
        uuid=article_id,
        type=kind,
        title=title,
        body=body,
        category=_text(record, "category", required=False),
        tags=_text_list(record, "tags"),
        aliases=_text_list(record, "aliases"),
        business_line=line,
        contact_point=_text(record, "contact_point", required=False),
        status=status,
    )


def _save(
    kb: KnowledgeBase, article: Article, report: ImportReport, source: str, line: int
) -> None:
    try:
        _, action = kb.save_article(article, note="import")
    except Exception as exc:  # a database refusal for one record must not stop the rest
        report.errors.append(LineError(source, line, tr("db_error", detail=exc)))
        return
    setattr(report, action, getattr(report, action) + 1)


def import_jsonl(kb: KnowledgeBase, path: Path) -> ImportReport:
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
            article = article_from_record(record)
        except UserError as exc:
            report.errors.append(LineError(source, number, str(exc)))
            continue
        if article.uuid in seen:
            reason = tr("duplicate_id", first_line=seen[article.uuid])
            report.errors.append(LineError(source, number, reason))
            continue
        seen[article.uuid] = number
        _save(kb, article, report, source, number)
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


def import_markdown_folder(kb: KnowledgeBase, folder: Path) -> ImportReport:
    report = ImportReport()
    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*.md")):
        source = str(path.relative_to(folder))
        try:
            article = article_from_record(parse_markdown(decode(path.read_bytes())))
        except UserError as exc:
            report.errors.append(LineError(source, 1, str(exc)))
            continue
        if article.uuid in seen:
            report.errors.append(
                LineError(source, 1, tr("duplicate_id", first_line=seen[article.uuid]))
            )
            continue
        seen[article.uuid] = source
        _save(kb, article, report, source, 1)
    return report


def import_path(kb: KnowledgeBase, path: Path) -> ImportReport:
    path = Path(path)
    if path.is_dir():
        report = import_markdown_folder(kb, path)
        for jsonl in sorted(path.rglob("*.jsonl")):
            report.add(import_jsonl(kb, jsonl))
        return report
    if not path.exists():
        raise UserError("file_missing", path=path)
    if path.suffix.lower() == ".md":
        report = ImportReport()
        try:
            article = article_from_record(parse_markdown(decode(path.read_bytes())))
        except UserError as exc:
            report.errors.append(LineError(path.name, 1, str(exc)))
            return report
        _save(kb, article, report, path.name, 1)
        return report
    return import_jsonl(kb, path)
