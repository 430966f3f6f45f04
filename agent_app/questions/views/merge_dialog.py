"""Merging similar questions: pick the one to keep; the others follow it and get its answer."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)


class MergeDialog(QDialog):
    def __init__(self, questions: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(self.tr("Merge similar questions"))
        self.setMinimumWidth(480)
        self.questions = questions
        listing = QListWidget()
        listing.setObjectName("mergeMembers")
        for question in questions:
            listing.addItem(f"{question.get('agent', '')}: {question['query']}")
        self.target = QComboBox()
        self.target.setObjectName("mergeTarget")
        for question in questions:
            self.target.addItem(question["query"], question["uuid"])
        # Keep an answered question if there is one (the others get its answer), else the oldest.
        answered = [i for i, q in enumerate(questions) if q.get("status") == "answered"]
        oldest = min(range(len(questions)), key=lambda i: questions[i].get("created_at", ""))
        self.target.setCurrentIndex(answered[0] if answered else oldest)
        hint = QLabel(
            self.tr(
                "The other questions are merged into the one kept: answering it answers them all."
            )
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Merge"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(listing)
        layout.addWidget(QLabel(self.tr("Keep this question:")))
        layout.addWidget(self.target)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    @property
    def target_uuid(self) -> str:
        return str(self.target.currentData())

    @property
    def member_uuids(self) -> list[str]:
        return [q["uuid"] for q in self.questions]
