"""An article's history: its revisions with author, approver and time; the two chosen
revisions side by side with their differences highlighted (the two browsers scroll together);
and 恢复此版本, which starts a new draft holding the chosen revision's content.

Layout only; the controller (qt/history_view.py) loads the revisions and restores.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_app.common.local_time import local_stamp


class HistoryView(QWidget):
    compare_changed = Signal(int, int)  # left and right revision versions
    restore_requested = Signal(int)  # the version to restore

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyView")
        self.revisions: list[dict[str, Any]] = []
        self._filling = False
        self.heading = QLabel()
        self.heading.setObjectName("historyHeading")
        self.heading.setStyleSheet("font-weight: 600;")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("revisionTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Version"), self.tr("Author"), self.tr("Approved by"), self.tr("Time")]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda row, *_: self._row_chosen(row))

        self.left_combo = QComboBox()
        self.left_combo.setObjectName("leftRevision")
        self.right_combo = QComboBox()
        self.right_combo.setObjectName("rightRevision")
        self.left_combo.currentIndexChanged.connect(self._combos_changed)
        self.right_combo.currentIndexChanged.connect(self._combos_changed)
        self.restore_button = QPushButton(self.tr("Restore this version"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip(
            self.tr("A new draft with this version's content, based on the current version")
        )
        self.restore_button.clicked.connect(self._restore)
        compare = QHBoxLayout()
        compare.setContentsMargins(0, 0, 0, 0)
        compare.addWidget(QLabel(self.tr("Compare")))
        compare.addWidget(self.left_combo, 1)
        compare.addWidget(QLabel(self.tr("with")))
        compare.addWidget(self.right_combo, 1)
        compare.addWidget(self.restore_button)

        self.fields_label = QLabel()
        self.fields_label.setObjectName("fieldChanges")
        self.fields_label.setWordWrap(True)
        self.left_text = QTextBrowser()
        self.left_text.setObjectName("leftDiff")
        self.right_text = QTextBrowser()
        self.right_text.setObjectName("rightDiff")
        # Scrolled together: the rows line up (agent_app/authoring/diff.py).
        self.left_text.verticalScrollBar().valueChanged.connect(
            lambda v: self._follow(self.right_text, v)
        )
        self.right_text.verticalScrollBar().valueChanged.connect(
            lambda v: self._follow(self.left_text, v)
        )
        diffs = QSplitter(Qt.Orientation.Horizontal)
        diffs.addWidget(self.left_text)
        diffs.addWidget(self.right_text)
        diffs.setChildrenCollapsible(False)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.setSpacing(4)
        lower_layout.addLayout(compare)
        lower_layout.addWidget(self.fields_label)
        lower_layout.addWidget(diffs, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setChildrenCollapsible(False)
        split.setSizes([150, 450])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        self.restore_button.setEnabled(False)

    @staticmethod
    def _follow(other: QTextBrowser, value: int) -> None:
        bar = other.verticalScrollBar()
        if bar.value() != value:
            bar.setValue(value)

    # -- filling ------------------------------------------------------------------------------
    def set_revisions(self, title: str, revisions: Sequence[dict[str, Any]]) -> None:
        """`revisions` newest first: {version, author, approver, created_at, ...}."""
        self.heading.setText(title)
        self.revisions = list(revisions)
        self._filling = True
        try:
            self.table.setRowCount(len(self.revisions))
            self.left_combo.clear()
            self.right_combo.clear()
            for row, revision in enumerate(self.revisions):
                values = [
                    str(revision["version"]),
                    revision.get("author") or "",
                    revision.get("approver") or "",
                    local_stamp(revision.get("created_at") or ""),
                ]
                for column, value in enumerate(values):
                    self.table.setItem(row, column, QTableWidgetItem(value))
                label = self.tr("Version %1").replace("%1", str(revision["version"]))
                self.left_combo.addItem(label, revision["version"])
                self.right_combo.addItem(label, revision["version"])
        finally:
            self._filling = False
        if self.revisions:
            self.table.selectRow(0)
            self._row_chosen(0)
        else:
            self.left_text.clear()
            self.right_text.clear()
            self.restore_button.setEnabled(False)

    def _row_chosen(self, row: int) -> None:
        """A revision picked in the list: compared with the one before it."""
        if self._filling or not 0 <= row < len(self.revisions):
            return
        self._filling = True
        try:
            self.right_combo.setCurrentIndex(row)
            self.left_combo.setCurrentIndex(min(row + 1, len(self.revisions) - 1))
        finally:
            self._filling = False
        self._combos_changed()

    def _combos_changed(self, *_: object) -> None:
        if (
            self._filling
            or self.left_combo.currentIndex() < 0
            or self.right_combo.currentIndex() < 0
        ):
            return
        # The newest revision is the current text: restoring it would change nothing.
        self.restore_button.setEnabled(self.right_combo.currentIndex() > 0)
        self.compare_changed.emit(self.left_combo.currentData(), self.right_combo.currentData())

    def set_diff(self, left_html: str, right_html: str, field_lines: Sequence[str]) -> None:
        self.left_text.setHtml(left_html)
        self.right_text.setHtml(right_html)
        self.fields_label.setText("\n".join(field_lines))
        self.fields_label.setVisible(bool(field_lines))

    def set_message(self, text: str) -> None:
        self.heading.setText(text)

    def _restore(self) -> None:
        version = self.right_combo.currentData()
        if version is not None:
            self.restore_requested.emit(int(version))
