"""审核队列: the manager's list of submitted proposals and, for the one selected, its article
against the published one side by side and a preview of the proposed text; 批准并发布, 退回
(with a comment) and 停用文章. Layout only: the controller (qt/review_queue.py) talks to the
server."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_app.authoring.review import DiffRow
from agent_app.common.local_time import local_stamp
from kb.models import TYPE_NAMES

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = 4
# Row colours of the diff: removed on the left, added on the right, changed on both.
_DIFF_COLORS = {"removed": "#fee2e2", "added": "#dcfce7", "changed": "#fef9c3", "equal": ""}


class RejectDialog(QDialog):
    """退回: the comment is required (the author reads it beside the draft)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rejectProposalDialog")
        self.setWindowTitle(self.tr("Return to the author"))
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("Why is “%1” returned? The author sees this.").replace("%1", title))
        label.setWordWrap(True)
        layout.addWidget(label)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("rejectComment")
        self.comment_edit.setFixedHeight(90)
        layout.addWidget(self.comment_edit)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b91c1c;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Return"))
        self.ok_button.setObjectName("rejectSend")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @property
    def comment(self) -> str:
        return self.comment_edit.toPlainText().strip()

    def _accept_if_valid(self) -> None:
        if self.comment:
            self.accept()
            return
        self.problem.setText(self.tr("Write a comment for the author."))
        self.problem.show()
        self.comment_edit.setFocus()


