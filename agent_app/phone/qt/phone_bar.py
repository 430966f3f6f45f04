"""The phone bar's controller: starts the phone, turns the agent's clicks and shortcuts into
engine actions, feeds the engine's events to the seat (state machine, call log) and shows the
result on the bar, the incoming-call banner and the tray; the wrap-up and call-history panes
have their own controllers (agent_app/seat/qt/), placed here in the window by role.

Which action applies to which call is decided by CallBoard (Qt-free); the seat's rules by
agent_app.seat; this module only connects them. Keyring and database work runs off the GUI
thread through the TaskManager.
"""

from __future__ import annotations

import copy
import logging
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QToolBar

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.phone import credentials as phone_credentials
from agent_app.phone import events as ev
from agent_app.phone.call_board import CallBoard
from agent_app.phone.config import PhoneConfig
from agent_app.phone.media import AudioDevice
from agent_app.phone.prefs import masks_numbers, shortcuts, shown_number
from agent_app.phone.qt.call_commands import CallCommands
from agent_app.phone.qt.phone_settings import PhoneSettingsFlow, current_settings
from agent_app.phone.qt.qt_phone import QtPhone
from agent_app.phone.views.phone_bar import PhoneBar
from agent_app.phone.views.phone_settings import (
    PhoneSettings,
    PhoneSettingsDialog,
    password_prompt,
)
from agent_app.phone.views.phone_texts import call_state_text, clock_text, pick, refusal_text
from agent_app.seat.agent_state import STATE_NAMES, AgentState
from agent_app.seat.call_log import CallRecord
from agent_app.seat.qt import call_history, call_pane
from agent_app.seat.qt.call_history import CallHistoryController
from agent_app.seat.qt.call_pane import CallPaneController
from agent_app.seat.qt.seat import SeatController, record_id
from agent_app.seat.qt.wrap_up_panel import WrapUpController
from agent_app.seat.views.call_history import CallHistoryView, history_lines
from agent_app.seat.views.wrap_up_panel import WrapUpPanel
from agent_app.shell.main_window import MainWindow
from agent_app.shell.taskman import TaskManager, op

log = logging.getLogger(__name__)
REFRESH_MS = 250


