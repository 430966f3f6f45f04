"""A campaign's progress and feedback report in the supervisor's pane show the server's numbers
after agents' attempts reach it (posted through the ApiClient as the agents' clients do), the
chart has the day, and the report's Excel export is written where the supervisor chose."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from common.outbound import AttemptIn, CallingHours, CampaignIn, HolidayOverride
from tests.agent_app.outbound.test_campaign_admin import open_campaigns
from tests.helpers.backend import TestBackend

CHINA = ZoneInfo("Asia/Shanghai")
ALL_DAY = CallingHours(days=[[("00:00", "24:00")] for _ in range(7)])
LIST = "姓名,手机号\n张三,13800138001\n李四,13800138002\n王五,13800138003\n赵六,13800138004\n"


@pytest.fixture(scope="module")
def campaign_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestBackend]:
    """A backend of this module's own: its calendar makes today a calling day (a statutory
    holiday would close it), which other tests' backends should not see."""
    running = TestBackend(tmp_path_factory.mktemp("campaign-server"))
    running.start()
    yield running
    running.stop()


def attempt(client, record, outcome: str) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    acks = client.push_attempts(
        [
            AttemptIn(
                uuid=str(uuid.uuid4()),
                record_id=record.id,
                campaign_id=record.campaign_id,
                outcome=outcome,
                started_at=now,
                ended_at=now,
            )
        ]
    )
    assert [a.status for a in acks] == ["stored"], acks


def take(client, campaign_id: int):  # type: ignore[no-untyped-def]
    reply = client.next_record(campaign_id)
    assert reply.record is not None, reply.reason
    return reply.record


def figures(view) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {key: int(label.text()) for key, label in view.progress.figures.items()}


def test_progress_and_report_show_the_servers_numbers(
    qtbot, tmp_path: Path, campaign_backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    backend = campaign_backend
    supervisor = backend.new_user("supervisor")
    first, second = backend.new_user("agent"), backend.new_user("agent")
    client = api(backend.url, supervisor)
    today = datetime.now(CHINA).date().isoformat()
    client.set_holiday_overrides([HolidayOverride(day=today, kind="workday")])
    campaign = client.create_campaign(
        CampaignIn(name=f"进度-{uuid.uuid4().hex[:6]}", calling_hours=ALL_DAY)
    )
    assert client.import_list(campaign.id, "list.csv", LIST.encode("utf-8")).imported == 4

    one, two = api(backend.url, first), api(backend.url, second)
    attempt(one, take(one, campaign.id), "success")
    attempt(one, take(one, campaign.id), "busy")
    attempt(two, take(two, campaign.id), "not_successful")

    app = logged_in_app(backend.url, supervisor)
    controller = open_campaigns(qtbot, app)
    view = controller.view
    with qtbot.waitSignal(controller.progress_shown, timeout=10_000) as shown:
        view.select_campaign(campaign.id)
        controller.load_progress(campaign.id)
    assert shown.args[0] == campaign.id
    server = client.campaign_progress(campaign.id)
    assert figures(view) == {
        "records_total": server.records_total,
        "records_left": server.records_left,
        "attempts": server.attempts,
        "contacts": server.contacts,
        "successes": server.successes,
    }
    assert figures(view) == {
        "records_total": 4,
        "records_left": 2,  # the busy one comes back, the fourth is untouched
        "attempts": 3,
        "contacts": 2,  # a success and an unsuccessful conversation
        "successes": 1,
    }
    assert [(d["day"], d["attempts"], d["successes"]) for d in view.progress.chart.days] == [
        (today, 3, 1)
    ]
    assert view.progress.title.text() == campaign.name

    # The feedback report: the day's total, each agent, the whole period.
    progress = view.progress
    table = progress.report_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:3] == ["日期", "坐席", "拨打"]
    assert headers[-4:] == ["接通", "接通率", "成功", "成功率"]
    for name in ("成功联系", "忙音", "不成功"):
        assert name in headers
    lines = {(progress.cell(r, 0), progress.cell(r, 1)): r for r in range(table.rowCount())}
    assert list(lines) == [
        (today, "全部坐席"),
        (today, first),
        (today, second),
        ("合计", "全部坐席"),
    ]

    def value(line: tuple[str, str], column: str) -> str:
        return progress.cell(lines[line], headers.index(column))

    assert value((today, first), "拨打") == "2"
    assert value((today, first), "成功联系") == "1"
    assert value((today, first), "忙音") == "1"
    assert value((today, second), "不成功") == "1"
    assert value((today, "全部坐席"), "接通率") == "66.7%"
    assert value(("合计", "全部坐席"), "成功率") == "33.3%"

    # One day chosen: the report of that day.
    with qtbot.waitSignal(controller.progress_shown, timeout=10_000):
        progress.day_combo.setCurrentIndex(progress.day_combo.findData(today))
    assert progress.report["day"] == today
    assert progress.cell(0, 2) == "3"

    # Exported to Excel where the supervisor chose.
    target = tmp_path / "报表.xlsx"
    controller.export_to(campaign.id, today, str(target))
    qtbot.waitUntil(lambda: "报表已保存" in view.notice.text(), timeout=10_000)
    workbook = openpyxl.load_workbook(target)
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert first in cells and second in cells

    # More attempts, one with the center's own outcome code: the next refresh follows the
    # server, and the code's column has the name the center gave it (synced to this seat).
    manager = backend.new_user("manager")
    api(backend.url, manager).create_center_code(
        "outcome", "promised_visit", "约定上门", "Visit agreed", meaning="success"
    )
    qtbot.waitUntil(
        lambda: "约定上门" in [c.zh for c in app.data.codes.codes("outcome")], timeout=15_000
    )
    attempt(two, take(two, campaign.id), "promised_visit")
    progress.day_combo.setCurrentIndex(0)  # every day
    with qtbot.waitSignal(controller.progress_shown, timeout=10_000):
        controller.refresh()
    assert figures(view)["attempts"] == 4
    assert figures(view)["successes"] == 2
    assert figures(view)["records_left"] == 1

    def named() -> bool:
        columns = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        return "约定上门" in columns and "promised_visit" not in columns

    qtbot.waitUntil(named, timeout=10_000)
