"""The behaviour of the surveys tab: list the center's surveys, open one in the survey editor,
and save it (a new one, or a new version of one) through the API client's survey methods,
all on the net executor. The model and its checks are common/surveys.py's, shared with the
outbound campaigns (written once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from agent_app.authoring.views.surveys import SurveysView
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import TaskManager, op
from common.outbound import SurveyIn
from common.roles import SURVEY_EDITORS
from sync.api_client import ApiClient

log = logging.getLogger(__name__)


class SurveysController(QObject):
    saved = Signal(str)  # uuid
    loaded = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        view: SurveysView,
        client: Callable[[], ApiClient | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.view = view
        self._client = client
        view.survey_chosen.connect(self.open_survey)
        view.new_requested.connect(self.new_survey)
        view.editor.save_requested.connect(self.save)

    def reload(self, select: str = "") -> None:
        client = self._client()
        if client is None:
            self.view.set_status(
                self.tr("Surveys are kept on the server: log in to edit them."), True
            )
            return

        def fetch() -> tuple[list[dict[str, Any]], str]:
            return [s.model_dump() for s in client.surveys()], client.me().role

        op(fetch).success(lambda result: self._loaded(result[0], select, result[1])).failure(
            lambda exc: self.view.set_status(error_text(exc), True)
        ).run(self.taskman, executor="net")

    def _loaded(self, surveys: list[dict[str, Any]], select: str, role: str) -> None:
        self.view.set_surveys(surveys, select)
        # The server lets trainers and the people who run campaigns change surveys
        # (common/roles.py SURVEY_EDITORS); anyone else reads them here, told why there is no
        # Save.
        may_save = role in SURVEY_EDITORS
        self.view.editor.save_button.setVisible(may_save)
        self.view.new_button.setVisible(may_save)
        if not may_save:
            self.view.set_status(
                self.tr(
                    "Surveys are changed by trainers, supervisors and managers;"
                    " you can read them here."
                )
            )
        self.loaded.emit()

    def open_survey(self, survey_uuid: str) -> None:
        client = self._client()
        if client is None or not survey_uuid:
            return
        op(lambda: client.survey(survey_uuid).definition).success(
            self.view.editor.set_survey
        ).failure(lambda exc: self.view.set_status(error_text(exc), True)).run(
            self.taskman, executor="net"
        )

    def new_survey(self) -> None:
        self.view.list.clearSelection()
        self.view.editor.set_survey(None)
        self.view.set_status("")

    def save(self, definition: dict[str, Any]) -> None:
        client = self._client()
        name = str(definition.get("name", "")).strip()
        if client is None:
            self.view.set_status(self.tr("Not connected: the survey cannot be saved now."), True)
            return
        if not name:
            self.view.set_status(self.tr("Give the survey a name."), True)
            return
        survey_uuid = str(definition.get("uuid") or "")
        body = SurveyIn(name=name, definition=definition)

        def save() -> str:
            if survey_uuid:
                return client.change_survey(survey_uuid, body).uuid
            return client.create_survey(body).uuid

        op(save).success(self._saved).failure(
            lambda exc: self.view.set_status(error_text(exc), True)
        ).run(self.taskman, executor="net")

    def _saved(self, survey_uuid: str) -> None:
        self.view.set_status(self.tr("Survey saved."))
        self.saved.emit(survey_uuid)
        self.reload(select=survey_uuid)
