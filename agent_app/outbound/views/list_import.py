"""'导入名单': a customer list into a campaign, in two steps. First a preview (the server's dry
run): the file's columns with how each is mapped (name, phone, custom field for the script,
ignored) in a combo the supervisor may change, the first rows, and what an import would do,
row by row. Then the import itself and its final report, which can be saved as CSV.

Layout only; qt/list_import.py reads the file off the GUI thread and talks to the server."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_app.outbound.import_reasons import ReportRow

MAPPINGS = ("name", "phone", "field", "ignore")


class ListImportDialog(QDialog):
    choose_file_requested = Signal()
    preview_requested = Signal()  # again, with the mapping as the combos say
    import_requested = Signal()
    save_report_requested = Signal()

    def __init__(self, campaign_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listImport")
        self.setWindowTitle(self.tr("Import a list into “%1”").replace("%1", campaign_name))
        self.header: list[str] = []
        self.previewed_mapping: dict[str, str] = {}
        self.rows: list[ReportRow] = []
        self.imported = False

        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFile")
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("A CSV (UTF-8 or GB18030) or XLSX file"))
        self.choose_button = QPushButton(self.tr("Choose file…"))
        self.choose_button.setObjectName("importChoose")
        self.choose_button.clicked.connect(self.choose_file_requested.emit)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(self.tr("File")))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        self.status = QLabel(
            self.tr("Choose the file to import; nothing is imported before you confirm.")
        )
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        # The columns: a mapping combo over each, then the first rows as the file has them.
        self.columns_table = QTableWidget(0, 0)
        self.columns_table.setObjectName("importColumns")
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns_table.setWordWrap(False)
        self.columns_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.mapping_combos: list[QComboBox] = []
        columns_box = self.columns_box = QGroupBox(self.tr("Columns and first rows"))
        columns_layout = QVBoxLayout(columns_box)
        columns_layout.addWidget(self.columns_table)

        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.report_table = QTableWidget(0, 2)
        self.report_table.setObjectName("importReport")
        self.report_table.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Not imported because")]
        )
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table.verticalHeader().hide()
        self.report_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.report_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.report_box = QGroupBox(self.tr("What the import does"))
        report_layout = QVBoxLayout(self.report_box)
        report_layout.addWidget(self.summary)
        report_layout.addWidget(self.report_table)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(columns_box)
        splitter.addWidget(self.report_box)
        splitter.setChildrenCollapsible(False)

        self.preview_button = QPushButton(self.tr("Preview again"))
        self.preview_button.setObjectName("importPreview")
        self.preview_button.setToolTip(self.tr("Check the file again with the columns as chosen"))
        self.preview_button.clicked.connect(self.preview_requested.emit)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setObjectName("importRun")
        self.import_button.clicked.connect(self.import_requested.emit)
        self.save_button = QPushButton(self.tr("Save report…"))
        self.save_button.setObjectName("importSaveReport")
        self.save_button.clicked.connect(self.save_report_requested.emit)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._update_buttons(busy=False)
        self.resize(860, 600)

    # -- the preview --------------------------------------------------------------------------
    def set_file(self, path: str) -> None:
        self.file_edit.setText(path)
        self.imported = False

    def set_preview(self, preview: dict[str, Any], rows: list[ReportRow]) -> None:
        self.header = list(preview.get("header") or [])
        how = str(preview.get("format") or "").upper()
        if preview.get("encoding"):  # how the server read it: a wrong guess shows here
            how += f", {str(preview['encoding']).upper()}"
        title = self.tr("Columns and first rows")
        self.columns_box.setTitle(f"{title} ({how})" if how else title)
        mapping: dict[str, str] = dict(preview.get("mapping") or {})
        self.previewed_mapping = dict(mapping)
        sample: list[list[str]] = list(preview.get("sample") or [])
        table = self.columns_table
        table.clear()
        table.setColumnCount(len(self.header))
        table.setRowCount(1 + len(sample))
        table.setHorizontalHeaderLabels(self.header)
        table.setVerticalHeaderLabels(
            [self.tr("Use as")] + [str(n) for n in range(1, len(sample) + 1)]
        )
        names = {
            "name": self.tr("Name"),
            "phone": self.tr("Phone"),
            "field": self.tr("Custom field"),
            "ignore": self.tr("Ignore"),
        }
        self.mapping_combos = []
        for column, title in enumerate(self.header):
            combo = QComboBox()
            combo.setObjectName(f"importMapping{column}")
            for code in MAPPINGS:
                combo.addItem(names[code], code)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(title, "field"))))
            combo.currentIndexChanged.connect(lambda _i: self._mapping_edited())
            table.setCellWidget(0, column, combo)
            self.mapping_combos.append(combo)
        for row, values in enumerate(sample, start=1):
            for column, value in enumerate(values[: len(self.header)]):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        for column in range(table.columnCount()):  # room for the combo, no wider than needed
            width = max(table.columnWidth(column), self.mapping_combos[column].sizeHint().width())
            table.setColumnWidth(column, min(width, 240))
        self._show_report(preview.get("report") or {}, rows, final=False)
        self.imported = False
        self._update_buttons(busy=False)

    def mapping(self) -> dict[str, str]:
        return {
            title: combo.currentData()
            for title, combo in zip(self.header, self.mapping_combos, strict=True)
        }

    def mapping_changed(self) -> bool:
        return self.mapping() != self.previewed_mapping

    def _mapping_edited(self) -> None:
        if self.mapping_changed():
            self.status.setText(
                self.tr("The columns changed: preview again to see what the import will do.")
            )
        self._update_buttons(busy=False)

    # -- the report ---------------------------------------------------------------------------
    def set_final_report(self, report: dict[str, Any], rows: list[ReportRow]) -> None:
        self._show_report(report, rows, final=True)
        self.imported = True
        self.status.setText(
            self.tr("Imported: %1 records are in the campaign now.").replace(
                "%1", str(report.get("imported", 0))
            )
        )
        self._update_buttons(busy=False)

    def _show_report(self, report: dict[str, Any], rows: list[ReportRow], final: bool) -> None:
        self.rows = rows
        self.status.setStyleSheet("")  # an earlier error no longer holds
        self.report_box.setTitle(
            self.tr("Import report") if final else self.tr("What the import would do")
        )
        counts = {
            "%1": report.get("total_rows", 0),
            "%2": report.get("imported", 0),
            "%3": len(report.get("rejected") or []),
            "%4": len(report.get("duplicates") or []),
            "%5": report.get("dnc_skipped", 0),
        }
        text = (
            self.tr("Rows: %1. Imported: %2, rejected: %3, duplicates: %4, do not call: %5.")
            if final
            else self.tr("Rows: %1. To import: %2, rejected: %3, duplicates: %4, do not call: %5.")
        )
        for key, value in counts.items():
            text = text.replace(key, str(value))
        self.summary.setText(text)
        table = self.report_table
        table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            number = QTableWidgetItem(str(row.row))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(index, 0, number)
            table.setItem(index, 1, QTableWidgetItem(row.text))
        if not final:
            self.status.setText(
                self.tr("Check the columns and the rows below, then import.")
                if report.get("imported", 0)
                else self.tr("No row of this file can be imported as the columns are mapped.")
            )

    # -- state --------------------------------------------------------------------------------
    def set_busy(self, busy: bool, message: str = "") -> None:
        if message:
            self.status.setText(message)
            self.status.setStyleSheet("")
        self._update_buttons(busy)

    def show_error(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #b91c1c;")
        self._update_buttons(busy=False)

    def _update_buttons(self, busy: bool) -> None:
        previewed = bool(self.header)
        changed = previewed and self.mapping_changed()
        self.choose_button.setEnabled(not busy)
        self.preview_button.setEnabled(not busy and previewed and not self.imported)
        self.import_button.setEnabled(not busy and previewed and not changed and not self.imported)
        self.save_button.setEnabled(not busy and bool(self.rows))
        for combo in self.mapping_combos:
            combo.setEnabled(not busy and not self.imported)
