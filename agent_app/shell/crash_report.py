"""After a crash: the dialog the next start shows, with the end of the log and a button that
opens the log folder, so the agent can send the file to the center's IT."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class CrashReportDialog(QDialog):
    def __init__(self, tail: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashReportDialog")
        self.setWindowTitle(self.tr("SeatDesk closed unexpectedly"))
        self.folder = folder
        self.resize(640, 420)
        note = QLabel(
            self.tr(
                "SeatDesk did not close normally last time. The end of its log is below; "
                "please send the log file to your IT support."
            )
        )
        note.setWordWrap(True)
        self.log_view = QPlainTextEdit(tail or self.tr("(the log is empty)"))
        self.log_view.setObjectName("crashLog")
        self.log_view.setReadOnly(True)
        self.log_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.open_button = QPushButton(self.tr("Open the log folder"))
        self.open_button.setObjectName("openLogFolder")
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.log_view, 1)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        bar = self.log_view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the crash is at the end of the log

    def folder_url(self) -> QUrl:
        return QUrl.fromLocalFile(str(self.folder))

    def open_folder(self) -> bool:
        return QDesktopServices.openUrl(self.folder_url())