class ReviewQueueView(QWidget):
    refresh_requested = Signal()
    proposal_selected = Signal(str)  # proposal uuid ('' for none)
    approve_requested = Signal(str)  # proposal uuid
    reject_requested = Signal(str, str)  # proposal uuid, comment
    retire_requested = Signal(str, str)  # article uuid, title
    shown = Signal()

    def __init__(self, english: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueue")
        self.english = english
        self.proposals: dict[str, dict[str, Any]] = {}
        self.marked: dict[str, str] = {}  # proposal uuid -> what happened to it (conflict)
        self.reject_dialog: RejectDialog | None = None
        self._build()

    def title(self) -> str:
        return self.tr("Review queue")

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Title"),
                self.tr("Author"),
                self.tr("Submitted"),
                self.tr("Type"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        # The title takes the room; the author's note is its tooltip and in the heading of the
        # selected proposal (the pane is narrow below the knowledge base).
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("reviewCount")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("reviewRefresh")
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        left_top = QHBoxLayout()
        left_top.addWidget(self.count_label, 1)
        left_top.addWidget(self.refresh_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(left_top)
        left_layout.addWidget(self.table, 1)

        self.heading = QLabel()
        self.heading.setObjectName("reviewHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.diff = QTextBrowser()
        self.diff.setObjectName("reviewDiff")
        self.preview = QTextBrowser()
        self.preview.setObjectName("reviewPreview")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.tabs.addTab(self.diff, self.tr("Changes"))
        self.tabs.addTab(self.preview, self.tr("Preview"))
        self.approve_button = QPushButton(self.tr("Approve and publish"))
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setToolTip(self.tr("Ctrl+Enter"))
        self.reject_button = QPushButton(self.tr("Return…"))
        self.reject_button.setObjectName("rejectButton")
        self.retire_button = QPushButton(self.tr("Retire article…"))
        self.retire_button.setObjectName("retireButton")
        self.retire_button.setToolTip(
            self.tr("Withdraw the published article from every workstation")
        )
        self.approve_button.clicked.connect(self._approve)
        self.reject_button.clicked.connect(self.ask_reject)
        self.retire_button.clicked.connect(self.ask_retire)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._approve)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.retire_button)
        self.notice = QLabel()
        self.notice.setObjectName("reviewNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs, 1)
        right_layout.addWidget(self.notice)
        right_layout.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("reviewSplit")
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([460, 540])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split, 1)
        self.show_detail(None, [], "")

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.shown.emit()

    # -- the list -----------------------------------------------------------------------------
    def type_name(self, code: str) -> str:
        names = TYPE_NAMES.get(code)
        return (names[1] if self.english else names[0]) if names else code

    def set_proposals(self, proposals: list[dict[str, Any]]) -> None:
        """The submitted proposals, oldest first; the selection is kept when still there."""
        keep = self.current_uuid()
        self.proposals = {p["uuid"]: p for p in proposals}
        self.table.blockSignals(True)
        self.table.setRowCount(len(proposals))
        for row, p in enumerate(proposals):
            content = p.get("content") or {}
            kind = self.type_name(content.get("type", ""))
            if p.get("base_version") is None:
                kind += " · " + self.tr("new")
            title = content.get("title", "")
            mark = self.marked.get(p["uuid"], "")
            if mark:
                title = f"⚠ {title}"
            cells = [
                title,
                p.get("author") or p.get("author_username", ""),
                local_stamp(p.get("received_at") or p.get("created_at") or "")[5:16],
                kind,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(UUID_ROLE, p["uuid"])
                note = p.get("note", "")
                tip = f"{text}\n{self.tr('Note: %1').replace('%1', note)}" if note else text
                item.setToolTip(mark or tip)
                if mark:
                    item.setForeground(QColor("#b91c1c"))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.count_label.setText(self.tr("%n proposal(s) waiting", "", len(proposals)))
        if keep and keep in self.proposals:
            self.select(keep)
            self.enable_actions(keep)  # the same row stays selected: no selection signal
        elif proposals:
            self.table.selectRow(0)
        else:
            self.show_detail(None, [], "")
            self.proposal_selected.emit("")

    def select(self, uuid: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(UUID_ROLE) == uuid:
                self.table.selectRow(row)
                return

    def current_uuid(self) -> str:
        items = self.table.selectedItems()
        return str(items[0].data(UUID_ROLE)) if items else ""

    def current_proposal(self) -> dict[str, Any] | None:
        return self.proposals.get(self.current_uuid())

    def _selection_changed(self) -> None:
        uuid = self.current_uuid()
        self.enable_actions(uuid)
        self.proposal_selected.emit(uuid)

    def enable_actions(self, uuid: str) -> None:
        proposal = self.proposals.get(uuid)
        live = proposal is not None and uuid not in self.marked
        self.approve_button.setEnabled(live)
        self.reject_button.setEnabled(live)
        # Retiring is for an article that is published: not for a proposal of a new one.
        self.retire_button.setEnabled(
            proposal is not None and proposal.get("base_version") is not None
        )

    # -- the detail ---------------------------------------------------------------------------
    def show_detail(
        self,
        proposal: dict[str, Any] | None,
        rows: list[DiffRow],
        preview_html: str,
        published_version: int | None = None,
    ) -> None:
        """`rows`: the published article (left) against the proposal (right)."""
        if proposal is None:
            self.heading.setText(
                "<span style='color:#6b7280'>"
                + html.escape(self.tr("Select a proposal to review it."))
                + "</span>"
            )
            self.diff.clear()
            self.preview.clear()
            self.enable_actions("")
            return
        content = proposal.get("content") or {}
        if proposal.get("base_version") is None:
            basis = self.tr("new article")
        else:
            basis = self.tr("based on version %1").replace("%1", str(proposal["base_version"]))
            if published_version is not None and published_version != proposal["base_version"]:
                basis += " · " + self.tr("published now: version %1").replace(
                    "%1", str(published_version)
                )
        who = proposal.get("author") or proposal.get("author_username", "")
        parts = [f"<b>{html.escape(content.get('title', ''))}</b>", html.escape(f"{who} · {basis}")]
        if proposal.get("note"):
            parts.append(html.escape(self.tr("Note: %1").replace("%1", proposal["note"])))
        self.heading.setText("<br>".join(parts))
        self.diff.setHtml(self._diff_html(rows))
        self.preview.setHtml(preview_html)
        self.enable_actions(proposal["uuid"])

    def _diff_html(self, rows: list[DiffRow]) -> str:
        head = (
            "<tr><th width='50%' align='left'>"
            + html.escape(self.tr("Published"))
            + "</th><th width='50%' align='left'>"
            + html.escape(self.tr("Proposed"))
            + "</th></tr>"
        )
        body = []
        for r in rows:
            left_color = _DIFF_COLORS[r.kind] if r.kind in ("removed", "changed") else ""
            right_color = _DIFF_COLORS[r.kind] if r.kind in ("added", "changed") else ""
            body.append("<tr>" + _cell(r.left, left_color) + _cell(r.right, right_color) + "</tr>")
        return (
            "<table width='100%' cellspacing='0' cellpadding='2' style='font-size:10pt'>"
            + head
            + "".join(body)
            + "</table>"
        )

    def show_notice(self, message: str, error: bool = False) -> None:
        color = "#b91c1c" if error else "#15803d"
        self.notice.setStyleSheet(f"color: {color}; padding: 2px;")
        self.notice.setText(message)
        self.notice.setVisible(bool(message))

    def mark(self, uuid: str, why: str) -> None:
        """A proposal that cannot be approved as it is (its base is stale): flagged in the list,
        its approve button off until the author sends a merged one."""
        self.marked[uuid] = why
        self.set_proposals(list(self.proposals.values()))

    # -- actions ------------------------------------------------------------------------------
    def _approve(self) -> None:
        uuid = self.current_uuid()
        if uuid and self.approve_button.isEnabled():
            self.approve_button.setEnabled(False)  # one approval per click
            self.approve_requested.emit(uuid)

    def ask_reject(self) -> None:
        proposal = self.current_proposal()
        if proposal is None:
            return
        title = (proposal.get("content") or {}).get("title", "")
        dialog = self.reject_dialog = RejectDialog(title, self)
        uuid = proposal["uuid"]
        dialog.accepted.connect(lambda: self.reject_requested.emit(uuid, dialog.comment))
        dialog.open()

    def ask_retire(self) -> None:
        proposal = self.current_proposal()
        if proposal is None or proposal.get("base_version") is None:
            return
        title = (proposal.get("content") or {}).get("title", "")
        self.confirm_retire(proposal["article_uuid"], title)

    def confirm_retire(self, article_uuid: str, title: str) -> None:
        box = QMessageBox(self)
        box.setObjectName("retireConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Retire article"))
        box.setText(
            self.tr(
                "Retire “%1”? Agents no longer find it; every workstation removes it at its next sync."
            ).replace("%1", title)
        )
        retire = box.addButton(self.tr("Retire"), QMessageBox.ButtonRole.DestructiveRole)
        retire.setObjectName("retireYes")
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)
        box.finished.connect(
            lambda _r: (
                self.retire_requested.emit(article_uuid, title)
                if box.clickedButton() is retire
                else None
            )
        )
        self.retire_box = box
        box.open()


def _cell(text: str, color: str) -> str:
    style = f" style='background-color:{color}'" if color else ""
    return f"<td valign='top'{style}>{html.escape(text) or '&nbsp;'}</td>"
