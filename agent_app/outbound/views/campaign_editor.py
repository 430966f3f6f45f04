"""The campaign editor: a new campaign or an existing one's settings, on three tabs that fit a
1024 x 768 screen: the campaign (name, business line, the script article found by its title in
the local knowledge base, the survey, masked numbers), the calling hours per weekday, and the
retry rules per outcome with the daily limit and where callbacks go.

Not modal: the supervisor may look things up in the knowledge base meanwhile. What was typed
stays in the dialog until the server has taken it; its refusal is shown under the tabs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agent_app.outbound.campaign_fields import FieldError, format_windows, parse_windows
from agent_app.outbound.views.survey_editor import SurveyEditor
from agent_app.questions.views.question_labels import fill_line_combo
from agent_app.shell.dialog_feedback import DialogFeedback, grow_to_fit
from common.outbound import OUTCOMES, CallingHours, RetryPolicy
from kb.business_lines import BUILT_IN, BusinessLine

SEARCH_IDLE_MS = 300
UUID_ROLE = Qt.ItemDataRole.UserRole + 1


class CampaignEditor(QDialog):
    """`campaign` None: a new one. `submitted(dict)` carries the fields to send."""

    submitted = Signal(dict)
    script_search = Signal(str)  # look up script articles by this text (the controller answers)
    survey_new_requested = Signal()
    survey_edit_requested = Signal(str)  # the survey's uuid

    def __init__(
        self,
        campaign: dict[str, Any] | None,
        english: bool,
        lines: list[BusinessLine] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignEditor")
        self.campaign = campaign
        self.english = english
        self.script_uuid = ""
        self.setWindowTitle(
            self.tr("New campaign")
            if campaign is None
            else self.tr("Campaign “%1”").replace("%1", campaign.get("name", ""))
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(lines or BUILT_IN), self.tr("Campaign"))
        self.tabs.addTab(self._hours_page(), self.tr("Calling hours"))
        self.tabs.addTab(self._retry_page(), self.tr("Retries and callbacks"))
        self.feedback = DialogFeedback(lambda: self.name_edit.text(), self)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("campaignSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.feedback)
        layout.addLayout(buttons)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_IDLE_MS)
        self._search_timer.timeout.connect(
            lambda: self.script_search.emit(self.script_search_edit.text().strip())
        )
        self.set_values(campaign or {})
        self.resize(720, 560)

    # -- the pages ----------------------------------------------------------------------------
    def _general_page(self, lines: list[BusinessLine]) -> QWidget:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("campaignName")
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText(self.tr("e.g. 2026 property satisfaction survey"))
        self.line_combo = QComboBox()
        self.line_combo.setObjectName("campaignLine")
        self.line_combo.addItem(self.tr("(none)"), "")
        fill_line_combo(self.line_combo, lines, self.english)

        self.script_label = QLabel(self.tr("No script chosen"))
        self.script_label.setObjectName("campaignScriptTitle")
        self.script_label.setWordWrap(True)
        self.script_clear = QPushButton(self.tr("Remove"))
        self.script_clear.clicked.connect(lambda: self.set_script("", ""))
        self.script_search_edit = QLineEdit()
        self.script_search_edit.setObjectName("campaignScriptSearch")
        self.script_search_edit.setPlaceholderText(self.tr("Search the knowledge base by title…"))
        self.script_search_edit.setClearButtonEnabled(True)
        self.script_search_edit.textEdited.connect(lambda _t: self._search_timer.start())
        self.script_results = QListWidget()
        self.script_results.setObjectName("campaignScriptResults")
        self.script_results.setMaximumHeight(110)
        self.script_results.itemActivated.connect(self._script_picked)
        self.script_results.itemClicked.connect(self._script_picked)
        script_row = QHBoxLayout()
        script_row.addWidget(self.script_label, 1)
        script_row.addWidget(self.script_clear)
        script_box = QVBoxLayout()
        script_box.addLayout(script_row)
        script_box.addWidget(self.script_search_edit)
        script_box.addWidget(self.script_results)

        self.survey_combo = QComboBox()
        self.survey_combo.setObjectName("campaignSurvey")
        self.survey_combo.addItem(self.tr("(no survey)"), "")
        self.survey_combo.setMinimumContentsLength(16)
        self.survey_combo.currentIndexChanged.connect(lambda _i: self._survey_changed())
        self.survey_new = QPushButton(self.tr("New survey…"))
        self.survey_new.setObjectName("campaignSurveyNew")
        self.survey_new.clicked.connect(self.survey_new_requested.emit)
        self.survey_edit = QPushButton(self.tr("Edit survey…"))
        self.survey_edit.setObjectName("campaignSurveyEdit")
        self.survey_edit.clicked.connect(
            lambda: self.survey_edit_requested.emit(self.survey_combo.currentData() or "")
        )
        survey_row = QHBoxLayout()
        survey_row.addWidget(self.survey_combo, 1)
        survey_row.addWidget(self.survey_new)
        survey_row.addWidget(self.survey_edit)

        self.mask_check = QCheckBox(self.tr("Hide the middle digits of numbers from agents"))
        self.mask_check.setObjectName("campaignMask")

        page = QWidget()
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # the rows stay together at the top of a tall tab
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Business line"), self.line_combo)
        form.addRow(self.tr("Script"), script_box)
        form.addRow(self.tr("Survey"), survey_row)
        form.addRow("", self.mask_check)
        return page

    def _hours_page(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        hint = QLabel(
            self.tr(
                "China time. Several windows are separated by commas, e.g. "
                "09:00-12:00, 13:30-20:00; leave a day empty for no calls. Statutory holidays "
                "are closed; working weekends (调休) use Monday's hours."
            )
        )
        hint.setWordWrap(True)
        grid.addWidget(hint, 0, 0, 1, 2)
        days = [
            self.tr("Monday"),
            self.tr("Tuesday"),
            self.tr("Wednesday"),
            self.tr("Thursday"),
            self.tr("Friday"),
            self.tr("Saturday"),
            self.tr("Sunday"),
        ]
        self.hour_edits: list[QLineEdit] = []
        for index, name in enumerate(days):
            edit = QLineEdit()
            edit.setObjectName(f"campaignHours{index}")
            edit.setPlaceholderText(self.tr("no calls"))
            grid.addWidget(QLabel(name), index + 1, 0)
            grid.addWidget(edit, index + 1, 1)
            self.hour_edits.append(edit)
        copy = QPushButton(self.tr("Use Monday's hours Tuesday to Friday"))
        copy.setObjectName("campaignHoursCopy")
        copy.clicked.connect(self._copy_monday)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addStretch(1)
        grid.addLayout(row, 8, 1)
        grid.setRowStretch(9, 1)
        grid.setColumnStretch(1, 1)
        return page

    def _retry_page(self) -> QWidget:
        self.retry_table = QTableWidget(len(OUTCOMES), 4)
        self.retry_table.setObjectName("campaignRetryTable")
        self.retry_table.setHorizontalHeaderLabels(
            [
                self.tr("Outcome"),
                self.tr("Call again"),
                self.tr("After (minutes)"),
                self.tr("At most (attempts)"),
            ]
        )
        self.retry_table.verticalHeader().hide()
        self.retry_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.retry_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.retry_checks: dict[str, QCheckBox] = {}
        self.retry_delays: dict[str, QSpinBox] = {}
        self.retry_max: dict[str, QSpinBox] = {}
        language = "en" if self.english else "zh_CN"
        for row, outcome in enumerate(OUTCOMES):
            item = QTableWidgetItem(outcome.name(language))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.retry_table.setItem(row, 0, item)
            check = QCheckBox()
            delay = QSpinBox()
            delay.setRange(-1, 60 * 24 * 60)
            # -1 shows as "default": the campaign's retry interval when no time was agreed.
            delay.setSpecialValueText(self.tr("default"))
            delay.setToolTip(
                self.tr("“default”: the interval below for calls without an agreed time")
            )
            delay.setSingleStep(30)
            most = QSpinBox()
            most.setRange(1, 1000)
            check.toggled.connect(lambda on, d=delay, m=most: (d.setEnabled(on), m.setEnabled(on)))
            self.retry_table.setCellWidget(row, 1, _centred(check))
            self.retry_table.setCellWidget(row, 2, delay)
            self.retry_table.setCellWidget(row, 3, most)
            self.retry_checks[outcome.code] = check
            self.retry_delays[outcome.code] = delay
            self.retry_max[outcome.code] = most

        self.per_day = QSpinBox()
        self.per_day.setObjectName("campaignPerDay")
        self.per_day.setRange(1, 100)
        self.per_day.setMaximumWidth(120)
        self.no_time_retry = QSpinBox()
        self.no_time_retry.setObjectName("campaignRetryMinutes")
        self.no_time_retry.setRange(1, 60 * 24 * 30)
        self.no_time_retry.setSingleStep(30)
        self.no_time_retry.setSuffix(self.tr(" min"))
        self.no_time_retry.setMaximumWidth(120)
        self.callback_agent = QRadioButton(self.tr("A callback stays with the agent who agreed it"))
        self.callback_agent.setObjectName("campaignCallbackAgent")
        self.callback_anyone = QRadioButton(self.tr("Open to any agent after"))
        self.callback_anyone.setObjectName("campaignCallbackAnyone")
        group = QButtonGroup(self)
        group.addButton(self.callback_agent)
        group.addButton(self.callback_anyone)
        self.handover = QSpinBox()
        self.handover.setObjectName("campaignHandover")
        self.handover.setRange(0, 60 * 24 * 30)
        self.handover.setSingleStep(15)
        self.handover.setSuffix(self.tr(" min"))
        self.callback_anyone.toggled.connect(self.handover.setEnabled)
        anyone_row = QHBoxLayout()
        anyone_row.addWidget(self.callback_anyone)
        anyone_row.addWidget(self.handover)
        anyone_row.addStretch(1)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.retry_table, 1)
        form = QFormLayout()
        form.addRow(self.tr("Attempts per record and day, at most"), self.per_day)
        form.addRow(self.tr("Call again after (no time agreed)"), self.no_time_retry)
        layout.addLayout(form)
        layout.addWidget(self.callback_agent)
        layout.addLayout(anyone_row)
        return page

    # -- values -------------------------------------------------------------------------------
    def set_values(self, campaign: dict[str, Any]) -> None:
        self.name_edit.setText(campaign.get("name", ""))
        line = campaign.get("business_line", "")
        if line and self.line_combo.findData(line) < 0:  # a deactivated line keeps its code
            self.line_combo.addItem(line, line)
        self.line_combo.setCurrentIndex(max(0, self.line_combo.findData(line)))
        self.script_uuid = campaign.get("script_article_uuid", "")
        self.set_script(self.script_uuid, self.script_uuid)  # the title comes from the controller
        survey = campaign.get("survey_uuid", "")
        if survey:
            self.survey_combo.addItem(survey, survey)
            self.survey_combo.setCurrentIndex(self.survey_combo.findData(survey))
        self.mask_check.setChecked(bool(campaign.get("mask_numbers", False)))
        hours = CallingHours.model_validate(campaign.get("calling_hours") or {})
        for edit, windows in zip(self.hour_edits, hours.days, strict=True):
            edit.setText(format_windows(windows))
        policy = RetryPolicy.model_validate(campaign.get("retry_policy") or {})
        for code, check in self.retry_checks.items():
            rule = policy.for_meaning(code)
            check.setChecked(rule.retry)
            self.retry_delays[code].setValue(
                -1 if rule.delay_minutes is None else rule.delay_minutes
            )
            self.retry_max[code].setValue(rule.max_attempts)
            self.retry_delays[code].setEnabled(rule.retry)
            self.retry_max[code].setEnabled(rule.retry)
        self.per_day.setValue(int(campaign.get("max_attempts_per_day", 3)))
        self.no_time_retry.setValue(int(campaign.get("no_time_retry_minutes", 240)))
        anyone = campaign.get("callback_mode", "agent") == "anyone"
        (self.callback_anyone if anyone else self.callback_agent).setChecked(True)
        self.handover.setValue(int(campaign.get("callback_handover_minutes", 60)))
        self.handover.setEnabled(anyone)

    def set_business_lines(self, lines: list[BusinessLine]) -> None:
        current = self.line_combo.currentData()
        fill_line_combo(self.line_combo, lines, self.english)
        if current and self.line_combo.findData(current) < 0:
            self.line_combo.addItem(current, current)
            self.line_combo.setCurrentIndex(self.line_combo.count() - 1)

    def set_surveys(self, surveys: list[dict[str, Any]], select: str = "") -> None:
        """The center's surveys to choose from; `select` a uuid to choose (a new one)."""
        current = select or self.survey_combo.currentData() or ""
        self.survey_combo.blockSignals(True)
        try:
            while self.survey_combo.count() > 1:
                self.survey_combo.removeItem(1)
            for survey in surveys:
                self.survey_combo.addItem(survey.get("name", ""), survey["uuid"])
            if current and self.survey_combo.findData(current) < 0:
                self.survey_combo.addItem(current, current)  # not listed (yet): keep it
            self.survey_combo.setCurrentIndex(max(0, self.survey_combo.findData(current)))
        finally:
            self.survey_combo.blockSignals(False)
        self._survey_changed()

    def _survey_changed(self) -> None:
        self.survey_edit.setEnabled(bool(self.survey_combo.currentData()))

    def set_script(self, uuid: str, title: str) -> None:
        self.script_uuid = uuid
        self.script_label.setText(title if uuid else self.tr("No script chosen"))
        self.script_clear.setEnabled(bool(uuid))

    def set_script_results(self, hits: list[tuple[str, str, str]]) -> None:
        """(uuid, title, type name) of the articles found; scripts first."""
        self.script_results.clear()
        for uuid, title, kind in hits:
            item = QListWidgetItem(f"{title}  ·  {kind}" if kind else title)
            item.setData(UUID_ROLE, (uuid, title))
            self.script_results.addItem(item)

    def _script_picked(self, item: QListWidgetItem) -> None:
        uuid, title = item.data(UUID_ROLE)
        self.set_script(uuid, title)

    def _copy_monday(self) -> None:
        for edit in self.hour_edits[1:5]:
            edit.setText(self.hour_edits[0].text())

    def values(self) -> dict[str, Any]:
        """The fields as CampaignIn / CampaignPatch take them; FieldError for bad hours."""
        days: list[list[list[str]]] = []
        for edit in self.hour_edits:
            try:
                days.append(parse_windows(edit.text()))
            except FieldError:
                self.tabs.setCurrentIndex(1)  # show the supervisor which day is wrong
                edit.setFocus()
                raise
        outcomes = {
            code: {
                "retry": check.isChecked(),
                "delay_minutes": None
                if self.retry_delays[code].value() < 0
                else self.retry_delays[code].value(),
                "max_attempts": self.retry_max[code].value(),
            }
            for code, check in self.retry_checks.items()
        }
        return {
            "name": self.name_edit.text().strip(),
            "business_line": self.line_combo.currentData() or "",
            "script_article_uuid": self.script_uuid,
            "survey_uuid": self.survey_combo.currentData() or "",
            "mask_numbers": self.mask_check.isChecked(),
            "calling_hours": {"days": days},
            "retry_policy": {"outcomes": outcomes},
            "max_attempts_per_day": self.per_day.value(),
            "no_time_retry_minutes": self.no_time_retry.value(),
            "callback_mode": "anyone" if self.callback_anyone.isChecked() else "agent",
            "callback_handover_minutes": self.handover.value(),
        }

    def submit(self) -> None:
        if not self.name_edit.text().strip():
            self.tabs.setCurrentIndex(0)
            self.name_edit.setFocus()
            self.show_error(self.tr("Give the campaign a name."))
            return
        try:
            values = self.values()
        except FieldError as exc:
            self.show_error(str(exc))
            return
        self.feedback.clear()
        self.submitted.emit(values)

    # -- state --------------------------------------------------------------------------------
    def set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        if busy:
            self.feedback.show_info(self.tr("Saving…"))

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.feedback.show_error(message)
        grow_to_fit(self, self._layout)


def _centred(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignCenter)
    return holder


class SurveyDialog(QDialog):
    """The survey editor (views/survey_editor.py) in a window of its own, opened from the
    campaign editor; the survey editor's own Save button sends it (`save_requested`)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surveyDialog")
        self.setWindowTitle(title)
        self.editor = SurveyEditor()
        self.feedback = DialogFeedback(lambda: "", self)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.feedback)
        layout.addLayout(buttons)
        self.resize(900, 600)

    def set_busy(self, busy: bool) -> None:
        self.editor.save_button.setEnabled(not busy)
        if busy:
            self.feedback.show_info(self.tr("Saving…"))
        else:
            self.feedback.clear()

    def show_error(self, message: str) -> None:
        self.editor.save_button.setEnabled(True)
        self.feedback.show_error(message)
        grow_to_fit(self, self._layout)
