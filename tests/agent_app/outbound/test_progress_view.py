"""The progress view without a server: the chart drawn with QPainter (bars in the series'
colours, nothing but a note when there are no attempts, a long campaign thinned to its last
month) and the report table's layout of days, agents and totals."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from agent_app.outbound.views.progress_chart import (
    COLORS,
    MAX_DAYS_SHOWN,
    DailyChart,
    ProgressView,
    _nice_ceiling,
)
from common.codes import Code


def colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }


def drawn(qtbot, days) -> QImage:  # type: ignore[no-untyped-def]
    chart = DailyChart()
    qtbot.addWidget(chart)
    chart.resize(480, 220)
    chart.set_days(days)
    return chart.grab().toImage()


def test_bars_in_the_series_colours(qtbot) -> None:  # type: ignore[no-untyped-def]
    image = drawn(
        qtbot,
        [
            {"day": "2026-12-01", "attempts": 12, "contacts": 5, "successes": 2},
            {"day": "2026-12-02", "attempts": 7, "contacts": 3, "successes": 1},
        ],
    )
    seen = colours(image)
    for series in ("attempts", "contacts", "successes"):
        assert QColor(COLORS[series]).name() in seen, series


def test_no_attempts_draws_no_bars(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen = colours(drawn(qtbot, []))
    assert not {QColor(c).name() for c in COLORS.values()} & seen
    # A day with nothing but zeros has no bars either: below the legend, only the axes.
    chart = DailyChart()
    qtbot.addWidget(chart)
    chart.resize(480, 220)
    chart.set_days([{"day": "2026-12-01", "attempts": 0}])
    plot = chart.grab().toImage().copy(0, chart.fontMetrics().height() + 12, 480, 150)
    assert QColor(COLORS["attempts"]).name() not in colours(plot)
    chart.set_days([{"day": "2026-12-01", "attempts": 3}])
    plot = chart.grab().toImage().copy(0, chart.fontMetrics().height() + 12, 480, 150)
    assert QColor(COLORS["attempts"]).name() in colours(plot)


def test_a_long_campaign_shows_its_last_month(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = DailyChart()
    qtbot.addWidget(chart)
    days = [{"day": f"2026-{m:02d}-{d:02d}", "attempts": d} for m in (10, 11) for d in range(1, 29)]
    chart.set_days(days)
    assert len(chart.days) == MAX_DAYS_SHOWN
    assert chart.days[-1]["day"] == "2026-11-28"
    chart.resize(300, 160)
    assert not chart.grab().isNull()


def test_scale_tops_are_round() -> None:
    assert [_nice_ceiling(v) for v in (0, 3, 5, 12, 20, 33, 95, 101, 990)] == [
        4,
        4,
        8,
        20,
        20,
        40,
        100,
        200,
        1000,
    ]


def test_report_lines_days_agents_and_total(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = ProgressView(english=True)  # no translator here: the source texts
    qtbot.addWidget(view)
    # The center's own code "visit" is named as the synced list names it.
    view.set_outcomes((Code("success", "成功联系", "Success"), Code("visit", "约定上门", "Visit")))
    day = {"day": "2026-12-01", "attempts": 4, "outcomes": {"success": 1, "visit": 2}}
    view.set_report(
        {
            "outcomes": ["success", "visit"],
            "days": [{**day, "contact_rate": 0.75, "success_rate": 0.25}],
            "rows": [{**day, "agent": "agent-1"}],
            "total": {**day, "contact_rate": 0.75, "success_rate": 0.25},
        }
    )
    table = view.report_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == [
        "Day",
        "Agent",
        "Attempts",
        "Success",
        "Visit",
        "Contacts",
        "Contact rate",
        "Successes",
        "Success rate",
    ]
    assert [view.cell(r, 1) for r in range(table.rowCount())] == [
        "All agents",
        "agent-1",
        "All agents",
    ]
    assert view.cell(2, 0) == "Total"
    assert (view.cell(0, 4), view.cell(0, 6)) == ("2", "75.0%")
