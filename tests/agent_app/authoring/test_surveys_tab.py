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


def test_a_trainer_reads_surveys_and_is_told_who_changes_them(
    qtbot, backend, logged_in_app, api
) -> None:  # type: ignore[no-untyped-def]
    supervisor = api(backend.url, backend.new_user("supervisor"))
    definition = {"questions": [{"id": "q1", "type": "yes_no", "text": "满意吗？"}]}
    supervisor.create_survey(SurveyIn(name="给培训师看的问卷", definition=definition))
    app = logged_in_app(backend.url, backend.new_user("trainer"))
    qtbot.waitUntil(lambda: app.authoring is not None and app.authoring.editor is not None)
    desk = app.authoring
    with qtbot.waitSignal(desk.editor.surveys.loaded, timeout=10_000):
        desk.view.surveys_button.click()
    tab = desk.editor.window.surveys
    names = [tab.list.item(i).text() for i in range(tab.list.count())]
    assert any(name.startswith("给培训师看的问卷") for name in names)
    assert not tab.editor.save_button.isVisible() and not tab.new_button.isVisible()
    assert "主管" in tab.status.text()
