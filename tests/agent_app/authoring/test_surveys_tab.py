"""The authoring window's surveys tab: the center's surveys listed, one opened in the survey
editor the campaigns use (one model, common/surveys.py), renamed and saved as its next
version on the real backend."""

from __future__ import annotations

from PySide6.QtCore import Qt

from common.outbound import SurveyIn
from tests.helpers.corpus import type_text


def test_a_survey_opened_from_the_authoring_window_and_saved(
    qtbot, backend, logged_in_app, api
) -> None:  # type: ignore[no-untyped-def]
    supervisor = backend.new_user("supervisor")
    client = api(backend.url, supervisor)
    definition = {"questions": [{"id": "q1", "type": "yes_no", "text": "您对这次服务满意吗？"}]}
    survey = client.create_survey(SurveyIn(name="装机回访", definition=definition))
    app = logged_in_app(backend.url, supervisor)
    qtbot.waitUntil(lambda: app.authoring is not None and app.authoring.editor is not None)
    desk = app.authoring
    with qtbot.waitSignal(desk.editor.surveys.loaded, timeout=10_000):
        qtbot.mouseClick(desk.view.surveys_button, Qt.MouseButton.LeftButton)
    tab = desk.editor.window.surveys
    assert desk.editor.window.tabs.currentWidget() is tab
    names = [tab.list.item(i).text() for i in range(tab.list.count())]
    row = next(i for i, name in enumerate(names) if name.startswith("装机回访"))
    item = tab.list.item(row)
    qtbot.mouseClick(
        tab.list.viewport(), Qt.MouseButton.LeftButton, pos=tab.list.visualItemRect(item).center()
    )
    editor = tab.editor
    qtbot.waitUntil(lambda: editor.name_edit.text() == "装机回访", timeout=10_000)
    assert editor.definition()["questions"][0]["text"] == "您对这次服务满意吗？"
    type_text(editor.name_edit, "（宽带）")
    with qtbot.waitSignal(desk.editor.surveys.saved, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    stored = client.survey(survey.uuid)
    assert stored.name == "装机回访（宽带）" and stored.version == 2
    assert "已保存" in tab.status.text()


def test_a_trainer_writes_a_survey_and_changes_another(qtbot, backend, logged_in_app, api) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: trainers edit the surveys in the authoring window; the server takes their
    saves (it once answered 403 to anyone but supervisors, managers and admins)."""
    supervisor = api(backend.url, backend.new_user("supervisor"))
    definition = {"questions": [{"id": "q1", "type": "yes_no", "text": "满意吗？"}]}
    theirs = supervisor.create_survey(SurveyIn(name="主管写的问卷", definition=definition))
    app = logged_in_app(backend.url, backend.new_user("trainer"))
    qtbot.waitUntil(lambda: app.authoring is not None and app.authoring.editor is not None)
    desk = app.authoring
    with qtbot.waitSignal(desk.editor.surveys.loaded, timeout=10_000):
        desk.view.surveys_button.click()
    tab = desk.editor.window.surveys
    editor = tab.editor
    assert editor.save_button.isVisible() and tab.new_button.isVisible()

    # A new survey of the trainer's own.
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    type_text(editor.name_edit, "宽带装机回访")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.type_combo.setCurrentIndex(editor.type_combo.findData("yes_no"))
    type_text(editor.text_edit, "师傅是否按约上门？")
    with qtbot.waitSignal(desk.editor.surveys.saved, timeout=10_000) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    mine = supervisor.survey(saved.args[0])
    assert mine.name == "宽带装机回访" and mine.version == 1
    assert [q["text"] for q in mine.definition["questions"]] == ["师傅是否按约上门？"]
    assert "已保存" in tab.status.text()

    # The supervisor's survey, changed by the trainer: its next version.
    qtbot.waitUntil(lambda: tab.list.count() >= 2, timeout=10_000)
    names = [tab.list.item(i).text() for i in range(tab.list.count())]
    item = tab.list.item(next(i for i, n in enumerate(names) if n.startswith("主管写的问卷")))
    qtbot.mouseClick(
        tab.list.viewport(), Qt.MouseButton.LeftButton, pos=tab.list.visualItemRect(item).center()
    )
    qtbot.waitUntil(lambda: editor.name_edit.text() == "主管写的问卷", timeout=10_000)
    type_text(editor.name_edit, "（修订）")
    with qtbot.waitSignal(desk.editor.surveys.saved, timeout=10_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    changed = supervisor.survey(theirs.uuid)
    assert changed.name == "主管写的问卷（修订）" and changed.version == 2
