"""'问题队列': the agents' questions as the server has them, with filters, similar-question
groups and the searches that found nothing. Layout and selection only; the queue controller
does the talking to the server."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_app.common.local_time import day_bounds, local_stamp
from agent_app.questions.views.question_labels import (
    BUILT_IN_NAMES,
    STATUSES,
    fill_line_combo,
    line_name,
    status_color,
    status_name,
)
from kb.business_lines import BUILT_IN, BusinessLine

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
OPEN_STATES = ("open", "claimed")


class QuestionQueueView(QWidget):
    refresh_requested = Signal()
    claim_requested = Signal()
    answer_requested = Signal()
    reject_requested = Signal()
    merge_requested = Signal()
    make_article_requested = Signal()
    merge_group_requested = Signal(list)  # the question uuids of one group
    shown = Signal()

    def __init__(self, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionQueue")
        self.english = english
        self.items: list[dict[str, Any]] = []
        # Every business line of the workstation, inactive ones too (the controller reads them).
        self.lines: dict[str, BusinessLine] = dict(BUILT_IN_NAMES)
        self.can_make_articles = False
        self.groups_questions: dict[str, dict[str, Any]] = {}
        self._build_filters()
        self._build_questions()
        self._build_groups()
        self._build_misses()
        self.notice = QLabel()
        self.notice.setObjectName("queueNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("queueTabs")
        self.tabs.addTab(self.questions_page, self.tr("Questions"))
        self.tabs.addTab(self.groups_page, self.tr("Similar questions"))
        self.tabs.addTab(self.misses_page, self.tr("Searches without results"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_row)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        self._selection_changed()

    # -- layout -------------------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("queueStatusFilter")
        self.status_filter.addItem(self.tr("All states"), "")
        for code in STATUSES:
            self.status_filter.addItem(status_name(code), code)
        self.status_filter.setCurrentIndex(self.status_filter.findData("open"))
        self.line_filter = QComboBox()
        self.line_filter.setObjectName("queueLineFilter")
        self.line_filter.addItem(self.tr("All business lines"), "")
        fill_line_combo(self.line_filter, BUILT_IN, self.english)
        self.category_filter = QLineEdit()
        self.category_filter.setObjectName("queueCategoryFilter")
        self.category_filter.setPlaceholderText(self.tr("Category"))
        self.category_filter.setMaximumWidth(140)
        self.agent_filter = QLineEdit()
        self.agent_filter.setObjectName("queueAgentFilter")
        self.agent_filter.setPlaceholderText(self.tr("Agent"))
        self.agent_filter.setMaximumWidth(110)
        self.date_check = QCheckBox(self.tr("From"))
        self.date_check.setObjectName("queueDateCheck")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-7))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("queueRefresh")
        self.refresh_button.setShortcut("F5")
        # The filters in a tool bar, not a row: below the knowledge base beside the right-hand
        # column of a 1024 px seat the last ones move into its » menu instead of widening the
        # whole window (in a row they needed 720 px). Refresh stays outside, always in sight.
        filters = QToolBar()
        filters.setObjectName("queueFilters")
        for widget in (
            self.status_filter,
            self.line_filter,
            self.category_filter,
            self.agent_filter,
            self.date_check,
            self.date_from,
            QLabel(self.tr("to")),
            self.date_to,
        ):
            filters.addWidget(widget)
        self.filters_bar = filters
        row = QHBoxLayout()
        row.addWidget(filters, 1)
        row.addWidget(self.refresh_button)
        self.filter_row = row
        for combo in (self.status_filter, self.line_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh_requested.emit())
        for line_edit in (self.category_filter, self.agent_filter):
            line_edit.returnPressed.connect(self.refresh_requested.emit)
        self.date_check.toggled.connect(self._dates_toggled)
        for date_edit in (self.date_from, self.date_to):
            date_edit.dateChanged.connect(lambda _d: self.refresh_requested.emit())
        self.refresh_button.clicked.connect(self.refresh_requested.emit)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.refresh_requested.emit()

    def _build_questions(self) -> None:
        self.model = QStandardItemModel(0, 6, self)
        self.model.setHorizontalHeaderLabels(
            [
                self.tr("Recorded"),
                self.tr("Agent"),
                self.tr("Business line"),
                self.tr("Question"),
                self.tr("Status"),
                self.tr("Handled by"),
            ]
        )
        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _i: self.answer_requested.emit())
        self.total_label = QLabel()
        self.total_label.setObjectName("queueTotal")

        self.claim_button = QPushButton(self.tr("Claim"))
        self.claim_button.setObjectName("queueClaim")
        self.answer_button = QPushButton(self.tr("Answer…"))
        self.answer_button.setObjectName("queueAnswer")
        self.reject_button = QPushButton(self.tr("Reject…"))
        self.reject_button.setObjectName("queueReject")
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setObjectName("queueMerge")
        self.merge_button.setToolTip(self.tr("Select two or more similar questions to merge them"))
        self.article_button = QPushButton(self.tr("Make article…"))
        self.article_button.setObjectName("queueMakeArticle")
        self.claim_button.clicked.connect(self.claim_requested.emit)
        self.answer_button.clicked.connect(self.answer_requested.emit)
        self.reject_button.clicked.connect(self.reject_requested.emit)
        self.merge_button.clicked.connect(self.merge_requested.emit)
        self.article_button.clicked.connect(self.make_article_requested.emit)
        # A tool bar too, for the same reason: the last actions fold into its » menu.
        buttons = QToolBar()
        buttons.setObjectName("queueActions")
        for button in (
            self.claim_button,
            self.answer_button,
            self.reject_button,
            self.merge_button,
            self.article_button,
        ):
            buttons.addWidget(button)
        self.actions_bar = buttons
        actions = QHBoxLayout()
        actions.addWidget(self.total_label, 1)
        actions.addWidget(buttons)

        self.detail = QTextBrowser()
        self.detail.setObjectName("queueDetail")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(actions)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.questions_page = split

    def _build_groups(self) -> None:
        self.groups_tree = QTreeWidget()
        self.groups_tree.setObjectName("queueGroups")
        self.groups_tree.setHeaderLabels([self.tr("Question"), self.tr("Agent")])
        self.groups_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.groups_tree.header().setStretchLastSection(False)
        self.groups_tree.currentItemChanged.connect(lambda *_: self._group_selection_changed())
        self.merge_group_button = QPushButton(self.tr("Merge this group…"))
        self.merge_group_button.setObjectName("queueMergeGroup")
        self.merge_group_button.clicked.connect(self._merge_group)
        hint = QLabel(
            self.tr("Open questions that ask the same thing: merge them, then answer once.")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7280;")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.groups_tree, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.merge_group_button)
        layout.addLayout(row)
        self.groups_page = page
        self._group_selection_changed()

    def _build_misses(self) -> None:
        self.misses_table = QTableWidget(0, 4)
        self.misses_table.setObjectName("queueMisses")
        self.misses_table.setHorizontalHeaderLabels(
            [self.tr("Search"), self.tr("Times"), self.tr("Agents"), self.tr("Last time")]
        )
        self.misses_table.verticalHeader().hide()
        self.misses_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.misses_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        hint = QLabel(
            self.tr("What agents searched for and found nothing: the articles most needed.")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7280;")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.misses_table, 1)
        self.misses_page = page

    # -- filters ------------------------------------------------------------------------------
    def filters(self) -> dict[str, str]:
        since, until = self.date_range()
        return {
            "status": str(self.status_filter.currentData() or ""),
            "business_line": str(self.line_filter.currentData() or ""),
            "category": self.category_filter.text().strip(),
            "agent": self.agent_filter.text().strip(),
            "since": since,
            "until": until,
        }

    def date_range(self) -> tuple[str, str]:
        if not self.date_check.isChecked():
            return "", ""
        return day_bounds(self.date_from.date().toPython(), self.date_to.date().toPython())  # type: ignore[arg-type]

    # -- filling ------------------------------------------------------------------------------
    def set_business_lines(self, lines: list[BusinessLine]) -> None:
        """The workstation's lines (synced from the server): the active ones in the filter,
        every one to name questions by. A chosen line that went inactive falls back to 'all'."""
        self.lines = {line.code: line for line in lines}
        if fill_line_combo(self.line_filter, lines, self.english):
            self.refresh_requested.emit()
        for row, question in enumerate(self.items):
            item = self.model.item(row, 2)
            if item is not None:
                item.setText(line_name(question.get("business_line", ""), self.english, self.lines))

    def set_questions(self, items: list[dict[str, Any]], total: int) -> None:
        """Show `items`, keeping the selection (by question) across refreshes."""
        keep = {q["uuid"] for q in self.selected_questions()}
        current = self.current_question()
        self.items = items
        self.model.removeRows(0, self.model.rowCount())
        for question in items:
            handled = question.get("answered_by") or question.get("claimed_by") or ""
            row = [
                QStandardItem(local_stamp(question["created_at"])),
                QStandardItem(question["agent"]),
                QStandardItem(
                    line_name(question.get("business_line", ""), self.english, self.lines)
                ),
                QStandardItem(question["query"]),
                QStandardItem(status_name(question["status"])),
                QStandardItem(handled),
            ]
            row[0].setData(question, ROW_ROLE)
            row[3].setToolTip(question["query"])
            row[4].setForeground(QColor(status_color(question["status"])))
            self.model.appendRow(row)
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for r, question in enumerate(items):
            if question["uuid"] in keep:
                selection.select(self.model.index(r, 0), flags)
            if current is not None and question["uuid"] == current["uuid"]:
                selection.setCurrentIndex(
                    self.model.index(r, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
        for column in (0, 1, 2, 4, 5):
            self.table.resizeColumnToContents(column)
        self.total_label.setText(self.tr("%n question(s)", "", total))
        self._selection_changed()

    def update_question(self, question: dict[str, Any]) -> None:
        """One question changed (after an action): update its row in place."""
        for r, item in enumerate(self.items):
            if item["uuid"] == question["uuid"]:
                self.items[r] = question
                self.model.item(r, 0).setData(question, ROW_ROLE)
                self.model.item(r, 4).setText(status_name(question["status"]))
                self.model.item(r, 4).setForeground(QColor(status_color(question["status"])))
                handled = question.get("answered_by") or question.get("claimed_by") or ""
                self.model.item(r, 5).setText(handled)
        self._selection_changed()

    def select_questions(self, uuids: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for r, question in enumerate(self.items):
            if question["uuid"] in uuids:
                selection.select(self.model.index(r, 0), flags)
                if question["uuid"] == uuids[0]:
                    selection.setCurrentIndex(
                        self.model.index(r, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                    )
        self._selection_changed()

    def set_groups(
        self, groups: list[dict[str, Any]], questions: dict[str, dict[str, Any]]
    ) -> None:
        self.groups_tree.clear()
        for group in groups:
            members = [questions[u] for u in group["members"] if u in questions]
            if len(members) < 2:
                continue
            top = QTreeWidgetItem(
                [
                    self.tr("%1 (%n question(s))", "", len(members)).replace(
                        "%1", members[0]["query"]
                    ),
                    "",
                ]
            )
            top.setData(0, ROW_ROLE, [m["uuid"] for m in members])
            for member in members:
                child = QTreeWidgetItem([member["query"], member["agent"]])
                child.setData(0, ROW_ROLE, [m["uuid"] for m in members])
                top.addChild(child)
            self.groups_tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.groups_questions = questions
        if not self.groups_tree.topLevelItemCount():
            empty = QTreeWidgetItem([self.tr("No similar open questions just now."), ""])
            empty.setDisabled(True)
            self.groups_tree.addTopLevelItem(empty)
        self._group_selection_changed()

    def set_misses(self, misses: list[dict[str, Any]]) -> None:
        self.misses_table.setRowCount(len(misses))
        for r, miss in enumerate(misses):
            values = [miss["query"], str(miss["times"]), str(miss["agents"]), miss["last_at"]]
            values[3] = local_stamp(values[3])
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.misses_table.setItem(r, c, item)

    def show_notice(self, message: str, error: bool = False) -> None:
        color = "#b91c1c" if error else "#15803d"
        self.notice.setStyleSheet(f"color: {color}; padding: 4px;")
        self.notice.setText(message)
        self.notice.setVisible(bool(message))

    def set_article_rights(self, can_make: bool) -> None:
        self.can_make_articles = can_make
        if not can_make:
            self.article_button.setToolTip(
                self.tr("Only supervisors, trainers and managers write articles")
            )
        self._selection_changed()

    # -- selection ----------------------------------------------------------------------------
    def selected_questions(self) -> list[dict[str, Any]]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.index(r, 0).data(ROW_ROLE) for r in rows]

    def current_question(self) -> dict[str, Any] | None:
        selected = self.selected_questions()
        if len(selected) != 1:
            index = self.table.currentIndex()
            if len(selected) > 1 and index.isValid():
                return self.model.index(index.row(), 0).data(ROW_ROLE)
            return selected[0] if selected else None
        return selected[0]

    def _selection_changed(self) -> None:
        selected = self.selected_questions()
        one = selected[0] if len(selected) == 1 else None
        status = one["status"] if one else ""
        self.claim_button.setEnabled(status == "open")
        self.answer_button.setEnabled(status in OPEN_STATES)
        self.reject_button.setEnabled(status in OPEN_STATES)
        self.merge_button.setEnabled(
            len(selected) >= 2 and any(q["status"] in OPEN_STATES for q in selected)
        )
        self.article_button.setEnabled(
            self.can_make_articles and one is not None and status != "merged"
        )
        self.detail.setHtml(self._detail_html(one) if one else self._selection_hint(selected))

    def _selection_hint(self, selected: list[dict[str, Any]]) -> str:
        if selected:
            text = self.tr(
                "%n question(s) selected: “Merge…” keeps one of them.", "", len(selected)
            )
        else:
            text = self.tr("Select a question to see it in full.")
        return f"<p style='color:#6b7280'>{html.escape(text)}</p>"

    def _detail_html(self, q: dict[str, Any]) -> str:
        def para(label: str, value: str) -> str:
            body = html.escape(value).replace("\n", "<br>")
            return f"<p><b>{html.escape(label)}</b><br>{body}</p>"

        parts = [
            f"<h3>{html.escape(q['query'])}</h3>",
            "<p><span style='color:{}'>{}</span> · {} · {}</p>".format(
                status_color(q["status"]),
                html.escape(status_name(q["status"])),
                html.escape(q["agent"]),
                html.escape(local_stamp(q["created_at"])),
            ),
        ]
        if q.get("note"):
            parts.append(para(self.tr("Note"), q["note"]))
        if q.get("claimed_by") and q["status"] == "claimed":
            parts.append(para(self.tr("Claimed by"), q["claimed_by"]))
        if q.get("answer"):
            parts.append(
                para(
                    self.tr("Answer from %1").replace("%1", q.get("answered_by") or "?"),
                    q["answer"],
                )
            )
        if q.get("reject_reason"):
            parts.append(para(self.tr("Reason for rejecting"), q["reject_reason"]))
        if q.get("article_uuid"):
            parts.append(para(self.tr("Article"), q["article_uuid"]))
        return "".join(parts)

    def _group_selection_changed(self) -> None:
        item = self.groups_tree.currentItem()
        self.merge_group_button.setEnabled(item is not None and item.data(0, ROW_ROLE) is not None)

    def _merge_group(self) -> None:
        item = self.groups_tree.currentItem()
        if item is not None and item.data(0, ROW_ROLE) is not None:
            self.merge_group_requested.emit(list(item.data(0, ROW_ROLE)))

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.shown.emit()
