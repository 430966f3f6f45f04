"""POST /campaigns/{id}/import over HTTP on the real server (SQLite and PostgreSQL): roles, the
preview, the mapping, refusals, the upload's size limit, and 100,000 rows imported while the
server goes on answering other requests."""

from __future__ import annotations

import io
import json
import threading
import uuid as uuidlib
from collections.abc import Iterator
from typing import Any

import httpx
import openpyxl
import sqlalchemy as sa

from common.timestamps import now_iso
from server.tables import campaign_records, dnc_numbers
from tests.server.support import Actor, Actors, Backend, ServerFactory

LIST = (
    "姓名,手机号,楼盘\n"
    "张三,138 0013 8000,翠湖花园\n"  # 1
    "李四,010-88886666转12,阳光小区\n"  # 2
    "王五,12345678901,A\n"  # 3 invalid_prefix
    "赵六,138-0013-8000,B\n"  # 4 duplicate of 1
)


def new_campaign(supervisor: Actor) -> int:
    response = supervisor.http.post("/campaigns", json={"name": f"活动-{uuidlib.uuid4().hex[:8]}"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def upload(
    actor: Actor,
    campaign_id: int,
    data: bytes,
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
    filename: str = "list.csv",
) -> httpx.Response:
    form = {"mapping": json.dumps(mapping, ensure_ascii=False)} if mapping is not None else None
    return actor.http.post(
        f"/campaigns/{campaign_id}/import",
        params={"dry_run": "true"} if dry_run else None,
        files={"file": (filename, data, "application/octet-stream")},
        data=form,
    )


def refusal(reply: httpx.Response, field: str) -> str:
    """The message of a 422 about one field (the API's own shape: a list of field errors);
    field "": a refusal of the whole upload (loc ["body"], as the services answer)."""
    assert reply.status_code == 422, reply.text
    [error] = reply.json()["detail"]
    assert error["loc"] == (["body", field] if field else ["body"])
    return str(error["msg"])


def stored(server: Backend, campaign_id: int) -> list[tuple[int, str, str]]:
    with server.db.read() as conn:
        return [
            (r.row_number, r.phone_key, r.status)
            for r in conn.execute(
                sa.select(campaign_records)
                .where(campaign_records.c.campaign_id == campaign_id)
                .order_by(campaign_records.c.id)
            )
        ]


def test_supervisor_imports_a_gb18030_list(server: Backend, actors: Actors) -> None:
    supervisor = actors("supervisor")
    campaign = new_campaign(supervisor)
    response = upload(supervisor, campaign, LIST.encode("gb18030"), filename="名单.xlsx")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "total_rows": 4,
        "imported": 2,
        "rejected": [{"row": 3, "reason": "invalid_prefix"}],
        "duplicates": [{"row": 4, "duplicate_of_row": 1, "in_campaign": False, "record_id": None}],
        "dnc_skipped": 0,
        "dnc_rows": [],
        "blank_rows": 0,
    }
    assert stored(server, campaign) == [
        (1, "13800138000", "pending"),
        (2, "01088886666x12", "pending"),
    ]
    # The same list again: both numbers are in the campaign already.
    again = upload(supervisor, campaign, LIST.encode("gb18030")).json()
    assert again["imported"] == 0
    assert [(d["row"], d["duplicate_of_row"], d["in_campaign"]) for d in again["duplicates"]] == [
        (1, None, True),
        (2, None, True),
        (4, None, True),
    ]
    # The campaign's counts see them.
    assert supervisor.http.get(f"/campaigns/{campaign}").json()["records_total"] == 2


def test_preview_then_import_with_the_changed_mapping(server: Backend, actors: Actors) -> None:
    manager = actors("manager")
    campaign = new_campaign(manager)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["客户", "号码", "手机号", "备注"])
    for i in range(25):
        sheet.append([f"客户{i}", f"0755-8888{i:04d}", 13800000000 + i, f"备注{i}"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()

    preview = upload(manager, campaign, data, dry_run=True)
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert shown["header"] == ["客户", "号码", "手机号", "备注"]
    assert shown["mapping"] == {
        "客户": "field",
        "号码": "field",
        "手机号": "phone",
        "备注": "field",
    }
    assert shown["format"] == "xlsx"
    assert len(shown["sample"]) == 20 and shown["sample"][0] == [
        "客户0",
        "0755-88880000",
        "13800000000",
        "备注0",
    ]
    assert len(shown["rows"]) == 20 and shown["rows"][0]["phone_key"] == "13800000000"
    assert shown["report"]["imported"] == 25
    assert stored(server, campaign) == []  # a preview writes nothing

    # The supervisor picks 号码 as the phone and 客户 as the name, and drops 备注.
    mapping = {
        **shown["mapping"],
        "客户": "name",
        "号码": "phone",
        "手机号": "field",
        "备注": "ignore",
    }
    again = upload(manager, campaign, data, dry_run=True, mapping=mapping).json()
    assert again["mapping"] == mapping
    assert again["rows"][0] == {
        "row": 1,
        "name": "客户0",
        "phone": "0755-88880000",
        "phone_key": "075588880000",
        "fields": {"手机号": "13800000000"},
    }
    done = upload(manager, campaign, data, mapping=mapping)
    assert done.status_code == 200 and done.json()["imported"] == 25
    assert stored(server, campaign)[0] == (1, "075588880000", "pending")


def test_do_not_call_numbers_are_skipped(server: Backend, actors: Actors) -> None:
    admin = actors("admin")
    campaign = new_campaign(admin)
    with server.db.write() as conn:
        conn.execute(
            dnc_numbers.insert(),
            [
                {"phone_key": "01088886666x12", "campaign_id": campaign, "added_at": now_iso()},
            ],
        )
    report = upload(admin, campaign, LIST.encode()).json()
    assert (report["imported"], report["dnc_skipped"], report["dnc_rows"]) == (1, 1, [2])


def test_who_may_import_and_what_is_refused(server: Backend, actors: Actors) -> None:
    supervisor = actors("supervisor")
    campaign = new_campaign(supervisor)
    for role in ("agent", "team_leader", "trainer"):
        refused = upload(actors(role), campaign, LIST.encode())
        assert refused.status_code == 403, (role, refused.text)
    assert upload(supervisor, 999_999, LIST.encode()).status_code == 404

    garbled = "姓名,手机号\n".encode("gb18030") + b"\x81\x30\xff,13800138000\n"
    bad = upload(supervisor, campaign, garbled)
    assert bad.status_code == 422
    # The API's detail convention: 'English / 中文' (the client shows the user's half).
    english, chinese = refusal(bad, "").split(" / ", 1)
    assert english.startswith("cannot read the file's encoding") and "GB18030" in english
    assert chinese.startswith("无法识别文件编码") and "GB18030" in chinese
    no_phone = upload(supervisor, campaign, "姓名,地址\n张三,深圳\n".encode())
    assert "找不到电话列" in refusal(no_phone, "")
    empty = upload(supervisor, campaign, b"")
    assert "文件是空的" in refusal(empty, "")
    header_only = upload(supervisor, campaign, "姓名,手机号\n".encode())
    assert header_only.status_code == 200 and header_only.json()["total_rows"] == 0
    bad_mapping = supervisor.http.post(
        f"/campaigns/{campaign}/import",
        files={"file": ("list.csv", LIST.encode(), "text/csv")},
        data={"mapping": "{not json"},
    )
    assert "列映射无效" in refusal(bad_mapping, "mapping")
    no_file = supervisor.http.post(f"/campaigns/{campaign}/import", data={"x": "1"})
    assert no_file.status_code == 422
    assert stored(server, campaign) == []


def test_a_mapping_naming_a_lone_surrogate_is_refused_not_a_server_error(
    server: Backend, actors: Actors
) -> None:
    """JSON may carry "\\ud800"; the refusal names the column, and must still be sendable."""
    supervisor = actors("supervisor")
    campaign = new_campaign(supervisor)
    reply = supervisor.http.post(
        f"/campaigns/{campaign}/import",
        files={"file": ("list.csv", LIST.encode(), "text/csv")},
        data={"mapping": '{"\\ud800": "phone"}'},
    )
    assert "\ufffd" in refusal(reply, "mapping") and "不在表头中" in refusal(reply, "mapping")


def test_upload_over_its_limit_is_413_with_a_clear_message(start_server: ServerFactory) -> None:
    backend = start_server("sqlite", env={"SEATDESK_SERVER_MAX_UPLOAD_BYTES": "3000000"})
    supervisor = Actors(backend)("supervisor")
    try:
        campaign = new_campaign(supervisor)
        # Over the 2 MB limit of other bodies, under the upload's 3 MB: accepted.
        rows = "".join(f"客户{i},139{i:08d},{'x' * 40}\n" for i in range(35_000))
        data = ("姓名,手机号,备注\n" + rows).encode()
        assert 2_000_000 < len(data) < 3_000_000
        assert upload(supervisor, campaign, data).json()["imported"] == 35_000
        big = upload(supervisor, campaign, data + data[:1_000_000])
        assert big.status_code == 413
        assert big.json()["detail"] == (
            "文件过大：上限为 3 MB / the file is too large: the limit is 3 MB"
        )
    finally:
        supervisor.http.close()


# -- 100,000 rows -----------------------------------------------------------------------------
ROWS = 100_000


def big_list() -> tuple[bytes, dict[str, Any]]:
    """100,000 rows: every 1,000th a bad phone (too_short), the row after each 500th repeats
    the one before it, and one number is on the global do-not-call list."""
    lines = ["姓名,手机号,楼盘,房号"]
    for i in range(ROWS):
        if i % 1000 == 999:
            phone = "13800"
        elif i % 1000 == 500:
            phone = f"139{i - 1:08d}"
        else:
            phone = f"139{i:08d}"
        lines.append(f"客户{i},{phone},翠湖花园{i % 40}期,{i % 30}-{i % 2000}")
    expected = {
        "total_rows": ROWS,
        "rejected": ROWS // 1000,
        "duplicates": ROWS // 1000,
        "dnc_skipped": 1,
        "imported": ROWS - 2 * (ROWS // 1000) - 1,
    }
    return ("\n".join(lines) + "\n").encode("gb18030"), expected


def multipart(data: bytes, sent: threading.Event) -> tuple[str, Iterator[bytes]]:
    """The upload as a generator of chunks: `sent` is set once the last byte went out."""
    boundary = uuidlib.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="list.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:
        yield head
        for start in range(0, len(data), 256 * 1024):
            yield data[start : start + 256 * 1024]
        yield f"\r\n--{boundary}--\r\n".encode()
        sent.set()

    return f"multipart/form-data; boundary={boundary}", chunks()


def test_100000_rows_import_while_the_server_answers_others(
    server: Backend, actors: Actors
) -> None:
    """The whole list goes in with the right counts, and while the server reads and writes it
    (after the upload was sent, before its reply) other requests are answered: /health, and a
    logged-in read of the campaign."""
    supervisor = actors("supervisor")
    campaign = new_campaign(supervisor)
    data, expected = big_list()
    with server.db.write() as conn:
        conn.execute(dnc_numbers.insert().values(phone_key="13900000007", added_at=now_iso()))

    events: list[str] = []
    lock = threading.Lock()
    sent = threading.Event()
    result: dict[str, httpx.Response] = {}
    content_type, body = multipart(data, sent)

    def run_import() -> None:
        with server.client(supervisor.token, timeout=300) as http:
            result["import"] = http.post(
                f"/campaigns/{campaign}/import",
                content=body,
                headers={"Content-Type": content_type},
            )
        with lock:
            events.append("import")

    worker = threading.Thread(target=run_import)
    worker.start()
    try:
        assert sent.wait(120), "the upload was never sent"
        with server.client(supervisor.token, timeout=60) as http:
            while worker.is_alive():
                assert http.get("/health").status_code == 200
                assert http.get(f"/campaigns/{campaign}").status_code == 200
                with lock:
                    if "import" not in events:
                        events.append("other")
    finally:
        worker.join(300)
    assert events[0] == "other", "no other request was answered while the import ran"
    assert events.count("import") == 1
    response = result["import"]
    assert response.status_code == 200, response.text[:500]
    report = response.json()
    assert report["total_rows"] == expected["total_rows"]
    assert report["imported"] == expected["imported"]
    assert len(report["rejected"]) == expected["rejected"]
    assert {r["reason"] for r in report["rejected"]} == {"too_short"}
    assert report["rejected"][0] == {"row": 1000, "reason": "too_short"}
    assert len(report["duplicates"]) == expected["duplicates"]
    assert report["duplicates"][0] == {
        "row": 501,
        "duplicate_of_row": 500,
        "in_campaign": False,
        "record_id": None,
    }
    assert (report["dnc_skipped"], report["dnc_rows"]) == (1, [8])
    count = server.scalar(
        sa.select(sa.func.count())
        .select_from(campaign_records)
        .where(campaign_records.c.campaign_id == campaign)
    )
    assert count == expected["imported"]
