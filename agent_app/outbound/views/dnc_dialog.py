"""'免打扰名单': the do-not-call numbers, the center's global list or one campaign's: the list,
numbers pasted many at once (one per line, or a column copied from a spreadsheet) with a
reason, and the selected ones removed. Layout only; the campaign admin controller sends."""

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
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_app.common.local_time import local_stamp

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class DncDialog(QDialog):
    scope_changed = Signal(object)  # a campaign id, or None for the global list
    add_requested = Signal(str, str)  # the pasted text, the reason
    remove_requested = Signal(list)  # ids of the numbers to remove

    def __init__(
        self,
        campaigns: list[dict[str, Any]],
        campaign_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dncDialog")
        self.setWindowTitle(self.tr("Do-not-call numbers"))
        self.scope = QComboBox()
        self.scope.setObjectName("dncScope")
        self.scope.addItem(self.tr("Global (every campaign)"), None)
        for campaign in campaigns:
            self.scope.addItem(
                self.tr("Campaign “%1”").replace("%1", campaign.get("name", "")), campaign["id"]
            )
        self.scope.setCurrentIndex(max(0, self.scope.findData(campaign_id)))
        self.scope.currentIndexChanged.connect(
            lambda _i: self.scope_changed.emit(self.scope.currentData())
        )
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel(self.tr("List")))
        scope_row.addWidget(self.scope, 1)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("dncTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Number"), self.tr("Reason"), self.tr("Added")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.count_label = QLabel()
        self.remove_button = QPushButton(self.tr("Remove selected"))
        self.remove_button.setObjectName("dncRemove")
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.selected_ids()))
        list_row = QHBoxLayout()
        list_row.addWidget(self.count_label, 1)
        list_row.addWidget(self.remove_button)

        self.paste = QPlainTextEdit()
        self.paste.setObjectName("dncPaste")
        self.paste.setPlaceholderText(
            self.tr("One number per line; a column copied from a spreadsheet works too.")
        )
        self.paste.setMaximumHeight(100)
        self.reason = QLineEdit()
        self.reason.setObjectName("dncReason")
        self.reason.setPlaceholderText(self.tr("Reason (optional), e.g. the customer asked"))
        self.reason.setMaxLength(500)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("dncAdd")
        self.add_button.clicked.connect(
            lambda: self.add_requested.emit(self.paste.toPlainText(), self.reason.text().strip())
        )
        add_box = QGroupBox(self.tr("Add numbers"))
        add_layout = QVBoxLayout(add_box)
        add_layout.addWidget(self.paste)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason, 1)
        reason_row.addWidget(self.add_button)
        add_layout.addLayout(reason_row)

        self.status = QLabel()
        self.status.setObjectName("dncStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.hide()
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(scope_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(list_row)
        layout.addWidget(add_box)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        self._selection_changed()
        self.resize(560, 520)

    def campaign_id(self) -> int | None:
        value = self.scope.currentData()
        return None if value is None else int(value)

    def set_numbers(self, numbers: list[dict[str, Any]]) -> None:
        self.table.setRowCount(len(numbers))
        for row, number in enumerate(numbers):
            values = [
                number.get("phone_key", ""),
                number.get("reason", ""),
                local_stamp(number["added_at"]) if number.get("added_at") else "",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(ID_ROLE, number["id"])
                self.table.setItem(row, column, item)
        self.count_label.setText(self.tr("%n number(s)", "", len(numbers)))
        self._selection_changed()

    def numbers_shown(self) -> list[str]:
        return [_cell(self.table, r).text() for r in range(self.table.rowCount())]

    def selected_ids(self) -> list[int]:
        return [
            int(_cell(self.table, index.row()).data(ID_ROLE))
            for index in self.table.selectionModel().selectedRows()
        ]

    def select_numbers(self, keys: list[str]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.table.rowCount()):
            if _cell(self.table, row).text() in keys:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def set_busy(self, busy: bool) -> None:
        for widget in (self.add_button, self.remove_button, self.scope):
            widget.setEnabled(not busy)
        if not busy:
            self._selection_changed()

    def added(self) -> None:
        """The numbers were taken: the paste is cleared for the next ones."""
        self.paste.clear()

    def show_message(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {'#b91c1c' if error else '#166534'};")
        self.status.setVisible(bool(text))


def _cell(table: QTableWidget, row: int, column: int = 0) -> QTableWidgetItem:
    """A cell the dialog filled (every cell of a listed row is)."""
    item = table.item(row, column)
    assert item is not None
    return item
