"""The campaign table's headers fit in English (issue: "Campaigr", "usiness lir" at 1024 px):
however narrow the pane, each header section is at least as wide as its text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from agent_app.outbound.views.campaign_admin import CampaignAdminView


def test_the_english_headers_are_not_clipped(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = CampaignAdminView(english=True)
    qtbot.addWidget(view)
    view.set_campaigns(
        [
            {"id": 1, "name": "Renewals", "status": "active", "business_line": "",
             "records_total": 1200, "records_left": 300},
            {"id": 2, "name": "Broadband win-back", "status": "paused", "business_line": "",
             "records_total": 80, "records_left": 80},
        ]
    )  # fmt: skip
    # As narrow as the pane gets in a 1024 px window with panes beside it, and narrower.
    for width in (620, 420):
        view.resize(width, 500)
        view.show()
        qtbot.waitExposed(view)
        table = view.table
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        for column in range(table.columnCount()):
            text = str(table.model().headerData(column, Qt.Orientation.Horizontal))
            assert text in ("Campaign", "Business line", "Status", "Records", "Left", "Done")
            assert header.sectionSize(column) >= metrics.horizontalAdvance(text), (width, text)
