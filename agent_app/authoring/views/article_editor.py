"""The article editor's widgets: the fields of an article in two compact columns, the Markdown
text beside its live preview, the attachments, the problems to fix, and the save state with
提交审批 at the bottom.

Layout only: every edit goes out as `edited`; the controller (qt/article_editor.py) saves the
draft, renders the preview and checks the fields, and tells the view what to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_app.questions.views.question_labels import fill_line_combo
from common.articles import ARTICLE_TYPES
from kb.business_lines import BUILT_IN, BusinessLine
from kb.models import TYPE_NAMES

SHA_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_STYLE = "color: #b91c1c;"


def split_list(text: str) -> list[str]:
    """Tags or aliases as typed: separated by commas (either width) or 、."""
    for sep in ("，", "、", ";", "；"):
        text = text.replace(sep, ",")
    out: list[str] = []
    for part in text.split(","):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


class ArticleEditorView(QWidget):
    edited = Signal()  # any field or the text changed (the controller saves, debounced)
    body_edited = Signal()  # the Markdown text changed (the preview follows, debounced)
    submit_requested = Signal()
    history_requested = Signal()
    discard_requested = Signal()
    add_attachment_requested = Signal()
    remove_attachment_requested = Signal(str)  # sha256
    open_attachment_requested = Signal(str)  # sha256

    def __init__(self, english: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleEditor")
        self._english = english
        self._loading = False
        self._attachments: list[dict[str, Any]] = []
        self._build()
        QShortcut(QKeySequence("Ctrl+Return"), self, self._submit_if_enabled)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("editorHeading")
        self.heading.setStyleSheet("font-weight: 600;")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText(self.tr("Title"))
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("typeCombo")
        for code in ARTICLE_TYPES:
            zh, en = TYPE_NAMES[code]
            self.type_combo.addItem(en if self._english else zh, code)
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("categoryCombo")
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.category_combo.model(), self.category_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.category_combo.setCompleter(completer)
        category_line = self.category_combo.lineEdit()
        if category_line is not None:
            category_line.setPlaceholderText(self.tr("e.g. 电信/宽带"))
        self.line_combo = QComboBox()
        self.line_combo.setObjectName("lineCombo")
        self.line_combo.addItem(self.tr("(none)"), "")
        fill_line_combo(self.line_combo, BUILT_IN, self._english)
        self.tags_edit = QLineEdit()
        self.tags_edit.setObjectName("tagsEdit")
        self.tags_edit.setPlaceholderText(self.tr("comma-separated"))
        self.aliases_edit = QLineEdit()
        self.aliases_edit.setObjectName("aliasesEdit")
        self.aliases_edit.setPlaceholderText(self.tr("other ways to ask, comma-separated"))
        self.contact_edit = QLineEdit()
        self.contact_edit.setObjectName("contactPointEdit")
        self.contact_edit.setPlaceholderText("AA1102")
        self.contact_edit.setMaxLength(16)
        self.review_check = QCheckBox(self.tr("Review by"))
        self.review_check.setObjectName("reviewDueCheck")
        self.review_date = QDateEdit()
        self.review_date.setObjectName("reviewDueEdit")
        self.review_date.setCalendarPopup(True)
        self.review_date.setDisplayFormat("yyyy-MM-dd")
        self.review_date.setDate(QDate.currentDate().addMonths(6))
        self.review_date.setEnabled(False)
        self.review_check.toggled.connect(self.review_date.setEnabled)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        grid.addWidget(QLabel(self.tr("Title")), 0, 0)
        grid.addWidget(self.title_edit, 0, 1)
        grid.addWidget(QLabel(self.tr("Type")), 0, 2)
        grid.addWidget(self.type_combo, 0, 3)
        grid.addWidget(QLabel(self.tr("Category")), 1, 0)
        grid.addWidget(self.category_combo, 1, 1)
        grid.addWidget(QLabel(self.tr("Business line")), 1, 2)
        grid.addWidget(self.line_combo, 1, 3)
        grid.addWidget(QLabel(self.tr("Tags")), 2, 0)
        grid.addWidget(self.tags_edit, 2, 1)
        grid.addWidget(QLabel(self.tr("Aliases")), 2, 2)
        grid.addWidget(self.aliases_edit, 2, 3)
        grid.addWidget(QLabel(self.tr("Contact point")), 3, 0)
        grid.addWidget(self.contact_edit, 3, 1)
        review = QHBoxLayout()
        review.setContentsMargins(0, 0, 0, 0)
        review.addWidget(self.review_check)
        review.addWidget(self.review_date, 1)
        grid.addLayout(review, 3, 2, 1, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

        self.body_edit = QPlainTextEdit()
        self.body_edit.setObjectName("bodyEdit")
        self.body_edit.setTabChangesFocus(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(max(mono.pointSize(), 10))
        self.body_edit.setFont(mono)
        self.body_edit.setPlaceholderText(self.tr("The article in Markdown…"))
        self.preview = QTextBrowser()
        self.preview.setObjectName("preview")
        self.preview.setOpenLinks(False)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.setSpacing(2)
        preview_label = QLabel(self.tr("Preview"))
        preview_label.setStyleSheet("color: #6b7280;")
        preview_layout.addWidget(preview_label)
        preview_layout.addWidget(self.preview, 1)
        edit_box = QWidget()
        edit_layout = QVBoxLayout(edit_box)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.setSpacing(2)
        edit_label = QLabel(self.tr("Text (Markdown)"))
        edit_label.setStyleSheet("color: #6b7280;")
        edit_layout.addWidget(edit_label)
        edit_layout.addWidget(self.body_edit, 1)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("editorSplit")
        self.split.addWidget(edit_box)
        self.split.addWidget(preview_box)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([500, 500])

        self.attachment_list = QListWidget()
        self.attachment_list.setObjectName("attachmentList")
        self.attachment_list.setFlow(QListWidget.Flow.LeftToRight)
        self.attachment_list.setWrapping(False)
        self.attachment_list.setFixedHeight(30)
        self.attachment_list.itemDoubleClicked.connect(
            lambda item: self.open_attachment_requested.emit(item.data(SHA_ROLE))
        )
        self.add_attachment = QPushButton(self.tr("Add image or PDF…"))
        self.add_attachment.setObjectName("addAttachment")
        self.add_attachment.clicked.connect(self.add_attachment_requested.emit)
        self.remove_attachment = QPushButton(self.tr("Remove"))
        self.remove_attachment.setObjectName("removeAttachment")
        self.remove_attachment.clicked.connect(self._remove_current_attachment)
        attachments = QHBoxLayout()
        attachments.setContentsMargins(0, 0, 0, 0)
        attachments.addWidget(QLabel(self.tr("Attachments")))
        attachments.addWidget(self.attachment_list, 1)
        attachments.addWidget(self.add_attachment)
        attachments.addWidget(self.remove_attachment)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(ERROR_STYLE)
        self.state_label = QLabel()
        self.state_label.setObjectName("stateLabel")
        self.state_label.setWordWrap(True)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText(self.tr("A note for the reviewer (optional)"))
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.saved_label.setStyleSheet("color: #6b7280;")
        self.discard_button = QPushButton(self.tr("Discard draft"))
        self.discard_button.setObjectName("discardButton")
        self.discard_button.setToolTip(
            self.tr("Throw this draft away (the published article stays)")
        )
        self.discard_button.clicked.connect(self.discard_requested.emit)
        self.history_button = QPushButton(self.tr("History"))
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(self.history_requested.emit)
        self.submit_button = QPushButton(self.tr("Submit for approval"))
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setToolTip(self.tr("Send to the center manager for review (Ctrl+Enter)"))
        self.submit_button.clicked.connect(self.submit_requested.emit)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.note_edit, 1)
        bottom.addWidget(self.saved_label)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.history_button)
        bottom.addWidget(self.submit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.split, 1)
        layout.addLayout(attachments)
        layout.addWidget(self.state_label)
        layout.addWidget(self.problems_label)
        layout.addLayout(bottom)

        for edit in (self.title_edit, self.tags_edit, self.aliases_edit, self.contact_edit):
            edit.textEdited.connect(self._changed)
        self.note_edit.textEdited.connect(self._changed)
        self.category_combo.editTextChanged.connect(self._changed)
        self.type_combo.currentIndexChanged.connect(self._changed)
        self.line_combo.currentIndexChanged.connect(self._changed)
        self.review_check.toggled.connect(self._changed)
        self.review_date.dateChanged.connect(self._changed)
        self.body_edit.textChanged.connect(self._body_changed)

    def _changed(self, *_: object) -> None:
        if not self._loading:
            self.edited.emit()

    def _body_changed(self) -> None:
        if not self._loading:
            self.edited.emit()
            self.body_edited.emit()

    def _submit_if_enabled(self) -> None:
        if self.submit_button.isEnabled():
            self.submit_requested.emit()

    def _remove_current_attachment(self) -> None:
        item = self.attachment_list.currentItem()
        if item is not None:
            self.remove_attachment_requested.emit(item.data(SHA_ROLE))

    # -- filling ------------------------------------------------------------------------------
    def set_lines(self, lines: Sequence[BusinessLine]) -> None:
        self._loading = True
        try:
            fill_line_combo(self.line_combo, lines, self._english)
        finally:
            self._loading = False

    def set_categories(self, paths: Sequence[str]) -> None:
        self._loading = True
        try:
            text = self.category_combo.currentText()
            self.category_combo.clear()
            self.category_combo.addItems(list(paths))
            self.category_combo.setEditText(text)
        finally:
            self._loading = False

    def set_content(self, content: dict[str, Any], note: str = "", new: bool = False) -> None:
        """Show a draft's content (no `edited` signal)."""
        self._loading = True
        try:
            self.title_edit.setText(content.get("title", ""))
            index = self.type_combo.findData(content.get("type") or "faq")
            self.type_combo.setCurrentIndex(max(index, 0))
            # An article keeps its type: a script cannot turn into a flow under its readers.
            self.type_combo.setEnabled(new)
            self.category_combo.setEditText(content.get("category", ""))
            line = content.get("business_line", "")
            index = self.line_combo.findData(line)
            if index < 0 and line:
                self.line_combo.addItem(line, line)
                index = self.line_combo.count() - 1
            self.line_combo.setCurrentIndex(max(index, 0))
            self.tags_edit.setText("，".join(content.get("tags") or []))
            self.aliases_edit.setText("，".join(content.get("aliases") or []))
            self.contact_edit.setText(content.get("contact_point", ""))
            due = QDate.fromString(content.get("review_due") or "", "yyyy-MM-dd")
            self.review_check.setChecked(due.isValid())
            self.review_date.setEnabled(due.isValid())
            if due.isValid():
                self.review_date.setDate(due)
            self.note_edit.setText(note)
            self.set_attachments(content.get("attachments") or [])
            if self.body_edit.toPlainText() != content.get("body", ""):
                self.body_edit.setPlainText(content.get("body", ""))
        finally:
            self._loading = False

    def content(self) -> dict[str, Any]:
        """What the fields hold now."""
        due = (
            self.review_date.date().toString("yyyy-MM-dd") if self.review_check.isChecked() else ""
        )
        return {
            "type": self.type_combo.currentData(),
            "title": self.title_edit.text().strip(),
            "body": self.body_edit.toPlainText(),
            "category": self.category_combo.currentText().strip(),
            "tags": split_list(self.tags_edit.text()),
            "aliases": split_list(self.aliases_edit.text()),
            "business_line": self.line_combo.currentData() or "",
            "contact_point": self.contact_edit.text().strip().upper(),
            "review_due": due,
            "attachments": list(self._attachments),
        }

    def note(self) -> str:
        return self.note_edit.text().strip()

    def set_attachments(self, attachments: Sequence[dict[str, Any]]) -> None:
        self._attachments = [dict(a) for a in attachments]
        self.attachment_list.clear()
        for attachment in self._attachments:
            size_kb = max(1, int(attachment.get("size", 0)) // 1024)
            item = QListWidgetItem(f"{attachment['name']} ({size_kb} KB)")
            item.setData(SHA_ROLE, attachment["sha256"])
            item.setToolTip(attachment.get("mime", ""))
            self.attachment_list.addItem(item)
        self.remove_attachment.setEnabled(
            bool(self._attachments) and self.add_attachment.isEnabled()
        )

    def set_heading(self, text: str) -> None:
        self.heading.setText(text)

    def set_preview(self, body_html: str) -> None:
        bar = self.preview.verticalScrollBar()
        keep = bar.value()
        self.preview.setHtml(body_html)
        bar.setValue(keep)

    def set_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """(field, message) pairs: listed under the text, the fields they name marked red."""
        fields = {field for field, _ in problems}
        marks = {
            "title": self.title_edit,
            "contact_point": self.contact_edit,
            "body": self.body_edit,
        }
        for name, widget in marks.items():
            widget.setStyleSheet("border: 1px solid #dc2626;" if name in fields else "")
        self.problems_label.setText("\n".join(message for _, message in problems))
        self.problems_label.setVisible(bool(problems))

    def set_state(self, text: str, error: bool = False) -> None:
        self.state_label.setText(text)
        self.state_label.setStyleSheet(ERROR_STYLE if error else "color: #1d4ed8;")
        self.state_label.setVisible(bool(text))

    def set_saved(self, text: str) -> None:
        self.saved_label.setText(text)

    def set_editable(self, editable: bool) -> None:
        for widget in (
            self.title_edit,
            self.category_combo,
            self.line_combo,
            self.tags_edit,
            self.aliases_edit,
            self.contact_edit,
            self.review_check,
            self.note_edit,
            self.add_attachment,
            self.discard_button,
        ):
            widget.setEnabled(editable)
        self.remove_attachment.setEnabled(editable and bool(self._attachments))
        self.review_date.setEnabled(editable and self.review_check.isChecked())
        self.body_edit.setReadOnly(not editable)

    def set_can_submit(self, can: bool) -> None:
        self.submit_button.setEnabled(can)
