"""`python main.py campaign import FILE --campaign NAME [--db URL] [--json]`.

Reads the list (CSV in UTF-8, UTF-8 with BOM or GB18030, or XLSX: found from the content),
creates the campaign when there is none of that name, imports the good rows in one transaction
and prints the report: readable lines with row numbers (Chinese by default, `--lang en` for
English), or with `--json` one JSON object on the last line:
`{"total_rows", "imported", "rejected": [{"row", "reason"}], "duplicates": [{"row",
"duplicate_of_row", "in_campaign", "record_id"}], "dnc_skipped", ...}` (a duplicate of a number
the campaign had before the import has `duplicate_of_row` null and `in_campaign` true).

The file is read and checked before the campaign is created: a file that cannot be read leaves
the database as it was and exits with status 2 (with `--json`, an {"error", "message"} object).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Connection

from common.import_reasons import reason_text
from common.outbound import ImportReport
from common.texts import translate
from server.core.text_rules import printable
from server.schemas import CampaignCreate
from server.services.outbound import campaigns as campaign_service
from server.services.outbound.import_rows import import_list, parsed_mapping, preview, report_json
from server.services.outbound.list_import import ListFileError, parse_list

EXIT_UNREADABLE = 2

TEXTS = {
    "cannot_open": ("无法读取文件 {path}：{error}", "cannot read the file {path}: {error}"),
    "bad_name": ("活动名称无效：{error}", "invalid campaign name: {error}"),
    "campaign_new": ("已新建活动“{name}”（编号 {id}）", "created campaign '{name}' (id {id})"),
    "campaign_old": (
        "导入到活动“{name}”（编号 {id}）",
        "importing into campaign '{name}' (id {id})",
    ),
    "read_csv": (
        "文件：CSV，编码 {encoding}，分隔符 {delimiter}",
        "file: CSV, encoding {encoding}, delimiter {delimiter}",
    ),
    "read_xlsx": ("文件：Excel 工作簿（第一个工作表）", "file: Excel workbook (first sheet)"),
    "columns": (
        "电话列：{phone}；姓名列：{name}；自定义字段：{fields}",
        "phone column: {phone}; name column: {name}; custom fields: {fields}",
    ),
    "none": ("无", "none"),
    "summary": (
        "共 {total} 行：导入 {imported} 行，拒绝 {rejected} 行，重复 {duplicates} 行，"
        "免打扰跳过 {dnc} 行（另有空行 {blank} 行）",
        "{total} rows: {imported} imported, {rejected} rejected, {duplicates} duplicates, "
        "{dnc} skipped as do-not-call ({blank} blank rows besides)",
    ),
    "dry_run": ("（试运行：未写入数据库）", "(dry run: nothing was written)"),
    "rejected_head": ("被拒绝的行：", "rejected rows:"),
    "rejected_row": ("  第 {row} 行：{text}（{reason}）", "  row {row}: {text} ({reason})"),
    "duplicates_head": ("重复的行：", "duplicate rows:"),
    "duplicate_of": ("  第 {row} 行：与第 {of} 行重复", "  row {row}: duplicate of row {of}"),
    "duplicate_old": (
        "  第 {row} 行：号码已在本活动中（记录 {record}）",
        "  row {row}: the number is already in the campaign (record {record})",
    ),
    "dnc_head": ("免打扰号码，已跳过的行：{rows}", "rows skipped as do-not-call: {rows}"),
    "comma": ("逗号", "comma"),
    "tab": ("制表符", "tab"),
    "semicolon": ("分号", "semicolon"),
}


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    """`campaign import`; `parents` carry --data-dir, --lang and --db (see server/cli.py)."""
    c = subparsers.add_parser("campaign", parents=parents, help="outbound campaigns / 外呼活动")
    cs = c.add_subparsers(dest="campaign_command", required=True)
    imp = cs.add_parser(
        "import",
        parents=parents,
        help="import a customer list (CSV or XLSX) / 导入客户名单",
    )
    imp.add_argument("file", help="CSV (UTF-8, UTF-8 BOM, GB18030) or XLSX")
    imp.add_argument("--campaign", required=True, help="campaign name (created when missing)")
    imp.add_argument("--json", action="store_true", help="print the report as one JSON object")
    imp.add_argument(
        "--mapping",
        default=None,
        help='columns by header text, JSON: {"号码": "phone", "客户": "name", "备注": "ignore"}',
    )
    imp.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    imp.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(args, "unreadable", translate(TEXTS, "cannot_open", path=path, error=exc))
    try:
        parsed = parse_list(data, parsed_mapping(args.mapping))
    except ListFileError as exc:
        return _fail(args, exc.code, f"{path}: {exc}")

    from server.cli import _db  # the command line's one way to open (and migrate) the database

    db = _db(args)
    try:
        try:
            with db.write() as conn:
                campaign_id, created = ensure_campaign(conn, args.campaign)
        except ValidationError as exc:  # the name: empty, too long, control characters
            reasons = "; ".join(str(e["msg"]) for e in exc.errors())
            message = translate(TEXTS, "bad_name", error=reasons)
            return _fail(args, "bad_campaign_name", message)
        if args.dry_run:
            report = preview(db, campaign_id, parsed).report
        else:
            report = import_list(db, campaign_id, parsed)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False), flush=True)
        return 0
    name = printable(args.campaign)
    print(
        translate(TEXTS, "campaign_new" if created else "campaign_old", name=name, id=campaign_id)
    )
    table = parsed.table
    if table.format == "csv":
        delimiter = {",": "comma", "\t": "tab", ";": "semicolon"}[table.delimiter]
        print(
            translate(
                TEXTS, "read_csv", encoding=table.encoding, delimiter=translate(TEXTS, delimiter)
            )
        )
    else:
        print(translate(TEXTS, "read_xlsx"))
    columns = parsed.mapping.describe(parsed.header)
    fields = "、".join(printable(label) for _, label in parsed.mapping.fields)
    print(
        translate(
            TEXTS,
            "columns",
            phone=printable(columns["phone"] or ""),
            name=printable(columns["name"] or translate(TEXTS, "none")),
            fields=fields or translate(TEXTS, "none"),
        )
    )
    print_report(report)
    if args.dry_run:
        print(translate(TEXTS, "dry_run"))
    return 0


def print_report(report: ImportReport) -> None:
    print(
        translate(
            TEXTS,
            "summary",
            total=report.total_rows,
            imported=report.imported,
            rejected=len(report.rejected),
            duplicates=len(report.duplicates),
            dnc=report.dnc_skipped,
            blank=report.blank_rows,
        )
    )
    if report.rejected:
        print(translate(TEXTS, "rejected_head"))
        for rejected in report.rejected:
            text = reason_text(rejected.reason)
            print(
                translate(
                    TEXTS, "rejected_row", row=rejected.row, text=text, reason=rejected.reason
                )
            )
    if report.duplicates:
        print(translate(TEXTS, "duplicates_head"))
        for dup in report.duplicates:
            if dup.duplicate_of_row is None:
                print(translate(TEXTS, "duplicate_old", row=dup.row, record=dup.record_id))
            else:
                print(translate(TEXTS, "duplicate_of", row=dup.row, of=dup.duplicate_of_row))
    if report.dnc_rows:
        print(translate(TEXTS, "dnc_head", rows=", ".join(str(r) for r in report.dnc_rows)))


def ensure_campaign(conn: Connection, name: str) -> tuple[int, bool]:
    """The id of the campaign called `name`, created with the defaults (the campaigns service's,
    under the API's rules for a new campaign) when there is none; and whether it was created."""
    found = campaign_service.find_campaign(conn, name.strip())
    if found is not None:
        return found.id, False
    created = campaign_service.create_campaign(conn, CampaignCreate(name=name), None)
    return created.id, True


def _fail(args: argparse.Namespace, code: str, message: str) -> int:
    print(message, file=sys.stderr, flush=True)
    if getattr(args, "json", False):
        error: dict[str, Any] = {"error": code, "message": message}
        print(json.dumps(error, ensure_ascii=False), flush=True)
    return EXIT_UNREADABLE
