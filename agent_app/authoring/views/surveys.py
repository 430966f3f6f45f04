"""The surveys tab of the authoring window: the center's outbound surveys, and the survey
editor the campaign screens use (agent_app/outbound/views/survey_editor.py: questions, types,
options and branching, checked by common/surveys.py) to change one or write a new one.

Layout only; the controller is qt/surveys.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from agent_app.outbound.views.survey_editor import SurveyEditor

UUID_ROLE = Qt.ItemDataRole.UserRole + 1


class SurveysView(QWidget):
    survey_chosen = Signal(str)  # uuid
    new_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surveysView")
        self.list = QListWidget()
        self.list.setObjectName("surveyList")
        self.list.currentItemChanged.connect(self._chosen)
        self.new_button = QPushButton(self.tr("New survey"))
        self.new_button.setObjectName("newSurvey")
        self.new_button.clicked.connect(self.new_requested.emit)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Surveys")))
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.new_button)
        self.editor = SurveyEditor()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.editor)
        split.setChildrenCollapsible(False)
        split.setSizes([220, 800])
        self.status = QLabel()
        self.status.setObjectName("surveyStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        layout.addLayout(bottom)

    def set_surveys(self, surveys: Sequence[dict[str, Any]], select: str = "") -> None:
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for survey in surveys:
                item = QListWidgetItem(f"{survey['name']}  (v{survey.get('version', 1)})")
                item.setData(UUID_ROLE, survey["uuid"])
                self.list.addItem(item)
                if survey["uuid"] == select:
                    self.list.setCurrentItem(item)
        finally:
            self.list.blockSignals(False)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.survey_chosen.emit(item.data(UUID_ROLE))

    def set_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b91c1c;" if error else "color: #15803d;")
