"""需关注的文章: the trainer's two lists — articles past their review date, and articles agents
marked 没帮助 with the reasons they gave — and, for the article selected, the unanswered
questions it was made from or that point at it. Double-click or Enter opens the article in the
editor. Layout only: the controller (qt/attention.py) loads the lists."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kb.models import TYPE_NAMES

ARTICLE_ROLE = Qt.ItemDataRole.UserRole + 1


class AttentionView(QWidget):
    refresh_requested = Signal()
    open_requested = Signal(str)  # article uuid: open it in the editor
    vocabulary_requested = Signal()  # 搜索词库…
    retire_requested = Signal(str, str)  # article uuid, title (after the confirmation)
    shown = Signal()

    def __init__(self, english: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionView")
        self.english = english
        self.retire_box: QMessageBox | None = None
        self._build()

    def title(self) -> str:
        return self.tr("Articles to look at")

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.itemActivated.connect(self._activated)
        table.itemSelectionChanged.connect(self._selection_changed)
        return table

    def _build(self) -> None:
        self.overdue = self._table(
            "overdueTable",
            [self.tr("Title"), self.tr("Type"), self.tr("Review by"), self.tr("Questions")],
        )
        self.not_helpful = self._table(
            "notHelpfulTable",
            [
                self.tr("Title"),
                self.tr("Not helpful"),
                self.tr("Latest reason"),
                self.tr("Questions"),
            ],
        )
        # The reason column keeps to a width of its own: the title is what a trainer scans.
        reason = self.not_helpful.horizontalHeader()
        reason.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        reason.resizeSection(2, 140)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("attentionTabs")
        self.tabs.addTab(self.overdue, self.tr("Review overdue"))
        self.tabs.addTab(self.not_helpful, self.tr("Not helpful"))
        self.tabs.currentChanged.connect(lambda _i: self._selection_changed())
        self.detail = QTextBrowser()
        self.detail.setObjectName("attentionDetail")
        self.open_button = QPushButton(self.tr("Open in editor"))
        self.open_button.setObjectName("attentionOpen")
        self.open_button.clicked.connect(self._open_current)
        # Approvers only (set_can_retire): an overdue or unhelpful article may be withdrawn.
        self.retire_button = QPushButton(self.tr("Retire article…"))
        self.retire_button.setObjectName("attentionRetire")
        self.retire_button.clicked.connect(self.ask_retire)
        self.retire_button.hide()
        self.vocabulary_button = QPushButton(self.tr("Search vocabulary…"))
        self.vocabulary_button.setObjectName("vocabularyButton")
        self.vocabulary_button.setToolTip(self.tr("Synonym groups and the user dictionary"))
        self.vocabulary_button.clicked.connect(self.vocabulary_requested.emit)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("attentionRefresh")
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        self.notice = QLabel()
        self.notice.setObjectName("attentionNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.retire_button)
        buttons.addStretch(1)
        buttons.addWidget(self.vocabulary_button)
        buttons.addWidget(self.refresh_button)
        right_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tabs)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)
        layout.addWidget(self.notice)
        self._selection_changed()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.shown.emit()

    def type_name(self, code: str) -> str:
        names = TYPE_NAMES.get(code)
        return (names[1] if self.english else names[0]) if names else code

    # -- filling ------------------------------------------------------------------------------
    def set_attention(self, attention: dict[str, Any]) -> None:
        overdue = attention.get("review_overdue") or []
        self.overdue.setRowCount(len(overdue))
        for row, article in enumerate(overdue):
            entry = {"article": article, "count": 0, "reasons": []}
            cells = [
                article.get("title", ""),
                self.type_name(article.get("type", "")),
                article.get("review_due", ""),
                str(len(article.get("questions") or [])),
            ]
            self._fill(self.overdue, row, cells, entry)
        votes = attention.get("not_helpful") or []
        self.not_helpful.setRowCount(len(votes))
        for row, entry in enumerate(votes):
            article = entry.get("article") or {}
            reasons = entry.get("reasons") or []
            cells = [
                article.get("title", ""),
                str(entry.get("count", 0)),
                reasons[0] if reasons else "",
                str(len(article.get("questions") or [])),
            ]
            self._fill(self.not_helpful, row, cells, entry)
        self.tabs.setTabText(0, self.tr("Review overdue (%1)").replace("%1", str(len(overdue))))
        self.tabs.setTabText(1, self.tr("Not helpful (%1)").replace("%1", str(len(votes))))
        for table in (self.overdue, self.not_helpful):
            if table.rowCount() and not table.selectedItems():
                table.selectRow(0)
        self._selection_changed()

    @staticmethod
    def _fill(table: QTableWidget, row: int, cells: list[str], entry: dict[str, Any]) -> None:
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(ARTICLE_ROLE, entry)
            item.setToolTip(text)
            if column in (1, 3) and text.isdigit():
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(row, column, item)

    def current_entry(self) -> dict[str, Any] | None:
        table = self.tabs.currentWidget()
        if not isinstance(table, QTableWidget):
            return None
        items = table.selectedItems()
        return items[0].data(ARTICLE_ROLE) if items else None

    def _selection_changed(self) -> None:
        entry = self.current_entry()
        self.open_button.setEnabled(entry is not None)
        self.retire_button.setEnabled(entry is not None)
        if entry is None:
            self.detail.setHtml(
                "<p style='color:#6b7280'>"
                + html.escape(self.tr("Nothing needs attention in this list."))
                + "</p>"
            )
            return
        article = entry["article"]
        parts = [f"<h3>{html.escape(article.get('title', ''))}</h3>"]
        if article.get("review_due"):
            parts.append(
                "<p>"
                + html.escape(self.tr("Review by %1").replace("%1", article["review_due"]))
                + "</p>"
            )
        reasons = entry.get("reasons") or []
        if entry.get("count"):
            parts.append(
                "<p><b>"
                + html.escape(self.tr("Not helpful: %1 vote(s)").replace("%1", str(entry["count"])))
                + "</b></p>"
            )
        if reasons:
            parts.append("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in reasons) + "</ul>")
        questions = article.get("questions") or []
        parts.append(
            "<p><b>" + html.escape(self.tr("Questions linked to this article")) + "</b></p>"
        )
        if questions:
            parts.append(
                "<ul>"
                + "".join(
                    f"<li>{html.escape(q.get('query', ''))}"
                    f" <span style='color:#6b7280'>({html.escape(q.get('status', ''))})</span></li>"
                    for q in questions
                )
                + "</ul>"
            )
        else:
            parts.append("<p style='color:#6b7280'>" + html.escape(self.tr("(none)")) + "</p>")
        self.detail.setHtml("".join(parts))

    def show_notice(self, message: str, error: bool = False) -> None:
        color = "#b91c1c" if error else "#15803d"
        self.notice.setStyleSheet(f"color: {color}; padding: 2px;")
        self.notice.setText(message)
        self.notice.setVisible(bool(message))

    def set_can_retire(self, can: bool) -> None:
        self.retire_button.setVisible(can)

    def ask_retire(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        article = entry["article"]
        box = self.retire_box = QMessageBox(self)
        box.setObjectName("attentionRetireConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Retire article"))
        box.setText(
            self.tr(
                "Retire “%1”? Agents no longer find it; every workstation removes it at its"
                " next sync."
            ).replace("%1", article.get("title", ""))
        )
        retire = box.addButton(self.tr("Retire"), QMessageBox.ButtonRole.DestructiveRole)
        retire.setObjectName("retireYes")
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        uuid, title = article["uuid"], article.get("title", "")
        box.finished.connect(
            lambda _r: (
                self.retire_requested.emit(uuid, title) if box.clickedButton() is retire else None
            )
        )
        box.open()

    # -- opening ------------------------------------------------------------------------------
    def _activated(self, item: QTableWidgetItem) -> None:
        entry = item.data(ARTICLE_ROLE)
        if entry:
            self.open_requested.emit(entry["article"]["uuid"])

    def _open_current(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.open_requested.emit(entry["article"]["uuid"])
