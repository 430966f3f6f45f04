"""The conflict view: the version the trainer started from (base), their own text (mine) and
the one published meanwhile (theirs) side by side and read-only, and below them the merged
text to edit, pre-merged, with the conflicts still to settle highlighted. Previous / next jump
between conflicts; "keep mine", "keep theirs" and "keep both" settle the one at the cursor;
提交 is enabled only once no conflict marker is left.

Layout only; the controller (qt/conflict_view.py) merges and resubmits.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QKeySequence, QShortcut, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from agent_app.authoring.conflicts import MarkedRegion, marked_regions

CONFLICT_COLOR = QColor("#fee2e2")
MARKER_COLOR = QColor("#fca5a5")
CURRENT_COLOR = QColor("#fde68a")


def _pane(title: str, name: str) -> tuple[QWidget, QPlainTextEdit]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(title)
    label.setStyleSheet("font-weight: 600; color: #374151;")
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setReadOnly(True)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    layout.addWidget(label)
    layout.addWidget(edit, 1)
    return box, edit


class ConflictView(QWidget):
    merged_edited = Signal()
    resubmit_requested = Signal()
    settle_requested = Signal(str)  # 'mine' | 'theirs' | 'both' for the conflict at the cursor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictView")
        self.regions: list[MarkedRegion] = []
        self.intro = QLabel()
        self.intro.setObjectName("conflictIntro")
        self.intro.setWordWrap(True)
        base_box, self.base_edit = _pane(self.tr("Base (where you started)"), "baseText")
        mine_box, self.mine_edit = _pane(self.tr("Mine"), "mineText")
        theirs_box, self.theirs_edit = _pane(self.tr("Theirs (published meanwhile)"), "theirsText")
        sides = QSplitter(Qt.Orientation.Horizontal)
        for box in (base_box, mine_box, theirs_box):
            sides.addWidget(box)
        sides.setChildrenCollapsible(False)

        merged_label = QLabel(self.tr("Merged — edit here"))
        merged_label.setStyleSheet("font-weight: 600; color: #374151;")
        self.merged_edit = QPlainTextEdit()
        self.merged_edit.setObjectName("mergedText")
        self.merged_edit.setTabChangesFocus(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(max(mono.pointSize(), 10))
        for edit in (self.base_edit, self.mine_edit, self.theirs_edit, self.merged_edit):
            edit.setFont(mono)
        self.merged_edit.textChanged.connect(self._merged_changed)
        self.merged_edit.cursorPositionChanged.connect(self._highlight)
        merged_box = QWidget()
        merged_layout = QVBoxLayout(merged_box)
        merged_layout.setContentsMargins(0, 0, 0, 0)
        merged_layout.setSpacing(2)
        merged_layout.addWidget(merged_label)
        merged_layout.addWidget(self.merged_edit, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(sides)
        split.addWidget(merged_box)
        split.setChildrenCollapsible(False)
        split.setSizes([260, 340])

        self.field_label = QLabel()
        self.field_label.setObjectName("fieldConflicts")
        self.field_label.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("conflictCount")
        self.previous_button = QPushButton(self.tr("◀ Previous"))
        self.previous_button.setObjectName("previousConflict")
        self.previous_button.setToolTip(self.tr("Previous conflict (Alt+Up)"))
        self.previous_button.clicked.connect(lambda: self.go_to_conflict(-1))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setObjectName("nextConflict")
        self.next_button.setToolTip(self.tr("Next conflict (Alt+Down)"))
        self.next_button.clicked.connect(lambda: self.go_to_conflict(1))
        self.mine_button = QPushButton(self.tr("Keep mine"))
        self.mine_button.setObjectName("keepMine")
        self.mine_button.clicked.connect(lambda: self.settle_requested.emit("mine"))
        self.theirs_button = QPushButton(self.tr("Keep theirs"))
        self.theirs_button.setObjectName("keepTheirs")
        self.theirs_button.clicked.connect(lambda: self.settle_requested.emit("theirs"))
        self.both_button = QPushButton(self.tr("Keep both"))
        self.both_button.setObjectName("keepBoth")
        self.both_button.clicked.connect(lambda: self.settle_requested.emit("both"))
        self.resubmit_button = QPushButton(self.tr("Submit again"))
        self.resubmit_button.setObjectName("resubmitButton")
        self.resubmit_button.clicked.connect(self.resubmit_requested.emit)
        self.resubmit_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        for button in (
            self.previous_button,
            self.next_button,
            self.mine_button,
            self.theirs_button,
            self.both_button,
            self.resubmit_button,
        ):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.intro)
        layout.addWidget(split, 1)
        layout.addWidget(self.field_label)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Alt+Down"), self, lambda: self.go_to_conflict(1))
        QShortcut(QKeySequence("Alt+Up"), self, lambda: self.go_to_conflict(-1))

    # -- filling ------------------------------------------------------------------------------
    def set_texts(self, base: str, mine: str, theirs: str, merged: str) -> None:
        self.base_edit.setPlainText(base)
        self.mine_edit.setPlainText(mine)
        self.theirs_edit.setPlainText(theirs)
        self.merged_edit.setPlainText(merged)
        self.go_to_conflict(1, from_start=True)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)

    def set_field_conflicts(self, lines: Sequence[str]) -> None:
        self.field_label.setText("\n".join(lines))
        self.field_label.setVisible(bool(lines))

    def merged(self) -> str:
        return self.merged_edit.toPlainText()

    def set_merged(self, text: str, line: int = 0) -> None:
        self.merged_edit.setPlainText(text)
        self._put_cursor(line)

    def set_can_resubmit(self, can: bool) -> None:
        self.resubmit_button.setEnabled(can)

    # -- conflicts ----------------------------------------------------------------------------
    def _merged_changed(self) -> None:
        self.regions = marked_regions(self.merged())
        count = len(self.regions)
        self.count_label.setText(
            self.tr("%n conflict(s) left", "", count) if count else self.tr("No conflicts left")
        )
        for button in (
            self.previous_button,
            self.next_button,
            self.mine_button,
            self.theirs_button,
            self.both_button,
        ):
            button.setEnabled(bool(count))
        self._highlight()
        self.merged_edited.emit()

    def current_region(self) -> MarkedRegion | None:
        line = self.merged_edit.textCursor().blockNumber()
        for region in self.regions:
            if region.start <= line <= region.end:
                return region
        return None

    def go_to_conflict(self, step: int, from_start: bool = False) -> None:
        """Move the cursor to the next (step 1) or previous (-1) conflict, wrapping around."""
        if not self.regions:
            return
        line = -1 if from_start else self.merged_edit.textCursor().blockNumber()
        if step > 0:
            later = [r for r in self.regions if r.start > line]
            target = later[0] if later else self.regions[0]
        else:
            earlier = [r for r in self.regions if r.end < line]
            target = earlier[-1] if earlier else self.regions[-1]
        self._put_cursor(target.start)
        self.merged_edit.setFocus()

    def _put_cursor(self, line: int) -> None:
        block = self.merged_edit.document().findBlockByNumber(max(line, 0))
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        self.merged_edit.setTextCursor(cursor)
        self.merged_edit.centerCursor()

    def _highlight(self) -> None:
        """Colour each conflict (the one at the cursor stronger, marker lines darker)."""
        current = self.current_region()
        selections: list[QTextEdit.ExtraSelection] = []
        document = self.merged_edit.document()
        for region in self.regions:
            for line in range(region.start, region.end + 1):
                block = document.findBlockByNumber(line)
                if not block.isValid():
                    continue
                selection = QTextEdit.ExtraSelection()
                marker = line in (region.start, region.separator, region.end)
                colour = (
                    MARKER_COLOR
                    if marker
                    else CURRENT_COLOR
                    if region == current
                    else CONFLICT_COLOR
                )
                selection.format.setBackground(colour)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        self.merged_edit.setExtraSelections(selections)
