"""The survey beside the call: one question at a time, as the runner (common/surveys.py) leads,
with the control each type needs, Back and Next, required questions marked.

Every change emits `answers_changed` so the caller saves a draft as the agent goes;
`set_answers` restores one. Keys, while the focus is in the form: digits pick a score or the
n-th option (NPS 0–9; ←/→ move to 10), Y/N answer yes/no, Delete clears the answer, Enter (and
Ctrl+Enter in a text answer) goes on, Alt+← goes back, Alt+→ goes on.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from common.surveys import SCALES, AnswerError, Question, Survey, SurveyRunner

STYLE = """
#surveyName { font-weight: 700; color: #0f172a; }
#surveyProgress { color: #64748b; }
#surveyQuestion { font-size: 14px; font-weight: 600; color: #0f172a; }
#surveyHint { color: #64748b; font-size: 12px; }
#surveyError { color: #b91c1c; }
QPushButton[scale="true"] { min-width: 26px; max-width: 44px; padding: 5px 2px;
    border: 1px solid #cbd5e1; border-radius: 5px; background: white; }
QPushButton[scale="true"]:checked { background: #1d4ed8; color: white; border-color: #1d4ed8; }
QPushButton[scale="true"]:focus { border: 2px solid #60a5fa; }
QPushButton[yesno="true"] { min-width: 64px; padding: 5px 12px; border: 1px solid #cbd5e1;
    border-radius: 5px; background: white; }
QPushButton[yesno="true"]:checked { background: #1d4ed8; color: white; border-color: #1d4ed8; }
QPushButton[yesno="true"]:focus { border: 2px solid #60a5fa; }
#surveyNext { background: #1d4ed8; color: white; border: none; border-radius: 5px;
    padding: 6px 16px; font-weight: 600; }
#surveyNext:focus { border: 2px solid #93c5fd; }
#surveyNext:disabled { background: #93c5fd; }
"""

DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}


class SurveyForm(QWidget):
    answers_changed = Signal(dict)  # {question_id: value}, on every change the agent makes
    finished = Signal(dict)  # Finish on the last question, every required answer given
    question_changed = Signal(str)  # the id of the question shown; '' for the summary

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surveyForm")
        self.runner: SurveyRunner | None = None
        self._current = ""  # the question shown; '' before the first and on the summary
        self._loading = False
        self.group: QButtonGroup | None = None
        self.checks: list[QCheckBox] = []
        self.text_edit: QPlainTextEdit | None = None
        self.page: QWidget | None = None
        self.page_layout = QVBoxLayout()
        self.name_label = QLabel()
        self.name_label.setObjectName("surveyName")
        self.progress = QLabel()
        self.progress.setObjectName("surveyProgress")
        head = QHBoxLayout()
        head.addWidget(self.name_label, 1)
        head.addWidget(self.progress)
        self.question_label = QLabel()
        self.question_label.setObjectName("surveyQuestion")
        self.question_label.setWordWrap(True)
        self.question_label.setTextFormat(Qt.TextFormat.RichText)
        self.hint = QLabel()
        self.hint.setObjectName("surveyHint")
        self.hint.setWordWrap(True)
        self.control_box = QFrame()
        self.control_box.setObjectName("surveyControls")
        self.control_layout = QVBoxLayout(self.control_box)
        self.control_layout.setContentsMargins(0, 4, 0, 4)
        self.error = QLabel()
        self.error.setObjectName("surveyError")
        self.error.setWordWrap(True)
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.setObjectName("surveyBack")
        self.back_button.setToolTip(self.tr("Previous question (Alt+Left)"))
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setObjectName("surveyNext")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(head)
        layout.addWidget(self.question_label)
        layout.addWidget(self.hint)
        layout.addWidget(self.control_box, 1)
        layout.addWidget(self.error)
        layout.addLayout(nav)
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Shortcuts, not keyPressEvent: a focused button would take Alt+arrows for itself.
        for keys, slot in (("Alt+Left", self.go_back), ("Alt+Right", self.go_next)):
            shortcut = QShortcut(QKeySequence(keys), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_survey(None)

    # -- what the caller tells it ---------------------------------------------------------------
    def set_survey(
        self, survey: Survey | None, answers: Mapping[str, object] | None = None
    ) -> None:
        """Show `survey` (None: nothing to answer), resuming `answers` if a draft is given."""
        self.runner = SurveyRunner(survey, answers) if survey is not None else None
        self.name_label.setText(survey.name if survey else "")
        if self.runner is None:
            self._show(None)
            return
        start = self.runner.resume_question() if answers else self.runner.first()
        self._show(start)

    def set_answers(self, answers: Mapping[str, object]) -> None:
        """Restore a saved draft (answers off the path are dropped); emits nothing."""
        if self.runner is None:
            return
        self.runner = SurveyRunner(self.runner.survey, answers)
        self._show(self.runner.resume_question())

    def answers(self) -> dict[str, object]:
        return dict(self.runner.answers) if self.runner else {}

    def current_question_id(self) -> str:
        return self._current

    def is_complete(self) -> bool:
        return self.runner is not None and self.runner.is_complete()

    def show_question(self, question_id: str) -> None:
        """Show a question on the path taken (a caller jumping to a missing required one)."""
        if self.runner and question_id in self.runner.path():
            self._show(self.runner.survey.question(question_id), focus=True)

    # -- moving -----------------------------------------------------------------------------------
    def go_next(self) -> None:
        runner = self.runner
        if runner is None or not self._current:
            return
        question = runner.survey.question(self._current)
        if question is None:
            return
        if question.required and runner.answer(question.id) is None:
            self.error.setText(self.tr("This question must be answered."))
            self._focus_control()
            return
        following = runner.next_question(question.id)
        if following is not None:
            self._show(following, focus=True)
            return
        missing = runner.missing_required()
        if missing:
            self._show(runner.survey.question(missing[0]), focus=True)
            self.error.setText(self.tr("This question must be answered."))
            return
        self._show_summary()
        self.finished.emit(runner.answers)

    def go_back(self) -> None:
        runner = self.runner
        if runner is None:
            return
        if not self._current:  # on the summary: back to the last question answered
            taken = runner.path()
            if taken:
                self._show(runner.survey.question(taken[-1]), focus=True)
            return
        previous = runner.previous_question(self._current)
        if previous is not None:
            self._show(previous, focus=True)

    # -- showing ----------------------------------------------------------------------------------
    def _clear_controls(self) -> None:
        """Each question's controls live on a page of their own: dropping the page drops them."""
        if self.page is not None:
            self.page.hide()
            self.page.deleteLater()
        self.page = QWidget(self.control_box)
        self.page_layout = QVBoxLayout(self.page)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.control_layout.addWidget(self.page)
        self.group = None
        self.checks = []
        self.text_edit = None

    def _page_shown(self) -> None:
        """Show the new page with its controls at once: a layout would show them only later,
        from the event loop, and a key pressed before that would find nothing to pick."""
        if self.page is not None:
            # Shown now only when the form is: a form still hidden (the worklist shows its
            # survey area after filling it) shows the page with itself; hiding the page here
            # kept it hidden for good, and the first question had no buttons.
            if self.isVisible():
                self.page.show()
            # Lay it out now too, so a click right away lands on the control it aims at.
            self.page_layout.activate()
            top = self.layout()
            if top is not None:
                top.activate()

    def _show(self, question: Question | None, focus: bool = False) -> None:
        self._loading = True
        self._clear_controls()
        self.error.clear()
        self._current = question.id if question else ""
        runner = self.runner
        if runner is None or question is None:
            self.question_label.setText(
                html.escape(self.tr("No survey for this campaign."))
                if runner is None
                else html.escape(self.tr("This survey has no questions."))
            )
            self.hint.clear()
            self.progress.clear()
            self.back_button.setEnabled(False)
            self.next_button.setEnabled(False)
            self._loading = False
            self.question_changed.emit("")
            return
        marker = ""
        if question.required:
            marker = " <span style='color:#b91c1c' title='{}'>*</span>".format(
                html.escape(self.tr("Required"))
            )
        self.question_label.setText(html.escape(question.text) + marker)
        self.question_label.setToolTip(self.tr("Required") if question.required else "")
        builders = {
            "rating": self._build_scale,
            "nps": self._build_scale,
            "single": self._build_single,
            "multiple": self._build_multiple,
            "yes_no": self._build_yes_no,
            "text": self._build_text,
        }
        builders[question.type](question)
        self._page_shown()
        self._set_hint(question)
        self._loading = False
        self._update_nav()
        if focus:
            self._focus_control()
        self.question_changed.emit(question.id)

    def _set_hint(self, question: Question) -> None:
        hints = {
            "rating": self.tr("1 = very dissatisfied, 5 = very satisfied. Keys 1–5 pick a score."),
            "nps": self.tr(
                "0 = not at all likely, 10 = extremely likely. Keys 0–9 pick, ←/→ move."
            ),
            "single": self.tr("Keys 1–9 pick an option."),
            "multiple": self.tr("Keys 1–9 tick or untick an option."),
            "yes_no": self.tr("Y = yes, N = no."),
            "text": self.tr("Ctrl+Enter goes on to the next question."),
        }
        self.hint.setText(hints[question.type])

    def _show_summary(self) -> None:
        runner = self.runner
        assert runner is not None
        self._loading = True
        self._clear_controls()
        self.error.clear()
        self._current = ""
        self.question_label.setText(
            "<span style='color:#166534'>✓ " + html.escape(self.tr("Survey complete")) + "</span>"
        )
        self.hint.setText(self.tr("Back changes an answer; answers are saved as you go."))
        grid = QGridLayout()
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setVerticalSpacing(6)
        for row, qid in enumerate(runner.path()):
            question = runner.survey.question(qid)
            if question is None:
                continue
            asked = QLabel(question.text)
            asked.setWordWrap(True)
            asked.setStyleSheet("color: #475569;")
            given = QLabel(self._answer_text(question))
            given.setWordWrap(True)
            given.setObjectName(f"summary_{qid}")
            given.setStyleSheet("font-weight: 600;")
            grid.addWidget(asked, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(given, row, 1, Qt.AlignmentFlag.AlignTop)
        self.page_layout.addLayout(grid)
        self.page_layout.addStretch(1)
        self._page_shown()
        self.progress.setText(self.tr("Done"))
        self.back_button.setEnabled(True)
        self.next_button.setEnabled(False)
        self.next_button.setText(self.tr("Finish"))
        self._loading = False
        self.back_button.setFocus()
        self.question_changed.emit("")

    def _answer_text(self, question: Question) -> str:
        assert self.runner is not None
        value = self.runner.answer(question.id)
        if value is None:
            return self.tr("(no answer)")
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if isinstance(value, list):
            return "、".join(question.option_label(code) for code in value)
        if question.type == "single":
            return question.option_label(str(value))
        return str(value)

    def _update_nav(self) -> None:
        runner = self.runner
        if runner is None or not self._current:
            return
        taken = runner.path()
        position = taken.index(self._current) + 1 if self._current in taken else 0
        self.progress.setText(
            self.tr("Question %1 of %2").replace("%1", str(position)).replace("%2", str(len(taken)))
        )
        self.back_button.setEnabled(position > 1)
        self.next_button.setEnabled(True)
        last = runner.is_last(self._current)
        self.next_button.setText(self.tr("Finish") if last else self.tr("Next"))
        self.next_button.setToolTip(
            self.tr("Finish the survey (Enter)") if last else self.tr("Next question (Enter)")
        )

    def _focus_control(self) -> None:
        if self.text_edit is not None:
            self.text_edit.setFocus()
        elif self.group is not None:
            checked = self.group.checkedButton()
            (checked or self.group.buttons()[0]).setFocus()
        elif self.checks:
            self.checks[0].setFocus()
        else:
            self.next_button.setFocus()

    def _chain_tab_order(self, widgets: list[QWidget]) -> None:
        """Controls first, then Back and Next: the controls are made after the buttons, so
        without this Tab would visit them last."""
        chain = [*widgets, self.back_button, self.next_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- controls ---------------------------------------------------------------------------------
    def _build_scale(self, question: Question) -> None:
        low, high = SCALES[question.type]
        row = QHBoxLayout()
        row.setSpacing(4)
        self.group = QButtonGroup(self.page)
        self.group.setExclusive(True)
        value = self.runner.answer(question.id) if self.runner else None
        buttons: list[QWidget] = []
        for score in range(low, high + 1):
            button = QPushButton(str(score))
            button.setObjectName(f"score_{score}")
            button.setProperty("scale", True)
            button.setCheckable(True)
            button.setChecked(value == score and not isinstance(value, bool))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.group.addButton(button, score)
            row.addWidget(button)
            buttons.append(button)
        self.group.idClicked.connect(lambda score: self._answer(score))
        self.page_layout.addLayout(row)
        self.page_layout.addStretch(1)
        self._chain_tab_order(buttons)

    def _build_single(self, question: Question) -> None:
        self.group = QButtonGroup(self.page)
        self.group.setExclusive(True)
        value = self.runner.answer(question.id) if self.runner else None
        buttons: list[QWidget] = []
        for index, option in enumerate(question.options):
            prefix = f"{index + 1}. " if index < 9 else ""
            button = QRadioButton(prefix + option.label)
            button.setObjectName(f"option_{option.code}")
            button.setChecked(value == option.code)
            self.group.addButton(button, index)
            self.page_layout.addWidget(button)
            buttons.append(button)
        self.group.idClicked.connect(lambda index: self._answer(question.options[index].code))
        self.page_layout.addStretch(1)
        self._chain_tab_order(buttons)

    def _build_multiple(self, question: Question) -> None:
        value = self.runner.answer(question.id) if self.runner else None
        chosen = value if isinstance(value, list) else []
        for index, option in enumerate(question.options):
            prefix = f"{index + 1}. " if index < 9 else ""
            box = QCheckBox(prefix + option.label)
            box.setObjectName(f"option_{option.code}")
            box.setProperty("code", option.code)
            box.setChecked(option.code in chosen)
            box.clicked.connect(self._multiple_changed)
            self.page_layout.addWidget(box)
            self.checks.append(box)
        self.page_layout.addStretch(1)
        self._chain_tab_order(list(self.checks))

    def _multiple_changed(self) -> None:
        self._answer([str(box.property("code")) for box in self.checks if box.isChecked()])

    def _build_yes_no(self, question: Question) -> None:
        value = self.runner.answer(question.id) if self.runner else None
        row = QHBoxLayout()
        self.group = QButtonGroup(self.page)
        self.group.setExclusive(True)
        buttons: list[QWidget] = []
        for index, (text, name, meaning) in enumerate(
            ((self.tr("Yes (Y)"), "answerYes", True), (self.tr("No (N)"), "answerNo", False))
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setProperty("yesno", True)
            button.setCheckable(True)
            button.setChecked(value is meaning)
            self.group.addButton(button, index)
            row.addWidget(button)
            buttons.append(button)
        row.addStretch(1)
        self.group.idClicked.connect(lambda index: self._answer(index == 0))
        self.page_layout.addLayout(row)
        self.page_layout.addStretch(1)
        self._chain_tab_order(buttons)

    def _build_text(self, question: Question) -> None:
        value = self.runner.answer(question.id) if self.runner else None
        edit = QPlainTextEdit()
        edit.setObjectName("answerText")
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(self.tr("The customer's words"))
        edit.setPlainText(value if isinstance(value, str) else "")
        edit.textChanged.connect(lambda: self._answer(edit.toPlainText()))
        edit.installEventFilter(self)
        self.text_edit = edit
        self.page_layout.addWidget(edit, 1)
        self._chain_tab_order([edit])

    # -- answering --------------------------------------------------------------------------------
    def _answer(self, value: object) -> None:
        if self._loading or self.runner is None or not self._current:
            return
        try:
            self.runner.set_answer(self._current, value)
        except AnswerError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self._update_nav()
        self.answers_changed.emit(self.runner.answers)

    def _pick(self, index: int) -> bool:
        """The key for the index-th control (a score for scales); whether there was one."""
        button: QAbstractButton | None = None
        if self.group is not None:
            question = self.runner.survey.question(self._current) if self.runner else None
            if question is not None and question.type in SCALES:
                button = self.group.button(index)
            elif question is not None and (
                question.type == "single" or (question.type == "yes_no" and index in (1, 2))
            ):
                button = self.group.button(index - 1)
        elif self.checks and 1 <= index <= len(self.checks):
            button = self.checks[index - 1]
        if button is None:
            return False
        button.setFocus()
        button.click()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ControlModifier,
        )
        if enter:
            self.go_next()
        elif mods == Qt.KeyboardModifier.NoModifier and key in DIGITS and self._pick(DIGITS[key]):
            pass
        elif (
            mods == Qt.KeyboardModifier.NoModifier
            and key in (Qt.Key.Key_Y, Qt.Key.Key_N)
            and self._is_yes_no()
        ):
            self._pick(1 if key == Qt.Key.Key_Y else 2)
        elif mods == Qt.KeyboardModifier.NoModifier and key == Qt.Key.Key_Delete:
            self._clear_current()
        else:
            super().keyPressEvent(event)

    def _is_yes_no(self) -> bool:
        question = self.runner.survey.question(self._current) if self.runner else None
        return question is not None and question.type == "yes_no"

    def _clear_current(self) -> None:
        if self.runner is None or not self._current or self.text_edit is not None:
            return
        question = self.runner.survey.question(self._current)
        self._answer(None)
        if question is not None:
            self._show(question, focus=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Ctrl+Enter in a text answer goes on (plain Enter is a new line there)."""
        if (
            watched is self.text_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.go_next()
            return True
        return super().eventFilter(watched, event)
