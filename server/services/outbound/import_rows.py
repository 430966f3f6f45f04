"""A parsed customer list into a campaign: the import (one transaction) and the dry-run preview.

The file is read and every row judged on its own (list_import.parse_list) BEFORE any transaction
opens: that is the slow part (decoding, csv, the phone rules), and it holds no lock. The write
transaction then only reads the keys the campaign and the do-not-call lists hold, applies rule 6
and inserts the good rows in chunks of `CHUNK` (executemany), so 100,000 rows keep the
database's writer for a short time. Readers are never blocked (SQLite in WAL mode, PostgreSQL).
The route that calls this is a plain `def`: FastAPI runs it in its thread pool, so the event
loop goes on serving other requests meanwhile.

Two imports into one campaign at once would both see a number as new; on PostgreSQL the second
waits for the first on an advisory lock per campaign (SQLite has one writer anyway), and the
unique (campaign_id, phone_key) constraint is the last word.

Imported records are `pending` with `due_at` NULL: due now (see server/tables.py).
A phone whose key would not fit the phone_key column (a landline with an absurdly long
extension) is rejected as `invalid_format`; a name longer than the column is cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from common.outbound import ImportDuplicate, ImportPreview, ImportRejected, ImportReport, ImportRow
from common.timestamps import now_iso
from server.core.db import Database
from server.services.outbound import campaigns as campaign_service
from server.services.outbound.list_import import (
    Judgement,
    ListFileError,
    ListRow,
    ParsedList,
    Rejected,
    judge,
)
from server.tables import campaign_records, dnc_numbers

CHUNK = 5_000
ANALYZE_AFTER = 5_000  # rows imported at once, after which PostgreSQL's statistics are renewed
PREVIEW_ROWS = 20
GLOBAL_DNC = 0  # dnc_numbers.campaign_id of the global list
_IMPORT_LOCK = 7302  # pg_advisory_xact_lock(_IMPORT_LOCK, campaign_id): one import per campaign


def _length(column: sa.Column[Any]) -> int:
    """The declared length of a String column (PostgreSQL refuses longer values)."""
    kind = column.type
    assert isinstance(kind, sa.String) and kind.length is not None
    return kind.length


_KEY_MAX = _length(campaign_records.c.phone_key)
_PHONE_MAX = _length(campaign_records.c.phone)
_NAME_MAX = _length(campaign_records.c.name)


def import_list(db: Database, campaign_id: int, parsed: ParsedList) -> ImportReport:
    """Import the rows of `parsed` that pass rule 6 into the campaign, in one transaction."""
    fitting, too_long = _fit(parsed)
    with db.write() as conn:
        _check_campaign(conn, campaign_id)
        if not db.is_sqlite:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_IMPORT_LOCK, campaign_id)))
        judgement = judge(fitting, existing_keys(conn, campaign_id), dnc_keys(conn, campaign_id))
        now = now_iso()
        batch: list[dict[str, Any]] = []
        for row in judgement.imported:
            batch.append(_record(campaign_id, row, now))
            if len(batch) >= CHUNK:
                conn.execute(campaign_records.insert(), batch)
                batch = []
        if batch:
            conn.execute(campaign_records.insert(), batch)
    if not db.is_sqlite and len(judgement.imported) >= ANALYZE_AFTER:
        refresh_statistics(db)
    return build_report(parsed, judgement, too_long)


def refresh_statistics(db: Database) -> None:
    """ANALYZE campaign_records on PostgreSQL after a large import. Without statistics for
    the new rows the planner guessed the hand-out's queries over a freshly imported list
    wrong until autovacuum came round (up to a minute or more): "next record" took ~180 ms
    on 100,000 new rows instead of ~10 ms (bench/campaign.py). Run after the commit, outside
    the import's transaction (autocommit), so the write itself stays short."""
    with db.read() as conn:
        conn.execute(sa.text("ANALYZE campaign_records"))


