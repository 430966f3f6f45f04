"""The article an agent reads to the customer: title, facts, Markdown body, feedback buttons."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from kb.models import Article


class ArticleView(QWidget):
    feedback_given = Signal(str, str)  # article uuid, 'helpful' | 'not_helpful'

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
        buttons = QHBoxLayout()
        self.helpful = QPushButton(self.tr("Helpful"))
        self.helpful.setObjectName("helpfulButton")
        self.not_helpful = QPushButton(self.tr("Not helpful"))
        self.not_helpful.setObjectName("notHelpfulButton")
        self.feedback_label = QLabel()
        self.feedback_label.setObjectName("feedbackLabel")
        buttons.addWidget(self.helpful)
        buttons.addWidget(self.not_helpful)
        buttons.addWidget(self.feedback_label, 1)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.body, 1)
        layout.addLayout(buttons)
        self.helpful.clicked.connect(lambda: self._give("helpful"))
        self.not_helpful.clicked.connect(lambda: self._give("not_helpful"))
        self.show_article(None)

    def show_article(self, article: Article | None, meta: str = "") -> None:
        self.article = article
        has = article is not None
        self.helpful.setEnabled(has)
        self.not_helpful.setEnabled(has)
        self.feedback_label.clear()
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

    def _give(self, kind: str) -> None:
        if self.article is None:
            return
        self.feedback_given.emit(self.article.uuid, kind)
        self.helpful.setEnabled(False)
        self.not_helpful.setEnabled(False)
        self.feedback_label.setText(self.tr("Thank you, feedback recorded."))
