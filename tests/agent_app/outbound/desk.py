"""Steps the worklist tests share: a campaign with the demo survey and script on a real server
(tests/server/outbound/clocked.py: the real app over HTTP with a clock the test moves), and the
real desktop app logged in there as an agent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.outbound.qt.worklist import WorklistController
from agent_app.outbound.views.worklist import WorklistView
from agent_app.shell.app import AppController
from common.resource_files import resources_dir
from common.scripts import DEMO_SCRIPT_UUID, demo_script_article
from tests.agent_app.conftest import FAST_PULL_S, make_data_dir
from tests.helpers.clock import FakeClock
from tests.helpers.corpus import SMALL_CORPUS
from tests.server.outbound.clocked import ClockedServer, User
from tests.server.support import PASSWORD

# Every day, all day: the hand-out never says 'outside hours' whatever the test's clock.
ALL_DAY = {"days": [[["00:00", "24:00"]] for _ in range(7)]}
# Weekdays 09:00-12:00 and 13:30-18:00: what the callback picker is limited to.
OFFICE = {"days": [[["09:00", "12:00"], ["13:30", "18:00"]] for _ in range(5)] + [[], []]}


def demo_survey_definition() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (resources_dir() / "outbound" / "demo_survey.json").read_text(encoding="utf-8")
    )
    return data


def campaign_with_survey(
    server: ClockedServer, manager: User, hours: dict[str, Any] = ALL_DAY, **fields: Any
) -> dict[str, Any]:
    """A campaign with the demo survey and the demo script (an article in the agent's KB)."""
    reply = manager.http.post(
        "/campaigns/surveys",
        json={"name": "物业服务满意度回访", "definition": demo_survey_definition()},
    )
    assert reply.status_code == 201, reply.text
    survey_uuid = reply.json()["uuid"]
    # The call script is a knowledge-base article, published: the changes feed brings it to
    # the agent's workstation.
    article = demo_script_article().model_dump(
        mode="json", include={"uuid", "type", "title", "body", "category", "tags"}
    )
    created = manager.http.post("/articles", json={**article, "status": "draft"})
    assert created.status_code in (201, 409), created.text
    published = manager.http.post(f"/articles/{DEMO_SCRIPT_UUID}/publish")
    assert published.status_code == 200, published.text
    return server.campaign(
        manager,
        survey_uuid=survey_uuid,
        script_article_uuid=DEMO_SCRIPT_UUID,
        calling_hours=hours,
        **fields,
    )


def agent_app(start_app: Any, folder: Path, url: str, agent: User) -> AppController:
    """The real app, logged in as `agent` at `url` by itself (password in the keyring)."""
    make_data_dir(folder, SMALL_CORPUS, index=True)
    credentials.save_password(url, agent.username, PASSWORD)
    settings = Settings(
        search_log_idle_ms=50, server_url=url, username=agent.username, remember_password=True
    )
    settings.pull_interval_s = FAST_PULL_S
    app: AppController = start_app(folder, connect=True, settings=settings)
    return app


def worklist(qtbot: Any, app: AppController, clock: FakeClock | None = None) -> WorklistView:
    """The agent's worklist once its campaigns are listed (the controller on `clock`)."""
    qtbot.waitUntil(
        lambda: app.outbound is not None and app.outbound.controller is not None, timeout=20_000
    )
    desk = app.outbound
    assert desk is not None and desk.controller is not None and desk.reminders is not None
    if clock is not None:
        desk.controller.clock = clock
        desk.reminders.clock = clock
    view = desk.view
    qtbot.waitUntil(lambda: view.campaign_box.count() > 0, timeout=20_000)
    kb = app.kb
    assert kb is not None
    # The call script has come down the changes feed.
    qtbot.waitUntil(lambda: kb.store.get_article(DEMO_SCRIPT_UUID) is not None, timeout=20_000)
    return view


def controller(app: AppController) -> WorklistController:
    assert app.outbound is not None and app.outbound.controller is not None
    return app.outbound.controller


def take_next(qtbot: Any, view: WorklistView, name: str) -> None:
    """下一条, until `name` is the record on screen."""
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: view.work.isVisible() and view.name_label.text() == name, timeout=15_000
    )
