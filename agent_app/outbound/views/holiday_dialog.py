"""'节假日': the center's corrections to the calling calendar: a day closed (a local holiday, a
typhoon) or a day worked. Statutory holidays and 调休 working weekends come with the server's
calendar; this list overrides it. Layout only; saving sends the whole list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_app.shell.dialog_feedback import DialogFeedback, grow_to_fit

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class HolidayDialog(QDialog):
    submitted = Signal(list)  # [{"day", "kind", "note"}], the whole list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holidayDialog")
        self.setWindowTitle(self.tr("Holidays and working days"))
        self.kind_names = {"closed": self.tr("Closed"), "workday": self.tr("Working day")}
        hint = QLabel(
            self.tr(
                "Statutory holidays and working weekends (调休) are known already. Add the "
                "center's own: a day without calls, or a day called with Monday's hours."
            )
        )
        hint.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("holidayTable")
        self.table.setHorizontalHeaderLabels([self.tr("Day"), self.tr("Kind"), self.tr("Note")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setObjectName("holidayDay")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("holidayKind")
        for code, name in self.kind_names.items():
            self.kind_combo.addItem(name, code)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("holidayNote")
        self.note_edit.setPlaceholderText(self.tr("Note, e.g. typhoon"))
        add = QPushButton(self.tr("Add"))
        add.setObjectName("holidayAdd")
        add.clicked.connect(self.add_day)
        add_row = QHBoxLayout()
        add_row.addWidget(self.day_edit)
        add_row.addWidget(self.kind_combo)
        add_row.addWidget(self.note_edit, 1)
        add_row.addWidget(add)

        self.remove_button = QPushButton(self.tr("Remove selected"))
        self.remove_button.setObjectName("holidayRemove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.feedback = DialogFeedback(lambda: "", self)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("holidaySave")
        self.save_button.clicked.connect(lambda: self.submitted.emit(self.overrides()))
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)

        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.feedback)
        layout.addLayout(buttons)
        self.resize(560, 440)

    def set_overrides(self, overrides: list[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for override in sorted(overrides, key=lambda o: o["day"]):
            self._put(override["day"], override["kind"], override.get("note", ""))

    def add_day(self) -> None:
        self._put(
            self.day_edit.date().toString("yyyy-MM-dd"),
            self.kind_combo.currentData(),
            self.note_edit.text().strip(),
        )
        self.note_edit.clear()

    def _put(self, day: str, kind: str, note: str) -> None:
        """One row per day, in date order: a day added again replaces its row."""
        table = self.table
        row = 0
        while row < table.rowCount() and _cell(table, row, 0).text() < day:
            row += 1
        if row < table.rowCount() and _cell(table, row, 0).text() == day:
            table.removeRow(row)
        table.insertRow(row)
        kind_item = QTableWidgetItem(self.kind_names.get(kind, kind))
        kind_item.setData(KIND_ROLE, kind)
        table.setItem(row, 0, QTableWidgetItem(day))
        table.setItem(row, 1, kind_item)
        table.setItem(row, 2, QTableWidgetItem(note))

    def remove_selected(self) -> None:
        for index in sorted(
            (i.row() for i in self.table.selectionModel().selectedRows()), reverse=True
        ):
            self.table.removeRow(index)

    def overrides(self) -> list[dict[str, str]]:
        return [
            {
                "day": _cell(self.table, row, 0).text(),
                "kind": str(_cell(self.table, row, 1).data(KIND_ROLE)),
                "note": _cell(self.table, row, 2).text(),
            }
            for row in range(self.table.rowCount())
        ]

    def set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.feedback.show_error(message)
        grow_to_fit(self, self._layout)


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """A cell the dialog filled (every cell of a listed day is)."""
    item = table.item(row, column)
    assert item is not None
    return item
