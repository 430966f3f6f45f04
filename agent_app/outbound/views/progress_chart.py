"""A campaign's progress for its supervisor: records left, attempts, contacts and successes, a
bar chart of them per day, and the feedback report (per day and agent: attempts, outcome
counts, contact and success rates) with its Excel export. Layout only; the campaign admin
controller loads the numbers from the server.

The installed PySide6 has no QtCharts module, so the chart is drawn with QPainter: three bars
per day, a light grid and a legend; it needs no more than a few dozen days on screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from common.codes import Code, code_name
from common.outbound import OUTCOMES

SERIES = ("attempts", "contacts", "successes")
COLORS = {"attempts": "#64748b", "contacts": "#2563eb", "successes": "#16a34a"}
MAX_DAYS_SHOWN = 31  # the last month; older days stay in the report


class DailyChart(QWidget):
    """Grouped bars per day: attempts, contacts, successes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressChart")
        self.days: list[dict[str, Any]] = []
        self.setMinimumSize(240, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.names = {
            "attempts": self.tr("Attempts"),
            "contacts": self.tr("Contacts"),
            "successes": self.tr("Successes"),
        }
        self.empty_text = self.tr("No attempts yet")

    def set_days(self, days: list[dict[str, Any]]) -> None:
        self.days = list(days)[-MAX_DAYS_SHOWN:]
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(420, 200)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        metrics = painter.fontMetrics()
        line = metrics.height()
        text_pen = QPen(palette.text().color())
        if not self.days:
            painter.setPen(text_pen)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top = max(int(d.get(s, 0)) for d in self.days for s in SERIES)
        scale_top = _nice_ceiling(top)
        axis_width = metrics.horizontalAdvance(str(scale_top)) + 8
        legend_height = line + 6
        plot = QRectF(axis_width + 4, legend_height + 4, self.width() - axis_width - 12, 0)
        plot.setBottom(self.height() - line - 8)
        if plot.width() < 20 or plot.height() < 20:
            return
        # The legend, left to right above the plot.
        x = plot.left()
        for series in SERIES:
            painter.fillRect(QRectF(x, 4 + (line - 10) / 2, 10, 10), QColor(COLORS[series]))
            painter.setPen(text_pen)
            painter.drawText(int(x + 14), 4 + metrics.ascent(), self.names[series])
            x += 14 + metrics.horizontalAdvance(self.names[series]) + 16
        # The grid: four steps of the scale.
        grid_pen = QPen(QColor("#e2e8f0"))
        for step in range(5):
            value = scale_top * step / 4
            y = plot.bottom() - plot.height() * step / 4
            painter.setPen(grid_pen)
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(text_pen)
            label = f"{value:g}"
            painter.drawText(
                QRectF(0, y - line / 2, axis_width, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        # The bars, and each day's date under its group (thinned out when crowded).
        group = plot.width() / len(self.days)
        bar = max(1.0, min(18.0, (group - 6) / len(SERIES)))
        label_width = metrics.horizontalAdvance("00-00") + 6
        every = max(1, int(label_width // max(group, 1)) + 1)
        small = QFont(painter.font())
        for index, day in enumerate(self.days):
            left = plot.left() + group * index + (group - bar * len(SERIES)) / 2
            for n, series in enumerate(SERIES):
                value = int(day.get(series, 0))
                height = plot.height() * value / scale_top if scale_top else 0
                painter.fillRect(
                    QRectF(left + n * bar, plot.bottom() - height, bar - 1, height),
                    QColor(COLORS[series]),
                )
            if index % every == 0:
                painter.setPen(text_pen)
                painter.setFont(small)
                painter.drawText(
                    QRectF(plot.left() + group * index, plot.bottom() + 2, group * every, line),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                    str(day.get("day", ""))[5:],  # MM-DD: the year is on the report
                )
        painter.setPen(QPen(palette.text().color()))
        painter.drawLine(
            int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom())
        )


def _nice_ceiling(value: int) -> int:
    """A round top for the scale (4, 8, 20, 40, 100, ...) so grid lines fall on whole numbers."""
    if value <= 4:
        return 4
    magnitude = 1
    while magnitude * 10 < value:
        magnitude *= 10
    for factor in (1, 2, 4, 5, 8, 10):
        if value <= factor * magnitude and (factor * magnitude) % 4 == 0:
            return factor * magnitude
    return 10 * magnitude


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


class ProgressView(QWidget):
    """The numbers, the chart and the report of one campaign."""

    report_day_changed = Signal(str)  # '' for every day
    export_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignProgress")
        self.english = english
        self.report: dict[str, Any] = {}
        # The center's outcome codes (synced), so its own codes have their names as columns.
        self.outcomes: tuple[Code, ...] = OUTCOMES
        self.title = QLabel(self.tr("Select a campaign to see its progress."))
        self.title.setObjectName("progressTitle")
        self.title.setWordWrap(True)
        title_font = self.title.font()
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.figures: dict[str, QLabel] = {}
        figures = QGridLayout()
        figures.setHorizontalSpacing(14)
        names = {
            "records_total": self.tr("Records"),
            "records_left": self.tr("Left"),
            "attempts": self.tr("Attempts"),
            "contacts": self.tr("Contacts"),
            "successes": self.tr("Successes"),
        }
        for column, (key, name) in enumerate(names.items()):
            value = QLabel("–")
            value.setObjectName(f"progress_{key}")
            value_font = value.font()
            value_font.setPointSizeF(value_font.pointSizeF() * 1.3)
            value_font.setBold(True)
            value.setFont(value_font)
            caption = QLabel(name)
            caption.setStyleSheet("color: #64748b;")
            figures.addWidget(value, 0, column)
            figures.addWidget(caption, 1, column)
            self.figures[key] = value
        figures.setColumnStretch(len(names), 1)

        self.chart = DailyChart()
        self._build_report()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("progressTabs")
        self.tabs.addTab(self.chart, self.tr("Per day"))
        self.tabs.addTab(self.report_page, self.tr("Feedback report"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(figures)
        layout.addWidget(self.tabs, 1)
        self.set_enabled(False)

    def _build_report(self) -> None:
        self.day_combo = QComboBox()
        self.day_combo.setObjectName("reportDay")
        self.day_combo.addItem(self.tr("All days"), "")
        self.day_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.day_combo.currentIndexChanged.connect(
            lambda _i: self.report_day_changed.emit(self.day_combo.currentData() or "")
        )
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.setObjectName("reportExport")
        self.export_button.clicked.connect(self.export_requested.emit)
        self.report_table = QTableWidget(0, 0)
        self.report_table.setObjectName("reportTable")
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report_table.verticalHeader().hide()
        # Compact rows: a day's agents fit in the pane's height.
        self.report_table.verticalHeader().setDefaultSectionSize(
            self.report_table.fontMetrics().height() + 8
        )
        self.report_table.setWordWrap(False)
        self.report_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Day")))
        row.addWidget(self.day_combo)
        row.addStretch(1)
        row.addWidget(self.export_button)
        self.report_page = QWidget()
        layout = QVBoxLayout(self.report_page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.report_table, 1)

    def set_enabled(self, enabled: bool) -> None:
        self.tabs.setEnabled(enabled)
        self.export_button.setEnabled(enabled)

    def clear(self) -> None:
        self.title.setText(self.tr("Select a campaign to see its progress."))
        for label in self.figures.values():
            label.setText("–")
        self.chart.set_days([])
        self.report_table.setRowCount(0)
        self.set_enabled(False)

    def set_campaign_name(self, name: str) -> None:
        self.title.setText(name)
        self.set_enabled(True)

    def set_progress(self, progress: dict[str, Any]) -> None:
        for key, label in self.figures.items():
            label.setText(str(progress.get(key, 0)))
        days = progress.get("days") or []
        self.chart.set_days(days)
        # The report's day choice follows the days that had attempts (newest first).
        current = self.day_combo.currentData()
        self.day_combo.blockSignals(True)
        try:
            while self.day_combo.count() > 1:
                self.day_combo.removeItem(1)
            for day in sorted((d["day"] for d in days), reverse=True):
                self.day_combo.addItem(day, day)
            self.day_combo.setCurrentIndex(max(0, self.day_combo.findData(current)))
        finally:
            self.day_combo.blockSignals(False)

    def set_outcomes(self, outcomes: tuple[Code, ...]) -> None:
        self.outcomes = outcomes
        if self.report:
            self.set_report(self.report)

    def report_day(self) -> str:
        return str(self.day_combo.currentData() or "")

    def set_report(self, report: dict[str, Any]) -> None:
        """Per day: its total in bold, then each agent; the whole period's total last."""
        self.report = report
        codes: list[str] = list(report.get("outcomes") or [])
        headers = [self.tr("Day"), self.tr("Agent"), self.tr("Attempts")]
        language = "en" if self.english else "zh_CN"
        headers += [code_name(code, self.outcomes, language) for code in codes]
        headers += [
            self.tr("Contacts"),
            self.tr("Contact rate"),
            self.tr("Successes"),
            self.tr("Success rate"),
        ]
        table = self.report_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        lines: list[tuple[dict[str, Any], bool]] = []
        rows = report.get("rows") or []
        for day in report.get("days") or []:
            lines.append((day, True))
            lines += [(r, False) for r in rows if r.get("day") == day.get("day")]
        total = report.get("total")
        if total and (report.get("days") or []):
            lines.append(({**total, "day": self.tr("Total"), "agent": ""}, True))
        table.setRowCount(len(lines))
        for index, (line, bold) in enumerate(lines):
            outcomes = line.get("outcomes") or {}
            agent = line.get("agent") or ("" if not bold else self.tr("All agents"))
            values = [line.get("day", ""), agent, str(line.get("attempts", 0))]
            values += [str(outcomes.get(code, 0)) for code in codes]
            values += [
                str(line.get("contacts", 0)),
                percent(float(line.get("contact_rate", 0.0))),
                str(line.get("successes", 0)),
                percent(float(line.get("success_rate", 0.0))),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if bold:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(index, column, item)

    def cell(self, row: int, column: int) -> str:
        item = self.report_table.item(row, column)
        return item.text() if item is not None else ""
