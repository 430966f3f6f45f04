"""The agent's outbound worklist (controller of views/worklist.py): campaigns, 下一条, the record
in hand with its script and survey, dialling through the softphone, the outcome with the survey
answers, the callback and the note.

Nothing here blocks the GUI thread: server calls run on the net executor, the local store on
the db executor (agent_app/shell/taskman.py). Records already handed out stay in the local
store, so an agent can finish and record them offline; the attempt goes up through the outbox.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QInputDialog

from agent_app.common.code_lists import CodeLists
from agent_app.common.settings import Settings
from agent_app.outbound import remote
from agent_app.outbound.callback_times import CallingCalendar, china_text
from agent_app.outbound.qt.reminders import Reminders
from agent_app.outbound.store import Attempt, OutboundStore, SurveyIncomplete
from agent_app.outbound.views.callback_picker import CallbackPicker
from agent_app.outbound.views.worklist import WorklistView
from agent_app.phone import events as ev
from agent_app.seat.qt.seat import record_id as call_record_uuid
from agent_app.shell.panes import PaneRole
from agent_app.shell.taskman import Changes, TaskManager, op
from common import scripts, surveys
from common.center_codes import OUTCOME
from common.codes import Code
from common.numbers import mask
from common.outbound import OUTCOMES
from common.timestamps import Clock, iso, now_iso, utc_now
from sync.api_client import ApiError, AuthError, OfflineError

log = logging.getLogger(__name__)
SUCCESS = "success"
NUMBER_CHANGED = "number_changed"
CALLBACK_REFRESH_MS = 60_000  # the server's callback list, besides each sync round
NEXT_RETRY_MS = 700  # 下一条 while the last attempt is still in the outbox: ask again then
NEXT_RETRIES = 10
RENEW_MS = 5 * 60_000  # the hand-out's lock lasts 15 minutes


@dataclass
class OutcomeChoice:
    code: str
    label: str
    meaning: str


@dataclass
class CallTrack:
    """The call dialled for the record in hand: its engine id once the phone reports it."""

    number: str
    started_at: datetime
    call_id: str = ""
    ended_at: datetime | None = None
    end_reason: str = ""


def outcome_choices(
    codes: tuple[Code, ...], meanings: dict[str, str], language: str
) -> list[OutcomeChoice]:
    """The center's outcome codes (the synced list, else the seven built-in ones) with the
    meaning each stands for."""
    return [
        OutcomeChoice(c.code, c.name(language), meanings.get(c.code) or c.code)
        for c in (codes or OUTCOMES)
    ]


class WorklistController(QObject):
    outbox_grew = Signal()
    message = Signal(str)  # for the status bar
    session_expired = Signal()
    records_changed = Signal()  # the local records or callbacks changed: reminders re-read

    def __init__(
        self,
        taskman: TaskManager,
        view: WorklistView,
        store: OutboundStore,
        client: Any,
        user: str,
        settings: Settings,
        dial: Callable[[str], None],
        outcomes: Callable[[], list[OutcomeChoice]],
        script_body: Callable[[str], str],
        clock: Clock = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.view = view
        self.store = store
        self.client = client
        self.user = user
        self.settings = settings
        self.dial_number = dial
        self.outcomes_source = outcomes
        self.script_body = script_body
        self.clock = clock
        self.language = settings.language
        self.campaigns: dict[int, dict[str, Any]] = {}
        self.campaigns_from_server = False
        self.campaign_id: int | None = None
        self.records: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.survey: surveys.Survey | None = None
        self.answers: dict[str, Any] = {}
        self.note = ""
        self.callback_at: datetime | None = None
        self.call: CallTrack | None = None
        self.outcomes: list[OutcomeChoice] = []
        self.fetching = False
        self._retries = 0
        self.recording = False
        self.closed = False
        self.picker: CallbackPicker | None = None
        self.number_dialog: QInputDialog | None = None
        # The server's lock on the record in hand lasts 15 minutes: renewed while it is worked.
        self._renew_timer = QTimer(self, interval=RENEW_MS)
        self._renew_timer.timeout.connect(self.renew_lock)
        self._wire()
        self.view.auto_next.setChecked(settings.outbound_auto_next)
        self.refresh_outcomes()
        self._timer = QTimer(self, interval=CALLBACK_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_callbacks)

    def _wire(self) -> None:
        view = self.view
        view.campaign_chosen.connect(self.choose_campaign)
        view.next_requested.connect(self.take_next)
        view.record_selected.connect(self.select_record)
        view.dial_requested.connect(self.dial)
        view.outcome_chosen.connect(self.record_outcome)
        view.callback_requested.connect(self.pick_callback)
        view.callback_cleared.connect(lambda: self.set_callback(None))
        view.note_edited.connect(self._note_edited)
        view.answers_changed.connect(self._answers_edited)
        view.auto_next_toggled.connect(self._auto_next_toggled)

    # -- start and refresh ------------------------------------------------------------------------
    def start(self) -> None:
        """What this workstation has (offline too), then what the server says now."""
        store, user = self.store, self.user
        op(lambda: store.campaigns(user)).success(self._cached_campaigns).run(self.taskman)
        self.reload()
        self.refresh_campaigns()
        self.refresh_callbacks()
        self._timer.start()

    def close(self) -> None:
        self.closed = True
        self._timer.stop()
        self._renew_timer.stop()
        if self.picker is not None:
            self.picker.reject()

    def refresh_campaigns(self) -> None:
        client, store, user = self.client, self.store, self.user

        def fetch() -> list[dict[str, Any]]:
            return remote.campaigns(client)

        def got(campaigns: list[dict[str, Any]]) -> None:
            self.campaigns_from_server = True
            op(lambda: store.put_campaigns(user, campaigns)).run(self.taskman)
            self._campaigns_loaded(campaigns)

        op(fetch).success(got).failure(self._net_failed).run(self.taskman, executor="net")

    def _cached_campaigns(self, campaigns: list[dict[str, Any]]) -> None:
        """The campaigns kept from the last time: for working offline, unless the server's
        own list came first."""
        if not self.campaigns_from_server:
            self._campaigns_loaded(campaigns)

    def _campaigns_loaded(self, campaigns: list[dict[str, Any]]) -> None:
        if self.closed:
            return
        self.campaigns = {int(c["id"]): c for c in campaigns}
        current = self.campaign_id if self.campaign_id in self.campaigns else None
        self.view.set_campaigns([(int(c["id"]), str(c["name"])) for c in campaigns], current)
        if current is None and campaigns:
            self.campaign_id = self.view.current_campaign()
        if not campaigns:
            self.view.set_status(self.tr("No active campaign."))
        for campaign in campaigns:
            self._ensure_survey(str(campaign.get("survey_uuid") or ""))
        if self.current is not None:  # its campaign's masking, script and survey may be new
            self._show_current()

    def refresh_outcomes(self) -> None:
        source = self.outcomes_source

        def shown(choices: list[OutcomeChoice]) -> None:
            if self.closed:
                return
            self.outcomes = choices
            self.view.set_outcomes([(c.code, c.label) for c in choices])

        op(source).success(shown).run(self.taskman)

    def refresh_callbacks(self) -> None:
        """The server's callback list into the local cache (the reminders read it offline)."""
        client, store, user = self.client, self.store, self.user

        def fetch() -> tuple[list[dict[str, Any]], str]:
            # The outbox stamps what it sent with the real time: so is the question asked.
            asked_at = now_iso()
            return remote.callbacks(client), asked_at

        def fetched(reply: tuple[list[dict[str, Any]], str]) -> None:
            items, asked_at = reply
            op(lambda: store.put_callbacks(user, items, asked_at)).success(
                lambda _r: self.reload()
            ).run(self.taskman)

        op(fetch).success(fetched).failure(self._quiet_failure).run(self.taskman, executor="net")

    def reload(self) -> None:
        """Re-read the worklist from the local store."""
        store, user = self.store, self.user
        op(lambda: (store.open_records(user), store.callbacks(user))).success(self._loaded).run(
            self.taskman
        )

    def _loaded(self, result: tuple[list[dict[str, Any]], list[Any]]) -> None:
        if self.closed:
            return
        records, callbacks = result
        self.records = records
        ids = [int(r["id"]) for r in records]
        if self.current is not None and int(self.current["id"]) not in ids:
            self._set_current(None)
        if self.current is None and records:
            self._set_current(records[0])
        elif self.current is not None:
            fresh = next(r for r in records if int(r["id"]) == int(self.current["id"]))
            self.current.update(fresh)
        waiting = {int(r["id"]) for r in records}
        upcoming = [
            self.tr("Callback %1 · %2")
            .replace("%1", china_text(c.due_at)[5:])
            .replace("%2", str(c.record.get("name") or ""))
            for c in callbacks
            if c.record_id not in waiting
        ]
        current_id = int(self.current["id"]) if self.current is not None else None
        self.view.set_items(
            [(int(r["id"]), self._label(r), bool(r.get("_came_back_at"))) for r in records],
            upcoming,
            current_id,
        )
        self.records_changed.emit()

    def _label(self, record: dict[str, Any]) -> str:
        name = str(record.get("name") or self.tr("(no name)"))
        phone = self._shown_phone(record)
        if record.get("_came_back_at"):
            return self.tr("⏰ %1 %2 (callback)").replace("%1", name).replace("%2", phone)
        return f"{name} {phone}"

    def _shown_phone(self, record: dict[str, Any]) -> str:
        """What the agent may see: the server masks for agents when the campaign says so; a
        record kept from before is masked here too."""
        phone = str(record.get("phone") or "")
        campaign = self.campaigns.get(int(record.get("campaign_id") or 0)) or {}
        if campaign.get("mask_numbers") and not record.get("phone_masked"):
            return mask(phone)
        return phone

    # -- choosing and taking records ------------------------------------------------------------
    def choose_campaign(self, campaign_id: int) -> None:
        self.campaign_id = campaign_id
        self.view.set_status("")

    def take_next(self) -> None:
        campaign_id = self.campaign_id
        if campaign_id is None or self.fetching:
            return
        self.fetching = True
        self.view.set_fetching(True)
        self.view.set_status(self.tr("Taking the next record…"))
        client, store, user = self.client, self.store, self.user

        def ask() -> tuple[tuple[dict[str, Any] | None, str], str]:
            # The outbox stamps what it sent with the real time: so is the question asked.
            asked_at = now_iso()
            return remote.next_record(client, campaign_id), asked_at

        def got(answer: tuple[tuple[dict[str, Any] | None, str], str]) -> None:
            (record, reason), asked_at = answer
            if record is None:
                self._fetched()
                self.view.set_status(self._no_record_text(reason))
                return

            def kept(taken: bool) -> None:
                self._fetched()
                if not taken:
                    self._wait_for_outbox()
                    return
                self._retries = 0
                self.view.set_status("")
                self._set_current(record)
                self.reload()

            op(lambda: store.take(user, record, asked_at)).success(kept).failure(
                self._store_failed
            ).run(self.taskman)

        def failed(exc: BaseException) -> None:
            self._fetched()
            self._net_failed(exc)

        op(ask).success(got).failure(failed).run(self.taskman, executor="net")

    def _wait_for_outbox(self) -> None:
        """The server handed back the record just worked (its attempt is still on its way):
        ask again shortly, after the outbox has sent it."""
        self._retries += 1
        if self._retries > NEXT_RETRIES:
            self._retries = 0
            self.view.set_status(self.tr("The last outcome is still being sent; try again."))
            return
        self.view.set_status(self.tr("Sending the last outcome first…"))
        self.outbox_grew.emit()
        QTimer.singleShot(NEXT_RETRY_MS, self._retry_next)

    def _retry_next(self) -> None:
        if not self.closed:
            self.take_next()

    def _fetched(self) -> None:
        self.fetching = False
        self.view.set_fetching(False)

    def _no_record_text(self, reason: str) -> str:
        texts = {
            "outside_hours": self.tr("Outside calling hours: no record now."),
            "closed_day": self.tr("No calls today (holiday or no calling hours)."),
            "empty": self.tr("Nothing is due in this campaign now."),
            "not_active": self.tr("This campaign is paused or closed."),
        }
        return texts.get(reason, self.tr("No record now."))

    def select_record(self, record_id: int) -> None:
        if self.current is not None and int(self.current["id"]) == record_id:
            return
        record = next((r for r in self.records if int(r["id"]) == record_id), None)
        if record is not None:
            self._set_current(record)

    def show_top(self) -> None:
        """A callback came back: its record is at the top of the list; show it unless the
        agent is on a call for another one."""
        if self.call is not None and self.call.ended_at is None:
            self.reload()
            return
        self._set_current(None)
        self.reload()

    def _set_current(self, record: dict[str, Any] | None) -> None:
        self.current = dict(record) if record is not None else None
        self.callback_at = None
        self.call = None
        self.answers = {}
        self.note = ""
        self.survey = None
        self.view.set_callback_text("")
        self.view.set_note("")
        self.view.highlight_outcome("")
        if record is None:
            self._renew_timer.stop()
            self.view.show_record(None)
            return
        self._renew_timer.start()
        # Nothing of the previous record's script or survey while this one's are read.
        self.view.show_script("", {})
        self.view.show_survey(None, {})
        campaign_id = int(record.get("campaign_id") or 0)
        if campaign_id in self.campaigns and self.view.current_campaign() != campaign_id:
            self.campaign_id = campaign_id
            index = self.view.campaign_box.findData(campaign_id)
            self.view.campaign_box.blockSignals(True)
            self.view.campaign_box.setCurrentIndex(index)
            self.view.campaign_box.blockSignals(False)
        self._show_current()

    def renew_lock(self) -> None:
        """Keep the server's lock on the record in hand (offline: it simply lapses; the
        attempt is recorded anyway when it arrives)."""
        record = self.current
        if record is None:
            return
        client, record_id = self.client, int(record["id"])
        op(lambda: client.renew_record(record_id)).failure(self._quiet_failure).run(
            self.taskman, executor="net"
        )

    def _show_current(self) -> None:
        record = self.current
        if record is None:
            return
        fields = {str(k): str(v) for k, v in dict(record.get("fields") or {}).items()}
        self.view.show_record(str(record.get("name") or ""), self._shown_phone(record), fields)
        real = str(record.get("dial_number") or "")
        can_dial = bool(real) or not self._masked(record)
        if not can_dial and record.get("_came_back_at") and not self.fetching:
            # A callback agreed on another workstation: this one never had the number to
            # dial. The server hands a due callback to its agent first: take it from there.
            self.campaign_id = int(record.get("campaign_id") or 0) or self.campaign_id
            self.take_next()
        self.view.set_dial_enabled(
            can_dial, "" if can_dial else self.tr("Take the record again to dial it")
        )
        self._load_work(record)

    def _masked(self, record: dict[str, Any]) -> bool:
        campaign = self.campaigns.get(int(record.get("campaign_id") or 0)) or {}
        return bool(record.get("phone_masked") or campaign.get("mask_numbers"))

    def _load_work(self, record: dict[str, Any]) -> None:
        """The record's script, survey and saved draft, read off the GUI thread."""
        store, user = self.store, self.user
        campaign = self.campaigns.get(int(record.get("campaign_id") or 0)) or {}
        script_uuid = str(campaign.get("script_article_uuid") or "")
        survey_uuid = str(campaign.get("survey_uuid") or "")
        record_id = int(record["id"])
        body_of = self.script_body

        def read() -> tuple[str, dict[str, Any] | None, tuple[dict[str, Any], str]]:
            body = body_of(script_uuid) if script_uuid else ""
            survey = store.survey(survey_uuid) if survey_uuid else None
            return body, survey, store.draft(user, record_id)

        def shown(result: tuple[str, dict[str, Any] | None, tuple[dict[str, Any], str]]) -> None:
            if self.closed or self.current is None or int(self.current["id"]) != record_id:
                return  # the agent moved on meanwhile
            body, survey, (answers, note) = result
            self.answers, self.note = answers, note
            self.view.set_note(note)
            self._show_script(body, record)
            self._show_survey(survey, answers)

        op(read).success(shown).run(self.taskman)

    def _show_script(self, body: str, record: dict[str, Any]) -> None:
        values = scripts.record_values(str(record.get("name") or ""), record.get("fields") or {})
        self.view.show_script(body, values)

    def _show_survey(self, data: dict[str, Any] | None, answers: dict[str, Any]) -> None:
        self.survey = None
        if data:
            try:
                self.survey = surveys.parse_survey(data.get("definition") or data)
            except ValueError:
                log.warning("survey %s unreadable", data.get("uuid"), exc_info=True)
        self.view.show_survey(self.survey, answers)

    def _ensure_survey(self, uuid: str) -> None:
        """Keep the campaign's survey locally, so the form works offline."""
        if not uuid:
            return
        client, store = self.client, self.store

        def fetched(survey: dict[str, Any]) -> None:
            op(lambda: store.put_survey(survey)).success(lambda _r: self._survey_arrived(uuid)).run(
                self.taskman
            )

        op(lambda: remote.survey(client, uuid)).success(fetched).failure(self._quiet_failure).run(
            self.taskman, executor="net"
        )

    def _survey_arrived(self, uuid: str) -> None:
        current = self.current
        if current is None or self.survey is not None:
            return
        campaign = self.campaigns.get(int(current.get("campaign_id") or 0)) or {}
        if campaign.get("survey_uuid") == uuid:
            self._load_work(current)

    # -- the call ---------------------------------------------------------------------------------
    def dial(self) -> None:
        record = self.current
        if record is None:
            return
        number = str(record.get("dial_number") or "")
        if not number and not self._masked(record):
            number = str(record.get("phone") or "")
        if not number:
            self.message.emit(self.tr("Take the record again to dial it"))
            return
        self.call = CallTrack(number, self.clock())
        self.dial_number(number)  # the real number; the window only ever shows the masked one

    def call_changed(self, event: ev.CallEvent) -> None:
        """The phone's call events: the first outbound call after a dial is the record's."""
        track, snap = self.call, event.call
        if track is None or snap.direction != "outbound":
            return
        if not track.call_id:
            if snap.state == ev.ENDED and not snap.remote_number.endswith(track.number[-4:]):
                return
            track.call_id = snap.id
        if snap.id != track.call_id or snap.state != ev.ENDED or track.ended_at is not None:
            return
        track.ended_at = self.clock()
        track.end_reason = snap.end_reason
        suggested = {"busy": "busy", "no_answer": "no_answer"}.get(snap.end_reason, "")
        code = next((c.code for c in self.outcomes if c.meaning == suggested), "")
        self.view.highlight_outcome(code)

    # -- the outcome ------------------------------------------------------------------------------
    def record_outcome(self, code: str) -> None:
        record = self.current
        if record is None or self.recording:
            return
        choice = next((c for c in self.outcomes if c.code == code), None)
        meaning = choice.meaning if choice is not None else code
        if meaning == NUMBER_CHANGED:
            self._ask_new_number(code)
            return
        self._record(code, "")

    def _ask_new_number(self, code: str) -> None:
        """A changed number: the new one first (a dialog that does not block the window)."""
        dialog = self.number_dialog = QInputDialog(self.view)
        dialog.setObjectName("newNumberDialog")
        dialog.setWindowTitle(self.tr("Number changed"))
        dialog.setLabelText(self.tr("The customer's new number:"))
        dialog.setInputMode(QInputDialog.InputMode.TextInput)

        def given(text: str) -> None:
            self.number_dialog = None
            if text.strip() and not self.closed:
                self._record(code, text.strip())

        dialog.textValueSelected.connect(given)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _record(self, code: str, new_phone: str) -> None:
        record = self.current
        if record is None or self.recording:
            return
        choice = next((c for c in self.outcomes if c.code == code), None)
        meaning = choice.meaning if choice is not None else code
        answers = self._answers_now()
        missing: list[str] = []
        if self.survey is not None:
            missing = surveys.missing_required(self.survey, answers)
            answers = dict(surveys.clean_answers(self.survey, answers))
        track = self.call
        now = self.clock()
        started = track.started_at if track is not None else now
        ended = (track.ended_at or now) if track is not None else now
        attempt = Attempt(
            record_id=int(record["id"]),
            campaign_id=int(record["campaign_id"]),
            outcome=code,
            started_at=iso(started),
            ended_at=iso(max(ended, started)),
            call_uuid=call_record_uuid(track.call_id) if track and track.call_id else "",
            note=self.view.note.text().strip(),
            callback_at=iso(self.callback_at) if self.callback_at is not None else None,
            new_phone=new_phone,
            answers=answers,
        )
        store, user = self.store, self.user
        self.recording = True

        def done(_uuid: str) -> None:
            self.recording = False
            label = choice.label if choice is not None else code
            self.message.emit(
                self.tr("Outcome recorded: %1 — %2")
                .replace("%1", str(record.get("name") or ""))
                .replace("%2", label)
            )
            self.outbox_grew.emit()
            self._set_current(None)
            self.reload()
            if self.view.auto_next.isChecked():
                self.take_next()

        def refused(exc: BaseException) -> None:
            self.recording = False
            if isinstance(exc, SurveyIncomplete):
                self._required_missing(exc.missing)
                return
            self._store_failed(exc)

        op(lambda: store.record_attempt(user, attempt, meaning, missing)).success(done).failure(
            refused
        ).run(self.taskman)

    def _answers_now(self) -> dict[str, Any]:
        return self.view.survey_answers() if self.survey is not None else {}

    def _required_missing(self, missing: list[str]) -> None:
        survey = self.survey
        texts = []
        for question_id in missing:
            question = survey.question(question_id) if survey is not None else None
            texts.append(question.text if question is not None else question_id)
        self.view.set_status(
            self.tr("A success needs the survey's required answers: %1").replace(
                "%1", "；".join(texts)
            )
        )
        self.view.show_missing(missing)

    # -- callback, note, draft ---------------------------------------------------------------------
    def pick_callback(self) -> None:
        record = self.current
        if record is None:
            return
        campaign = self.campaigns.get(int(record.get("campaign_id") or 0))
        picker = self.picker = CallbackPicker(
            CallingCalendar.for_campaign(campaign), self.clock(), self.view
        )
        picker.finished.connect(lambda _r: self._picked(picker))
        picker.open()

    def _picked(self, picker: CallbackPicker) -> None:
        if self.picker is picker:
            self.picker = None
        chosen = picker.chosen()
        picker.deleteLater()
        if chosen is not None and not self.closed:
            self.set_callback(chosen)

    def set_callback(self, moment: datetime | None) -> None:
        self.callback_at = moment
        if moment is None:
            self.view.set_callback_text("")
            return
        text = china_text(moment)
        self.view.set_callback_text(
            self.tr("Callback %1").replace("%1", text[5:]),
            self.tr("Callback %1 (China time)").replace("%1", text),
        )

    def _note_edited(self, text: str) -> None:
        self.note = text
        self._save_draft()

    def _answers_edited(self, answers: dict[str, Any]) -> None:
        self.answers = dict(answers)
        self._save_draft()

    def _save_draft(self) -> None:
        record = self.current
        if record is None:
            return
        store, user, record_id = self.store, self.user, int(record["id"])
        answers, note = dict(self.answers), self.note
        op(lambda: store.save_draft(user, record_id, answers, note)).failure(
            self._store_failed
        ).run(self.taskman)

    def _auto_next_toggled(self, on: bool) -> None:
        self.settings.outbound_auto_next = on

    # -- failures ---------------------------------------------------------------------------------
    def _net_failed(self, exc: BaseException) -> None:
        if isinstance(exc, AuthError):
            self.session_expired.emit()
            return
        if isinstance(exc, OfflineError):
            self.view.set_status(
                self.tr("Offline: records already taken can still be worked and recorded.")
            )
            return
        if isinstance(exc, ApiError):
            self.view.set_status(exc.message)
            return
        log.error("outbound request failed", exc_info=exc)
        self.view.set_status(str(exc))

    def _quiet_failure(self, exc: BaseException) -> None:
        if isinstance(exc, AuthError):
            self.session_expired.emit()
        elif not isinstance(exc, OfflineError):
            log.warning("outbound refresh failed: %s", exc)

    def _store_failed(self, exc: BaseException) -> None:
        log.error("outbound local store failed", exc_info=exc)
        self.message.emit(str(exc))


