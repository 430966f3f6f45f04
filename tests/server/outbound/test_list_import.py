"""The list import's reading and rules, without a database (server/services/outbound/
list_import.py): encodings and formats found from the content, the delimiter, the header
mapping, row numbers and blank rows, every phone format of issue 12, missing columns,
duplicates and the do-not-call list."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from common.texts import set_language
from server.services.outbound.list_import import (
    CSV,
    XLSX,
    ListFileError,
    ListRow,
    judge,
    parse_list,
    read_table,
)

LIST = "姓名,手机号,楼盘,备注\n张三,13800138000,翠湖花园,老客户\n李四,010-88886666,阳光小区,\n"


def xlsx(rows: list[list[object]]) -> bytes:
    """A real workbook written by openpyxl."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def one_phone(phone: str) -> tuple[str, str]:
    """(key, "") or ("", reason) for a list whose one row has `phone`."""
    parsed = parse_list(f"姓名,电话\n王五,{phone}\n".encode())
    assert parsed.total_rows == 1
    if parsed.candidates:
        return parsed.candidates[0].key, ""
    return "", parsed.rejected[0].reason


# -- formats and encodings --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (LIST.encode("utf-8"), "utf-8"),
        ("\ufeff".encode() + LIST.encode("utf-8"), "utf-8-sig"),
        (LIST.encode("gb18030"), "gb18030"),
        (LIST.encode("utf-16"), "utf-16"),  # Excel's "Unicode text" (with its BOM)
    ],
)
def test_csv_encodings_are_found_from_the_bytes(encoded: bytes, encoding: str) -> None:
    parsed = parse_list(encoded)
    assert (parsed.table.format, parsed.table.encoding) == (CSV, encoding)
    assert parsed.header == ["姓名", "手机号", "楼盘", "备注"]  # no BOM left on the first header
    first, second = parsed.candidates
    assert (first.row, first.name, first.key) == (1, "张三", "13800138000")
    assert first.fields == {"楼盘": "翠湖花园", "备注": "老客户"}
    assert (second.row, second.name, second.key, second.kind) == (
        2,
        "李四",
        "01088886666",
        "landline",
    )


def test_gb18030_text_that_is_also_valid_utf8_is_not_misread() -> None:
    """Strict UTF-8 first: a GB18030 file is only taken as GB18030 when UTF-8 fails, and a
    file of pure ASCII is UTF-8."""
    assert parse_list(b"name,phone\nWang,13800138000\n").table.encoding == "utf-8"
    gbk = "姓名,手机号\n欧阳娜娜,13800138000\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert parse_list(gbk).candidates[0].name == "欧阳娜娜"


def test_undecodable_file_is_a_clear_error_in_chinese_and_english() -> None:
    # 0x81 0x30 starts a four-byte GB18030 sequence that never ends; not UTF-8 either.
    data = "姓名,手机号\n".encode("gb18030") + b"\x81\x30,13800138000\n"
    try:
        set_language("zh_CN")
        with pytest.raises(ListFileError) as zh:
            parse_list(data)
        set_language("en")
        with pytest.raises(ListFileError) as en:
            parse_list(data)
    finally:
        set_language("zh_CN")
    assert zh.value.code == en.value.code == "encoding"
    assert "无法识别文件编码" in str(zh.value) and "第 2 行" in str(zh.value)
    assert "GB18030" in str(en.value) and "line 2" in str(en.value)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"\n\r\n  \n", "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old_excel"),
        (b"PK\x03\x04not really a zip", "bad_zip"),
    ],
)
def test_files_that_are_not_lists(data: bytes, code: str) -> None:
    with pytest.raises(ListFileError) as refused:
        read_table(data)
    assert refused.value.code == code


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ListFileError) as refused:
        read_table(out.getvalue())
    assert refused.value.code == "bad_zip"


def test_a_broken_workbook_is_refused_clearly() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(ListFileError) as refused:
        read_table(out.getvalue())
    assert refused.value.code == "bad_xlsx" and "无法读取 Excel 工作簿" in str(refused.value)


def test_nul_characters_are_dropped() -> None:
    """UTF-16 text may carry U+0000, which neither database can store."""
    parsed = parse_list("姓名,手机号\n张\x00三,13800138000\n".encode("utf-16"))
    assert parsed.candidates[0].name == "张三"


