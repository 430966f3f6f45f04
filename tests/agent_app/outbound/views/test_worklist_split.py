"""The worklist column on a 768-pixel screen: the survey gets what its question needs, so its
Back and Next stay on screen without scrolling, and the script read aloud gets the rest; when
the window grows, the room goes to the script."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agent_app.outbound.views.worklist import WorklistView
from common.scripts import demo_script_article
from common.surveys import Survey, demo_survey


def shown(qtbot: QtBot, height: int) -> WorklistView:
    view = WorklistView()
    qtbot.addWidget(view)
    view.resize(400, height)
    view.show()
    qtbot.waitExposed(view)
    view.set_outcomes([(str(i), f"结果{i}") for i in range(1, 8)])
    view.show_record("王建国", "138****5678", {"楼盘": "阳光花园", "房号": "3栋1202"})
    view.show_script(demo_script_article().body, {"姓名": "王建国", "楼盘": "阳光花园"})
    view.show_survey(demo_survey(), {})
    return view


def test_the_survey_gets_what_it_needs_and_the_script_the_rest(qtbot: QtBot) -> None:
    view = shown(qtbot, 620)  # the dock's height in a 1024x768 window
    script, survey = view.split.sizes()
    form = view.survey_form
    needed = form.sizeHint().height()
    assert survey >= min(needed, view.split.height() * 3 // 5)
    # Next is on screen inside the survey's area, not scrolled away.
    area = view.survey_area.viewport()
    bottom = form.next_button.mapTo(area, form.next_button.rect().bottomLeft()).y()
    assert bottom <= area.height()
    assert script == view.split.height() - survey - view.split.handleWidth()

    view.resize(400, 900)  # a taller window: the script grows, the survey keeps its size
    qtbot.waitUntil(lambda: view.split.sizes()[0] > script)
    assert view.split.sizes()[1] == survey


def test_a_taller_question_later_grows_the_survey_so_next_stays_on_screen(qtbot: QtBot) -> None:
    survey = Survey.model_validate(
        {
            "uuid": "s-long",
            "name": "回访",
            "questions": [
                {"id": "ok", "type": "yes_no", "text": "方便吗？", "required": False},
                {
                    "id": "why",
                    "type": "single",
                    "text": "您对哪一项最不满意？" * 6,
                    "required": False,
                    "options": [{"code": f"o{i}", "label": f"选项{i}"} for i in range(5)],
                },
            ],
        }
    )
    view = WorklistView()
    qtbot.addWidget(view)
    view.resize(400, 620)
    view.show()
    qtbot.waitExposed(view)
    view.show_record("王建国", "138****5678", {})
    view.show_script(demo_script_article().body, {"姓名": "王建国"})
    view.show_survey(survey, {})
    script, first = view.split.sizes()
    form = view.survey_form
    form.go_next()
    qtbot.waitUntil(lambda: view.split.sizes()[1] > first)
    area = view.survey_area.viewport()
    cap = (script + first) * 3 // 5
    if view.split.sizes()[1] < cap:  # not at the cap: all of it fits, Next included
        bottom = form.next_button.mapTo(area, form.next_button.rect().bottomLeft()).y()
        assert bottom <= area.height()
    grown = view.split.sizes()[1]
    form.go_back()  # a shorter question again: the survey keeps its room (no jumping)
    QApplication.processEvents()  # the zero-delay refit after the question changed
    assert view.split.sizes()[1] == grown
