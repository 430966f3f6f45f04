"""The article an agent reads to the customer: title, facts, Markdown body, its attachments,
feedback buttons (没帮助 asks an optional reason: agent_app/knowledge/views/not_helpful_dialog.py)."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agent_app.knowledge.views.not_helpful_dialog import NotHelpfulDialog
from kb.attachments import AttachmentFile
from kb.models import Article

ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1


class ArticleView(QWidget):
    feedback_given = Signal(str, str, str)  # article uuid, 'helpful' | 'not_helpful', reason
    attachment_requested = Signal(object)  # AttachmentFile: double-click or Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.meta = QLabel()
        self.meta.setObjectName("articleMeta")
        self.meta.setStyleSheet("color: #6b7280;")
        self.meta.setWordWrap(True)
        self.body = QTextBrowser()
        self.body.setObjectName("articleBody")
        self.body.setOpenExternalLinks(False)
        # The article's images and PDFs: hidden when it has none; each opens in the system's
        # viewer from the local copy (or says it has not been downloaded yet).
        self.attachments = QListWidget()
        self.attachments.setObjectName("articleAttachments")
        self.attachments.setMaximumHeight(72)
        self.attachments.itemActivated.connect(self._open_attachment)
        self.attachments.hide()
        self._file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self.attachments.setIconSize(QSize(16, 16))
        self.not_helpful_dialog: NotHelpfulDialog | None = None
        buttons = QHBoxLayout()
        self.helpful = QPushButton(self.tr("Helpful"))
        self.helpful.setObjectName("helpfulButton")
        self.not_helpful = QPushButton(self.tr("Not helpful"))
        self.not_helpful.setObjectName("notHelpfulButton")
        self.feedback_label = QLabel()
        self.feedback_label.setObjectName("feedbackLabel")
        self.feedback_label.setWordWrap(True)  # a long file name never widens the window
        buttons.addWidget(self.helpful)
        buttons.addWidget(self.not_helpful)
        buttons.addWidget(self.feedback_label, 1)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.attachments)
        layout.addLayout(buttons)
        self.helpful.clicked.connect(lambda: self._give("helpful"))
        self.not_helpful.clicked.connect(self.ask_not_helpful)
        self.show_article(None)

    def show_article(self, article: Article | None, meta: str = "") -> None:
        self.article = article
        has = article is not None
        self.helpful.setEnabled(has)
        self.not_helpful.setEnabled(has)
        self.feedback_label.clear()
        self.show_attachments([])
        if article is None:
            self.title.setText(self.tr("No article open"))
            self.meta.clear()
            self.body.setHtml(
                "<p style='color:#6b7280'>"
                + html.escape(
                    self.tr("Type in the search box (Ctrl+K); Enter opens the selected result.")
                )
                + "</p>"
            )
            return
        self.title.setText(article.title)
        self.meta.setText(meta)
        self.body.setMarkdown(article.body)

    def show_attachments(self, files: list[AttachmentFile]) -> None:
        """The open article's attachments, each marked when not downloaded yet."""
        self.attachments.clear()
        for file in files:
            text = f"{file.name}  ({_size(file.size)})"
            if not file.present:
                text += "  · " + self.tr("not downloaded yet")
            item = QListWidgetItem(self._file_icon, text)
            item.setData(ATTACHMENT_ROLE, file)
            item.setToolTip(self.tr("Double-click or Enter opens the attachment"))
            self.attachments.addItem(item)
        self.attachments.setVisible(bool(files))

    def _open_attachment(self, item: QListWidgetItem) -> None:
        file = item.data(ATTACHMENT_ROLE)
        if isinstance(file, AttachmentFile):
            self.attachment_requested.emit(file)

    def show_attachment_missing(self, name: str) -> None:
        self.feedback_label.setText(
            self.tr("Attachment not downloaded yet: %1").replace("%1", name)
        )

    def ask_not_helpful(self) -> None:
        """The optional reason; the vote is recorded whether the agent sends one or skips."""
        article = self.article
        if article is None:
            return
        dialog = self.not_helpful_dialog = NotHelpfulDialog(article.title, self)
        uuid = article.uuid
        self.helpful.setEnabled(False)  # one vote per opening: no second dialog meanwhile
        self.not_helpful.setEnabled(False)
        dialog.finished.connect(lambda _code: self._give("not_helpful", dialog.reason, uuid))
        dialog.open()

    def _give(self, kind: str, reason: str = "", uuid: str = "") -> None:
        if self.article is None and not uuid:
            return
        target = uuid or (self.article.uuid if self.article is not None else "")
        self.feedback_given.emit(target, kind, reason)
        if self.article is None or self.article.uuid != target:
            return  # another article opened meanwhile: its buttons stay as they are
        self.helpful.setEnabled(False)
        self.not_helpful.setEnabled(False)
        self.feedback_label.setText(self.tr("Thank you, feedback recorded."))


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
