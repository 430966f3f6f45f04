"""The list import from the supervisor's pane, in the real app against the real backend: a
GB18030 CSV previewed, its column mapping changed and previewed again, then imported; the
report's rows named in Chinese with their row numbers, and saved as CSV; a file the server
cannot read is told in Chinese."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from agent_app.outbound.qt.list_import import ListImportController
from common.outbound import CampaignIn
from tests.agent_app.outbound.test_campaign_admin import open_campaigns

# Two phone columns: the import takes 手机号 by its header; this list's good numbers are in
# 联系电话, which the supervisor picks instead.
LIST = (
    "姓名,手机号,联系电话,楼盘\n"
    "张三,13800138000,139 0013 9000,翠湖苑\n"  # 1
    "李四,,12345,碧水湾\n"  # 2: no mobile / too short
    "王五,13800138000,010-87654321,翠湖苑\n"  # 3: a repeat of 1 / a landline
    "赵六,12012345678,+86 139-0013-9000,金域华府\n"  # 4: bad prefix / a repeat of 1
    "钱七,13700137000,１３６００１３６０００,金域华府\n"  # 5: full-width digits
)


def report_lines(dialog) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    table = dialog.report_table
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def start_import(qtbot, app, campaign_id: int) -> ListImportController:  # type: ignore[no-untyped-def]
    controller = open_campaigns(qtbot, app)
    controller.view.select_campaign(campaign_id)
    assert controller.view.import_button.isEnabled()
    controller.view.import_button.click()
    return controller.imports[-1]


def test_import_a_gb18030_list_with_a_changed_mapping(
    qtbot, tmp_path: Path, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    supervisor = backend.new_user("supervisor")
    client = api(backend.url, supervisor)
    campaign = client.create_campaign(CampaignIn(name=f"名单导入-{uuid.uuid4().hex[:6]}"))
    path = tmp_path / "客户名单.csv"
    path.write_bytes(LIST.encode("gb18030"))
    app = logged_in_app(backend.url, supervisor)
    importer = start_import(qtbot, app, campaign.id)
    dialog = importer.dialog
    assert not dialog.import_button.isEnabled()  # nothing to import before a preview

    with qtbot.waitSignal(importer.previewed, timeout=15_000):
        importer.open_file(str(path))
    assert dialog.header == ["姓名", "手机号", "联系电话", "楼盘"]
    assert dialog.columns_box.title() == "列映射与前几行 (CSV, GB18030)"
    assert [c.currentData() for c in dialog.mapping_combos] == ["name", "phone", "field", "field"]
    assert [c.currentText() for c in dialog.mapping_combos] == [
        "姓名",
        "电话",
        "自定义字段",
        "自定义字段",
    ]
    columns = dialog.columns_table
    assert columns.item(1, 0).text() == "张三"  # GB18030 read as such
    assert columns.item(4, 3).text() == "金域华府"
    assert report_lines(dialog) == [
        ("2", "电话为空"),
        ("3", "与第 1 行重复"),
        ("4", "号段无效（手机号不能以 10、11、12 开头）"),
    ]
    assert dialog.summary.text() == "共 5 行：可导入 2 行，拒绝 2 行，重复 1 行，免打扰 0 行。"
    assert dialog.import_button.isEnabled()

    # The supervisor takes the numbers from 联系电话 and leaves 手机号 out: the import must be
    # previewed again before it may run.
    dialog.mapping_combos[1].setCurrentIndex(dialog.mapping_combos[1].findData("ignore"))
    dialog.mapping_combos[2].setCurrentIndex(dialog.mapping_combos[2].findData("phone"))
    assert not dialog.import_button.isEnabled()
    assert "重新预览" in dialog.status.text()
    with qtbot.waitSignal(importer.previewed, timeout=15_000):
        dialog.preview_button.click()
    assert [c.currentData() for c in dialog.mapping_combos] == ["name", "ignore", "phone", "field"]
    assert report_lines(dialog) == [("2", "手机号不足 11 位"), ("4", "与第 1 行重复")]
    assert client.campaign_progress(campaign.id).records_total == 0  # a preview writes nothing

    with qtbot.waitSignal(importer.imported, timeout=15_000) as imported:
        dialog.import_button.click()
    report = imported.args[0]
    assert (report["total_rows"], report["imported"]) == (5, 3)
    assert dialog.report_box.title() == "导入报告"
    assert dialog.summary.text() == "共 5 行：导入 3 行，拒绝 1 行，重复 1 行，免打扰 0 行。"
    assert report_lines(dialog) == [("2", "手机号不足 11 位"), ("4", "与第 1 行重复")]
    assert not dialog.import_button.isEnabled()  # imported once, not twice
    assert client.campaign_progress(campaign.id).records_total == 3
    view = app.campaigns.view
    qtbot.waitUntil(
        lambda: (view.current_campaign() or {}).get("records_total") == 3, timeout=10_000
    )
    assert "已导入 3 条记录" in view.notice.text()

    # The report's rows as CSV, for whoever made the list.
    saved = tmp_path / "报告.csv"
    assert dialog.save_button.isEnabled()
    importer.write_report(str(saved))
    qtbot.waitUntil(saved.exists, timeout=10_000)
    qtbot.waitUntil(lambda: "报告已保存" in dialog.status.text(), timeout=10_000)
    rows = list(csv.reader(saved.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [
        ["行号", "类别", "原因代码", "原因"],
        ["2", "拒绝", "too_short", "手机号不足 11 位"],
        ["4", "重复", "duplicate", "与第 1 行重复"],
    ]


def test_a_file_the_server_cannot_read_is_told_in_chinese(
    qtbot, tmp_path: Path, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    supervisor = backend.new_user("supervisor")
    client = api(backend.url, supervisor)
    campaign = client.create_campaign(CampaignIn(name=f"空文件-{uuid.uuid4().hex[:6]}"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    app = logged_in_app(backend.url, supervisor)
    importer = start_import(qtbot, app, campaign.id)
    # A file that is gone by the time it is read: the dialog says so and stays usable.
    with qtbot.waitSignal(importer.failed, timeout=15_000) as failed:
        importer.open_file(str(tmp_path / "gone.csv"))
    assert failed.args[0].startswith("无法读取文件")
    assert importer.dialog.choose_button.isEnabled()
    # An empty file: the server's refusal, in Chinese. (The API's details are written
    # "English / 中文"; sync.api_client.ApiError.message picks the user's language.)
    with qtbot.waitSignal(importer.failed, timeout=15_000) as failed:
        importer.open_file(str(empty))
    message = failed.args[0]
    assert message == "文件是空的", message
    assert importer.dialog.status.text() == message
    assert not importer.dialog.import_button.isEnabled()


def test_an_xlsx_list_is_previewed_and_imported(
    qtbot, tmp_path: Path, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    supervisor = backend.new_user("supervisor")
    client = api(backend.url, supervisor)
    campaign = client.create_campaign(CampaignIn(name=f"表格名单-{uuid.uuid4().hex[:6]}"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (
        ["姓名", "电话", "楼盘"],
        ["周一", "13912345678", "翠湖苑"],
        ["吴二", "139", "碧水湾"],
    ):
        sheet.append(row)
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    app = logged_in_app(backend.url, supervisor)
    importer = start_import(qtbot, app, campaign.id)
    dialog = importer.dialog
    with qtbot.waitSignal(importer.previewed, timeout=15_000):
        importer.open_file(str(path))
    assert dialog.columns_box.title() == "列映射与前几行 (XLSX)"
    assert [c.currentData() for c in dialog.mapping_combos] == ["name", "phone", "field"]
    assert report_lines(dialog) == [("2", "手机号不足 11 位")]
    with qtbot.waitSignal(importer.imported, timeout=15_000):
        dialog.import_button.click()
    assert client.campaign_progress(campaign.id).records_total == 1