def has_worklist(role: str) -> bool:
    """Agents work campaign lists (team leaders and supervisors watch them elsewhere)."""
    return role == "agent"


class OutboundDesk(QObject):
    """The worklist pane and its reminders for one logged-in agent, wired into the window,
    the softphone and the sync rounds; made at login, closed at logout."""

    outbox_grew = Signal()
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        window: Any,  # agent_app.shell.main_window.MainWindow
        settings: Settings,
        client: Any,
        user: str,
        phone: Any,  # agent_app.phone.qt.phone_bar.PhoneController
        round_done: Any,  # the sync controller's round_done signal
        clock: Clock = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.window = window
        self.settings = settings
        self.client = client
        self.user = user
        self.phone = phone
        self.round_done = round_done
        self.clock = clock
        self.view = WorklistView()
        pane = self.window.add_pane("outbound", self.view.title(), self.view, PaneRole.OUTBOUND)
        self._share_the_column(pane.dock)
        self.controller: WorklistController | None = None
        self.reminders: Reminders | None = None
        self._watched: Any = None
        self.data: Any = None

    def _share_the_column(self, dock: Any) -> None:
        """Beside the knowledge base the right column is one pane high on a 768-pixel screen:
        the worklist needs all of it, so 我的问题 shares it as the other tab (the worklist in
        front) instead of taking half."""
        questions = self.window.panes.get("my_questions")
        if dock is None or questions is None or questions.dock is None:
            return
        if self.window.dockWidgetArea(questions.dock) != self.window.dockWidgetArea(dock):
            return
        self.window.tabifyDockWidget(questions.dock, dock)
        dock.raise_()

    def set_data(self, data: Any) -> None:
        """The local data is open (agent_app/shell/local_data.LocalData): start working."""
        if self.controller is not None or data is None:
            return
        self.data = data
        codes: CodeLists = data.codes
        language = self.settings.language
        kb = data.kb

        def outcomes() -> list[OutcomeChoice]:
            return outcome_choices(codes.codes(OUTCOME, OUTCOMES), codes.meanings(), language)

        def script_body(uuid: str) -> str:
            article = kb.store.get_article(uuid)
            return str(article.body) if article is not None else ""

        controller = self.controller = WorklistController(
            self.taskman,
            self.view,
            data.outbound,
            self.client,
            self.user,
            self.settings,
            self.phone.dial,
            outcomes,
            script_body,
            self.clock,
            parent=self,
        )
        controller.outbox_grew.connect(self.outbox_grew)
        controller.session_expired.connect(self.session_expired)
        controller.message.connect(lambda m: self.window.statusBar().showMessage(m, 10000))
        reminders = self.reminders = Reminders(
            self.taskman, data.outbound, self.user, self.window, self.clock, parent=self
        )
        controller.records_changed.connect(reminders.reread)
        reminders.came_back.connect(lambda _records: self._came_back())
        self.round_done.connect(controller.refresh_callbacks)
        self.taskman.data_changed.connect(self._data_changed)
        self.phone.phone_started.connect(self._watch_phone)
        self._watch_phone()
        controller.start()
        reminders.start()

    def _came_back(self) -> None:
        if self.controller is not None:
            self.window.show_view(self.view)
            self.controller.show_top()

    def _data_changed(self, changes: Any) -> None:
        if self.controller is not None and Changes.CODES in changes:
            self.controller.refresh_outcomes()

    def _watch_phone(self) -> None:
        """Follow the softphone's call events (it is made again after a settings change)."""
        qt_phone = self.phone.phone
        if qt_phone is None or qt_phone is self._watched or self.controller is None:
            return
        self._unwatch()
        qt_phone.callChanged.connect(self.controller.call_changed)
        self._watched = qt_phone

    def _unwatch(self) -> None:
        if self._watched is not None and self.controller is not None:
            # The phone object may be gone already.
            with contextlib.suppress(RuntimeError, TypeError):
                self._watched.callChanged.disconnect(self.controller.call_changed)
        self._watched = None

    def close(self) -> None:
        if self.controller is not None:
            self._unwatch()
            self.controller.close()
            self.round_done.disconnect(self.controller.refresh_callbacks)
            self.taskman.data_changed.disconnect(self._data_changed)
            self.phone.phone_started.disconnect(self._watch_phone)
        if self.reminders is not None:
            self.reminders.close()
        self.window.remove_pane(self.view)
