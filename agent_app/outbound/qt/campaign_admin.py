"""The behaviour of the supervisor's campaign pane: the campaigns and the selected one's
progress and feedback report loaded from the server, the editor (with the script article found
in the local knowledge base and the survey), pause, resume and close, the list import, the
do-not-call lists, the holiday overrides and the report's Excel export. Every server call runs
on the net executor, every knowledge-base read on the db executor; results come back on the
GUI thread and are dropped when they are for a view that has moved on.

Dialogs are not modal, so the supervisor can look things up meanwhile; each keeps what was
typed until the server has taken it and shows the server's refusal in the user's language."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from agent_app.common.code_lists import CodeLists
from agent_app.outbound.campaign_fields import parse_pasted_numbers
from agent_app.outbound.import_reasons import reason_text
from agent_app.outbound.qt.list_import import ListImportController
from agent_app.outbound.views.campaign_admin import CampaignAdminView
from agent_app.outbound.views.campaign_editor import CampaignEditor, SurveyDialog
from agent_app.outbound.views.dnc_dialog import DncDialog
from agent_app.outbound.views.holiday_dialog import HolidayDialog
from agent_app.outbound.views.list_import import ListImportDialog
from agent_app.shell.error_text import error_text
from agent_app.shell.taskman import Changes, TaskManager, op
from common.articles import ARTICLE_TYPES
from common.center_codes import OUTCOME
from common.outbound import OUTCOMES, CampaignIn, CampaignPatch, HolidayOverride, SurveyIn
from kb.business_lines import BUILT_IN, BusinessLine, line_list
from kb.knowledge_base import KnowledgeBase
from kb.models import SearchFilters
from sync.api_client import ApiClient, AuthError

log = logging.getLogger(__name__)
MIN_REFRESH_S = 10.0
SCRIPT_RESULTS = 12


class CampaignAdminController(QObject):
    refreshed = Signal()
    progress_shown = Signal(int)  # campaign id: its progress and report are on screen
    saved = Signal(dict)  # a campaign the editor created or changed
    message = Signal(str)
    session_expired = Signal()

    def __init__(
        self,
        taskman: TaskManager,
        client: ApiClient,
        role: str,
        view: CampaignAdminView,
        refresh_s: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.client = client
        self.role = role
        self.view = view
        self.english = view.english
        self.kb: KnowledgeBase | None = None
        self.code_lists: CodeLists | None = None
        self.lines: list[BusinessLine] = list(BUILT_IN)
        self.dialogs: list[QDialog] = []
        self.imports: list[ListImportController] = []
        self._seq = 0
        self._progress_seq = 0
        self._closed = False
        view.refresh_requested.connect(self.refresh)
        view.shown.connect(self.refresh)
        view.new_requested.connect(lambda: self.edit(None))
        view.edit_requested.connect(lambda: self.edit(self.view.current_campaign()))
        view.import_requested.connect(self.import_list)
        view.pause_requested.connect(self.toggle_pause)
        view.close_requested.connect(self.ask_close)
        view.dnc_requested.connect(self.manage_dnc)
        view.holidays_requested.connect(self.manage_holidays)
        view.selection_changed.connect(self._selected)
        view.progress.report_day_changed.connect(lambda _d: self.load_report())
        view.progress.export_requested.connect(self.export_report)
        taskman.data_changed.connect(self._on_data_changed)
        # Agents' attempts are not pushed to supervisors: look again now and then while shown.
        self._timer = QTimer(self)
        self._timer.setInterval(int(max(refresh_s, MIN_REFRESH_S) * 1000))
        self._timer.timeout.connect(self._refresh_if_shown)
        self._timer.start()

    # -- local data ---------------------------------------------------------------------------
    def set_knowledge_base(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._load_lines()

    def set_code_lists(self, code_lists: CodeLists) -> None:
        """The center's synced outcome codes name the report's columns (its own codes too)."""
        self.code_lists = code_lists
        self._load_outcomes()

    def _load_outcomes(self) -> None:
        lists = self.code_lists
        if lists is None:
            return
        op(lambda: lists.codes(OUTCOME, OUTCOMES, include_inactive=True)).success(
            lambda codes: None if self._closed else self.view.progress.set_outcomes(codes)
        ).run(self.taskman)

    def _load_lines(self) -> None:
        kb = self.kb
        if kb is None:
            return
        op(lambda: line_list(kb.store, include_inactive=True)).success(self._lines_loaded).run(
            self.taskman
        )

    def _lines_loaded(self, lines: list[BusinessLine]) -> None:
        if self._closed:
            return
        self.lines = lines
        self.view.set_business_lines(lines)
        for dialog in self.dialogs:
            if isinstance(dialog, CampaignEditor):
                dialog.set_business_lines(lines)

    def _on_data_changed(self, changes: Changes) -> None:
        if Changes.ARTICLES in changes:  # a sync round brought articles or business lines
            self._load_lines()
        if Changes.CODES in changes:
            self._load_outcomes()

    def close(self) -> None:
        self._closed = True
        self.kb = None
        self.code_lists = None
        self._timer.stop()
        self._seq += 1
        self._progress_seq += 1
        for dialog in list(self.dialogs):
            dialog.close()

    # -- the campaigns ------------------------------------------------------------------------
    def _refresh_if_shown(self) -> None:
        if self.view.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._closed:
            return
        self._seq += 1
        seq, client = self._seq, self.client
        op(lambda: [c.model_dump() for c in client.campaigns()]).success(
            lambda campaigns: self._loaded(seq, campaigns)
        ).failure(lambda exc: self._failed(seq, exc)).run(self.taskman, executor="net")

    def _loaded(self, seq: int, campaigns: list[dict[str, Any]]) -> None:
        if seq != self._seq:
            return
        if self.view.notice.isVisible() and self.view.notice.property("offline"):
            self.view.show_notice("")  # the server is back
        self.view.set_campaigns(campaigns)  # its selection signal reloads the progress
        self.refreshed.emit()

    def _failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        log.info("campaigns not loaded: %s", exc)
        self._report(exc)
        self.view.notice.setProperty("offline", True)

    def _report(self, exc: BaseException) -> None:
        if self._closed:
            return  # the pane or the dialog closed meanwhile
        self.view.show_notice(error_text(exc), error=True)
        self.view.notice.setProperty("offline", False)
        if isinstance(exc, AuthError):
            self.session_expired.emit()

    def _done(self, text: str, select: int | None = None) -> None:
        if self._closed:
            return  # the pane or the dialog closed meanwhile
        self.view.show_notice(text)
        self.message.emit(text)
        if select is not None:
            self._select_after_refresh(select)
        self.refresh()

    def _select_after_refresh(self, campaign_id: int) -> None:
        def select() -> None:
            self.refreshed.disconnect(select)
            self.view.select_campaign(campaign_id)

        self.refreshed.connect(select)

    # -- progress and report ------------------------------------------------------------------
    def _selected(self, campaign: dict[str, Any] | None) -> None:
        progress = self.view.progress
        if campaign is None:
            self._progress_seq += 1
            progress.clear()
            return
        if progress.title.text() != campaign["name"]:
            progress.set_campaign_name(campaign["name"])
        self.load_progress(campaign["id"])

    def load_progress(self, campaign_id: int) -> None:
        self._progress_seq += 1
        seq, client = self._progress_seq, self.client
        day = self.view.progress.report_day()

        def load() -> tuple[dict[str, Any], dict[str, Any]]:
            progress = client.campaign_progress(campaign_id).model_dump()
            report = client.campaign_report(campaign_id, day or None).model_dump()
            return progress, report

        op(load).success(lambda result: self._progress_loaded(seq, campaign_id, *result)).failure(
            lambda exc: self._progress_failed(seq, exc)
        ).run(self.taskman, executor="net")

    def load_report(self) -> None:
        campaign = self.view.current_campaign()
        if campaign is not None:
            self.load_progress(campaign["id"])

    def _progress_loaded(
        self, seq: int, campaign_id: int, progress: dict[str, Any], report: dict[str, Any]
    ) -> None:
        if seq != self._progress_seq:
            return
        self.view.progress.set_progress(progress)
        self.view.progress.set_report(report)
        self.progress_shown.emit(campaign_id)

    def _progress_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._progress_seq:
            return
        log.info("campaign progress not loaded: %s", exc)
        self._report(exc)

    def export_report(self) -> None:
        campaign = self.view.current_campaign()
        if campaign is None:
            return
        day = self.view.progress.report_day()
        period = day or self.tr("all days")
        # Characters Windows refuses in a file name (a campaign may be named "A/B 回访").
        safe = re.sub(r'[\\/:*?"<>|]+', "_", campaign["name"])
        name = f"{safe}-{period}.xlsx"
        target, _filter = QFileDialog.getSaveFileName(
            self.view, self.tr("Export the report"), name, "Excel (*.xlsx)"
        )
        if target:
            self.export_to(campaign["id"], day, target)

    def export_to(self, campaign_id: int, day: str, target: str) -> None:
        """Download the report's XLSX and write it to `target`, both off the GUI thread."""
        client = self.client

        def download() -> None:
            data = client.campaign_report_xlsx(campaign_id, day or None)
            Path(target).write_bytes(data)

        self.view.progress.export_button.setEnabled(False)
        op(download).success(
            lambda _r: self._exported(self.tr("Report saved to %1.").replace("%1", target))
        ).failure(self._export_failed).run(self.taskman, executor="net")

    def _exported(self, text: str) -> None:
        if self._closed:
            return  # the pane or the dialog closed meanwhile
        self.view.progress.export_button.setEnabled(True)
        self.view.show_notice(text)
        self.message.emit(text)

    def _export_failed(self, exc: BaseException) -> None:
        if self._closed:
            return  # the pane or the dialog closed meanwhile
        self.view.progress.export_button.setEnabled(True)
        self._report(exc)

    # -- pause, resume, close -----------------------------------------------------------------
    def toggle_pause(self) -> None:
        campaign = self.view.current_campaign()
        if campaign is None:
            return
        status = "paused" if campaign["status"] == "active" else "active"
        self.set_status(campaign, status)

    def ask_close(self) -> None:
        campaign = self.view.current_campaign()
        if campaign is None or campaign["status"] == "closed":
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Close the campaign"),
            self.tr(
                "Close “%1”? Agents get no more of its records; callbacks agreed are not made."
            ).replace("%1", campaign["name"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.view.window(),
        )
        box.setObjectName("campaignCloseConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.accepted.connect(lambda: self.set_status(campaign, "closed"))
        self._show(box)

    def set_status(self, campaign: dict[str, Any], status: str) -> None:
        client, campaign_id = self.client, campaign["id"]
        texts = {
            "paused": self.tr("“%1” is paused: agents get none of its records."),
            "active": self.tr("“%1” is active again."),
            "closed": self.tr("“%1” is closed."),
        }
        patch = CampaignPatch.model_validate({"status": status})
        op(lambda: client.change_campaign(campaign_id, patch).model_dump()).success(
            lambda changed: self._done(texts[status].replace("%1", changed["name"]), campaign_id)
        ).failure(self._report).run(self.taskman, executor="net")

    # -- the editor ---------------------------------------------------------------------------
    def edit(self, campaign: dict[str, Any] | None) -> CampaignEditor:
        for dialog in self.dialogs:  # one editor per campaign: bring it forward
            if (
                isinstance(dialog, CampaignEditor)
                and campaign is not None
                and dialog.campaign is not None
                and dialog.campaign["id"] == campaign["id"]
            ):
                dialog.raise_()
                dialog.activateWindow()
                return dialog
        editor = CampaignEditor(campaign, self.english, self.lines, self.view.window())
        editor.submitted.connect(lambda values: self._save(editor, values))
        editor.script_search.connect(lambda text: self._search_scripts(editor, text))
        editor.survey_new_requested.connect(lambda: self.edit_survey(editor, None))
        editor.survey_edit_requested.connect(lambda uuid: self._open_survey(editor, uuid))
        self._show(editor)
        self._load_surveys(editor)
        if campaign and campaign.get("script_article_uuid"):
            self._name_script(editor, campaign["script_article_uuid"])
        return editor

    def _save(self, editor: CampaignEditor, values: dict[str, Any]) -> None:
        client, campaign = self.client, editor.campaign
        editor.set_busy(True)

        def run() -> dict[str, Any]:
            if campaign is None:
                return client.create_campaign(CampaignIn.model_validate(values)).model_dump()
            patch = CampaignPatch.model_validate(values)
            return client.change_campaign(campaign["id"], patch).model_dump()

        op(run).success(lambda saved: self._saved(editor, saved)).failure(
            lambda exc: self._save_failed(editor, exc)
        ).run(self.taskman, executor="net")

    def _saved(self, editor: CampaignEditor, campaign: dict[str, Any]) -> None:
        if self._closed:
            return  # the pane closed meanwhile
        created = editor.campaign is None
        if editor in self.dialogs:  # still open (the server has it even if it was closed)
            editor.accept()
        text = (
            self.tr("Campaign “%1” created; import its list next.")
            if created
            else self.tr("Campaign “%1” saved.")
        )
        self.saved.emit(campaign)
        self._done(text.replace("%1", campaign["name"]), campaign["id"])

    def _save_failed(self, editor: CampaignEditor, exc: BaseException) -> None:
        if editor not in self.dialogs:
            return  # the pane or the dialog closed meanwhile
        log.info("campaign not saved: %s", exc)
        editor.show_error(error_text(exc))
        if isinstance(exc, AuthError):
            self.session_expired.emit()

    def _search_scripts(self, editor: CampaignEditor, text: str) -> None:
        kb = self.kb
        if kb is None or not text:
            editor.set_script_results([])
            return
        type_names = {
            "faq": self.tr("FAQ"),
            "script": self.tr("Script"),
            "flow": self.tr("Flow"),
            "complaint_guide": self.tr("Complaint guide"),
        }

        def search() -> list[tuple[str, str, str]]:
            # Scripts first, then other articles whose title matches (a center may keep its
            # outbound wording in a flow article).
            hits = kb.search(text, SearchFilters(type="script"), limit=SCRIPT_RESULTS).hits
            seen = {h.uuid for h in hits}
            hits += [
                h
                for h in kb.search(text, limit=SCRIPT_RESULTS).hits
                if h.uuid not in seen and h.type in ARTICLE_TYPES
            ]
            return [(h.uuid, h.title, type_names.get(h.type, h.type)) for h in hits]

        op(search).success(
            lambda hits: editor.set_script_results(hits) if editor in self.dialogs else None
        ).run(self.taskman)

    def _name_script(self, editor: CampaignEditor, uuid: str) -> None:
        kb = self.kb
        if kb is None:
            return

        def title() -> str:
            article = kb.store.get_article(uuid)
            return article.title if article is not None else ""

        missing = self.tr("(article %1 is not on this workstation)").replace("%1", uuid[:8])
        op(title).success(
            lambda found: (
                editor.set_script(uuid, found or missing)
                if editor in self.dialogs and editor.script_uuid == uuid
                else None
            )
        ).run(self.taskman)

    def _load_surveys(self, editor: CampaignEditor, select: str = "") -> None:
        client = self.client
        op(lambda: [s.model_dump() for s in client.surveys()]).success(
            lambda surveys: editor.set_surveys(surveys, select) if editor in self.dialogs else None
        ).failure(lambda exc: log.info("surveys not loaded: %s", exc)).run(
            self.taskman, executor="net"
        )

    # -- surveys ------------------------------------------------------------------------------
    def _open_survey(self, editor: CampaignEditor, survey_uuid: str) -> None:
        if not survey_uuid:
            return
        client = self.client

        def loaded(definition: dict[str, Any]) -> None:
            if editor in self.dialogs:
                self.edit_survey(editor, definition)

        op(lambda: client.survey(survey_uuid).definition).success(loaded).failure(
            lambda exc: editor.show_error(error_text(exc))
        ).run(self.taskman, executor="net")

    def edit_survey(
        self, editor: CampaignEditor, definition: dict[str, Any] | None
    ) -> SurveyDialog:
        """The survey editor for a new survey (None) or a stored one's definition; once saved,
        the campaign editor offers it and has it chosen."""
        title = self.tr("New survey") if definition is None else self.tr("Edit survey")
        dialog = SurveyDialog(title, self.view.window())
        dialog.editor.set_survey(definition)
        dialog.editor.save_requested.connect(
            lambda survey: self._save_survey(editor, dialog, survey)
        )
        self._show(dialog)
        return dialog

    def _save_survey(
        self, editor: CampaignEditor, dialog: SurveyDialog, definition: dict[str, Any]
    ) -> None:
        name = str(definition.get("name", "")).strip()
        if not name:
            dialog.show_error(self.tr("Give the survey a name."))
            return
        client, survey_uuid = self.client, str(definition.get("uuid") or "")
        body = SurveyIn(name=name, definition=definition)
        dialog.set_busy(True)

        def save() -> str:
            if survey_uuid:
                return client.change_survey(survey_uuid, body).uuid
            return client.create_survey(body).uuid

        op(save).success(lambda saved: self._survey_saved(editor, dialog, saved)).failure(
            lambda exc: dialog.show_error(error_text(exc)) if dialog in self.dialogs else None
        ).run(self.taskman, executor="net")

    def _survey_saved(self, editor: CampaignEditor, dialog: SurveyDialog, survey_uuid: str) -> None:
        if dialog not in self.dialogs:
            return  # the pane or the dialog closed meanwhile
        dialog.accept()
        if editor in self.dialogs:
            self._load_surveys(editor, select=survey_uuid)

        # -- list import --------------------------------------------------------------------------

    def import_list(self) -> ListImportController | None:
        campaign = self.view.current_campaign()
        if campaign is None:
            return None
        dialog = ListImportDialog(campaign["name"], self.view.window())
        controller = ListImportController(
            self.taskman, self.client, campaign, dialog, parent=dialog
        )
        controller.imported.connect(
            lambda report: self._done(
                self.tr("%1 records imported into “%2”.")
                .replace("%1", str(report.get("imported", 0)))
                .replace("%2", campaign["name"])
            )
        )
        controller.session_expired.connect(self.session_expired.emit)
        self.imports.append(controller)
        dialog.finished.connect(lambda _r: self.imports.remove(controller))
        self._show(dialog)
        return controller

    # -- do-not-call --------------------------------------------------------------------------
    def manage_dnc(self) -> DncDialog:
        current = self.view.current_campaign()
        dialog = DncDialog(
            [c for c in self.view.campaigns if c["status"] != "closed"],
            None if current is None else current["id"],
            self.view.window(),
        )
        dialog.scope_changed.connect(lambda _c: self._load_dnc(dialog))
        dialog.add_requested.connect(lambda text, reason: self._add_dnc(dialog, text, reason))
        dialog.remove_requested.connect(lambda ids: self._remove_dnc(dialog, ids))
        self._show(dialog)
        self._load_dnc(dialog)
        return dialog

    def _load_dnc(self, dialog: DncDialog, after: str = "") -> None:
        client, campaign_id = self.client, dialog.campaign_id()
        dialog.set_busy(True)

        def loaded(numbers: list[dict[str, Any]]) -> None:
            if dialog not in self.dialogs or dialog.campaign_id() != campaign_id:
                return
            dialog.set_busy(False)
            dialog.set_numbers(numbers)
            if after:
                dialog.show_message(after)

        op(lambda: [n.model_dump() for n in client.dnc_numbers(campaign_id)]).success(
            loaded
        ).failure(lambda exc: self._dnc_failed(dialog, exc)).run(self.taskman, executor="net")

    def _add_dnc(self, dialog: DncDialog, text: str, reason: str) -> None:
        pasted = parse_pasted_numbers(text)
        bad = "；".join(f"{t}（{reason_text(code)}）" for t, code in pasted.invalid)
        if not pasted.valid:
            dialog.show_message(
                self.tr("No phone number to add: %1").replace("%1", bad)
                if bad
                else self.tr("Paste or type the numbers first."),
                error=True,
            )
            return
        client, campaign_id = self.client, dialog.campaign_id()
        dialog.set_busy(True)

        def add() -> None:
            for phone in pasted.valid:  # the server keys each number as the import does
                client.add_dnc(phone, campaign_id, reason)

        op(add).success(lambda added: self._dnc_added(dialog, len(pasted.valid), bad)).failure(
            lambda exc: self._dnc_failed(dialog, exc)
        ).run(self.taskman, executor="net")

    def _dnc_added(self, dialog: DncDialog, count: int, bad: str) -> None:
        if dialog not in self.dialogs:
            return
        dialog.added()
        text = self.tr("%n number(s) added.", "", count)
        if bad:
            text += " " + self.tr("Not phone numbers, left out: %1").replace("%1", bad)
        self._load_dnc(dialog, text)

    def _remove_dnc(self, dialog: DncDialog, ids: list[int]) -> None:
        if not ids:
            return
        client = self.client
        dialog.set_busy(True)

        def remove() -> None:
            for number_id in ids:
                client.remove_dnc(number_id)

        op(remove).success(
            lambda _r: self._load_dnc(dialog, self.tr("%n number(s) removed.", "", len(ids)))
        ).failure(lambda exc: self._dnc_failed(dialog, exc)).run(self.taskman, executor="net")

    def _dnc_failed(self, dialog: DncDialog, exc: BaseException) -> None:
        log.info("do-not-call list: %s", exc)
        if dialog not in self.dialogs:
            return
        dialog.set_busy(False)
        dialog.show_message(error_text(exc), error=True)
        if isinstance(exc, AuthError):
            self.session_expired.emit()

    # -- holidays -----------------------------------------------------------------------------
    def manage_holidays(self) -> HolidayDialog:
        dialog = HolidayDialog(self.view.window())
        client = self.client
        dialog.set_busy(True)
        dialog.submitted.connect(lambda overrides: self._save_holidays(dialog, overrides))
        self._show(dialog)

        def loaded(overrides: list[dict[str, Any]]) -> None:
            if dialog in self.dialogs:
                dialog.set_busy(False)
                dialog.set_overrides(overrides)

        op(lambda: [o.model_dump() for o in client.holiday_overrides()]).success(loaded).failure(
            lambda exc: dialog.show_error(error_text(exc)) if dialog in self.dialogs else None
        ).run(self.taskman, executor="net")
        return dialog

    def _save_holidays(self, dialog: HolidayDialog, overrides: list[dict[str, str]]) -> None:
        client = self.client
        dialog.set_busy(True)
        days = [HolidayOverride.model_validate(o) for o in overrides]
        op(lambda: client.set_holiday_overrides(days)).success(
            lambda _r: self._holidays_saved(dialog, len(overrides))
        ).failure(
            lambda exc: dialog.show_error(error_text(exc)) if dialog in self.dialogs else None
        ).run(self.taskman, executor="net")

    def _holidays_saved(self, dialog: HolidayDialog, count: int) -> None:
        if dialog not in self.dialogs:
            return  # the pane or the dialog closed meanwhile
        dialog.accept()
        text = self.tr("Calendar saved: %n day(s) set by the center.", "", count)
        self.view.show_notice(text)
        self.message.emit(text)

    # -- dialogs ------------------------------------------------------------------------------
    def _show(self, dialog: QDialog) -> None:
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _forget(self, dialog: QDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()
