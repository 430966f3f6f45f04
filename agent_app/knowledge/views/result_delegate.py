"""Paints one search result: title, kind and category, and the highlighted snippet."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kb.models import SearchHit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
PADDING = 6


def hit_html(hit: SearchHit, kind: str, line: str) -> str:
    meta = " · ".join(p for p in (kind, line, hit.category) if p)
    return (
        f"<div style='font-weight:600'>{html.escape(hit.title)}</div>"
        f"<div style='color:#6b7280;font-size:small'>{html.escape(meta)}</div>"
        f"<div>{hit.snippet}</div>"
    )


class ResultDelegate(QStyledItemDelegate):
    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setHtml(index.data(Qt.ItemDataRole.DisplayRole) or "")
        doc.setTextWidth(max(50, option.rect.width() - 2 * PADDING))
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        style.drawControl(
            QStyle.ControlElement.CE_ItemViewItem, text_option, painter, option.widget
        )
        doc = self._document(option, index)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(
                QPalette.ColorRole.Text,
                option.palette.color(QPalette.ColorRole.HighlightedText),
            )
        painter.save()
        rect = option.rect
        painter.translate(rect.left() + PADDING, rect.top() + PADDING)
        painter.setClipRect(QRectF(0, 0, rect.width() - 2 * PADDING, rect.height() - PADDING))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        self.initStyleOption(option, index)
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2 * PADDING)
