"""A campaign's customer list, from the uploaded bytes to judged rows (pure: no database).

The format is found from the content, never from the file name:
- a zip holding `xl/workbook.xml` is an XLSX workbook, read with python-calamine (first sheet);
- anything else is CSV text: a UTF-8 byte-order mark means UTF-8 (`utf-8-sig`), a UTF-16 one
  means UTF-16 (Excel's "Unicode text"), text that decodes as strict UTF-8 is UTF-8, and the rest
  is GB18030 (strict: a file that is neither is refused with a clear message, it is not guessed).
  The delimiter (comma, tab or semicolon) is sniffed with the csv module.

Rows are numbered from 1 after the header, as the supervisor sees them: row N is the file's
(N+1)-th record, Excel's row N+1. Blank rows:
- blank rows at the end are ignored (spreadsheets and editors leave them);
- a blank row in the middle (no cell with anything but whitespace; Excel exports them as
  ",,,") keeps its number, so the numbers of the rows after it still match the file, but it is
  neither imported nor rejected: it is counted in `blank_rows` and not in `total_rows`.
So `total_rows = imported + rejected + duplicates + dnc_skipped`.

In a spreadsheet every row has the grid's width, so a field cannot be "missing" there: cells past
the header's last non-empty cell are padding when empty, and a row with a value past the header
is `missing_column` (its field count differs from the header's), as in CSV.

The rules of issue 12 are applied in order: the field count (`missing_column`), then the phone
(common/numbers.py `list_phone`, shared with the softphone), then duplicates and the do-not-call
list (`judge`, given the keys the campaign and the DNC list already hold).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from common.numbers import list_phone
from common.texts import translate

TEXTS = {
    "empty_file": ("文件是空的", "the file is empty"),
    "no_header": ("文件没有表头行", "the file has no header row"),
    "binary": (
        "不是 CSV 或 XLSX 文件（内容不是文本）",
        "not a CSV or XLSX file (the content is not text)",
    ),
    "old_excel": (
        "这是旧版 Excel（.xls）或加密的工作簿：请在 Excel 中另存为 .xlsx 或 CSV 后再导入",
        "this is an old Excel (.xls) or encrypted workbook: save it as .xlsx or CSV in Excel "
        "and import that",
    ),
    "bad_zip": (
        "压缩文件不是 Excel 工作簿（.xlsx）",
        "the zip file is not an Excel workbook (.xlsx)",
    ),
    "bad_xlsx": ("无法读取 Excel 工作簿：{error}", "cannot read the Excel workbook: {error}"),
    "encoding": (
        "无法识别文件编码：不是有效的 UTF-8、UTF-16 或 GB18030 文本（第 {line} 行附近）",
        "cannot read the file's encoding: not valid UTF-8, UTF-16 or GB18030 text (near line {line})",
    ),
    "bad_csv": ("CSV 格式错误（第 {line} 行）：{error}", "malformed CSV (line {line}): {error}"),
    "no_phone_column": (
        "找不到电话列（表头应有 手机号/电话/联系电话 等）；表头为：{header}",
        "no phone column (the header needs 手机号/电话/联系电话 or phone); the header is: {header}",
    ),
    "unknown_column": (
        "映射中的列“{column}”不在表头中；表头为：{header}",
        "the mapping names column '{column}', which is not in the header: {header}",
    ),
    "bad_mapping": (
        "列映射无效：须有且只有一列为电话，至多一列为姓名（每列为 name、phone、field 或 ignore）",
        "invalid column mapping: exactly one phone column and at most one name column (each "
        "column is name, phone, field or ignore)",
    ),
}

# Header texts that name the two columns the import needs (compared after NFKC, stripped and
# case-folded). The first column (left to right) that matches wins; a second phone column is
# kept as a custom field.
NAME_HEADERS = ("姓名", "客户姓名", "联系人", "name")
PHONE_HEADERS = ("手机号", "手机", "手机号码", "电话", "联系电话", "电话号码", "phone", "mobile")
CSV_DELIMITERS = ",\t;"
SNIFF_BYTES = 64 * 1024
XLSX = "xlsx"
CSV = "csv"
_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


# The ListFileError codes that are about the explicit column mapping, not the file.
MAPPING_ERRORS = frozenset({"unknown_column", "bad_mapping"})


class ListFileError(ValueError):
    """A file that cannot be read as a customer list; the message is for the supervisor, in
    their language (Chinese first). `code` names the cause for programs."""

    def __init__(self, code: str, **kwargs: object) -> None:
        super().__init__(translate(TEXTS, code, **kwargs))
        self.code = code
        self.kwargs = kwargs

    def both(self) -> str:
        """'English / 中文', as every API error detail is written (server/services/*: the
        client's ApiError.message shows the half in the user's language). A lone surrogate from
        a mapping sent as JSON is replaced, or the reply could not be encoded."""
        from server.core.text_rules import encodable

        zh, en = TEXTS[self.code]
        return encodable(f"{en.format(**self.kwargs)} / {zh.format(**self.kwargs)}")


# -- reading the table ------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A file's header and records as text cells. `rows[i]` is row `i + 1`; a blank row is []."""

    format: str  # CSV | XLSX
    encoding: str  # for CSV: utf-8-sig, utf-8, utf-16, gb18030; "" for XLSX
    delimiter: str  # for CSV; "" for XLSX
    header: list[str]
    rows: list[list[str]]


def read_table(data: bytes) -> Table:
    """The header and records of a CSV or XLSX file, found from `data` itself."""
    if not data.strip():
        raise ListFileError("empty_file")
    if data.startswith(_ZIP_SIGNATURE):
        return _read_xlsx(data)
    if data.startswith(_OLE2_SIGNATURE):
        raise ListFileError("old_excel")
    text, encoding = decode_text(data)
    return _read_csv(text, encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM decides; else strict UTF-8; else strict GB18030; else an error."""
    if data.startswith(_UTF8_BOM):
        return _decode(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith(_UTF16_BOMS):
        return _decode(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        # No text encoding of a list has NUL bytes (UTF-16 without a BOM aside, which is not
        # one of the accepted encodings); GB18030 would "decode" many binary files.
        raise ListFileError("binary")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode(data, "gb18030"), "gb18030"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ListFileError("encoding", line=data.count(b"\n", 0, exc.start) + 1) from None


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon, as csv.Sniffer judges the first lines; when it cannot tell (one
    column, or too few lines), the one of the three the header line holds most of, comma if none.
    """
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    first_line = sample.split("\n", 1)[0]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found and found in first_line:
        return found
    counts = {d: first_line.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(text: str, encoding: str) -> Table:
    # A NUL can only come from UTF-16 text here; no database column can store one.
    text = text.replace("\x00", "")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append([cell.strip() for cell in record])
    except csv.Error as exc:
        raise ListFileError("bad_csv", line=reader.line_num, error=exc) from None
    header, rows = _split_header(records)
    return Table(CSV, encoding, delimiter, header, rows)


def _read_xlsx(data: bytes) -> Table:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        raise ListFileError("bad_zip") from None
    if "xl/workbook.xml" not in names:
        raise ListFileError("bad_zip")
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ListFileError("empty_file")
        grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as exc:
        if isinstance(exc, ListFileError):
            raise
        raise ListFileError("bad_xlsx", error=exc) from None
    records = [[cell_text(cell) for cell in row] for row in grid]
    header, rows = _split_header(records)
    width = len(header)
    # The grid is as wide as its widest row: cells past the header that are empty are padding.
    trimmed = []
    for row in rows:
        end = len(row)
        while end > width and not row[end - 1]:
            end -= 1
        trimmed.append(row[:end] if any(row) else [])
    return Table(XLSX, "", "", header, trimmed)


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text the supervisor sees. A phone typed as a number comes as a
    float (13800138000.0): whole numbers lose the '.0'; dates are ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    # Excel writes control characters as _x0000_ escapes, which come back as the characters;
    # a NUL cannot be stored.
    return str(value).replace("\x00", "").strip()


def _split_header(records: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """The first non-blank record is the header (blank lines before it are dropped: a file that
    starts with an empty line still has its header); trailing blank records are dropped;
    blank records in between become []."""
    start = 0
    while start < len(records) and not _has_text(records[start]):
        start += 1
    if start == len(records):
        raise ListFileError("no_header")
    header = list(records[start])
    while header and not header[-1]:
        header.pop()  # an empty header cell at the end is no column (spreadsheet padding)
    end = len(records)
    while end > start + 1 and not _has_text(records[end - 1]):
        end -= 1
    rows = [record if _has_text(record) else [] for record in records[start + 1 : end]]
    return header, rows


def _has_text(record: Sequence[str]) -> bool:
    return any(cell.strip() for cell in record)


# -- columns ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnMapping:
    """Which header column is the phone and which the name (indexes; name may be absent), the
    custom fields (every other column, by its header text) and the columns left out."""

    phone: int
    name: int | None
    fields: tuple[tuple[int, str], ...]  # (column index, field name)
    ignored: tuple[int, ...] = ()

    def describe(self, header: Sequence[str]) -> dict[str, str | None]:
        return {
            "phone": header[self.phone],
            "name": header[self.name] if self.name is not None else None,
        }

    def roles(self, header: Sequence[str]) -> dict[str, str]:
        """Header text -> 'phone' | 'name' | 'field' | 'ignore': the preview's `mapping`, which
        the dialog sends back (changed) as the explicit mapping."""
        roles = {text: "field" for text in header}
        for index in self.ignored:
            roles[header[index]] = "ignore"
        if self.name is not None:
            roles[header[self.name]] = "name"
        roles[header[self.phone]] = "phone"
        return roles


ROLES = ("name", "phone", "field", "ignore")


def _header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def detect_mapping(
    header: Sequence[str], explicit: Mapping[str, str] | None = None
) -> ColumnMapping:
    """The columns by header names (the first phone and the first name column, left to right).

    `explicit` is what the preview dialog sends: header text -> 'phone' | 'name' | 'field' |
    'ignore', the shape of the preview's own `mapping`. A column it does not name keeps the
    role found by its header, unless the mapping gives that role to another column; in the end
    there must be one phone column and at most one name column.
    """
    keys = [_header_key(text) for text in header]
    detected_phone = _first(keys, PHONE_HEADERS)
    detected_name = _first(keys, NAME_HEADERS)
    if explicit is None:
        if detected_phone is None:
            raise ListFileError("no_phone_column", header=_shown(header))
        phone, name = detected_phone, detected_name
        ignored: set[int] = set()
    else:
        if not all(isinstance(v, str) and v in ROLES for v in explicit.values()):
            raise ListFileError("bad_mapping")
        role_of: dict[int, str] = {}
        for text, role in explicit.items():
            columns = [i for i, key in enumerate(keys) if key == _header_key(text)]
            if not columns:
                raise ListFileError("unknown_column", column=text, header=_shown(header))
            for index in columns:
                role_of[index] = role
        # Columns the mapping does not name keep their detected role, unless the mapping gives
        # that role to another column.
        for found, role in ((detected_phone, "phone"), (detected_name, "name")):
            if found is not None and found not in role_of and role not in role_of.values():
                role_of[found] = role
        phones = [i for i, role in sorted(role_of.items()) if role == "phone"]
        names = [i for i, role in sorted(role_of.items()) if role == "name"]
        if len(phones) != 1 or len(names) > 1:
            raise ListFileError("bad_mapping")
        phone, name = phones[0], (names[0] if names else None)
        ignored = {i for i, role in role_of.items() if role == "ignore"}
    used: set[str] = set()
    fields = []
    for index, text in enumerate(header):
        if index in (phone, name) or index in ignored:
            continue
        # A script names a field by its header text; an empty header cell is 列3 (column 3),
        # and a repeated header gets its column number so no value is lost.
        label = text.strip() or f"列{index + 1}"
        if label in used:
            label = f"{label}（列{index + 1}）"
        used.add(label)
        fields.append((index, label))
    return ColumnMapping(phone, name, tuple(fields), tuple(sorted(ignored)))


def _first(keys: Sequence[str], aliases: Iterable[str]) -> int | None:
    names = {_header_key(a) for a in aliases}
    return next((i for i, key in enumerate(keys) if key in names), None)


def _shown(header: Sequence[str]) -> str:
    return " | ".join(header) if header else "-"


# -- judging the rows -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ListRow:
    """A row whose phone passed rules 1-5: what would be imported."""

    row: int
    name: str
    phone: str  # as written in the file
    key: str  # common.numbers.list_phone's key: the number the campaign dials and dedupes by
    kind: str  # mobile | landline
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class Rejected:
    row: int
    reason: str  # missing_column or one of common.numbers.REJECT_REASONS


@dataclass(frozen=True, slots=True)
class Duplicate:
    """`duplicate_of_row` is the earlier row of this file with the same key, or None when the
    number is already in the campaign (`record_id` then names that record)."""

    row: int
    duplicate_of_row: int | None
    record_id: int | None = None


@dataclass
class ParsedList:
    """The file read and every row judged on its own (rules 1-5); `judge` does rule 6."""

    table: Table
    mapping: ColumnMapping
    candidates: list[ListRow]  # rows with a valid phone, in file order
    rejected: list[Rejected]
    blank_rows: int

    @property
    def header(self) -> list[str]:
        return self.table.header

    @property
    def total_rows(self) -> int:
        return len(self.candidates) + len(self.rejected)


def parse_list(data: bytes, mapping: Mapping[str, str] | None = None) -> ParsedList:
    """Read `data` and apply rules 1-5 to each row. Raises ListFileError for an unreadable file
    or a header without a phone column."""
    table = read_table(data)
    columns = detect_mapping(table.header, mapping)
    width = len(table.header)
    candidates: list[ListRow] = []
    rejected: list[Rejected] = []
    blank = 0
    for number, cells in enumerate(table.rows, start=1):
        if not cells:
            blank += 1
            continue
        if len(cells) != width:  # rule 1
            rejected.append(Rejected(number, "missing_column"))
            continue
        raw_phone = cells[columns.phone]
        judged = list_phone(raw_phone)  # rules 2-5
        if not judged.ok:
            rejected.append(Rejected(number, judged.reason))
            continue
        candidates.append(
            ListRow(
                row=number,
                name=cells[columns.name] if columns.name is not None else "",
                phone=raw_phone,
                key=judged.key,
                kind=judged.kind,
                fields={label: cells[index] for index, label in columns.fields},
            )
        )
    return ParsedList(table, columns, candidates, rejected, blank)


@dataclass
class Judgement:
    """Rule 6 applied: what to import, and what is a duplicate or on the do-not-call list."""

    imported: list[ListRow]
    duplicates: list[Duplicate]
    dnc_skipped: list[int] = field(default_factory=list)  # row numbers


def judge(
    candidates: Iterable[ListRow],
    existing: Mapping[str, int],
    dnc: Iterable[str] | set[str] | frozenset[str],
) -> Judgement:
    """Rule 6, in file order. `existing` maps the keys already in the campaign to their record
    ids; `dnc` holds the do-not-call keys (global and the campaign's).

    For each row: a DNC number is skipped and counted (it is not imported, so a later row with
    the same number is skipped as DNC too, not called a duplicate); a number already in the
    campaign is a duplicate with `duplicate_of_row` None and the record's id; a number an
    earlier row of this file brought is a duplicate of that row; the rest is imported.
    """
    blocked = dnc if isinstance(dnc, (set, frozenset)) else set(dnc)
    first_row: dict[str, int] = {}
    out = Judgement([], [])
    for row in candidates:
        if row.key in blocked:
            out.dnc_skipped.append(row.row)
        elif row.key in existing:
            out.duplicates.append(Duplicate(row.row, None, existing[row.key]))
        elif row.key in first_row:
            out.duplicates.append(Duplicate(row.row, first_row[row.key]))
        else:
            first_row[row.key] = row.row
            out.imported.append(row)
    return out
