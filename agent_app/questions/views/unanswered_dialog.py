"""'没找到答案': the agent records what the knowledge base could not answer."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


class UnansweredDialog(QDialog):
    def __init__(self, query: str, closest_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Not answered"))
        self.setObjectName("unansweredDialog")
        form = QFormLayout(self)
        self.query_edit = QLineEdit(query)
        self.query_edit.setObjectName("unansweredQuery")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("unansweredNote")
        self.note_edit.setPlaceholderText(self.tr("What did the customer ask? (optional)"))
        self.note_edit.setFixedHeight(90)
        self.closest = closest = QLabel()
        closest.setObjectName("unansweredClosest")
        closest.setWordWrap(True)
        self.set_closest(closest_title)
        form.addRow(self.tr("Question"), self.query_edit)
        form.addRow(self.tr("Note"), self.note_edit)
        form.addRow(self.tr("Closest article"), closest)
        hint = QLabel(
            self.tr("The question goes to the business supervisor; the answer comes back to you.")
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Record question"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def set_closest(self, title: str) -> None:
        """The article the search found closest to the question ('' for none)."""
        self.closest.setText(title or self.tr("(none)"))

    def _accept_if_valid(self) -> None:
        if self.query_edit.text().strip():
            self.accept()
        else:
            self.query_edit.setFocus()

    @property
    def question(self) -> str:
        return self.query_edit.text().strip()

    @property
    def note(self) -> str:
        return self.note_edit.toPlainText().strip()
