"""The callback picker's calendar speaks the language the agent chose, not the workstation's:
Chinese month and weekday names in the Chinese window, English ones in the English window
(it showed "December" and "Mon Tue" in the Chinese window)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agent_app.outbound.callback_times import CallingCalendar
from agent_app.outbound.views.callback_picker import CallbackPicker
from agent_app.shell.app import install_translators

OFFICE = {"days": [[["09:00", "18:00"]] for _ in range(7)]}


@pytest.mark.parametrize(
    ("language", "december", "monday"), [("zh_CN", "十二月", "周一"), ("en_US", "December", "Mon")]
)
def test_the_calendar_follows_the_chosen_language(
    qtbot: QtBot, qapp: QApplication, language: str, december: str, monday: str
) -> None:
    translators = install_translators(qapp, language)
    try:
        calendar = CallingCalendar.for_campaign({"calling_hours": OFFICE})
        picker = CallbackPicker(calendar, datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
        qtbot.addWidget(picker)
        locale = picker.calendar.locale()
        assert locale.monthName(12, QLocale.FormatType.LongFormat) == december
        assert locale.dayName(1, QLocale.FormatType.ShortFormat) == monday
        assert picker.calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday  # China's week
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