def preview(db: Database, campaign_id: int, parsed: ParsedList) -> ImportPreview:
    """What an import of `parsed` would do, without writing: the header, each column's role,
    the first rows as read and as they would be imported, and the full report."""
    fitting, too_long = _fit(parsed)
    with db.read() as conn:
        _check_campaign(conn, campaign_id)
        judgement = judge(fitting, existing_keys(conn, campaign_id), dnc_keys(conn, campaign_id))
    header = parsed.header
    roles = parsed.mapping.roles(header)
    sample = [cells for cells in parsed.table.rows if cells][:PREVIEW_ROWS]
    rows = [
        ImportRow(row=r.row, name=r.name, phone=r.phone, phone_key=r.key, fields=r.fields)
        for r in judgement.imported[:PREVIEW_ROWS]
    ]
    return ImportPreview(
        header=header,
        mapping=roles,
        sample=sample,
        report=build_report(parsed, judgement, too_long),
        rows=rows,
        format=parsed.table.format,
        encoding=parsed.table.encoding,
        delimiter=parsed.table.delimiter,
    )


def build_report(
    parsed: ParsedList, judgement: Judgement, extra_rejected: Iterable[Rejected] = ()
) -> ImportReport:
    rejected = sorted([*parsed.rejected, *extra_rejected], key=lambda r: r.row)
    return ImportReport(
        total_rows=parsed.total_rows,
        imported=len(judgement.imported),
        rejected=[ImportRejected(row=r.row, reason=r.reason) for r in rejected],
        duplicates=[
            ImportDuplicate(
                row=d.row,
                duplicate_of_row=d.duplicate_of_row,
                in_campaign=d.duplicate_of_row is None,
                record_id=d.record_id,
            )
            for d in judgement.duplicates
        ],
        dnc_skipped=len(judgement.dnc_skipped),
        dnc_rows=judgement.dnc_skipped,
        blank_rows=parsed.blank_rows,
    )


def existing_keys(conn: Connection, campaign_id: int) -> dict[str, int]:
    """The phone keys the campaign holds already, with their record ids."""
    query = sa.select(campaign_records.c.phone_key, campaign_records.c.id).where(
        campaign_records.c.campaign_id == campaign_id
    )
    return {key: record_id for key, record_id in conn.execute(query)}


def dnc_keys(conn: Connection, campaign_id: int) -> set[str]:
    """The do-not-call keys that apply to the campaign: the global list and its own."""
    query = sa.select(dnc_numbers.c.phone_key).where(
        dnc_numbers.c.campaign_id.in_((GLOBAL_DNC, campaign_id))
    )
    return set(conn.execute(query).scalars())


def _check_campaign(conn: Connection, campaign_id: int) -> None:
    """404 (the campaigns service's own) for a campaign that does not exist."""
    campaign_service.get_campaign(conn, campaign_id)


def _fit(parsed: ParsedList) -> tuple[list[ListRow], list[Rejected]]:
    """The candidates whose key fits the column, and the others rejected as invalid_format."""
    fitting = [row for row in parsed.candidates if len(row.key) <= _KEY_MAX]
    if len(fitting) == len(parsed.candidates):
        return fitting, []
    return fitting, [
        Rejected(row.row, "invalid_format") for row in parsed.candidates if len(row.key) > _KEY_MAX
    ]


def _record(campaign_id: int, row: ListRow, now: str) -> dict[str, Any]:
    phone = row.phone if len(row.phone) <= _PHONE_MAX else row.key
    return {
        "campaign_id": campaign_id,
        "row_number": row.row,
        "name": row.name[:_NAME_MAX],
        "phone": phone,
        "phone_key": row.key,
        "fields": json.dumps(row.fields, ensure_ascii=False),
        "status": "pending",
        "due_at": None,
        "updated_at": now,
    }


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report as the CLI's --json prints it (the keys of issue 12 first, then the rest)."""
    data = report.model_dump()
    keys = ("total_rows", "imported", "rejected", "duplicates", "dnc_skipped")
    return {**{k: data[k] for k in keys}, **{k: v for k, v in data.items() if k not in keys}}


def parsed_mapping(text: str | None) -> Mapping[str, str] | None:
    """The preview dialog's explicit mapping, JSON {header text: 'phone' | 'name' | 'field' |
    'ignore'} (the preview's own `mapping`, changed), or None."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        raise ListFileError("bad_mapping") from None
    if not isinstance(value, dict):
        raise ListFileError("bad_mapping")
    return value
