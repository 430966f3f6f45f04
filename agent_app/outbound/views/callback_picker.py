"""The callback picker: quick choices (+4 小时, 明天 10:00, 后天 10:00) and a calendar with a
time list limited to the campaign's calling hours on working days (agent_app/outbound/
callback_times.py decides which). Times are shown in China time whatever the workstation's
zone; `chosen()` is an aware datetime."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_app.outbound.callback_times import (
    HORIZON_DAYS,
    CallingCalendar,
    QuickChoice,
    china_now,
    china_text,
    quick_choices,
)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


class CallbackPicker(QDialog):
    def __init__(
        self, calendar: CallingCalendar, now: datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbackPicker")
        self.setWindowTitle(self.tr("Agree a callback"))
        self.calling = calendar
        self.now = china_now(now)
        self._chosen: datetime | None = None
        self._picked: datetime | None = None

        quick = QHBoxLayout()
        self.quick_buttons: dict[str, QPushButton] = {}
        names = {
            "in_4h": self.tr("+4 hours"),
            "tomorrow": self.tr("Tomorrow 10:00"),
            "day_after": self.tr("Day after 10:00"),
        }
        self.choices = {c.key: c for c in quick_choices(calendar, self.now)}
        for key, name in names.items():
            button = QPushButton(name)
            button.setObjectName(f"quick_{key}")
            choice = self.choices.get(key)
            if choice is None:
                button.setEnabled(False)
            else:
                button.setToolTip(self._choice_tip(choice))
                button.clicked.connect(lambda _c=False, ch=choice: self._take_quick(ch))
            self.quick_buttons[key] = button
            quick.addWidget(button)

        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("callbackCalendar")
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        # China's week starts on Monday, whatever the window's language (en_US starts Sunday).
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        today = self.now.date()
        self.calendar.setMinimumDate(_qdate(today))
        self.calendar.setMaximumDate(_qdate(today + timedelta(days=HORIZON_DAYS)))
        self._grey_closed_days(today)
        self.time_box = QComboBox()
        self.time_box.setObjectName("callbackTime")
        self.hint = QLabel()
        self.hint.setObjectName("callbackHint")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept_picked)
        self.buttons.rejected.connect(self.reject)

        time_row = QHBoxLayout()
        time_row.addWidget(QLabel(self.tr("Time (China time)")))
        time_row.addWidget(self.time_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(quick)
        layout.addWidget(self.calendar)
        layout.addLayout(time_row)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)

        self.calendar.selectionChanged.connect(self._day_chosen)
        self.time_box.currentIndexChanged.connect(self._time_chosen)
        first = next(iter(calendar.open_days(today, HORIZON_DAYS + 1)), None)
        if first is not None and not calendar.slots(first, self.now):
            later = calendar.open_days(first + timedelta(days=1), HORIZON_DAYS)
            first = later[0] if later else None
        self.calendar.setSelectedDate(_qdate(first or today))
        self._day_chosen()

    def _choice_tip(self, choice: QuickChoice) -> str:
        text = china_text(choice.moment)
        if choice.moved:
            return self.tr("%1 (moved into calling hours)").replace("%1", text)
        return text

    def _grey_closed_days(self, today: date) -> None:
        closed = QTextCharFormat()
        closed.setForeground(QColor("#9ca3af"))
        for offset in range(HORIZON_DAYS + 1):
            day = today + timedelta(days=offset)
            if not self.calling.is_open_day(day):
                self.calendar.setDateTextFormat(_qdate(day), closed)

    def _day_chosen(self) -> None:
        day = _day(self.calendar.selectedDate())
        self.time_box.blockSignals(True)
        self.time_box.clear()
        for moment in self.calling.slots(day, self.now):
            self.time_box.addItem(moment.strftime("%H:%M"), moment)
        self.time_box.blockSignals(False)
        if self.time_box.count() == 0:
            if self.calling.is_open_day(day):
                self.hint.setText(self.tr("No calling hours are left on this day."))
            else:
                self.hint.setText(self.tr("No calls on this day (holiday or no calling hours)."))
        self._time_chosen()

    def _time_chosen(self) -> None:
        moment = self.time_box.currentData()
        self._picked = moment if isinstance(moment, datetime) else None
        if self._picked is not None:
            self.hint.setText(
                self.tr("Callback at %1 (China time)").replace("%1", china_text(self._picked))
            )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self._picked is not None)

    def _take_quick(self, choice: QuickChoice) -> None:
        self._chosen = choice.moment
        self.accept()

    def _accept_picked(self) -> None:
        if self._picked is None:
            return
        self._chosen = self._picked
        self.accept()

    def chosen(self) -> datetime | None:
        """The agreed time (aware), once the dialog was accepted."""
        return self._chosen

    def select(self, day: date, clock: str) -> bool:
        """Pick `day` and the time `clock` ('10:30') as the agent would; False when not offered."""
        self.calendar.setSelectedDate(_qdate(day))
        index = self.time_box.findText(clock, Qt.MatchFlag.MatchExactly)
        if index < 0:
            return False
        self.time_box.setCurrentIndex(index)
        return True
