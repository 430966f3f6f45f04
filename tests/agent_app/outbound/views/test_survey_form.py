"""The survey form, driven as an agent drives it: keys go to the widget that has the focus,
clicks land on the real buttons; the form follows the branches, insists on required answers
on the path taken only, and reports every change so a draft can be saved."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agent_app.outbound.views.survey_form import SurveyForm
from common.surveys import END, Survey, demo_survey

OPTIONS = [
    {"code": "guard", "label": "安保"},
    {"code": "clean", "label": "保洁"},
    {"code": "park", "label": "停车"},
]
SURVEY = Survey.model_validate(
    {
        "uuid": "s1",
        "name": "满意度回访",
        "questions": [
            {
                "id": "used",
                "type": "yes_no",
                "text": "报修过吗？",
                "required": True,
                "branches": [{"when": "equals", "value": False, "goto": "overall"}],
            },
            {"id": "speed", "type": "rating", "text": "及时性？", "required": True},
            {
                "id": "overall",
                "type": "rating",
                "text": "整体满意度？",
                "required": True,
                "branches": [{"when": "between", "low": 4, "high": 5, "goto": "nps"}],
            },
            {"id": "areas", "type": "multiple", "text": "哪些方面？", "options": OPTIONS},
            {"id": "detail", "type": "text", "text": "具体意见"},
            {"id": "nps", "type": "nps", "text": "推荐度？", "required": True},
            {
                "id": "contact",
                "type": "single",
                "text": "需要回电吗？",
                "required": True,
                "options": [{"code": "yes", "label": "需要"}, {"code": "no", "label": "不需要"}],
                "branches": [{"when": "equals", "value": "no", "goto": END}],
            },
            {"id": "note", "type": "text", "text": "回电时间", "required": True},
        ],
    }
)


@pytest.fixture
def form(qtbot: QtBot) -> SurveyForm:
    widget = SurveyForm()
    qtbot.addWidget(widget)
    widget.resize(420, 360)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key as the keyboard sends it: to whatever has the focus."""
    qtbot.keyClick(focused(), key, modifier)


def click_box(qtbot: QtBot, box: QAbstractButton) -> None:
    """A click on a check box's or radio button's indicator (its middle may be past the text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def type_chinese(widget: QWidget, text: str) -> None:
    """Chinese arrives from the input method as a committed string, not as key presses."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def start(form: SurveyForm, answers: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    form.answers_changed.connect(changes.append)
    form.set_survey(SURVEY, answers)
    form.setFocus()
    return changes


def button(form: SurveyForm, name: str) -> QPushButton:
    """The button on the question shown (a page left behind is deleted only later)."""
    found = [b for b in form.findChildren(QPushButton, name) if b.isVisible()]
    assert len(found) == 1, name
    return found[0]