def test_xlsx_is_read_with_phones_typed_as_numbers_and_dates() -> None:
    data = xlsx(
        [
            ["客户姓名", "联系电话", "楼盘", "签约日期"],
            ["张三", 13800138000, "翠湖花园", dt.date(2024, 3, 1)],  # a number cell
            ["李四", "0755-88886666", None, None],
            [None, None, None, None],  # blank in the middle
            ["王五", "139 1234 5678", "阳光小区", "2024-05-06"],
            [None, None, None, None],  # trailing blanks
            [],
        ]
    )
    parsed = parse_list(data)
    assert parsed.table.format == XLSX
    assert parsed.header == ["客户姓名", "联系电话", "楼盘", "签约日期"]
    assert [(r.row, r.name, r.key) for r in parsed.candidates] == [
        (1, "张三", "13800138000"),
        (2, "李四", "075588886666"),
        (4, "王五", "13912345678"),
    ]
    assert parsed.candidates[0].fields == {"楼盘": "翠湖花园", "签约日期": "2024-03-01"}
    assert parsed.candidates[1].fields == {"楼盘": "", "签约日期": ""}
    assert (parsed.blank_rows, parsed.total_rows, parsed.rejected) == (1, 3, [])


def test_xlsx_value_past_the_header_is_missing_column_and_empty_padding_is_not() -> None:
    data = xlsx(
        [
            ["姓名", "手机号"],
            ["张三", "13800138000", None, None],
            ["李四", "13900139000", None, "多出来的值"],
        ]
    )
    parsed = parse_list(data)
    assert [r.row for r in parsed.candidates] == [1]
    assert [(r.row, r.reason) for r in parsed.rejected] == [(2, "missing_column")]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("姓名,手机号,楼盘\n张三,13800138000,A\n李四,13900139000,B\n", ","),
        ("姓名\t手机号\t楼盘\n张三\t13800138000\tA\n李四\t13900139000\tB\n", "\t"),
        ("姓名;手机号;楼盘\n张三;13800138000;A\n李四;13900139000;B\n", ";"),
        # A comma inside a quoted field does not make it comma-separated.
        ('姓名;手机号;地址\n张三;13800138000;"深圳,南山"\n', ";"),
        ("手机号\n13800138000\n", ","),  # one column: nothing to sniff
    ],
)
def test_delimiter_is_sniffed(text: str, delimiter: str) -> None:
    parsed = parse_list(text.encode())
    assert parsed.table.delimiter == delimiter
    assert parsed.candidates[0].key == "13800138000"
    assert not parsed.rejected


# -- header mapping ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "name", "phone"),
    [
        (["姓名", "手机号"], "姓名", "手机号"),
        (["客户姓名", "手机"], "客户姓名", "手机"),
        (["联系人", "手机号码"], "联系人", "手机号码"),
        (["Name", "Phone"], "Name", "Phone"),
        (["NAME ", " Mobile"], "NAME", "Mobile"),
        (["序号", "电话号码", "姓名"], "姓名", "电话号码"),
        # The first phone column wins; the second is kept as a custom field.
        (["姓名", "联系电话", "电话"], "姓名", "联系电话"),
        (["电话", "姓名"], "姓名", "电话"),
    ],
)
def test_columns_are_mapped_by_header(header: list[str], name: str, phone: str) -> None:
    width = len(header)
    row = ["x"] * width
    row[[h.strip() for h in header].index(phone)] = "13800138000"
    parsed = parse_list((",".join(header) + "\n" + ",".join(row) + "\n").encode())
    assert parsed.mapping.describe([h.strip() for h in parsed.header]) == {
        "name": name,
        "phone": phone,
    }
    kept = {label for _, label in parsed.mapping.fields}
    assert kept == {h.strip() for h in header} - {name, phone}


def test_full_width_header_text_is_matched() -> None:
    parsed = parse_list("ＮＡＭＥ,ＰＨＯＮＥ\n张三,13800138000\n".encode())
    assert parsed.candidates[0].name == "张三"


def test_no_name_column_is_allowed_but_no_phone_column_is_an_error() -> None:
    parsed = parse_list("手机号,楼盘\n13800138000,A\n".encode())
    assert parsed.candidates[0].name == "" and parsed.candidates[0].fields == {"楼盘": "A"}
    with pytest.raises(ListFileError) as refused:
        parse_list("姓名,地址\n张三,深圳\n".encode())
    assert refused.value.code == "no_phone_column"
    assert "姓名 | 地址" in str(refused.value)


