"""The agent's outbound worklist pane (layout only; agent_app/outbound/qt/worklist.py drives
it): the campaign and 下一条 on top, the records in hand and the callbacks coming up, the
current customer with the dial button, the call script and the survey one above the other,
then the outcome buttons, the callback and a note.

Keys: F9 dials the record (one key; the phone bar's own keys are Ctrl+Shift+letters),
Ctrl+1..Ctrl+7 record the outcomes (Alt+1.. are the wrap-up categories' keys).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.outbound.views.script_view import ScriptView
from agent_app.outbound.views.survey_form import SurveyForm
from common.surveys import Survey

DIAL_KEY = "F9"
OUTCOME_KEYS = [f"Ctrl+{n}" for n in range(1, 10)]
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
PANE_MARGIN = 6
CAME_BACK = QColor("#fef3c7")  # a callback that fell due: the top of the list, marked

STYLE = """
#worklistRecord { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px; }
#worklistName { font-size: 15px; font-weight: 600; }
#worklistPhone { font-size: 14px; font-family: monospace; }
#worklistDial { font-weight: 600; padding: 4px 12px; }
#worklistStatus { color: #6b7280; }
"""


class WorklistView(QWidget):
    campaign_chosen = Signal(int)
    next_requested = Signal()
    record_selected = Signal(int)  # record id
    dial_requested = Signal()
    outcome_chosen = Signal(str)  # the center's outcome code
    callback_requested = Signal()
    callback_cleared = Signal()
    note_edited = Signal(str)
    answers_changed = Signal(dict)  # the survey's answers so far
    auto_next_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("worklist")
        self._filling = False
        self._outcome_columns = 0
        self._split_set = False

        # -- campaign and the next record ----------------------------------------------------
        self.campaign_box = QComboBox()
        self.campaign_box.setObjectName("worklistCampaign")
        self.campaign_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.campaign_box.setMinimumContentsLength(8)
        self.campaign_box.currentIndexChanged.connect(self._campaign_changed)
        self.next_button = QPushButton(self.tr("Next record"))
        self.next_button.setObjectName("worklistNext")
        self.next_button.setToolTip(self.tr("Take the campaign's next record (Ctrl+Shift+N)"))
        self.next_button.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.next_button.clicked.connect(self.next_requested.emit)
        self.auto_next = QCheckBox(self.tr("Auto next"))
        self.auto_next.setObjectName("worklistAutoNext")
        self.auto_next.setToolTip(self.tr("After an outcome, take the next record at once"))
        self.auto_next.toggled.connect(self.auto_next_toggled.emit)
        top = QHBoxLayout()
        top.addWidget(self.campaign_box, 1)
        top.addWidget(self.next_button)
        top.addWidget(self.auto_next)
        self.status = QLabel()
        self.status.setObjectName("worklistStatus")
        self.status.setWordWrap(True)

        # -- the records in hand and the callbacks coming up ---------------------------------
        self.items = QListWidget()
        self.items.setObjectName("worklistItems")
        self.items.setMaximumHeight(76)
        self.items.currentItemChanged.connect(self._item_changed)

        # -- the current customer -------------------------------------------------------------
        self.record_box = QFrame()
        self.record_box.setObjectName("worklistRecord")
        self.name_label = QLabel()
        self.name_label.setObjectName("worklistName")
        self.phone_label = QLabel()
        self.phone_label.setObjectName("worklistPhone")
        self.phone_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.fields_label = QLabel()
        self.fields_label.setObjectName("worklistFields")
        self.fields_label.setWordWrap(True)
        self.dial_button = QPushButton(self.tr("Dial (%1)").replace("%1", DIAL_KEY))
        self.dial_button.setObjectName("worklistDial")
        self.dial_button.clicked.connect(self.dial_requested.emit)
        QShortcut(QKeySequence(DIAL_KEY), self, self._dial_key)
        who = QHBoxLayout()
        who.addWidget(self.name_label)
        who.addWidget(self.phone_label, 1)
        who.addWidget(self.dial_button)
        record_layout = QVBoxLayout(self.record_box)
        record_layout.setContentsMargins(8, 6, 8, 6)
        record_layout.addLayout(who)
        record_layout.addWidget(self.fields_label)

        # -- script and survey: the shared widgets, one above the other -------------------------
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("worklistSplit")
        self.split.setChildrenCollapsible(False)
        self.script_view = ScriptView()
        self.survey_form = SurveyForm()
        self.survey_form.answers_changed.connect(self.answers_changed.emit)
        # After the new question's layout has settled.
        self.survey_form.question_changed.connect(
            lambda _id: QTimer.singleShot(0, self._grow_survey)
        )
        # Each in a scroll area: on a 768-pixel screen they share what is left, and neither
        # forces the window taller than the screen.
        self.script_area = _scrolling(self.script_view, "worklistScriptArea")
        self.survey_area = _scrolling(self.survey_form, "worklistSurveyArea")
        self.split.addWidget(self.script_area)
        self.split.addWidget(self.survey_area)
        # The script is read aloud while the customer talks: it gets the room; the survey
        # gets what its question needs (fit_survey) and keeps it when the window grows.
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)

        # -- outcome, callback, note ----------------------------------------------------------
        self.outcome_grid = QGridLayout()
        self.outcome_grid.setHorizontalSpacing(4)
        self.outcome_grid.setVerticalSpacing(4)
        self.outcome_buttons: dict[str, QPushButton] = {}
        self._shortcuts: list[QShortcut] = []
        self.callback_button = QPushButton(self.tr("Callback…"))
        self.callback_button.setObjectName("worklistCallback")
        self.callback_button.setToolTip(self.tr("Agree a time to call the customer back"))
        self.callback_button.clicked.connect(self.callback_requested.emit)
        self.clear_callback = QToolButton()
        self.clear_callback.setObjectName("worklistClearCallback")
        self.clear_callback.setText("×")
        self.clear_callback.setToolTip(self.tr("No callback"))
        self.clear_callback.clicked.connect(self.callback_cleared.emit)
        self.clear_callback.hide()
        self.note = QLineEdit()
        self.note.setObjectName("worklistNote")
        self.note.setPlaceholderText(self.tr("Note"))
        self.note.textEdited.connect(self.note_edited.emit)
        # One row: the callback (its time on the button once agreed) and the note.
        callback_row = QHBoxLayout()
        callback_row.addWidget(self.callback_button)
        callback_row.addWidget(self.clear_callback)
        callback_row.addWidget(self.note, 1)

        self.work = QWidget()
        self.work.setObjectName("worklistWork")
        work_layout = QVBoxLayout(self.work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.addWidget(self.record_box)
        work_layout.addWidget(self.split, 1)
        self.outcome_hint = QLabel(self.tr("Outcome (Ctrl+number)"))
        self.outcome_hint.setObjectName("worklistOutcomeHint")
        work_layout.addWidget(self.outcome_hint)
        work_layout.addLayout(self.outcome_grid)
        work_layout.addLayout(callback_row)

        self.empty = QLabel(self.tr("Choose a campaign and take the next record."))
        self.empty.setObjectName("worklistEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(PANE_MARGIN, PANE_MARGIN, PANE_MARGIN, PANE_MARGIN)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.items)
        layout.addWidget(self.work, 1)
        layout.addWidget(self.empty, 1)
        self.setStyleSheet(STYLE)
        self.show_record(None)

    def title(self) -> str:
        return self.tr("Outbound")

    # -- campaigns ----------------------------------------------------------------------------
    def set_campaigns(self, campaigns: list[tuple[int, str]], current: int | None) -> None:
        self._filling = True
        self.campaign_box.clear()
        for campaign_id, name in campaigns:
            self.campaign_box.addItem(name, campaign_id)
        index = self.campaign_box.findData(current) if current is not None else 0
        self.campaign_box.setCurrentIndex(max(index, 0) if campaigns else -1)
        self._filling = False
        self.next_button.setEnabled(bool(campaigns))
        if campaigns and (current is None or index < 0):
            self._campaign_changed()

    def current_campaign(self) -> int | None:
        data = self.campaign_box.currentData()
        return int(data) if data is not None else None

    def _campaign_changed(self) -> None:
        if not self._filling and self.campaign_box.currentData() is not None:
            self.campaign_chosen.emit(int(self.campaign_box.currentData()))

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def set_fetching(self, busy: bool) -> None:
        self.next_button.setEnabled(not busy and self.campaign_box.count() > 0)

    # -- the list -------------------------------------------------------------------------------
    def set_items(
        self,
        records: list[tuple[int, str, bool]],
        upcoming: list[str],
        current: int | None,
    ) -> None:
        """`records`: (id, label, came back from a callback) in list order; `upcoming`: the
        labels of callbacks not yet due (shown greyed, not selectable)."""
        self._filling = True
        self.items.clear()
        for record_id, label, came_back in records:
            item = QListWidgetItem(label)
            item.setData(RECORD_ROLE, record_id)
            if came_back:
                item.setBackground(CAME_BACK)
            self.items.addItem(item)
            if record_id == current:
                self.items.setCurrentItem(item)
        for label in upcoming:
            item = QListWidgetItem(label)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setForeground(QColor("#9ca3af"))
            self.items.addItem(item)
        self._filling = False
        # One record alone is the one on screen: the list shows only when there is a choice.
        self.items.setVisible(self.items.count() > 1)

    def item_labels(self) -> list[str]:
        return [self.items.item(i).text() for i in range(self.items.count())]

    def _item_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if self._filling or item is None:
            return
        record_id = item.data(RECORD_ROLE)
        if record_id is not None:
            self.record_selected.emit(int(record_id))

    # -- the record -----------------------------------------------------------------------------
    def show_record(
        self, name: str | None, phone: str = "", fields: dict[str, str] | None = None
    ) -> None:
        """The current customer (None: no record in hand). `phone` is what may be shown."""
        has = name is not None
        self.work.setVisible(has)
        self.empty.setVisible(not has)
        if not has:
            return
        self.name_label.setText(name or self.tr("(no name)"))
        self.phone_label.setText(phone)
        shown = [f"{html.escape(k)}：{html.escape(v)}" for k, v in (fields or {}).items() if v]
        self.fields_label.setText("　".join(shown))
        self.fields_label.setVisible(bool(shown))

    def show_script(self, body: str, values: dict[str, str]) -> None:
        """The call script with the record's fields filled in (from its opening)."""
        self.script_view.set_script(body, values)
        self.script_area.setVisible(bool(body.strip()))

    def show_survey(self, survey: Survey | None, answers: dict[str, Any]) -> None:
        """The campaign's survey, resuming the saved answers (hidden without a survey)."""
        self.survey_form.set_survey(survey, answers or None)
        self.survey_area.setVisible(survey is not None)
        if survey is not None and not self._split_set:
            self._split_set = True
            self.fit_survey()

    def fit_survey(self) -> None:
        """The survey as tall as its question needs (at most 3/5 of the column: a long
        multiple choice scrolls), the script the rest. Once: then the agent's own split,
        which only grows when a later question needs more (_grow_survey)."""
        total = self.split.height()
        if total <= 0:
            return
        survey = self._survey_height(total)
        self.split.setSizes([total - survey, survey])

    def _survey_height(self, total: int) -> int:
        """What the survey's question needs, at most 3/5 of `total`."""
        wanted = self.survey_form.sizeHint().height() + 2 * self.survey_area.frameWidth()
        return min(wanted, total * 3 // 5)

    def _grow_survey(self) -> None:
        """A question taller than the room the survey has (a longer text, more choices): the
        survey grows (up to 3/5) so Back and Next stay on screen; it never shrinks by itself,
        so the script does not jump at every question."""
        if not self._split_set or self.survey_area.isHidden():
            return
        script, survey = self.split.sizes()
        total = script + survey
        wanted = self._survey_height(total)
        if wanted > survey:
            self.split.setSizes([total - wanted, wanted])

    def show_missing(self, missing: list[str]) -> None:
        """Take the agent to the first required question left unanswered."""
        if missing:
            self.survey_form.show_question(missing[0])

    def set_note(self, text: str) -> None:
        self.note.setText(text)

    def set_callback_text(self, short: str, full: str = "") -> None:
        """The agreed callback: `short` on the button ('' none), `full` in its tooltip."""
        self.callback_button.setText(short or self.tr("Callback…"))
        self.callback_button.setToolTip(full or self.tr("Agree a time to call the customer back"))
        self.callback_button.setProperty("agreed", bool(short))
        self.callback_button.setStyleSheet("font-weight: 600;" if short else "")
        self.clear_callback.setVisible(bool(short))

    # -- outcomes -------------------------------------------------------------------------------
    def set_outcomes(self, outcomes: list[tuple[str, str]]) -> None:
        """(code, label) in order; the first nine get Ctrl+1..Ctrl+9."""
        for button in self.outcome_buttons.values():
            self.outcome_grid.removeWidget(button)
            button.deleteLater()
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self.outcome_buttons = {}
        self._shortcuts = []
        self._outcome_columns = 0
        for index, (code, label) in enumerate(outcomes):
            button = QPushButton(label)
            button.setObjectName(f"outcome_{code}")
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _c=False, c=code: self.outcome_chosen.emit(c))
            if index < len(OUTCOME_KEYS):
                keys = OUTCOME_KEYS[index]
                native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
                button.setText(f"{index + 1} {label}")
                button.setToolTip(f"{label} ({native})")
                shortcut = QShortcut(QKeySequence(keys), self)
                shortcut.activated.connect(lambda c=code: self._outcome_key(c))
                self._shortcuts.append(shortcut)
            self.outcome_buttons[code] = button
        self._lay_out_outcomes()

    def _lay_out_outcomes(self) -> None:
        """Three buttons a row where the labels fit (Chinese), else two (longer English names)."""
        buttons = list(self.outcome_buttons.values())
        if not buttons:
            return
        metrics = buttons[0].fontMetrics()
        needed = max(metrics.horizontalAdvance(b.text()) for b in buttons) + 24
        # The pane's own width (the work area is resized after this event, so it lags).
        room = max(self.contentsRect().width() - 2 * PANE_MARGIN, 1)
        columns = max(1, min(3, room // needed))
        if columns == self._outcome_columns:
            return
        self._outcome_columns = columns
        for button in buttons:
            self.outcome_grid.removeWidget(button)
        for index, button in enumerate(buttons):
            self.outcome_grid.addWidget(button, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._lay_out_outcomes()

    def _outcome_key(self, code: str) -> None:
        if self.work.isVisible():
            self.outcome_chosen.emit(code)

    def _dial_key(self) -> None:
        if self.work.isVisible() and self.dial_button.isEnabled():
            self.dial_requested.emit()

    def set_dial_enabled(self, enabled: bool, tip: str = "") -> None:
        self.dial_button.setEnabled(enabled)
        self.dial_button.setToolTip(tip)

    def outcome_labels(self) -> dict[str, str]:
        return {code: b.text() for code, b in self.outcome_buttons.items()}

    def highlight_outcome(self, code: str) -> None:
        """Mark the outcome the call's end suggests (busy, no answer); the agent still chooses."""
        for other, button in self.outcome_buttons.items():
            button.setStyleSheet("font-weight: 600;" if other == code else "")

    def survey_answers(self) -> dict[str, Any]:
        return dict(self.survey_form.answers())


def _scrolling(widget: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
