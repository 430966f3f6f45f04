"""搜索词库: the center's synonym groups (one group a row, terms separated by 、 or commas) and
the user dictionary (one word a line), as trainers, supervisors and managers edit them. Layout
and the check of what was typed; the controller (qt/vocabulary.py) loads and saves."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kb.vocabulary import join_terms, split_terms, split_words

MAX_WORD = 30


class VocabularyDialog(QDialog):
    save_requested = Signal(list, list)  # synonym groups, user words
    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vocabularyDialog")
        self.setWindowTitle(self.tr("Search vocabulary"))
        self.groups = QTableWidget(0, 1)
        self.groups.setObjectName("synonymTable")
        self.groups.setHorizontalHeaderLabels(
            [self.tr("Synonym group (terms separated by 、 or commas)")]
        )
        self.groups.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.groups.verticalHeader().setDefaultSectionSize(24)
        self.groups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.groups.itemChanged.connect(lambda _i: self.set_changed(True))
        self.add_button = QPushButton(self.tr("Add group"))
        self.add_button.setObjectName("addSynonymGroup")
        self.add_button.clicked.connect(self.add_group)
        self.remove_button = QPushButton(self.tr("Remove group"))
        self.remove_button.setObjectName("removeSynonymGroup")
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence("Ctrl+N"), self, self.add_group)
        group_buttons = QHBoxLayout()
        group_buttons.addWidget(self.add_button)
        group_buttons.addWidget(self.remove_button)
        group_buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(
            QLabel(self.tr("Synonym groups: a search for one term finds the others"))
        )
        left_layout.addWidget(self.groups, 1)
        left_layout.addLayout(group_buttons)

        self.words = QPlainTextEdit()
        self.words.setObjectName("userWords")
        self.words.setPlaceholderText(self.tr("One word per line, e.g. 翼支付"))
        self.words.textChanged.connect(lambda: self.set_changed(True))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        words_label = QLabel(self.tr("User dictionary: words search keeps whole"))
        words_label.setWordWrap(True)
        right_layout.addWidget(words_label)
        right_layout.addWidget(self.words, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.status = QLabel()
        self.status.setObjectName("vocabularyStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel(
            self.tr(
                "Saving sends the vocabulary to every workstation; their search uses it after the next sync."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7280;")
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("vocabularySave")
        self.save_button.setToolTip("Ctrl+S")
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("vocabularyClose")
        buttons.accepted.connect(self.request_save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, self.request_save)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(hint)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(860, 560)
        self.changed = False
        self.set_busy(True)

    # -- content ------------------------------------------------------------------------------
    def set_vocabulary(self, groups: list[list[str]], words: list[str], stamp: str = "") -> None:
        self.groups.blockSignals(True)
        self.groups.setRowCount(0)
        for group in groups:
            self._append(join_terms(group))
        self.groups.blockSignals(False)
        self.words.blockSignals(True)
        self.words.setPlainText("\n".join(words))
        self.words.blockSignals(False)
        self.set_changed(False)
        self.set_busy(False)
        self.show_status(stamp)

    def _append(self, text: str) -> QTableWidgetItem:
        row = self.groups.rowCount()
        self.groups.insertRow(row)
        item = QTableWidgetItem(text)
        self.groups.setItem(row, 0, item)
        return item

    def add_group(self) -> None:
        item = self._append("")
        self.groups.setCurrentItem(item)
        self.groups.editItem(item)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.groups.selectedIndexes()}, reverse=True)
        for row in rows:
            self.groups.removeRow(row)
        if rows:
            self.set_changed(True)

    def set_changed(self, changed: bool) -> None:
        self.changed = changed
        title = self.tr("Search vocabulary")
        self.setWindowTitle(f"{title} *" if changed else title)

    def set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)

    def show_status(self, message: str, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {'#b91c1c' if error else '#15803d'};")
        self.status.setText(message)

    # -- checking and saving ------------------------------------------------------------------
    def entered(self) -> tuple[list[list[str]], list[str], str]:
        """The groups and words typed, and what is wrong with them ('' when nothing); a
        wrong row is selected so the trainer sees it."""
        groups: list[list[str]] = []
        for row in range(self.groups.rowCount()):
            item = self.groups.item(row, 0)
            text = item.text() if item is not None else ""
            terms = split_terms(text)
            if not terms:
                continue  # an empty row is simply dropped
            if len(terms) < 2:
                self.groups.selectRow(row)
                problem = self.tr("Row %1 needs at least two different terms.")
                return [], [], problem.replace("%1", str(row + 1))
            if any(len(t) > MAX_WORD for t in terms):
                self.groups.selectRow(row)
                problem = self.tr("Row %1: a term is at most %2 characters.")
                return [], [], problem.replace("%1", str(row + 1)).replace("%2", str(MAX_WORD))
            groups.append(terms)
        words = split_words(self.words.toPlainText())
        for word in words:
            if len(word) > MAX_WORD or any(ch.isspace() for ch in word):
                problem = self.tr("“%1”: a word is at most %2 characters, without spaces.")
                return [], [], problem.replace("%1", word).replace("%2", str(MAX_WORD))
        return groups, words, ""

    def request_save(self) -> None:
        if not self.save_button.isEnabled():
            return
        groups, words, problem = self.entered()
        if problem:
            self.show_status(problem, error=True)
            return
        self.set_busy(True)
        self.show_status(self.tr("Saving…"))
        self.save_requested.emit(groups, words)

    def mark_row(self, row: int) -> None:
        item = self.groups.item(row, 0)
        if item is not None:
            item.setBackground(QColor("#fee2e2"))
