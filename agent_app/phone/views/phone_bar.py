"""The phone bar on top of the main window: agent state, registration, number entry and dial
pad, the current call with its timer, and every call control with its shortcut.

Layout only: it shows what the controller (agent_app/phone/qt/phone_bar.py) tells it and
reports what the agent does as signals; the controller decides. The call buttons that do not
fit the window's width go, in order from the right, into the 更多 » menu (the same actions, so
shortcuts, texts and enabled states follow), so every control stays reachable at 1024 px in
Chinese and in English.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from agent_app.phone import events as ev
from agent_app.phone.views.dial_pad import DialPad
from agent_app.phone.views.incoming_call import IncomingCallBanner
from agent_app.phone.views.phone_texts import (
    CALL_COLOURS,
    STATE_COLOURS,
    call_state_text,
    clock_text,
)

# Buttons on the bar, left to right.
CALL_BUTTONS = (
    "answer",
    "reject",
    "hangup",
    "hold",
    "mute",
    "transfer",
    "consult",
    "conference",
    "record",
)
# Which stay on the bar when not all fit: answering and hanging up go last into 更多.
KEEP_ORDER = (
    "answer",
    "hangup",
    "reject",
    "hold",
    "mute",
    "transfer",
    "consult",
    "conference",
    "record",
)
ALWAYS_ENABLED = ("dial_focus", "keypad", "ready")
REGISTRATION_WIDTH = 136
CALL_PANEL_MIN = 180  # the current call's state, number and timer...
CALL_PANEL_MAX = 320  # ...and no more than this for a long caller name (it is cut, not the bar)

STYLE = """
#phoneBar QToolButton, #phoneBar QPushButton {
    font-size: 13px; padding: 4px 5px; border: 1px solid #cbd5e1; border-radius: 6px;
    background: #f8fafc; color: #0f172a; min-height: 26px;
}
#phoneBar QToolButton:hover, #phoneBar QPushButton:hover { background: #e2e8f0; }
#phoneBar QToolButton:disabled { color: #94a3b8; background: #f1f5f9; border-color: #e2e8f0; }
#phoneBar QToolButton[active="true"] { background: #fef3c7; border-color: #d97706;
    color: #92400e; font-weight: 600; }
#recordButton[active="true"] { background: #fee2e2; border-color: #dc2626; color: #b91c1c; }
#phoneBar #registrationButton { border: 1px solid transparent; background: transparent;
    padding: 4px 4px; }
#phoneBar #registrationButton:hover { background: #f1f5f9; border-color: #e2e8f0; }
#answerButton:enabled { background: #16a34a; color: white; border-color: #15803d;
    font-weight: 600; }
#answerButton:enabled:hover { background: #15803d; }
#hangupButton:enabled { background: #dc2626; color: white; border-color: #b91c1c;
    font-weight: 600; }
#hangupButton:enabled:hover { background: #b91c1c; }
#rejectButton:enabled { color: #b91c1c; border-color: #fca5a5; }
#dialButton { color: #15803d; border-color: #86efac; font-weight: 600; }
#numberEdit { font-size: 14px; padding: 4px 6px; border: 1px solid #cbd5e1; border-radius: 6px;
    min-height: 24px; }
#callPanel { background: #f1f5f9; border: 1px solid #e2e8f0; border-radius: 8px; }
#callNumber { font-size: 15px; font-weight: 600; color: #0f172a; }
#callTimer { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 18px;
    font-weight: 700; color: #0f172a; }
#stateTime { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 15px;
    font-weight: 600; color: #334155; }