def test_explicit_mapping_from_the_preview_dialog() -> None:
    """The dialog sends back the preview's own mapping (header -> role), changed."""
    data = "客户,号码,手机号,备注\n张三,13800138000,13900139000,x\n".encode()
    detected = parse_list(data)
    assert detected.candidates[0].key == "13900139000"
    assert detected.candidates[0].name == ""
    roles = detected.mapping.roles(detected.header)
    assert roles == {"客户": "field", "号码": "field", "手机号": "phone", "备注": "field"}
    chosen = parse_list(data, {**roles, "客户": "name", "号码": "phone", "手机号": "field"})
    assert (chosen.candidates[0].name, chosen.candidates[0].key) == ("张三", "13800138000")
    assert chosen.candidates[0].fields == {"手机号": "13900139000", "备注": "x"}
    # Only what changed is enough (the rest keeps its detected role); 'ignore' leaves a
    # column out.
    short = parse_list(data, {"号码": "phone", "备注": "ignore"})
    assert short.candidates[0].fields == {"客户": "张三", "手机号": "13900139000"}
    assert short.mapping.roles(short.header) == {
        "客户": "field",
        "号码": "phone",
        "手机号": "field",
        "备注": "ignore",
    }
    # A detected name column can be made a custom field.
    unnamed = parse_list("姓名,手机号\n张三,13800138000\n".encode(), {"姓名": "field"})
    assert unnamed.candidates[0].name == "" and unnamed.candidates[0].fields == {"姓名": "张三"}
    for wrong, code in (
        ({"没有这列": "phone"}, "unknown_column"),
        ({"号码": "email"}, "bad_mapping"),
        ({"号码": "phone", "手机号": "phone"}, "bad_mapping"),  # two phone columns
        ({"手机号": "field"}, "bad_mapping"),  # no phone column left
        ({"号码": "phone", "客户": "name", "备注": "name"}, "bad_mapping"),
    ):
        with pytest.raises(ListFileError) as refused:
            parse_list(data, wrong)
        assert refused.value.code == code, wrong


def test_repeated_and_empty_header_cells_keep_every_value() -> None:
    parsed = parse_list("姓名,手机号,备注,,备注\n张三,13800138000,a,b,c\n".encode())
    assert parsed.candidates[0].fields == {"备注": "a", "列4": "b", "备注（列5）": "c"}


# -- rows, numbering, blank rows --------------------------------------------------------------
def test_rows_are_numbered_from_one_and_blank_rows_keep_their_numbers() -> None:
    text = (
        "\n"  # a blank line before the header is not a row
        "姓名,手机号\n"
        "张三,13800138000\n"  # row 1
        "\n"  # row 2: an empty line
        ",\n"  # row 3: Excel's blank row, the right number of empty fields
        " , \n"  # row 4: only spaces
        "李四,13900139000\n"  # row 5
        "王五,\n"  # row 6: empty phone
        "\n\n,\n"  # trailing blank lines: ignored
    )
    parsed = parse_list(text.encode())
    assert [r.row for r in parsed.candidates] == [1, 5]
    assert [(r.row, r.reason) for r in parsed.rejected] == [(6, "empty_phone")]
    assert (parsed.blank_rows, parsed.total_rows) == (3, 3)


def test_header_only_file_has_no_rows() -> None:
    for data in ("姓名,手机号\n".encode(), "姓名,手机号".encode(), "姓名,手机号\n\n\n".encode()):
        parsed = parse_list(data)
        assert (parsed.total_rows, parsed.blank_rows, parsed.candidates) == (0, 0, [])
    assert parse_list(xlsx([["姓名", "手机号"]])).total_rows == 0


def test_empty_files_are_refused() -> None:
    for data in (b"", "\ufeff".encode(), xlsx([])):
        with pytest.raises(ListFileError) as refused:
            parse_list(data)
        assert refused.value.code in ("empty_file", "no_header")


def test_missing_column_comes_first() -> None:
    """Rule 1 before the phone rules: a short row is missing_column even with a good phone,
    and so is a long one; a trailing empty field is a field."""
    text = (
        "姓名,手机号,楼盘\n"
        "张三,13800138000\n"  # 2 fields
        "李四,13900139000,A,B\n"  # 4 fields
        ",\n"  # 2 empty fields: blank, not missing_column
        "王五,13700137000,\n"  # 3 fields, the last empty
        "赵六,\n"  # 2 fields and no phone: still missing_column
        '"孙七,13600136000,C"\n'  # one quoted field
    )
    parsed = parse_list(text.encode())
    assert [(r.row, r.reason) for r in parsed.rejected] == [
        (1, "missing_column"),
        (2, "missing_column"),
        (5, "missing_column"),
        (6, "missing_column"),
    ]
    assert [r.row for r in parsed.candidates] == [4]