class PhoneController(QObject):
    phone_started = Signal()
    settings_applied = Signal()
    message = Signal(str)  # for the status bar

    def __init__(
        self,
        taskman: TaskManager,
        settings: Settings,
        data_dir: Path,
        window: MainWindow,
        seat: SeatController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.settings = settings
        self.data_dir = data_dir
        self.window = window
        self.seat = seat
        self.language = settings.language
        self.config = PhoneConfig.from_dict(settings.phone)
        self.phone: QtPhone | None = None
        self.board = CallBoard()
        self.role = ""
        self.registration: ev.RegistrationEvent | None = None
        self.start_error = ""
        self.ended: dict[str, ev.CallSnapshot] = {}  # by record uuid, for the wrap-up summary
        self._pending_config: PhoneConfig | None = None
        self.password_prompt: QInputDialog | None = None
        self._shut = False

        self.bar = PhoneBar()
        self.banner_bar = QToolBar(self.tr("Incoming call"))
        self.banner_bar.setObjectName("incomingCallBar")
        self.banner_bar.setMovable(False)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        self.bar.install(window.phone_bar, self.banner_bar)
        for toolbar in (window.phone_bar, self.banner_bar):
            toolbar.toggleViewAction().setVisible(False)  # not for the agent to hide
        window.phone_bar.show()
        self.banner_bar.hide()
        # The call and customer pane, left of the KB while a call is up or wrapped up; the
        # wrap-up form sits in it, below the customer.
        self.call_pane = CallPaneController(
            taskman,
            seat,
            self.language,
            self.shown,
            lambda: self.board.current,
            lambda visible: window.set_pane_visible(self.call_pane.view, visible),
            parent=self,
        )
        self.wrap_up = WrapUpController(
            seat, self.language, self.ended.get, self.shown, self.call_pane.set_wrap_up, self
        )
        self.call_pane.view.set_wrap_up_panel(self.wrap_panel)
        window.add_pane(
            "call", self.tr("Call and customer"), self.call_pane.view, call_pane.ROLE, True
        )
        window.set_pane_visible(self.call_pane.view, False)
        self.call_history: CallHistoryController | None = None
        self.commands = CallCommands(lambda: self.phone, self.board, seat, self.bar, self)
        self.commands.message.connect(self.message)
        self.settings_flow = PhoneSettingsFlow(
            taskman, settings, data_dir, window, self._current_settings, self._devices, self
        )
        self.settings_flow.saved.connect(self._settings_saved)
        self.settings_flow.ready.connect(self._settings_ready)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._wire()
        self._set_state_menu()
        self.bar.set_shortcuts(shortcuts(settings.phone_shortcuts))
        self.refresh()

    def _wire(self) -> None:
        bar, seat = self.bar, self.seat
        bar.action_triggered.connect(self.act)
        bar.dial_requested.connect(self.dial)
        bar.digit_pressed.connect(self.commands.digit)
        bar.state_chosen.connect(self.choose_state)
        bar.settings_requested.connect(self.open_settings)
        bar.call_selected.connect(self._select_call)
        self.window.phone_settings_requested.connect(self.open_settings)
        seat.state_changed.connect(self._state_changed)
        seat.refused.connect(lambda code: self.message.emit(refusal_text(code)))
        seat.codes_changed.connect(self._set_state_menu)  # the center's not-ready reasons
        seat.wrap_up_ended.connect(self._wrap_up_ended)
        self.message.connect(lambda m: self.window.statusBar().showMessage(m, 10000))

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        """With an account configured: passwords from the keyring (off the GUI thread), then
        the phone starts and registers. Without one the bar says so and offers the settings."""
        self._timer.start()
        if not self.config.accounts:
            self.refresh()
            return
        self._start_with_passwords(self.config)

    def _start_with_passwords(self, config: PhoneConfig) -> None:
        plain = copy.deepcopy(config)
        session = dict(self.settings_flow.session_passwords)

        def load() -> tuple[PhoneConfig, bool]:
            filled = phone_credentials.with_passwords(plain)
            for account in filled.accounts:  # typed earlier this run, where nothing keeps it
                account.password = account.password or session.get(account.id, "")
            return filled, credentials.secure_storage_available()

        op(load).success(self._passwords_loaded).failure(
            lambda exc: self._start_failed(str(exc))
        ).run(self.taskman, executor="net")

    def _passwords_loaded(self, result: tuple[PhoneConfig, bool]) -> None:
        """Where the OS has no secure store, a password not typed yet this run is asked for
        now, instead of registering without one ('wrong user name or password')."""
        config, secure = result
        missing = [a for a in config.accounts if a.enabled and a.user and not a.password]
        if missing and not secure and not self._shut:
            account = missing[0]
            dialog = self.password_prompt = password_prompt(
                f"{account.user}@{account.domain}", self.window
            )

            def typed() -> None:
                password = dialog.textValue()
                if not password:  # nothing typed: start as configured (registration says why)
                    self._start_phone(config)
                    return
                account.password = password
                self.settings_flow.session_passwords[account.id] = password
                self._passwords_loaded((config, secure))

            dialog.accepted.connect(typed)
            dialog.rejected.connect(lambda: self._start_phone(config))
            dialog.open()
            return
        self._start_phone(config)

    def _start_phone(self, config: PhoneConfig) -> None:
        if self._shut:
            return
        self._stop_phone()
        phone = QtPhone(config, self.data_dir, parent=self)
        phone.registrationChanged.connect(self.registration_changed)
        phone.callChanged.connect(self.call_changed)
        phone.dtmfReceived.connect(
            lambda e: self.message.emit(self.tr("Digit received: %1").replace("%1", e.digit))
        )
        phone.notice.connect(self.message.emit)
        phone.failed.connect(self.message.emit)
        self.phone = phone
        self.start_error = ""
        try:
            started = phone.start()
        except Exception as exc:  # pjsua2 refusing to start (e.g. a second endpoint)
            log.exception("the phone could not start")
            started = False
            self.start_error = str(exc)
        if not started:
            self.phone = None
            self.start_error = self.start_error or self.tr("The phone could not start.")
        else:
            self._sync_auto_answer()
            if config.accounts:
                self.show_history_tab()
            self.phone_started.emit()
        self.refresh()

    def _start_failed(self, text: str) -> None:
        self.start_error = text
        self.refresh()

    def _stop_phone(self) -> None:
        phone, self.phone = self.phone, None
        if phone is not None:
            phone.shutdown()
            phone.deleteLater()
        self.registration = None
        if self.seat.machine.registered:
            self.seat.registration(False)

    def shutdown(self) -> None:
        """Hang up and unregister without waiting on the network (the engine's quick path)."""
        self._shut = True
        self._timer.stop()
        phone, self.phone = self.phone, None
        if phone is not None:
            phone.shutdown()
        self.settings_flow.close()

    # -- who is working ---------------------------------------------------------------------
    def log_out(self) -> None:
        """The user logged out: the phone unregisters and stops (nobody is at this seat to take
        a call), and their call history leaves the screen."""
        self._pending_config = None
        self._stop_phone()
        board = self.board  # the stopped phone's calls are gone (hung up by its shutdown)
        board.calls.clear()
        board.current_id, board.consultation, board.muted = None, None, False
        self.ended.clear()
        self.call_pane.clear()
        self.bar.banner.setProperty("callId", "")
        self._show_banner()
        if self.call_history is not None:
            self.call_history.clear()
        self.refresh()

    def log_in(self) -> None:
        """Someone logged in: the phone registers again if it was stopped at logout."""
        if self.phone is None and self.config.accounts and not self._shut:
            self._start_with_passwords(self.config)

    def set_role(self, role: str) -> None:
        self.role = role
        self.bar.banner.setProperty("callId", "")  # shown again, masked or not
        self._show_banner()
        self.refresh()
        self.refresh_history()

    @property
    def masked(self) -> bool:
        return masks_numbers(self.role, self.settings.mask_numbers_for_roles)

    def shown(self, number: str) -> str:
        return shown_number(number, self.masked)

    # -- the agent's actions ----------------------------------------------------------------
    def act(self, name: str) -> None:
        self.commands.act(name)
        self.refresh()

    def dial(self, text: str) -> None:
        self.commands.dial(text)
        self.refresh()

    def choose_state(self, state: str, reason: str) -> None:
        self.seat.choose(state, reason)
        self.refresh()

    def _select_call(self, call_id: str) -> None:
        self.board.select(call_id)
        self.refresh()

    # -- what the phone reports -------------------------------------------------------------
    def registration_changed(self, event: ev.RegistrationEvent) -> None:
        phone = self.phone
        if phone is None:
            return
        try:
            default = phone.engine.default_account_id()
        except Exception:
            default = event.account_id
        if event.account_id != default:
            return
        self.registration = event
        if event.state in ("registered", "failed", "unregistered"):
            self.seat.registration(event.state == "registered")
        self.refresh()

    def call_changed(self, event: ev.CallEvent) -> None:
        snap = event.call
        was_ringing = bool(self.board.ringing())
        self.board.apply(event)
        if snap.state == ev.ENDED:  # before the seat hears of it: the wrap-up summary uses it
            self.ended[record_id(snap.id)] = snap
        self.seat.call_event(event, self._local_number(snap.account_id))
        if event.kind == "recording":
            if event.detail == "started":
                self.commands.recording.add(snap.id)
            elif event.detail == "closed":
                self.commands.recording.discard(snap.id)
        if event.kind == "incoming":
            self._incoming(snap, waiting=event.detail == "waiting")
        if event.kind == "action" and event.detail.endswith("_failed") and snap.notice:
            self.message.emit(snap.notice)  # a hold, resume or transfer that did not go through
        if snap.state == ev.ENDED:
            self.commands.recording.discard(snap.id)
            if snap.end_text:
                self.message.emit(snap.end_text)
            if not self.board.calls and self._pending_config is not None:
                config, self._pending_config = self._pending_config, None
                QTimer.singleShot(0, lambda: self._start_phone(config))  # not inside a poll
        self.call_pane.show(self.board.current)
        if was_ringing or event.kind == "incoming":
            self._show_banner()
        self.refresh()

    def _local_number(self, account_id: str) -> str:
        for account in self.config.accounts:
            if account.id == account_id:
                return account.user
        return ""

    def _incoming(self, snap: ev.CallSnapshot, waiting: bool) -> None:
        number = self.shown(snap.remote_number)
        title = self.tr("Call waiting") if waiting else self.tr("Incoming call")
        self.window.notify(title, " ".join(t for t in (title, snap.remote_display, number) if t))
        QApplication.alert(self.window)
        call_log = self.seat.call_log
        if call_log is None:
            return
        rid, user = record_id(snap.id), self.seat.machine.user

        def earlier() -> list[CallRecord]:
            # Only this user's calls: on a shared PC the last agent's notes are not theirs.
            return call_log.history_for(snap.remote_number, 5, exclude_uuid=rid, user=user)

        op(earlier).success(lambda records: self._show_history(snap.id, records)).run(self.taskman)

    def _show_history(self, call_id: str, records: list[CallRecord]) -> None:
        ringing = self.board.ringing()
        if not ringing or ringing[0].id != call_id:
            return
        lines = history_lines(records, self.seat.wrap_up_categories(), self.language)
        self.bar.banner.show_history(lines, len(records))

    def _show_banner(self) -> None:
        ringing = self.board.ringing()
        banner = self.bar.banner
        if not ringing:
            self.banner_bar.hide()
            return
        first = ringing[0]
        waiting = self.board.on_call()
        if self.banner_bar.isHidden() or banner.property("callId") != first.id:
            banner.setProperty("callId", first.id)
            banner.show_call(
                self.shown(first.remote_number),
                first.remote_display,
                first.headers.get("x-queue", ""),
                waiting,
                len(ringing) - 1,
            )
        self.banner_bar.show()

    # -- the seat ---------------------------------------------------------------------------
    def _state_changed(self) -> None:
        self._sync_auto_answer()
        self.refresh()

    def _sync_auto_answer(self) -> None:
        """Auto-answer picks up only for a Ready agent who is free (the seat's rule); server
        requests (intercom) are honoured as configured."""
        if self.phone is None:
            return
        wanted = self.config.auto_answer.enabled and self.seat.machine.accepts_routed_calls
        self.phone.engine.config.auto_answer.enabled = wanted

    @property
    def wrap_panel(self) -> WrapUpPanel:
        return self.wrap_up.view

    def _wrap_up_ended(self, call_uuid: str) -> None:
        self.ended.pop(call_uuid, None)

    # -- showing ----------------------------------------------------------------------------
    def _set_state_menu(self) -> None:
        lang = self.language
        states = [
            (s.value, pick(*STATE_NAMES[s], lang))
            for s in (AgentState.READY, AgentState.NOT_READY, AgentState.BREAK, AgentState.OFFLINE)
        ]
        reasons = [(r.code, pick(r.zh, r.en, lang)) for r in self.seat.not_ready_reasons()]
        self.bar.set_state_menu(states, reasons)

    def refresh(self) -> None:
        """Put the current truth on screen (also every REFRESH_MS for the timers)."""
        self._show_state()
        self._show_registration()
        board, bar = self.board, self.bar
        now = time.time()
        current = board.current
        if current is None:
            bar.show_call(None, "", 0.0)
        else:
            since = current.answered_at or current.started_at
            bar.show_call(current, self.shown(current.remote_number), now - since)
        bar.show_calls(
            [
                (s.id, f"{self.shown(s.remote_number)} · {call_state_text(s)}")
                for s in board.calls.values()
            ],
            board.current_id or "",
        )
        bar.set_enabled_actions(board.actions())  # calls come only from a running phone
        policy_always = self.config.recording.policy == "always"
        bar.set_toggles(
            held=current is not None and current.state == ev.HELD,
            muted=board.muted,
            recording=current is not None and current.id in self.commands.recording,
            consulting=board.consultation is not None,
            record_locked=policy_always,
        )
        self.wrap_up.tick()

    def _show_state(self) -> None:
        machine = self.seat.machine
        state = machine.state
        name = pick(*STATE_NAMES[state], self.language)
        if state is AgentState.NOT_READY and machine.reason:
            for reason in self.seat.reason_name_codes():  # a deactivated one still named
                if reason.code == machine.reason:
                    name = f"{name}·{pick(reason.zh, reason.en, self.language)}"
        left = self.seat.seconds_left()
        time_text = clock_text(left) if left is not None else clock_text(machine.seconds_in_state())
        if machine.on_call:
            self.bar.show_state("talking", self.tr("On a call"), time_text, name)
        else:
            self.bar.show_state(state.value, name, time_text)

    def _show_registration(self) -> None:
        bar = self.bar
        if self.start_error:
            bar.show_registration("failed", self.start_error)
        elif not self.config.accounts:
            bar.show_registration("none", self.tr("No phone account"))
        elif self.phone is None:
            bar.show_registration("registering", self.tr("Starting the phone…"))
        else:
            event = self.registration
            account = self.config.default_account()
            who = account.user if account is not None else ""
            if event is None or event.state == "registering":
                bar.show_registration("registering", self.tr("Registering %1…").replace("%1", who))
            elif event.state == "registered":
                bar.show_registration("registered", self.tr("Registered %1").replace("%1", who))
            elif event.state == "failed":
                bar.show_registration("failed", event.text or event.reason)
            else:
                bar.show_registration("none", self.tr("Not registered"))

    # -- call history ---------------------------------------------------------------------
    @property
    def history(self) -> CallHistoryView | None:
        return self.call_history.view if self.call_history is not None else None

    def show_history_tab(self) -> None:
        """The call history pane, once there is a phone account (its controller reads the
        logged-in user's records)."""
        if self.call_history is not None:
            return
        history = self.call_history = CallHistoryController(
            self.taskman, self.seat, lambda: self.masked, self.language, parent=self
        )
        history.dial_requested.connect(self.dial)
        self.window.add_pane(
            "call_history", self.tr("Call history"), history.view, call_history.ROLE
        )
        history.refresh()

    def refresh_history(self) -> None:
        if self.call_history is not None:
            self.call_history.refresh()

    # -- settings ---------------------------------------------------------------------------
    @property
    def dialog(self) -> PhoneSettingsDialog | None:
        return self.settings_flow.dialog

    def open_settings(self) -> None:
        self.settings_flow.open()

    def _current_settings(self) -> PhoneSettings:
        limit = self.seat.machine.config.wrap_up_limit_s or self.settings.wrap_up_limit_s
        return current_settings(self.settings, self.config, float(limit))

    def _devices(self, refresh: bool) -> list[AudioDevice] | None:
        if self.phone is None:
            return None
        engine = self.phone.engine
        if refresh:
            engine.refresh_audio_devices(include_portaudio=True)
        try:
            return engine.audio_devices()
        except Exception:
            log.warning("audio devices could not be listed", exc_info=True)
            return []

    def _settings_saved(self, data: PhoneSettings) -> None:
        self.seat.machine.config = replace(
            self.seat.machine.config,
            wrap_up_enabled=data.wrap_up_enabled,
            wrap_up_limit_s=data.wrap_up_limit_s,
        )
        self.config = copy.deepcopy(data.config)
        self.bar.set_shortcuts(shortcuts(self.settings.phone_shortcuts))

    def _settings_ready(self, config: PhoneConfig, kept: bool) -> None:
        """The new accounts, with passwords: the phone restarts with them now, or when the
        calls up now have ended."""
        if not kept:
            self.message.emit(
                self.tr(
                    "No secure password store here: the password is used until SeatDesk closes."
                )
            )
        if self._shut:
            return
        if not config.accounts:
            self._stop_phone()
        elif self.board.calls:
            self._pending_config = config
            self.message.emit(self.tr("The new phone settings apply when the current calls end."))
        else:
            self._start_phone(config)
        self.settings_applied.emit()
        self.refresh()
