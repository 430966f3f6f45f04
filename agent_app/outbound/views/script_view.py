"""The call script as the agent reads it: the current node with the customer's fields filled
in, its branch buttons, Back, Restart and a breadcrumb of the way taken (common/scripts.py).

Keys, while the focus is in the view: 1–9 press the n-th button, Alt+← or Backspace go back,
Home restarts, Page Up/Down scroll the text. A crumb of the breadcrumb is a link back to it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSlider,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from common.scripts import Script, ScriptWalk, fill_plain, node_html, parse_script, script_problems

STYLE = """
#scriptTitle { font-weight: 700; color: #0f172a; }
#scriptCrumbs { color: #475569; }
#scriptProblems { color: #92400e; background: #fffbeb; border: 1px solid #fcd34d;
    border-radius: 4px; padding: 4px; }
#scriptBody { border: 1px solid #e2e8f0; border-radius: 6px; background: white;
    font-size: 15px; padding: 4px; }
QPushButton[choice="true"] { text-align: left; padding: 6px 10px; border: 1px solid #93c5fd;
    border-radius: 6px; background: #eff6ff; color: #1e3a8a; }
QPushButton[choice="true"]:focus { border: 2px solid #1d4ed8; }
QPushButton[choice="true"]:disabled { color: #94a3b8; border-color: #e2e8f0; background: #f8fafc; }
#scriptEnd { color: #64748b; }
"""

DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class ScriptView(QWidget):
    node_changed = Signal(str)  # the title of the node shown ('' is the opening)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptView")
        self.walk: ScriptWalk | None = None
        self.values: dict[str, str] = {}
        self.choice_buttons: list[QPushButton] = []
        self.title = QLabel()
        self.title.setObjectName("scriptTitle")
        self.title.setWordWrap(True)
        self.restart_button = QPushButton(self.tr("Restart"))
        self.restart_button.setObjectName("scriptRestart")
        self.restart_button.setToolTip(self.tr("Back to the opening (Home)"))
        self.restart_button.clicked.connect(self.restart)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.restart_button)
        self.crumbs = QLabel()
        self.crumbs.setObjectName("scriptCrumbs")
        self.crumbs.setWordWrap(True)
        self.crumbs.setTextFormat(Qt.TextFormat.RichText)
        self.crumbs.linkActivated.connect(lambda link: self.go_to(int(link)))
        self.problems = QLabel()
        self.problems.setObjectName("scriptProblems")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.body = QTextBrowser()
        self.body.setObjectName("scriptBody")
        self.body.setOpenLinks(False)
        # Read aloud: roomy lines; a quote is a note to the agent, not words for the customer.
        self.body.document().setDefaultStyleSheet(
            "p, li { line-height: 140%; } blockquote { color: #92400e; margin-left: 12px; }"
        )
        # The text is read, not navigated: keys stay with the view (QTextBrowser would take
        # Backspace and Alt+← for its own history).
        self.body.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.choice_box = QVBoxLayout()
        self.choice_box.setSpacing(4)
        self.end_label = QLabel(self.tr("End of the script."))
        self.end_label.setObjectName("scriptEnd")
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.setObjectName("scriptBack")
        self.back_button.setToolTip(self.tr("The previous step (Alt+Left or Backspace)"))
        self.back_button.clicked.connect(self.go_back)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(head)
        layout.addWidget(self.crumbs)
        layout.addWidget(self.problems)
        layout.addWidget(self.body, 1)
        layout.addLayout(self.choice_box)
        layout.addWidget(self.end_label)
        layout.addLayout(nav)
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A shortcut, not keyPressEvent: a focused button would take Alt+← for itself.
        back = QShortcut(QKeySequence("Alt+Left"), self, self.go_back)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.set_script("", {})

    # -- what the caller tells it ---------------------------------------------------------------
    def set_script(
        self, script: str | Script, values: Mapping[str, str] | None = None, title: str = ""
    ) -> None:
        """Show a script (its Markdown body, or parsed) from the opening, fields from `values`
        (common.scripts.record_values gives them for a record)."""
        parsed = parse_script(script) if isinstance(script, str) else script
        self.walk = ScriptWalk(parsed)
        self.values = dict(values or {})
        self.title.setText(title)
        self.title.setVisible(bool(title))
        problems = script_problems(parsed) if parsed.nodes else []
        self.problems.setText("\n".join(p.message for p in problems))
        self.problems.setVisible(bool(problems))
        self._show()

    def set_values(self, values: Mapping[str, str]) -> None:
        """Fill the fields anew (the record changed its data), staying on the same node."""
        self.values = dict(values)
        self._show()

    def path(self) -> list[str]:
        return self.walk.path if self.walk else []

    # -- moving -----------------------------------------------------------------------------------
    def choose(self, index: int) -> None:
        if self.walk is not None and self.walk.choose(index) is not None:
            self._show(focus=True)

    def go_back(self) -> None:
        if self.walk is not None and self.walk.can_go_back():
            self.walk.back()
            self._show(focus=True)

    def go_to(self, depth: int) -> None:
        if self.walk is not None:
            self.walk.go_to(depth)
            self._show(focus=True)

    def restart(self) -> None:
        if self.walk is not None:
            self.walk.restart()
            self._show(focus=True)

    # -- showing ----------------------------------------------------------------------------------
    def _crumb_name(self, title: str) -> str:
        return title or self.tr("Opening")

    def _show(self, focus: bool = False) -> None:
        for button in self.choice_buttons:
            self.choice_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.choice_buttons = []
        node = self.walk.current if self.walk else None
        if node is None:
            self.body.setHtml(
                "<p style='color:#64748b'>"
                + html.escape(self.tr("No script for this campaign."))
                + "</p>"
            )
            self.crumbs.clear()
            self.end_label.hide()
            self.back_button.setEnabled(False)
            self.restart_button.setEnabled(False)
            return
        assert self.walk is not None
        trail = self.walk.path
        parts = [
            f"<a href='{depth}'>{html.escape(self._crumb_name(title))}</a>"
            for depth, title in enumerate(trail[:-1])
        ]
        parts.append(f"<b>{html.escape(self._crumb_name(trail[-1]))}</b>")
        self.crumbs.setText(" › ".join(parts))
        self.body.setHtml(node_html(node, self.values))
        for index, choice in enumerate(node.choices):
            label = fill_plain(choice.label, self.values)
            prefix = f"{index + 1}  " if index < 9 else ""
            # '&' would make a mnemonic of the next letter; a label shows it as written.
            button = QPushButton(prefix + label.replace("&", "&&"))
            button.setObjectName(f"scriptChoice_{index + 1}")
            button.setProperty("choice", True)
            button.setToolTip(self.tr("Go to: %1").replace("%1", choice.target))
            button.setEnabled(self.walk.can_choose(choice))
            button.clicked.connect(lambda _checked=False, i=index: self.choose(i))
            self.choice_box.addWidget(button)
            button.setVisible(self.isVisible())  # now, not when the event loop gets to it
            self.choice_buttons.append(button)
        self.end_label.setVisible(not node.choices)
        self.back_button.setEnabled(self.walk.can_go_back())
        self.restart_button.setEnabled(self.walk.can_go_back())
        chain: list[QWidget] = [*self.choice_buttons, self.back_button, self.restart_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if self.isVisible():  # laid out now, so a click right away lands on its button
            layout = self.layout()
            if layout is not None:
                layout.activate()
        if focus:
            enabled = [b for b in self.choice_buttons if b.isEnabled()]
            (enabled[0] if enabled else self.back_button).setFocus()
        self.node_changed.emit(node.title)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = mods == Qt.KeyboardModifier.NoModifier
        if plain and key in DIGITS and DIGITS[key] <= len(self.choice_buttons):
            self.choose(DIGITS[key] - 1)
        elif plain and key == Qt.Key.Key_Backspace:
            self.go_back()
        elif plain and key == Qt.Key.Key_Home:
            self.restart()
        elif plain and key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            action = (
                QAbstractSlider.SliderAction.SliderPageStepAdd
                if key == Qt.Key.Key_PageDown
                else QAbstractSlider.SliderAction.SliderPageStepSub
            )
            self.body.verticalScrollBar().triggerAction(action)
        else:
            super().keyPressEvent(event)
