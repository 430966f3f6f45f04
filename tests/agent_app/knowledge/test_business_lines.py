"""Business lines are center data (issue 11 #13): a line a manager adds on the real backend
reaches the KB pane's filter, the question queue's filter and the make-article dialog of a
running app through its real sync worker; a deactivated line leaves the filters. Names are in
the UI language, the built-in lines first."""

from __future__ import annotations

import uuid as uuidlib

import httpx
from PySide6.QtWidgets import QComboBox

from agent_app.knowledge.views.kb_pane import KbPane
from agent_app.questions.views.make_article_dialog import MakeArticleDialog
from kb.business_lines import BUILT_IN, BusinessLine
from tests.helpers.flows import open_queue

SEVEN = [line.code for line in BUILT_IN]


def offered(combo: QComboBox) -> list[str]:
    """The codes a line combo offers (after its 'all' / 'none' item)."""
    return [combo.itemData(i) for i in range(1, combo.count())]


def test_a_line_made_on_the_server_reaches_the_filters_through_sync(
    qtbot, backend, api, logged_in_app
) -> None:  # type: ignore[no-untyped-def]
    manager = api(backend.url, backend.new_user("manager"))
    supervisor = logged_in_app(backend.url, backend.new_user("supervisor"))
    pane = supervisor.kb_view
    queue = open_queue(qtbot, supervisor, all_states=False)
    code = "canteen_" + uuidlib.uuid4().hex[:8]
    name = "社区食堂" + code[-4:]
    headers = {"Authorization": f"Bearer {manager.token}"}
    with httpx.Client(base_url=backend.url, headers=headers, timeout=30) as http:
        made = http.post(
            "/taxonomy/business-lines",
            json={"code": code, "name_zh": name, "name_en": "Community canteen"},
        )
        assert made.status_code == 201, made.text
        qtbot.waitUntil(lambda: code in offered(pane.line_filter), timeout=15_000)
        qtbot.waitUntil(lambda: code in offered(queue.line_filter), timeout=15_000)
        for combo in (pane.line_filter, queue.line_filter):
            assert offered(combo)[:7] == SEVEN, "the built-in lines come first"
            assert combo.itemText(combo.findData(code)) == name  # the UI is in Chinese
        dialog = MakeArticleDialog(
            {"query": "食堂几点开门", "answer": "早六点", "business_line": code},
            True,
            False,
            pane,
            lines=supervisor.queue.lines,
        )
        assert code in offered(dialog.line_combo)
        assert dialog.line_combo.currentData() == code
        dialog.close()

        # Choosing the line, then an admin deactivating it: it leaves both filters and the
        # KB pane searches again without it.
        pane.line_filter.setCurrentIndex(pane.line_filter.findData(code))
        off = http.patch(f"/taxonomy/business-lines/{code}", json={"active": False})
        assert off.status_code == 200, off.text
        qtbot.waitUntil(lambda: code not in offered(pane.line_filter), timeout=15_000)
        qtbot.waitUntil(lambda: code not in offered(queue.line_filter), timeout=15_000)
        assert pane.line_filter.currentData() is None
        # Older articles still show the line's name.
        assert pane.line_name(code) == name


def test_line_names_follow_the_ui_language(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = KbPane(english=True)
    qtbot.addWidget(pane)
    canteen = BusinessLine("canteen", "社区食堂", "Community canteen", origin="server")
    pane.fill_business_lines([*BUILT_IN, canteen])
    assert pane.line_filter.itemText(pane.line_filter.findData("canteen")) == "Community canteen"
    assert pane.line_filter.itemText(1) == "Property services"
    chinese = KbPane(english=False)
    qtbot.addWidget(chinese)
    chinese.fill_business_lines([*BUILT_IN, canteen])
    assert chinese.line_filter.itemText(chinese.line_filter.findData("canteen")) == "社区食堂"
