"""Editing a survey (supervisors now, trainers in authoring later): the list of questions
(add, delete, move up and down), and for the selected one its id, type, text, required flag,
options and branching rules. Problems (common/surveys.py's checks) show in place as you type:
beside the question in the list and under the part of it that is wrong.

The view holds no survey of record: it emits the definition (`definition_changed` on every
edit, for drafts; `save_requested` when Save is pressed on a valid one) and the caller stores it.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from common.surveys import (
    CHOICE_TYPES,
    END,
    QUESTION_TYPES,
    SCALES,
    WHENS_FOR_TYPE,
    Problem,
    Survey,
    survey_problems,
)

STYLE = """
#surveyEditorProblems, #questionProblems { color: #b91c1c; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QTableWidget[invalid="true"] {
    border: 1px solid #dc2626; background: #fef2f2; }
"""

_RANGE = re.compile(r"^\s*(\d+)\s*[-–~～至到]\s*(\d+)\s*$")
_YES = {"是", "yes", "y", "true", "1", "对"}
_NO = {"否", "no", "n", "false", "0", "不"}


def new_question(qid: str, qtype: str = "rating") -> dict[str, Any]:
    return {
        "id": qid,
        "type": qtype,
        "text": "",
        "required": False,
        "options": [],
        "branches": [],
    }


class SurveyEditor(QWidget):
    definition_changed = Signal(dict)  # the survey as it stands, on every edit (a draft)
    save_requested = Signal(dict)  # Save pressed and the survey valid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surveyEditor")
        self.meta: dict[str, Any] = {"uuid": "", "name": "", "version": 1}
        self.questions: list[dict[str, Any]] = []
        self.current = -1
        self._loading = False
        self._problems: list[Problem] = []

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("surveyName")
        self.name_edit.setPlaceholderText(self.tr("Survey name"))
        self.name_edit.textEdited.connect(self._name_edited)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(self.tr("Name")))
        name_row.addWidget(self.name_edit, 1)

        # -- the question list ----------------------------------------------------------------
        self.list = QListWidget()
        self.list.setObjectName("questionList")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._select)
        self.add_button = QPushButton(self.tr("Add question"))
        self.add_button.setObjectName("addQuestion")
        self.add_button.clicked.connect(self.add_question)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.setObjectName("deleteQuestion")
        self.delete_button.clicked.connect(self.delete_question)
        self.up_button = QPushButton(self.tr("Move up"))
        self.up_button.setObjectName("moveUp")
        self.up_button.clicked.connect(lambda: self.move_question(-1))
        self.down_button = QPushButton(self.tr("Move down"))
        self.down_button.setObjectName("moveDown")
        self.down_button.clicked.connect(lambda: self.move_question(1))
        list_buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            list_buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(list_buttons)

        # -- the question -----------------------------------------------------------------------
        self.id_edit = QLineEdit()
        self.id_edit.setObjectName("questionId")
        self.id_edit.textEdited.connect(self._id_edited)
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("questionType")
        for qtype in QUESTION_TYPES:
            self.type_combo.addItem(self._type_name(qtype), qtype)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("questionText")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(64)
        self.text_edit.textChanged.connect(self._text_edited)
        self.required_box = QCheckBox(self.tr("Required"))
        self.required_box.setObjectName("questionRequired")
        self.required_box.toggled.connect(self._required_toggled)
        form = QFormLayout()
        form.addRow(self.tr("Id"), self.id_edit)
        form.addRow(self.tr("Type"), self.type_combo)
        form.addRow(self.tr("Question"), self.text_edit)
        form.addRow("", self.required_box)

        self.options_table = QTableWidget(0, 2)
        self.options_table.setObjectName("optionsTable")
        self.options_table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Label")])
        self.options_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.options_table.verticalHeader().setVisible(False)
        self.options_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.options_table.itemChanged.connect(self._options_edited)
        self.options_table.setMinimumHeight(150)
        self.add_option_button = QPushButton(self.tr("Add option"))
        self.add_option_button.setObjectName("addOption")
        self.add_option_button.clicked.connect(self.add_option)
        self.remove_option_button = QPushButton(self.tr("Remove option"))
        self.remove_option_button.setObjectName("removeOption")
        self.remove_option_button.clicked.connect(self.remove_option)
        option_buttons = QHBoxLayout()
        option_buttons.addWidget(self.add_option_button)
        option_buttons.addWidget(self.remove_option_button)
        option_buttons.addStretch(1)
        self.options_group = QGroupBox(self.tr("Options"))
        options_layout = QVBoxLayout(self.options_group)
        options_layout.addWidget(self.options_table)
        options_layout.addLayout(option_buttons)

        self.branches_table = QTableWidget(0, 3)
        self.branches_table.setObjectName("branchesTable")
        self.branches_table.setHorizontalHeaderLabels(
            [self.tr("When the answer"), self.tr("Value"), self.tr("Go to")]
        )
        header = self.branches_table.horizontalHeader()
        # The condition and the target are combo boxes in the cells, which ResizeToContents
        # does not measure: widths that hold their longest entries.
        self.branches_table.setColumnWidth(0, 110)
        self.branches_table.setColumnWidth(2, 170)
        self.branches_table.setMinimumHeight(110)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.branches_table.verticalHeader().setVisible(False)
        self.add_rule_button = QPushButton(self.tr("Add rule"))
        self.add_rule_button.setObjectName("addRule")
        self.add_rule_button.clicked.connect(self.add_rule)
        self.remove_rule_button = QPushButton(self.tr("Remove rule"))
        self.remove_rule_button.setObjectName("removeRule")
        self.remove_rule_button.clicked.connect(self.remove_rule)
        rule_buttons = QHBoxLayout()
        rule_buttons.addWidget(self.add_rule_button)
        rule_buttons.addWidget(self.remove_rule_button)
        rule_buttons.addStretch(1)
        self.branches_group = QGroupBox(self.tr("Branching (first matching rule wins)"))
        branches_layout = QVBoxLayout(self.branches_group)
        self.rule_hint = QLabel()
        self.rule_hint.setObjectName("ruleHint")
        self.rule_hint.setWordWrap(True)
        self.rule_hint.setStyleSheet("color: #64748b;")
        branches_layout.addWidget(self.branches_table)
        branches_layout.addWidget(self.rule_hint)
        branches_layout.addLayout(rule_buttons)

        self.question_problems = QLabel()
        self.question_problems.setObjectName("questionProblems")
        self.question_problems.setWordWrap(True)
        self.detail = QWidget()
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addLayout(form)
        detail_layout.addWidget(self.options_group, 3)
        detail_layout.addWidget(self.branches_group, 2)
        detail_layout.addWidget(self.question_problems)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)

        self.survey_problems = QLabel()
        self.survey_problems.setObjectName("surveyEditorProblems")
        self.survey_problems.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save survey"))
        self.save_button.setObjectName("saveSurvey")
        self.save_button.clicked.connect(self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.survey_problems, 1)
        bottom.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(name_row)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.setStyleSheet(STYLE)
        self.set_survey(None)

    # -- what the caller tells it ---------------------------------------------------------------
    def set_survey(self, survey: Survey | dict[str, Any] | None) -> None:
        """Edit `survey` (a model or its JSON object); None starts an empty one."""
        if survey is None:
            data: dict[str, Any] = {"uuid": "", "name": "", "version": 1, "questions": []}
        elif isinstance(survey, Survey):
            data = survey.model_dump()
        else:
            data = dict(survey)
        self.meta = {k: data.get(k, d) for k, d in (("uuid", ""), ("name", ""), ("version", 1))}
        self.questions = [
            {**new_question(""), **q, "options": [dict(o) for o in q.get("options", [])]}
            | {"branches": [dict(b) for b in q.get("branches", [])]}
            for q in data.get("questions", [])
        ]
        self._loading = True
        self.name_edit.setText(str(self.meta["name"]))
        self._loading = False
        self._refresh_list(0 if self.questions else -1)
        self._validate(emit=False)

    def definition(self) -> dict[str, Any]:
        """The survey as it stands, as a JSON object (`Survey` keys)."""
        return {**self.meta, "questions": [dict(q) for q in self.questions]}

    def survey(self) -> Survey | None:
        """The survey as a model; None while a value cannot even be read as one."""
        try:
            return Survey.model_validate(self.definition())
        except ValidationError:
            return None

    def problems(self) -> list[Problem]:
        return list(self._problems)

    # -- list editing -----------------------------------------------------------------------------
    def _fresh_id(self) -> str:
        taken = {q["id"] for q in self.questions}
        n = len(self.questions) + 1
        while f"q{n}" in taken:
            n += 1
        return f"q{n}"

    def add_question(self) -> None:
        at = self.current + 1 if self.current >= 0 else len(self.questions)
        self.questions.insert(at, new_question(self._fresh_id()))
        self._refresh_list(at)
        self._changed()
        self.text_edit.setFocus()

    def delete_question(self) -> None:
        if not 0 <= self.current < len(self.questions):
            return
        del self.questions[self.current]
        self._refresh_list(min(self.current, len(self.questions) - 1))
        self._changed()

    def move_question(self, step: int) -> None:
        at, to = self.current, self.current + step
        if not (0 <= at < len(self.questions) and 0 <= to < len(self.questions)):
            return
        self.questions[at], self.questions[to] = self.questions[to], self.questions[at]
        self._refresh_list(to)
        self._changed()

    def _refresh_list(self, select: int) -> None:
        self._loading = True
        self.list.clear()
        for index in range(len(self.questions)):
            item = QListWidgetItem()
            self.list.addItem(item)
            self._label_item(index)
        self._loading = False
        self.current = -1
        if select >= 0:
            self.list.setCurrentRow(select)  # loads the question through _select
        else:
            self._load_question()

    def _label_item(self, index: int) -> None:
        item = self.list.item(index)
        if item is None:
            return
        question = self.questions[index]
        mine = [p for p in self._problems if p.position == index]
        mark = "⚠ " if mine else ""
        star = " *" if question.get("required") else ""
        text = question.get("text", "").strip() or self.tr("(no text yet)")
        item.setText(f"{mark}{index + 1}. [{self._type_name(question['type'])}] {text}{star}")
        item.setToolTip("\n".join([text, *(p.message for p in mine)]))
        item.setForeground(Qt.GlobalColor.darkRed if mine else Qt.GlobalColor.black)

    def _select(self, row: int) -> None:
        if self._loading:
            return
        self.current = row
        self._load_question()

    # -- one question -----------------------------------------------------------------------------
    def _question(self) -> dict[str, Any] | None:
        return self.questions[self.current] if 0 <= self.current < len(self.questions) else None

    def _load_question(self) -> None:
        question = self._question()
        self.detail.setEnabled(question is not None)
        self.delete_button.setEnabled(question is not None)
        self.up_button.setEnabled(question is not None and self.current > 0)
        self.down_button.setEnabled(question is not None and self.current < len(self.questions) - 1)
        self._loading = True
        if question is None:
            self.id_edit.clear()
            self.text_edit.clear()
            self.required_box.setChecked(False)
            self.options_table.setRowCount(0)
            self.branches_table.setRowCount(0)
            self._loading = False
            self._show_problems()
            return
        self.id_edit.setText(question["id"])
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(question["type"])))
        self.text_edit.setPlainText(question.get("text", ""))
        self.required_box.setChecked(bool(question.get("required")))
        self.options_table.setRowCount(0)
        for option in question.get("options", []):
            self._append_option_row(option.get("code", ""), option.get("label", ""))
        self._loading = False
        self._load_branches()
        self._show_type_parts()
        self._show_problems()

    def _show_type_parts(self) -> None:
        question = self._question()
        qtype = question["type"] if question else "rating"
        self.options_group.setVisible(qtype in CHOICE_TYPES)
        hints = {
            "rating": self.tr("Values 1–5; a range is written low-high, e.g. 1-2."),
            "nps": self.tr("Values 0–10; a range is written low-high, e.g. 0-6."),
            "single": self.tr("The value is an option's code."),
            "multiple": self.tr("The value is an option's code ('contains': ticked among others)."),
            "yes_no": self.tr("The value is 是 or 否 (yes or no)."),
            "text": self.tr("The value is a word the answer equals or contains."),
        }
        self.rule_hint.setText(hints.get(qtype, ""))

    def _append_option_row(self, code: str, label: str) -> None:
        row = self.options_table.rowCount()
        self.options_table.insertRow(row)
        self.options_table.setItem(row, 0, QTableWidgetItem(code))
        self.options_table.setItem(row, 1, QTableWidgetItem(label))

    def add_option(self) -> None:
        question = self._question()
        if question is None:
            return
        codes = {o["code"] for o in question["options"]}
        n = len(question["options"]) + 1
        while f"o{n}" in codes:
            n += 1
        self._loading = True
        self._append_option_row(f"o{n}", "")
        self._loading = False
        self._options_edited()
        row = self.options_table.rowCount() - 1
        self.options_table.setCurrentCell(row, 1)
        self.options_table.setFocus()
        item = self.options_table.item(row, 1)
        if item is not None:
            self.options_table.editItem(item)

    def remove_option(self) -> None:
        row = self.options_table.currentRow()
        if row < 0:
            row = self.options_table.rowCount() - 1
        if row < 0:
            return
        self.options_table.removeRow(row)
        self._options_edited()

    def _options_edited(self, *_: object) -> None:
        question = self._question()
        if self._loading or question is None:
            return
        options = []
        for row in range(self.options_table.rowCount()):
            code = self.options_table.item(row, 0)
            label = self.options_table.item(row, 1)
            options.append(
                {
                    "code": code.text().strip() if code else "",
                    "label": label.text().strip() if label else "",
                }
            )
        question["options"] = options
        self._changed()

    # -- branching rules --------------------------------------------------------------------------
    def _when_name(self, when: str) -> str:
        return {
            "equals": self.tr("equals"),
            "contains": self.tr("contains"),
            "between": self.tr("is between"),
        }.get(when, when)

    def _load_branches(self) -> None:
        question = self._question()
        self._loading = True
        self.branches_table.setRowCount(0)
        if question is not None:
            for index, branch in enumerate(question.get("branches", [])):
                self._append_branch_row(index, question, branch)
        self._loading = False

    def _append_branch_row(
        self, index: int, question: dict[str, Any], branch: dict[str, Any]
    ) -> None:
        self.branches_table.insertRow(index)
        when = QComboBox()
        when.setObjectName(f"ruleWhen_{index}")
        for code in WHENS_FOR_TYPE.get(question["type"], ("equals",)):
            when.addItem(self._when_name(code), code)
        found = when.findData(branch.get("when", "equals"))
        if found < 0:  # a condition this type cannot use: keep it visible, so it is reported
            when.addItem(self._when_name(str(branch.get("when"))), branch.get("when"))
            found = when.count() - 1
        when.setCurrentIndex(found)
        value = QLineEdit(self._value_text(branch))
        value.setObjectName(f"ruleValue_{index}")
        goto = QComboBox()
        goto.setObjectName(f"ruleGoto_{index}")
        for later in self.questions[self.current + 1 :]:
            goto.addItem(later["id"], later["id"])
        goto.addItem(self.tr("End the survey"), END)
        target = goto.findData(branch.get("goto", END))
        if target < 0:  # a jump to a question no longer after this one: shown, and reported
            goto.addItem(str(branch.get("goto")), branch.get("goto"))
            target = goto.count() - 1
        goto.setCurrentIndex(target)
        when.currentIndexChanged.connect(lambda _i, r=index: self._branch_edited(r))
        value.textEdited.connect(lambda _t, r=index: self._branch_edited(r))
        goto.currentIndexChanged.connect(lambda _i, r=index: self._branch_edited(r))
        self.branches_table.setCellWidget(index, 0, when)
        self.branches_table.setCellWidget(index, 1, value)
        self.branches_table.setCellWidget(index, 2, goto)

    def _value_text(self, branch: dict[str, Any]) -> str:
        if branch.get("when") == "between":
            low, high = branch.get("low"), branch.get("high")
            return "" if low is None and high is None else f"{low}-{high}"
        value = branch.get("value")
        if isinstance(value, bool):
            return "是" if value else "否"
        return "" if value is None else str(value)

    def _parse_value(self, qtype: str, when: str, text: str) -> dict[str, Any]:
        """The rule's value from what was typed, typed for the question; what cannot be read is
        kept as text so the check reports it."""
        text = text.strip()
        if when == "between":
            match = _RANGE.match(text)
            if match:
                return {"value": None, "low": int(match.group(1)), "high": int(match.group(2))}
            return {"value": None, "low": None, "high": None}
        if not text:
            return {"value": None, "low": None, "high": None}
        value: Any = text
        if qtype in SCALES and re.fullmatch(r"-?\d+", text):
            value = int(text)
        elif qtype == "yes_no" and text.lower() in _YES | _NO:
            value = text.lower() in _YES
        return {"value": value, "low": None, "high": None}

    def _branch_edited(self, row: int) -> None:
        question = self._question()
        if self._loading or question is None or row >= len(question["branches"]):
            return
        when = self.branches_table.cellWidget(row, 0)
        value = self.branches_table.cellWidget(row, 1)
        goto = self.branches_table.cellWidget(row, 2)
        assert isinstance(when, QComboBox) and isinstance(value, QLineEdit)
        assert isinstance(goto, QComboBox)
        condition = str(when.currentData())
        branch = {"when": condition, "goto": str(goto.currentData())}
        branch.update(self._parse_value(question["type"], condition, value.text()))
        question["branches"][row] = branch
        self._changed()

    def add_rule(self) -> None:
        question = self._question()
        if question is None:
            return
        when = WHENS_FOR_TYPE[question["type"]][0]
        later = self.questions[self.current + 1 : self.current + 2]
        branch = {"when": when, "value": None, "low": None, "high": None}
        branch["goto"] = later[0]["id"] if later else END
        question["branches"].append(branch)
        self._load_branches()
        self._changed()
        value = self.branches_table.cellWidget(len(question["branches"]) - 1, 1)
        if value is not None:
            value.setFocus()

    def remove_rule(self) -> None:
        question = self._question()
        if question is None or not question["branches"]:
            return
        row = self.branches_table.currentRow()
        if not 0 <= row < len(question["branches"]):
            row = len(question["branches"]) - 1
        del question["branches"][row]
        self._load_branches()
        self._changed()

    # -- field edits ------------------------------------------------------------------------------
    def _name_edited(self, text: str) -> None:
        self.meta["name"] = text.strip()
        self._changed()

    def _id_edited(self, text: str) -> None:
        question = self._question()
        if self._loading or question is None:
            return
        old, new = question["id"], text.strip()
        question["id"] = new
        # Rules that jumped to this question follow it to its new id.
        for other in self.questions:
            for branch in other.get("branches", []):
                if old and branch.get("goto") == old:
                    branch["goto"] = new
        self._changed()

    def _type_changed(self, _index: int) -> None:
        question = self._question()
        if self._loading or question is None:
            return
        qtype = str(self.type_combo.currentData())
        question["type"] = qtype
        if qtype not in CHOICE_TYPES:
            question["options"] = []
            self._loading = True
            self.options_table.setRowCount(0)
            self._loading = False
        # A rule's condition and value belong to the old type; keep its target only.
        when = WHENS_FOR_TYPE[qtype][0]
        question["branches"] = [
            {"when": when, "value": None, "low": None, "high": None, "goto": b.get("goto", END)}
            for b in question["branches"]
        ]
        self._load_branches()
        self._show_type_parts()
        self._changed()

    def _text_edited(self) -> None:
        question = self._question()
        if self._loading or question is None:
            return
        question["text"] = self.text_edit.toPlainText().strip()
        self._changed()

    def _required_toggled(self, checked: bool) -> None:
        question = self._question()
        if self._loading or question is None:
            return
        question["required"] = checked
        self._changed()

    # -- checking ---------------------------------------------------------------------------------
    def _changed(self) -> None:
        self._validate(emit=True)

    def _validate(self, emit: bool) -> None:
        try:
            survey = Survey.model_validate(self.definition())
            self._problems = survey_problems(survey)
        except ValidationError as exc:  # cannot happen through the widgets; a caller's data can
            self._problems = [Problem("bad_definition", str(exc))]
        for index in range(self.list.count()):
            self._label_item(index)
        self._show_problems()
        self.save_button.setEnabled(True)
        if emit:
            self.definition_changed.emit(self.definition())

    def _show_problems(self) -> None:
        general = [p for p in self._problems if p.position < 0]
        self.survey_problems.setText("\n".join(p.message for p in general))
        self._mark(self.name_edit, any(p.field == "name" for p in general))
        mine = [p for p in self._problems if self.current >= 0 and p.position == self.current]
        self.question_problems.setText("\n".join(p.message for p in mine))
        fields = {p.field for p in mine}
        self._mark(self.id_edit, "id" in fields)
        self._mark(self.text_edit, "text" in fields)
        self._mark(self.options_table, "options" in fields)
        self._mark(self.branches_table, "branches" in fields)
        bad_rules = {p.index for p in mine if p.field == "branches"}
        for row in range(self.branches_table.rowCount()):
            cell = self.branches_table.cellWidget(row, 1)
            if cell is not None:
                self._mark(cell, row in bad_rules)

    def _mark(self, widget: QWidget, invalid: bool) -> None:
        if bool(widget.property("invalid")) == invalid:
            return
        widget.setProperty("invalid", invalid)
        # A dynamic property only restyles once the style is applied again.
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def save(self) -> None:
        self._validate(emit=False)
        if self._problems:
            first = self._problems[0]
            if first.position >= 0:
                self.list.setCurrentRow(first.position)
            elif first.field == "name":
                self.name_edit.setFocus()
            return
        self.save_requested.emit(self.definition())

    def _type_name(self, qtype: str) -> str:
        return {
            "rating": self.tr("Rating 1–5"),
            "nps": self.tr("NPS 0–10"),
            "single": self.tr("Single choice"),
            "multiple": self.tr("Multiple choice"),
            "yes_no": self.tr("Yes/no"),
            "text": self.tr("Text"),
        }.get(qtype, qtype)
