"""The 中心代码管理 / Center codes dialog: one tab per list (business lines, knowledge
categories, wrap-up categories, not-ready reasons, outbound outcomes), each a table of code,
Chinese name, English name (an outcome's meaning too), state and order, with a form below it to
add or rename and buttons to move, deactivate and reactivate. Layout and signals only: the
controller (agent_app/admin/qt/center_codes.py) does the work."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_app.admin.center_codes import BUSINESS_LINE, TABS, Entry, Lists
from common.center_codes import CATEGORY, OUTCOME, OUTCOME_MEANINGS
from common.texts import pick

CODE_ROLE = Qt.ItemDataRole.UserRole


class CodeTab(QWidget):
    """One list: its table, the add/rename form and the row buttons."""

    add_requested = Signal(str, str, str, str)  # code, Chinese name, English name, meaning
    rename_requested = Signal(str, str, str, str)  # code, Chinese name, English name, meaning
    move_requested = Signal(str, int)  # code, -1 up / +1 down
    active_requested = Signal(str, bool)  # code, active

    def __init__(self, kind: str, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.english = english
        self.entries: list[Entry] = []
        self.setObjectName(f"codeTab_{kind}")
        headers = [self.tr("Code"), self.tr("Chinese name"), self.tr("English name")]
        if kind == OUTCOME:
            headers.append(self.tr("Meaning"))
        headers += [self.tr("State"), self.tr("Order")]
        self.table = QTableWidget(0, len(headers))
        self.table.setObjectName("codeTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in range(len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.up_button = QPushButton(self.tr("Move up"))
        self.up_button.setObjectName("moveUp")
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button = QPushButton(self.tr("Move down"))
        self.down_button.setObjectName("moveDown")
        self.down_button.clicked.connect(lambda: self._move(1))
        self.active_button = QPushButton(self.tr("Deactivate"))
        self.active_button.setObjectName("toggleActive")
        self.active_button.clicked.connect(self._toggle_active)
        row_buttons = QVBoxLayout()
        for button in (self.up_button, self.down_button, self.active_button):
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)

        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("codeEdit")
        self.code_edit.setPlaceholderText(
            self.tr("e.g. 电信/宽带") if kind == CATEGORY else self.tr("letters, digits, _ or -")
        )
        self.zh_edit = QLineEdit()
        self.zh_edit.setObjectName("nameZhEdit")
        self.en_edit = QLineEdit()
        self.en_edit.setObjectName("nameEnEdit")
        self.meaning_combo = QComboBox()
        self.meaning_combo.setObjectName("meaningCombo")
        for meaning, names in OUTCOME_MEANINGS.items():
            self.meaning_combo.addItem(pick(*names, "en" if english else "zh_CN"), meaning)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addCode")
        self.add_button.clicked.connect(self._add)
        self.rename_button = QPushButton(self.tr("Save names"))
        self.rename_button.setObjectName("renameCode")
        self.rename_button.clicked.connect(self._rename)
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Code")), 0, 0)
        form.addWidget(self.code_edit, 0, 1)
        form.addWidget(QLabel(self.tr("Chinese name")), 0, 2)
        form.addWidget(self.zh_edit, 0, 3)
        form.addWidget(QLabel(self.tr("English name")), 1, 0)
        form.addWidget(self.en_edit, 1, 1)
        if kind == OUTCOME:
            form.addWidget(QLabel(self.tr("Meaning")), 1, 2)
            form.addWidget(self.meaning_combo, 1, 3)
        else:
            self.meaning_combo.hide()
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.rename_button)
        form_buttons.addWidget(self.add_button)

        top = QHBoxLayout()
        top.addWidget(self.table, 1)
        top.addLayout(row_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        if kind == CATEGORY:
            hint = QLabel(
                self.tr(
                    "A category's code is its path. Paths articles use are added by themselves;"
                    " a deactivated one is refused for new articles."
                )
            )
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addLayout(form)
        layout.addLayout(form_buttons)
        self._selected()

    # -- showing ------------------------------------------------------------------------------
    def show_entries(self, entries: list[Entry]) -> None:
        """The list as the server has it; the selection stays on the same code."""
        keep = self.selected_code()
        self.entries = entries
        table = self.table
        table.setRowCount(len(entries))
        outcome = self.kind == OUTCOME
        for row, entry in enumerate(entries):
            cells = [entry.code, entry.name_zh, entry.name_en]
            if outcome:
                names = OUTCOME_MEANINGS.get(entry.meaning, (entry.meaning, entry.meaning))
                cells.append(pick(*names, "en" if self.english else "zh_CN"))
            cells += [self._state_text(entry), str(entry.sort_order)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(CODE_ROLE, entry.code)
                if not entry.active:
                    item.setForeground(Qt.GlobalColor.gray)
                table.setItem(row, column, item)
        if keep:
            self.select(keep)
        self._selected()

    def _state_text(self, entry: Entry) -> str:
        if not entry.registered:
            return self.tr("In use, not listed yet")
        text = self.tr("Active") if entry.active else self.tr("Deactivated")
        if entry.builtin:
            text += " · " + self.tr("built-in")
        return text

    def selected_code(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return str(item.data(CODE_ROLE)) if item is not None else ""

    def selected_entry(self) -> Entry | None:
        code = self.selected_code()
        return next((e for e in self.entries if e.code == code), None)

    def select(self, code: str) -> None:
        for row, entry in enumerate(self.entries):
            if entry.code == code:
                self.table.selectRow(row)
                return

    def clear_form(self) -> None:
        for edit in (self.code_edit, self.zh_edit, self.en_edit):
            edit.clear()

    # -- the agent's actions -------------------------------------------------------------------
    def _selected(self) -> None:
        entry = self.selected_entry()
        index = self.entries.index(entry) if entry is not None else -1
        self.up_button.setEnabled(self._may_move(index, -1))
        self.down_button.setEnabled(self._may_move(index, 1))
        self.active_button.setEnabled(entry is not None)
        self.rename_button.setEnabled(entry is not None)
        self.active_button.setText(
            self.tr("Reactivate")
            if entry is not None and not entry.active
            else self.tr("Deactivate")
        )
        if entry is not None:
            self.code_edit.setText(entry.code)
            self.zh_edit.setText(entry.name_zh)
            self.en_edit.setText(entry.name_en)
            found = self.meaning_combo.findData(entry.meaning)
            if found >= 0:
                self.meaning_combo.setCurrentIndex(found)

    def _may_move(self, index: int, delta: int) -> bool:
        """Within the list; business lines also stay on their side of the built-in ones (the
        server lists those first whatever their order)."""
        target = index + delta
        if index < 0 or not 0 <= target < len(self.entries):
            return False
        grouped = self.kind == BUSINESS_LINE
        return not grouped or self.entries[index].builtin == self.entries[target].builtin

    def _meaning(self) -> str:
        return str(self.meaning_combo.currentData()) if self.kind == OUTCOME else ""

    def _add(self) -> None:
        self.add_requested.emit(
            self.code_edit.text(), self.zh_edit.text(), self.en_edit.text(), self._meaning()
        )

    def _rename(self) -> None:
        code = self.selected_code()
        if code:
            self.rename_requested.emit(
                code, self.zh_edit.text(), self.en_edit.text(), self._meaning()
            )

    def _move(self, delta: int) -> None:
        code = self.selected_code()
        if code:
            self.move_requested.emit(code, delta)

    def _toggle_active(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.active_requested.emit(entry.code, not entry.active)


class CenterCodesDialog(QDialog):
    """The tabs, a notice line for what the server said, and Close."""

    refresh_requested = Signal()

    def __init__(self, english: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("centerCodesDialog")
        self.setWindowTitle(self.tr("Center codes"))
        titles = {
            BUSINESS_LINE: self.tr("Business lines"),
            CATEGORY: self.tr("Knowledge categories"),
            "wrap_up": self.tr("Wrap-up"),
            "not_ready": self.tr("Not-ready reasons"),
            OUTCOME: self.tr("Outbound outcomes"),
        }
        self.tab_widget = QTabWidget()
        self.tab_widget.setObjectName("codeTabs")
        self.tabs: dict[str, CodeTab] = {}
        for kind in TABS:
            tab = self.tabs[kind] = CodeTab(kind, english)
            self.tab_widget.addTab(tab, titles[kind])
        intro = QLabel(
            self.tr(
                "These lists are the center's: every workstation offers them after its next"
                " sync. Nothing is deleted: a deactivated entry still names older records."
            )
        )
        intro.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("codesNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        buttons = QDialogButtonBox()
        self.refresh_button = buttons.addButton(
            self.tr("Refresh"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tab_widget, 1)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)
        # Room for the widest tab (outcomes: six columns), within a 1024 x 768 screen.
        self.resize(900, 600)

    def show_lists(self, lists: Lists) -> None:
        for kind, tab in self.tabs.items():
            tab.show_entries(lists.get(kind, []))

    def show_notice(self, text: str, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #b91c1c;" if error else "color: #15803d;")
        self.notice.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        """While a change is on its way: no second one (their orders could cross)."""
        for tab in self.tabs.values():
            tab.setEnabled(not busy)
        self.refresh_button.setEnabled(not busy)