def test_quoted_fields_with_newlines_are_one_row() -> None:
    text = '姓名,手机号,备注\n张三,13800138000,"第一行\n第二行"\n李四,13900139000,x\n'
    parsed = parse_list(text.encode())
    assert [r.row for r in parsed.candidates] == [1, 2]
    assert parsed.candidates[0].fields["备注"] == "第一行\n第二行"


# -- the phone rules, through the import ------------------------------------------------------
@pytest.mark.parametrize(
    ("phone", "key"),
    [
        ("13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),  # full-width digits
        ("＋８６ １３８００１３８０００", "13800138000"),  # full-width plus
        ("+86 138 0013 8000", "13800138000"),
        ("+86-138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("138－0013－8000", "13800138000"),  # full-width dashes
        ("  13800138000  ", "13800138000"),
        ("19912345678", "19912345678"),
        ("010-88886666", "01088886666"),
        ("01088886666", "01088886666"),
        ("010 8888 6666", "01088886666"),
        ("0755-8888666", "07558888666"),
        ("0755-88886666", "075588886666"),
        ("075588886666", "075588886666"),
        ("010-88886666转123", "01088886666x123"),
        ("010-88886666-123", "01088886666x123"),
        ("010-88886666ext123", "01088886666x123"),
        ("0755 8888 6666 转 8", "075588886666x8"),
        ("０１０－８８８８６６６６", "01088886666"),
    ],
)
def test_phones_that_are_imported(phone: str, key: str) -> None:
    assert one_phone(phone) == (key, "")


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("", "empty_phone"),
        ("   ", "empty_phone"),
        ("\u3000\u3000", "empty_phone"),  # ideographic spaces
        ("1380013800", "too_short"),
        ("138-0013-800", "too_short"),
        ("+86 1380013800", "too_short"),
        ("138001380001", "too_long"),
        ("0086 138001380001", "too_long"),
        ("10012345678", "invalid_prefix"),
        ("11012345678", "invalid_prefix"),
        ("12012345678", "invalid_prefix"),
        ("1380013800a", "invalid_chars"),
        ("138 0013 8000 (手机)", "invalid_chars"),
        ("tel:13800138000", "invalid_chars"),
        ("(010)88886666", "invalid_chars"),
        ("010-8888", "invalid_format"),
        ("95598", "invalid_format"),
        ("23456789", "invalid_format"),
        ("0755-888866661234567", "invalid_format"),
        # Nothing left after rule 3 has no non-digit: not invalid_chars but invalid_format.
        ("---", "invalid_format"),
        ("+86", "invalid_format"),
        ("＋８６－", "invalid_format"),
        ("0086", "invalid_format"),
        ("١٣٨٠٠١٣٨٠٠٠", "invalid_chars"),  # Arabic-Indic digits are not 0-9 (NFKC keeps them)
    ],
)
def test_phones_that_are_rejected(phone: str, reason: str) -> None:
    assert one_phone(phone) == ("", reason)


# -- rule 6: duplicates and the do-not-call list ----------------------------------------------
def rows(*keys: str) -> list[ListRow]:
    return [ListRow(i, "", k, k, "mobile", {}) for i, k in enumerate(keys, start=1)]


def test_duplicates_in_the_file_name_the_first_row() -> None:
    parsed = parse_list(
        "姓名,手机号\n张三,13800138000\n李四,13900139000\n张三,138-0013-8000\n"
        "张三,+8613800138000\n李四,139 0013 9000\n".encode()
    )
    judged = judge(parsed.candidates, {}, set())
    assert [r.row for r in judged.imported] == [1, 2]
    assert [(d.row, d.duplicate_of_row, d.record_id) for d in judged.duplicates] == [
        (3, 1, None),
        (4, 1, None),
        (5, 2, None),
    ]


def test_duplicates_of_the_campaign_have_no_row_but_the_record() -> None:
    judged = judge(rows("13800138000", "13900139000", "13800138000"), {"13800138000": 41}, set())
    assert [r.row for r in judged.imported] == [2]
    assert [(d.row, d.duplicate_of_row, d.record_id) for d in judged.duplicates] == [
        (1, None, 41),
        (3, None, 41),
    ]


def test_dnc_numbers_are_skipped_and_counted() -> None:
    judged = judge(
        rows("13800138000", "13900139000", "13800138000", "13700137000"),
        {"13700137000": 7},
        {"13800138000", "13700137000"},
    )
    assert [r.row for r in judged.imported] == [2]
    # The repeated DNC number is DNC again, not a duplicate of a row that was not imported;
    # DNC is checked before the campaign's numbers.
    assert judged.dnc_skipped == [1, 3, 4]
    assert judged.duplicates == []