"""


class PhoneBar(QWidget):
    action_triggered = Signal(str)  # a call action's name (agent_app.phone.prefs)
    dial_requested = Signal(str)  # what is in the number field
    digit_pressed = Signal(str)  # from the dial pad
    state_chosen = Signal(str, str)  # agent state, reason code
    settings_requested = Signal()
    call_selected = Signal(str)  # the call the agent picked among several

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phoneBarWidget")
        self.call_actions: dict[str, QAction] = {}
        self._shown: dict[str, object] = {}  # what is on screen, so the refresh timer changes
        # a widget only when its content changes (an open call list stays open)
        self._texts: dict[str, str] = {}
        self._build_actions()

        line = self.line = QHBoxLayout(self)
        line.setContentsMargins(4, 4, 4, 4)
        line.setSpacing(4)

        self.state_button = QToolButton()
        self.state_button.setObjectName("stateButton")
        self.state_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.state_button.setMinimumWidth(116)
        self.state_menu = QMenu(self)
        self.state_button.setMenu(self.state_menu)
        self.state_actions: dict[str, QAction] = {}
        self.state_time = QLabel("00:00")
        self.state_time.setObjectName("stateTime")
        self.state_time.setMinimumWidth(48)
        line.addWidget(self.state_button)
        line.addWidget(self.state_time)
        line.addWidget(_separator())

        # The registration state; a click opens the phone settings (to set up an account or
        # fix the one that fails).
        self.registration_button = QToolButton()
        self.registration_button.setObjectName("registrationButton")
        self.registration_button.setMaximumWidth(REGISTRATION_WIDTH)
        self.registration_button.clicked.connect(self.settings_requested.emit)
        line.addWidget(self.registration_button)
        line.addWidget(_separator())

        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("numberEdit")
        self.number_edit.setPlaceholderText(self.tr("Number to dial"))
        self.number_edit.setClearButtonEnabled(True)
        self.number_edit.setFixedWidth(124)
        self.number_edit.returnPressed.connect(self._dial)
        self.dial_button = QPushButton(self.tr("Dial"))
        self.dial_button.setObjectName("dialButton")
        self.dial_button.clicked.connect(self._dial)
        self.dial_pad = DialPad()
        self.dial_pad.digit_pressed.connect(self.digit_pressed.emit)
        self.keypad_menu = QMenu(self)
        pad_action = QWidgetAction(self.keypad_menu)
        pad_action.setDefaultWidget(self.dial_pad)
        self.keypad_menu.addAction(pad_action)
        self.keypad_button = QToolButton()
        self.keypad_button.setObjectName("keypadButton")
        self.keypad_button.setDefaultAction(self.call_actions["keypad"])
        line.addWidget(self.number_edit)
        line.addWidget(self.dial_button)
        line.addWidget(self.keypad_button)
        line.addWidget(_separator())

        self.call_panel = QFrame()
        self.call_panel.setObjectName("callPanel")
        self.call_panel.setMinimumWidth(CALL_PANEL_MIN)
        panel = QHBoxLayout(self.call_panel)
        panel.setContentsMargins(8, 2, 8, 2)
        panel.setSpacing(8)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addStretch(1)
        self.call_state = QLabel()
        self.call_state.setObjectName("callState")
        self.call_number = QLabel()
        self.call_number.setObjectName("callNumber")
        texts.addWidget(self.call_state)
        texts.addWidget(self.call_number)
        texts.addStretch(1)
        # Several calls (waiting, consulting, conference): the list takes the number's place.
        self.call_timer = QLabel()
        self.call_timer.setObjectName("callTimer")
        self.call_list = QComboBox()
        self.call_list.setObjectName("callList")
        self.call_list.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.call_list.activated.connect(
            lambda i: self.call_selected.emit(str(self.call_list.itemData(i)))
        )
        texts.insertWidget(texts.count() - 1, self.call_list)
        self.call_timer.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        panel.addLayout(texts, 1)
        panel.addWidget(self.call_timer)
        line.addWidget(self.call_panel, 1)

        self.buttons: dict[str, QToolButton] = {}
        for name in CALL_BUTTONS:
            button = QToolButton()
            button.setObjectName(f"{name}Button")
            button.setDefaultAction(self.call_actions[name])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.buttons[name] = button
            line.addWidget(button)
        # The overflow: the call buttons that do not fit, as a menu of the same actions.
        self.more_menu = QMenu(self)
        self.more_menu.setObjectName("moreMenu")
        self.more_button = QToolButton()
        self.more_button.setObjectName("moreButton")
        self.more_button.setText(self.tr("More »"))
        self.more_button.setToolTip(self.tr("The call controls that do not fit the window"))
        self.more_button.setMenu(self.more_menu)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.hide()
        line.addWidget(self.more_button)
        self.overflow: list[str] = []  # call buttons now in the 更多 menu
        self._fixed = [
            w
            for w in self.findChildren(QWidget)
            if w.parentWidget() is self
            and w is not self.call_panel
            and w not in self.buttons.values()
            and w is not self.more_button
        ]

        self.banner = IncomingCallBanner(self.call_actions["answer"], self.call_actions["reject"])
        self.setObjectName("phoneBarRow")
        self.setStyleSheet(STYLE)
        # Room for a masked mobile number and an hour-long call (fonts from the style sheet).
        for label, sample in ((self.call_timer, "0:00:00"), (self.call_number, "138****8000")):
            label.ensurePolished()
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(sample) + 4)
        self.show_call(None, "", 0.0)
        self.show_calls([], "")

    def install(self, toolbar: QToolBar, banner_bar: QToolBar) -> None:
        """This widget across the whole toolbar (its own 更多 menu takes what does not fit,
        never the toolbar's 12-pixel extension arrow); the incoming-call banner on the row
        below (shown and hidden with its toolbar: a toolbar's widgets must not be hidden on
        their own)."""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(self)
        toolbar.setStyleSheet(STYLE)
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        banner_bar.addWidget(self.banner)

    # -- fitting the width ------------------------------------------------------------------
    def _fixed_width(self) -> int:
        """Everything but the call buttons: state, registration, number field, call panel."""
        line = self.line
        margins = line.contentsMargins()
        spacing = max(line.spacing(), 0)
        shown = [w for w in self._fixed if not w.isHidden()]
        panel = min(max(CALL_PANEL_MIN, self.call_panel.sizeHint().width()), CALL_PANEL_MAX)
        width = sum(w.sizeHint().width() for w in shown) + panel
        return width + spacing * len(shown) + margins.left() + margins.right()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        # Narrow enough for the toolbar to keep the bar whole: the call buttons overflow.
        hint = super().minimumSizeHint()
        more = self.more_button.sizeHint().width() + max(self.line.spacing(), 0)
        return QSize(self._fixed_width() + more, hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.minimumSizeHint().width()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit_buttons()

    def _refit(self) -> None:
        """The call panel's text changed: buttons may have to make room (or get it back)."""
        if self._changed("panelWidth", self.call_panel.sizeHint().width()):
            self.updateGeometry()
            self.fit_buttons()

    def fit_buttons(self) -> None:
        """Show the call buttons that fit: those usable now first, each group in KEEP_ORDER;
        the rest go to the 更多 menu. The bar keeps its left-to-right order."""
        spacing = max(self.line.spacing(), 0)
        widths = {n: self.buttons[n].sizeHint().width() + spacing for n in CALL_BUTTONS}
        room = self.width() - self._fixed_width()
        kept = set(CALL_BUTTONS)
        if sum(widths.values()) > room:
            room -= self.more_button.sizeHint().width() + spacing
            kept, used = set(), 0
            usable = [n for n in KEEP_ORDER if self.call_actions[n].isEnabled()]
            for name in usable + [n for n in KEEP_ORDER if n not in usable]:
                if used + widths[name] > room:
                    break
                kept.add(name)
                used += widths[name]
        overflow = [n for n in CALL_BUTTONS if n not in kept]
        if overflow == self.overflow and self.more_button.isHidden() == (not overflow):
            return
        self.overflow = overflow
        self.more_menu.clear()
        for name in CALL_BUTTONS:
            self.buttons[name].setVisible(name not in overflow)
            if name in overflow:
                self.more_menu.addAction(self.call_actions[name])
        self.more_button.setVisible(bool(overflow))

    # -- actions ----------------------------------------------------------------------------
    def _build_actions(self) -> None:
        texts = {
            "answer": self.tr("Answer"),
            "reject": self.tr("Reject"),
            "hangup": self.tr("Hang up"),
            "hold": self.tr("Hold"),
            "mute": self.tr("Mute"),
            "transfer": self.tr("Transfer"),
            "consult": self.tr("Consult"),
            "conference": self.tr("Conference"),
            "record": self.tr("Record"),
            "dial_focus": self.tr("Enter a number"),
            "keypad": self.tr("Keypad"),
            "ready": self.tr("Ready / Not ready"),
        }
        for name, text in texts.items():
            action = QAction("⌨" if name == "keypad" else text, self)
            action.setObjectName(f"{name}Action")
            action.triggered.connect(lambda _c=False, n=name: self._triggered(n))
            self.addAction(action)  # the shortcut works wherever focus is in the window
            self.call_actions[name] = action
            self._texts[name] = text

    def _triggered(self, name: str) -> None:
        if name == "dial_focus":
            self.number_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.number_edit.selectAll()
        elif name == "keypad":
            self.keypad_menu.popup(
                self.keypad_button.mapToGlobal(self.keypad_button.rect().bottomLeft())
            )
            self.dial_pad.setFocus()
        else:
            self.action_triggered.emit(name)

    def set_shortcuts(self, mapping: dict[str, str]) -> None:
        for name, action in self.call_actions.items():
            keys = mapping.get("dial" if name == "dial_focus" else name, "")
            action.setShortcut(QKeySequence(keys))
            shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            text = self._texts[name]
            action.setToolTip(f"{text} ({shown})" if shown else text)

    def set_enabled_actions(self, names: set[str]) -> None:
        for name, action in self.call_actions.items():
            action.setEnabled(name in ALWAYS_ENABLED or name in names)
        self.dial_button.setEnabled("dial" in names)
        if self._changed("enabled", frozenset(names)):
            self.fit_buttons()  # what can be used now stays on the bar

    def set_toggles(
        self, held: bool, muted: bool, recording: bool, consulting: bool, record_locked: bool
    ) -> None:
        """Toggle buttons say what pressing them does now."""
        self._set_text("hold", self.tr("Resume") if held else self.tr("Hold"), held)
        self._set_text("mute", self.tr("Mute"), muted)  # highlighted while muted
        self._set_text(
            "record", self.tr("Recording") if recording else self.tr("Record"), recording
        )
        self._set_text(
            "consult",
            self.tr("Complete transfer") if consulting else self.tr("Consult"),
            consulting,
        )
        if record_locked:
            self.call_actions["record"].setEnabled(False)

    def _set_text(self, name: str, text: str, active: bool) -> None:
        action = self.call_actions[name]
        action.setText(text)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({keys})" if keys else text)
        button = self.buttons[name]
        if button.property("active") != active:
            button.setProperty("active", active)
            button.style().unpolish(button)
            button.style().polish(button)

    def _dial(self) -> None:
        self.dial_requested.emit(self.number_edit.text())

    # -- agent state ------------------------------------------------------------------------
    def set_state_menu(self, states: list[tuple[str, str]], reasons: list[tuple[str, str]]) -> None:
        """`states`: (code, name) for ready, not_ready, break, offline; `reasons`: (code, name)."""
        self.state_menu.clear()
        self.state_actions.clear()
        for code, name in states:
            if code == "not_ready":
                sub = self.state_menu.addMenu(name)
                sub.setObjectName("notReadyMenu")
                for reason, label in reasons:
                    action = sub.addAction(label)
                    action.triggered.connect(
                        lambda _c=False, r=reason: self.state_chosen.emit("not_ready", r)
                    )
                    self.state_actions[f"not_ready:{reason}"] = action
                continue
            action = self.state_menu.addAction(name)
            action.triggered.connect(lambda _c=False, s=code: self.state_chosen.emit(s, ""))
            self.state_actions[code] = action

    def _changed(self, key: str, value: object) -> bool:
        if self._shown.get(key) == value:
            return False
        self._shown[key] = value
        return True

    def show_state(self, colour: str, text: str, time_text: str, tooltip: str = "") -> None:
        self.state_time.setText(time_text)
        if not self._changed("state", (colour, text, tooltip)):
            return
        background, foreground = STATE_COLOURS.get(colour, STATE_COLOURS["offline"])
        self.state_button.setText(f"● {text}")
        self.state_button.setToolTip(tooltip or text)
        self.state_button.setProperty("stateColour", colour)
        self.state_button.setStyleSheet(
            f"QToolButton {{ background: {background}; color: {foreground}; font-size: 14px;"
            " font-weight: 700; border: none; border-radius: 14px; padding: 5px 14px; }"
            "QToolButton::menu-indicator { image: none; width: 0; }"
        )

    # -- registration -----------------------------------------------------------------------
    def show_registration(self, kind: str, text: str, tooltip: str = "") -> None:
        """kind: none (no account), registering, registered, failed."""
        if not self._changed("registration", (kind, text, tooltip)):
            return
        colours = {
            "registered": "#15803d",
            "registering": "#b45309",
            "failed": "#dc2626",
            "none": "#64748b",
        }
        button = self.registration_button
        button.setStyleSheet(f"color: {colours.get(kind, '#64748b')};")
        shown = f"● {text}"
        if kind == "failed":
            shown += " — " + self.tr("set up…")
        # With no account at all the button reads as a link: the tooltip says where it goes.
        button.setStyleSheet(
            button.styleSheet() + ("text-decoration: underline;" if kind == "none" else "")
        )
        metrics = button.fontMetrics()
        button.setText(
            metrics.elidedText(shown, Qt.TextElideMode.ElideRight, REGISTRATION_WIDTH - 12)
        )
        hint = self.tr("Click for the phone settings")
        button.setToolTip(f"{tooltip or text}\n{hint}")
        button.setProperty("kind", kind)
        button.setProperty("fullText", text)

    # -- calls ------------------------------------------------------------------------------
    def show_call(self, snap: ev.CallSnapshot | None, number: str, seconds: float) -> None:
        if snap is None:
            self.call_state.setText(self.tr("No call"))
            self.call_state.setStyleSheet("color: #94a3b8; font-size: 13px;")
            self.call_number.hide()
            self.call_timer.setText("")
            self._refit()
            return
        self.call_number.setVisible(not self.call_list.isVisible())
        colour = CALL_COLOURS.get(snap.state, "#334155")
        self.call_state.setText(call_state_text(snap))
        self.call_state.setStyleSheet(f"color: {colour}; font-size: 12px; font-weight: 600;")
        # The caller's name is in the call and customer pane and the tooltip: the bar keeps
        # its width for the controls (1024 px, English).
        self.call_number.setText(number)
        name = f"{snap.remote_display}  " if snap.remote_display else ""
        self.call_number.setToolTip(f"{name}{number}")
        self.call_timer.setText(clock_text(seconds))
        self.call_timer.setStyleSheet(f"color: {colour};")
        self._refit()

    def show_calls(self, items: list[tuple[str, str]], current: str) -> None:
        """Several calls (waiting, consulting): a list to switch between them."""
        if not self._changed("calls", (items, current)):
            return
        self.call_list.clear()
        for call_id, label in items:
            self.call_list.addItem(label, call_id)
        index = self.call_list.findData(current)
        if index >= 0:
            self.call_list.setCurrentIndex(index)
        several = len(items) > 1
        self.call_list.setVisible(several)
        self.call_number.setVisible(not several and bool(self.call_number.text()))

    def number(self) -> str:
        return self.number_edit.text().strip()


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setStyleSheet("color: #e2e8f0;")
    return line