def test_keyboard_only_through_a_branch_to_the_end(qtbot: QtBot, form: SurveyForm) -> None:
    changes = start(form)
    assert form.current_question_id() == "used"
    press(qtbot, Qt.Key.Key_N)  # no repairs: skip the repair question
    assert changes[-1] == {"used": False}
    assert focused().objectName() == "answerNo"
    press(qtbot, Qt.Key.Key_Return)
    assert form.current_question_id() == "overall"
    assert form.progress.text() == "Question 2 of 7"
    press(qtbot, Qt.Key.Key_5)
    assert changes[-1] == {"used": False, "overall": 5}
    assert form.progress.text() == "Question 2 of 5"  # 5 skips the complaint questions
    press(qtbot, Qt.Key.Key_Return)
    assert form.current_question_id() == "nps"
    press(qtbot, Qt.Key.Key_9)
    press(qtbot, Qt.Key.Key_Right)  # 10 is one step past 9
    assert form.answers()["nps"] == 10
    press(qtbot, Qt.Key.Key_Return)
    assert form.current_question_id() == "contact"
    press(qtbot, Qt.Key.Key_2)  # 不需要: the survey ends here
    assert form.next_button.text() == "Finish"
    with qtbot.waitSignal(form.finished) as done:
        press(qtbot, Qt.Key.Key_Return)
    assert done.args == [{"used": False, "overall": 5, "nps": 10, "contact": "no"}]
    assert form.current_question_id() == ""
    assert form.findChild(QWidget, "summary_contact").text() == "不需要"  # type: ignore[union-attr]
    press(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert form.current_question_id() == "contact"


def test_a_required_question_holds_next_and_an_optional_one_does_not(
    qtbot: QtBot, form: SurveyForm
) -> None:
    start(form)
    qtbot.mouseClick(form.next_button, Qt.MouseButton.LeftButton)
    assert form.current_question_id() == "used"
    assert form.error.text() == "This question must be answered."
    qtbot.mouseClick(button(form, "answerYes"), Qt.MouseButton.LeftButton)
    assert form.error.text() == ""
    qtbot.mouseClick(form.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(form, "score_2"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(form, "score_1"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.next_button, Qt.MouseButton.LeftButton)
    assert form.current_question_id() == "areas"
    assert "*" not in form.question_label.text()  # optional: no marker, Next goes on
    qtbot.mouseClick(form.next_button, Qt.MouseButton.LeftButton)
    assert form.current_question_id() == "detail"


def test_choices_and_text_answers_by_mouse_and_keys(qtbot: QtBot, form: SurveyForm) -> None:
    changes = start(form, {"used": True, "speed": 3, "overall": 2})
    assert form.current_question_id() == "areas"  # the draft resumes at the first unanswered
    boxes = form.findChildren(QCheckBox)
    assert [b.text() for b in boxes if b.isVisible()] == ["1. 安保", "2. 保洁", "3. 停车"]
    focused().setFocus()
    press(qtbot, Qt.Key.Key_3)
    press(qtbot, Qt.Key.Key_1)
    assert changes[-1]["areas"] == ["guard", "park"]
    click_box(qtbot, form.findChild(QCheckBox, "option_guard"))  # type: ignore[arg-type]
    assert changes[-1]["areas"] == ["park"]
    press(qtbot, Qt.Key.Key_Return)
    edit = form.findChild(QPlainTextEdit, "answerText")
    assert edit is not None and focused() is edit
    type_chinese(edit, "车位不够")
    assert changes[-1]["detail"] == "车位不够"  # saved as it is typed
    press(qtbot, Qt.Key.Key_Return)  # a new line in the text, not the next question
    assert form.current_question_id() == "detail"
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.current_question_id() == "nps"
    assert changes[-1]["detail"] == "车位不够"


def test_a_single_choice_by_radio_button_and_tab_order(qtbot: QtBot, form: SurveyForm) -> None:
    start(form, {"used": False, "overall": 4, "nps": 6})
    assert form.current_question_id() == "contact"
    radios = [r for r in form.findChildren(QRadioButton) if r.isVisible()]
    click_box(qtbot, radios[0])
    assert form.answers()["contact"] == "yes"
    assert form.next_button.text() == "Next"
    radios[0].setFocus()
    press(qtbot, Qt.Key.Key_Tab)  # the radio buttons are one tab stop; then Back, then Next
    assert focused() is form.back_button
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is form.next_button


def test_changing_a_branch_drops_skipped_answers_and_the_path_shrinks(
    qtbot: QtBot, form: SurveyForm
) -> None:
    changes = start(
        form, {"used": True, "speed": 4, "overall": 1, "areas": ["clean"], "detail": "脏"}
    )
    form.show_question("overall")
    press(qtbot, Qt.Key.Key_4)
    assert changes[-1] == {"used": True, "speed": 4, "overall": 4}
    form.show_question("speed")
    press(qtbot, Qt.Key.Key_Delete)
    assert "speed" not in form.answers()
    assert form.error.text() == ""


def test_set_answers_restores_a_draft_without_echoing_it(qtbot: QtBot, form: SurveyForm) -> None:
    changes = start(form)
    form.set_answers({"used": False, "overall": 5, "speed": 3, "nps": 7})
    assert changes == []
    assert form.answers() == {"used": False, "overall": 5, "nps": 7}
    assert form.current_question_id() == "contact"
    form.show_question("overall")
    assert button(form, "score_5").isChecked()


def test_no_survey_shows_a_notice(form: SurveyForm) -> None:
    form.set_survey(None)
    assert form.question_label.text() == "No survey for this campaign."
    assert not form.next_button.isEnabled()


def test_the_demo_survey_runs_to_the_end_by_keys(qtbot: QtBot, form: SurveyForm) -> None:
    form.set_survey(demo_survey())
    form.setFocus()
    finished: list[dict[str, Any]] = []
    form.finished.connect(finished.append)
    for key in (Qt.Key.Key_Y, Qt.Key.Key_Return, Qt.Key.Key_2, Qt.Key.Key_Return, Qt.Key.Key_3):
        press(qtbot, key)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_4)  # overall 4: on to the recommendation
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_7)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_3)  # no call back wanted: end
    press(qtbot, Qt.Key.Key_Return)
    assert finished == [
        {
            "repair_used": True,
            "repair_speed": 2,
            "repair_quality": 3,
            "overall": 4,
            "recommend": 7,
            "contact_pref": "none",
        }
    ]


def test_a_survey_filled_while_hidden_shows_its_first_question_s_buttons(qtbot: QtBot) -> None:
    """The worklist fills the survey first and shows its area after: the first question's
    Yes/No buttons were missing then (the page stayed hidden), so only the keys answered."""
    widget = SurveyForm()
    qtbot.addWidget(widget)
    widget.resize(420, 360)
    widget.set_survey(demo_survey(), None)  # a yes/no question first
    widget.show()
    qtbot.waitExposed(widget)
    yes = button(widget, "answerYes")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    assert widget.answers() == {"repair_used": True}
