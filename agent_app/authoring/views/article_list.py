"""The authoring pane (知识编写): the trainer's drafts and the knowledge base's articles, found
by title and filtered by type, review date or "my drafts", with 新建 (from a type's template),
编辑 and 历史. The editor itself opens in a window of its own (views/editor_window.py).

Layout only; the controller is qt/article_list.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.authoring.listing import ListFilter, Row
from common.articles import ARTICLE_TYPES
from kb.models import TYPE_NAMES

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_COLOURS = {
    "draft": "#6b7280",
    "submitted": "#1d4ed8",
    "approved": "#15803d",
    "published": "#15803d",
    "rejected": "#b91c1c",
    "conflict": "#b91c1c",
}


class ArticleListView(QWidget):
    filter_changed = Signal()
    new_requested = Signal(str)  # article type
    open_requested = Signal(object)  # Row
    history_requested = Signal(object)  # Row
    surveys_requested = Signal()

    def __init__(self, english: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("authoringPane")
        self._english = english
        self.rows: list[Row] = []
        self.search = QLineEdit()
        self.search.setObjectName("authoringSearch")
        self.search.setPlaceholderText(self.tr("Find by title…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.filter_changed.emit())
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("authoringType")
        self.type_combo.addItem(self.tr("All types"), "")
        for code in ARTICLE_TYPES:
            self.type_combo.addItem(self.type_name(code), code)
        self.type_combo.currentIndexChanged.connect(lambda _i: self.filter_changed.emit())
        self.due_check = QCheckBox(self.tr("Review due"))
        self.due_check.setObjectName("authoringDue")
        self.due_check.setToolTip(self.tr("Only articles past their review date"))
        self.due_check.toggled.connect(lambda _c: self.filter_changed.emit())
        self.drafts_check = QCheckBox(self.tr("My drafts"))
        self.drafts_check.setObjectName("authoringDrafts")
        self.drafts_check.toggled.connect(lambda _c: self.filter_changed.emit())
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.type_combo, 1)
        filters.addWidget(self.due_check)
        filters.addWidget(self.drafts_check)

        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("Title"), self.tr("Type"), self.tr("State")])
        self.table = QTableView()
        self.table.setObjectName("authoringTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.table.activated.connect(lambda _i: self._open())
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #6b7280;")

        self.new_button = QToolButton()
        self.new_button.setObjectName("newArticle")
        self.new_button.setText(self.tr("New"))
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_button.setMinimumWidth(72)  # the text and the menu's arrow, not overlapping
        menu = QMenu(self.new_button)
        for code in ARTICLE_TYPES:
            action = QAction(self.type_name(code), menu)
            action.setObjectName(f"new-{code}")
            action.triggered.connect(lambda _c=False, t=code: self.new_requested.emit(t))
            menu.addAction(action)
        self.new_button.setMenu(menu)
        self.edit_button = QPushButton(self.tr("Edit"))
        self.edit_button.setObjectName("editArticle")
        self.edit_button.clicked.connect(self._open)
        self.history_button = QPushButton(self.tr("History"))
        self.history_button.setObjectName("articleHistory")
        self.history_button.clicked.connect(self._history)
        self.surveys_button = QPushButton(self.tr("Surveys"))
        self.surveys_button.setObjectName("openSurveys")
        self.surveys_button.clicked.connect(self.surveys_requested.emit)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.surveys_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self._enable()

    def title(self) -> str:
        return self.tr("Authoring")

    def type_name(self, code: str) -> str:
        zh, en = TYPE_NAMES.get(code, (code, code))
        return en if self._english else zh

    def state_name(self, state: str) -> str:
        names = {
            "draft": self.tr("Draft"),
            "submitted": self.tr("Submitted"),
            "approved": self.tr("Approved"),
            "published": self.tr("Published"),
            "rejected": self.tr("Rejected"),
            "conflict": self.tr("Conflict"),
        }
        return names.get(state, state)

    def current_filter(self) -> ListFilter:
        return ListFilter(
            self.search.text(),
            self.type_combo.currentData() or "",
            self.due_check.isChecked(),
            self.drafts_check.isChecked(),
        )

    def set_rows(self, rows: Sequence[Row], today: str) -> None:
        current = self.current_row()
        keep = current.uuid if current else None
        self.rows = list(rows)
        self.model.removeRows(0, self.model.rowCount())
        bold = QFont()
        bold.setBold(True)
        for row in self.rows:
            if row.kind == "draft":
                state = self.state_name(row.state)
            elif row.review_due and row.review_due <= today:
                state = self.tr("Review due %1").replace("%1", row.review_due)
            else:
                state = self.tr("v%1").replace("%1", str(row.version))
            items = [
                QStandardItem(row.title or self.tr("(untitled)")),
                QStandardItem(self.type_name(row.type)),
                QStandardItem(state),
            ]
            items[0].setData(row, ROW_ROLE)
            items[0].setToolTip(row.title)
            if row.kind == "draft":
                items[0].setFont(bold)
                items[2].setForeground(QColor(STATE_COLOURS.get(row.state, "#374151")))
            elif row.review_due and row.review_due <= today:
                items[2].setForeground(QColor("#b45309"))
            self.model.appendRow(items)
        self.count_label.setText(self.tr("%n item(s)", "", len(self.rows)))
        for index, row in enumerate(self.rows):
            if row.uuid == keep:
                self.table.selectRow(index)
                break
        self._enable()

    def current_row(self) -> Row | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.index(index.row(), 0).data(ROW_ROLE)

    def select_uuid(self, uuid: str) -> bool:
        for index, row in enumerate(self.rows):
            if uuid in (row.uuid, row.article_uuid):
                self.table.selectRow(index)
                return True
        return False

    def _enable(self) -> None:
        row = self.current_row()
        self.edit_button.setEnabled(row is not None)
        self.history_button.setEnabled(row is not None and row.version > 0)

    def _open(self) -> None:
        row = self.current_row()
        if row is not None:
            self.open_requested.emit(row)

    def _history(self) -> None:
        row = self.current_row()
        if row is not None and row.version > 0:
            self.history_requested.emit(row)
