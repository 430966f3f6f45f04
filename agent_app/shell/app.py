"""Start the desktop app: Qt application, translations, the window, then the knowledge base
opened and its index checked in the background so the window is usable at once; meanwhile
the backend is reached (the built-in one started if no server is set) and the user logs in.
Once both are there, the sync worker runs and the window shows the views of the user's role."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from agent_app.admin.qt.center_codes import CenterCodesController, open_center_codes
from agent_app.authoring.qt.article_list import AuthoringDesk, has_authoring
from agent_app.authoring.qt.review_queue import ReviewDesk, can_review, has_attention
from agent_app.common.roles import has_campaign_admin, has_my_questions, has_question_queue
from agent_app.common.settings import Settings
from agent_app.knowledge.qt.kb_pane import KB_PANE_ROLE, KbPaneController
from agent_app.knowledge.views.kb_pane import KbPane
from agent_app.outbound.qt.campaign_admin import CampaignAdminController
from agent_app.outbound.qt.worklist import OutboundDesk, has_worklist
from agent_app.outbound.views.campaign_admin import CampaignAdminView
from agent_app.phone.qt.phone_bar import PhoneController
from agent_app.questions.qt.my_questions import MyQuestionsController
from agent_app.questions.qt.question_queue import QueueController
from agent_app.questions.views.my_questions import MyQuestionsView
from agent_app.questions.views.question_queue import QuestionQueueView
from agent_app.seat.agent_state import StateConfig
from agent_app.seat.qt.seat import SeatController
from agent_app.shell.crash_report import CrashReportDialog
from agent_app.shell.garbage_collector import GarbageCollector
from agent_app.shell.local_data import LocalData
from agent_app.shell.logs import log_folder, log_tail, mark_running, mark_stopped, setup_logging
from agent_app.shell.main_window import MainWindow
from agent_app.shell.panes import LayoutStore, PaneRole
from agent_app.shell.session import Login, SessionController
from agent_app.shell.sync_controller import SyncController
from agent_app.shell.taskman import Changes, TaskManager, op
from agent_app.supervision.qt.desk import SupervisionDesk
from agent_app.supervision.qt.teams import TeamsController, open_teams
from kb import messages
from kb.demo import load_demo_if_empty
from kb.knowledge_base import KnowledgeBase
from kb.models import Article
from kb.paths import RESOURCES_DIR, resolve_data_dir
from kb.search_index import RebuildCancelled
from sync.worker import SyncStatus

log = logging.getLogger(__name__)
TRANSLATIONS_DIR = RESOURCES_DIR / "translations"
_STARTED = time.perf_counter()


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Our .qm plus Qt's own (standard buttons); nothing to load for English. Qt's own widgets
    (the callback picker's calendar, date fields) follow the chosen language too, not the
    workstation's: 十二月 and 一 二 三 in Chinese, December and Mon Tue in English."""
    QLocale.setDefault(QLocale(language))
    translators: list[QTranslator] = []
    if language.startswith("en"):
        return translators
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS_DIR / f"seatdesk_{language}.qm")):
        app.installTranslator(ours)
        translators.append(ours)
    else:
        log.warning("no translation for %s", language)
    qt_own = QTranslator(app)
    if qt_own.load(
        QLocale(language),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        app.installTranslator(qt_own)
        translators.append(qt_own)
    return translators


class AppController:
    """Owns the window, the task manager, the knowledge base, the session and the sync worker
    for one run of the app."""

    def __init__(self, data_dir: Path, settings: Settings, connect: bool = True) -> None:
        """`connect=False` keeps the app local (no backend, no login): the KB alone."""
        self.data_dir = data_dir
        self.settings = settings
        self.connect = connect
        # Left by a run that did not end cleanly: its log is offered once the window is up.
        self.crashed_before = mark_running(data_dir)
        self.crash_dialog: CrashReportDialog | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        self._app = app
        self._translators = install_translators(app, settings.language)
        self.taskman = TaskManager()
        self.window = MainWindow(self.taskman, settings, LayoutStore(data_dir))
        # The knowledge base: the middle of the window, usable before anyone logs in.
        self.kb_view = KbPane(settings.language.startswith("en"))
        self.kb_pane = KbPaneController(self.taskman, self.kb_view, settings, parent=self.window)
        self.window.add_pane("knowledge", self.kb_view.title(), self.kb_view, KB_PANE_ROLE)
        self.kb_view.status_message.connect(lambda m: self.window.statusBar().showMessage(m, 8000))
        self.window.language_chosen.connect(self._save_language)
        self.window.closing.connect(self.shutdown)
        self.kb: KnowledgeBase | None = None
        self.data: LocalData | None = None  # the local database and each capability's store
        self._shut = False
        self.login: Login | None = None
        self.my_questions: MyQuestionsController | None = None
        self.queue: QueueController | None = None
        self.center_codes: CenterCodesController | None = None  # the dialog, while open
        self.campaigns: CampaignAdminController | None = None  # the supervisor's campaigns
        self.outbound: OutboundDesk | None = None  # the agent's outbound worklist
        # The manager's review queue, the trainers' attention lists, the search vocabulary.
        self.review_desk: ReviewDesk | None = None
        self.authoring: AuthoringDesk | None = None  # 知识编写: trainers, supervisors, managers
        # Supervision: every seat reports live; the board and monitor bar for who watches.
        self.supervision: SupervisionDesk | None = None
        self.teams: TeamsController | None = None  # the admin's Teams dialog, while open
        # Qt parents, so these are deleted with the window on the GUI thread (never by a
        # garbage collection that happens to run on a worker thread).
        self.taskman.setParent(self.window)
        self.sync = SyncController(self.taskman, parent=self.window)
        self.session = SessionController(
            self.taskman, settings, data_dir, self.window, parent=self.window
        )
        state_config = StateConfig(
            wrap_up_enabled=settings.wrap_up_enabled, wrap_up_limit_s=settings.wrap_up_limit_s
        )
        self.seat = SeatController(self.taskman, state_config, parent=self.window)
        self.phone = PhoneController(
            self.taskman, settings, data_dir, self.window, self.seat, parent=self.window
        )
        self._wire()

    def _wire(self) -> None:
        window, sync, session = self.window, self.sync, self.session
        session.logged_in.connect(self._logged_in)
        session.logged_out.connect(self._logged_out)
        session.message.connect(lambda m: window.statusBar().showMessage(m, 10000))
        window.login_requested.connect(lambda: session.show_login())
        window.logout_requested.connect(self.log_out)
        window.center_codes_requested.connect(self.open_center_codes)
        window.teams_requested.connect(self.open_teams)
        sync.status_changed.connect(
            lambda status: window.sync_status.show_status(status, sync.logged_in)
        )
        sync.status_changed.connect(self._check_session)
        sync.answers_received.connect(self._answers_received)
        sync.round_done.connect(lambda: self.taskman.announce(Changes.QUESTIONS))
        self.kb_view.question_recorded.connect(lambda _uuid: self._outbox_grew())
        self.kb_pane.outbox_grew.connect(self._outbox_grew)
        self.seat.outbox_grew.connect(self._outbox_grew)

    def start(self) -> None:
        self.window.show()
        if self.crashed_before:
            QTimer.singleShot(0, self.offer_crash_log)
        # After the first paint: passwords from the keyring off the GUI thread, then pjsua2.
        QTimer.singleShot(0, self.phone.start)
        if self.connect:
            self.session.start()
        data_dir = self.data_dir
        # The demo articles are for the built-in backend's first start only: never for a
        # client of a real server (kb/demo.py).
        embedded = not self.settings.server_url

        def open_kb() -> tuple[LocalData, bool]:
            data = LocalData(data_dir)
            kb = data.kb
            if embedded:
                load_demo_if_empty(kb)
            return data, kb.open_index()

        op(open_kb).success(self._kb_opened).failure(self._kb_failed).run(self.taskman)

    def offer_crash_log(self) -> None:
        """The last run crashed: show the end of its log and where the file is."""
        if self._shut:
            return
        dialog = self.crash_dialog = CrashReportDialog(
            log_tail(self.data_dir), log_folder(self.data_dir), self.window
        )
        dialog.open()

    def _kb_opened(self, result: tuple[LocalData, bool]) -> None:
        data, index_ok = result
        if self._shut:
            data.close()
            return
        self.data = data
        kb = self.kb = data.kb
        self.kb_pane.questions = data.questions
        self.kb_pane.outbox = data.outbox  # 有帮助 / 没帮助 go to the trainers' lists
        # The center's vocabulary changed segmentation: rebuild on the index executor.
        data.index_outdated = lambda: self.taskman.call_on_gui(self.rebuild_index)
        self.kb_pane.set_knowledge_base(kb)
        self.seat.set_store(data.database, data.outbox)
        self.seat.set_code_lists(data.codes)  # the center's wrap-up and not-ready lists
        self.phone.refresh_history()
        if index_ok:
            self.window.set_index_state("ready")
        else:
            self.rebuild_index()
        if self.my_questions is not None:
            self.my_questions.set_knowledge_base(kb, data.questions)
        if self.queue is not None:
            self.queue.set_knowledge_base(kb)
        if self.campaigns is not None:
            self.campaigns.set_knowledge_base(kb)
            self.campaigns.set_code_lists(data.codes)
        if self.outbound is not None:
            self.outbound.set_data(data)
        if self.review_desk is not None:
            self.review_desk.set_knowledge_base(kb)
        if self.authoring is not None:
            self.authoring.set_data(data)
        if self.supervision is not None:
            self.supervision.set_data(data)
        self._start_sync()
        self._outbox_grew()

    def _kb_failed(self, exc: BaseException) -> None:
        log.error("knowledge base could not be opened", exc_info=exc)
        self.window.set_index_state("failed")
        self.window.statusBar().showMessage(str(exc))

    def rebuild_index(self) -> None:
        kb = self.kb
        if kb is None:
            return
        self.window.set_index_state(
            "rebuilding"
        )  # the total arrives with the first progress report

        def progress(done: int, total: int) -> None:
            self.taskman.call_on_gui(lambda: self.window.set_index_state("rebuilding", done, total))

        op(lambda: kb.rebuild_index(progress)).success(
            lambda _r: self.window.set_index_state("ready")
        ).failure(self._rebuild_failed).run(self.taskman, executor="index")

    def _rebuild_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RebuildCancelled):  # closing: it runs again at the next start
            log.info("index rebuild cancelled: %s", exc)
            return
        log.error("index rebuild failed", exc_info=exc)
        self.window.set_index_state("failed")

    def _save_language(self, code: str) -> None:
        self.settings.language = code
        settings, data_dir = self.settings, self.data_dir
        op(lambda: settings.save(data_dir)).run(self.taskman)

    # -- session and role views ---------------------------------------------------------------
    def _logged_in(self, login: Login) -> None:
        previous, self.login = self.login, login
        if previous is not None and previous.same_account(login):
            self.sync.set_token(login.session.token)  # the session had ended: carry on
            return
        if previous is not None:
            self._retire(previous)
        self._close_role_views()
        session = login.session
        self.window.show_logged_in(session.username)
        self.window.set_user(session.display_name or session.username, session.role)
        self.kb_pane.agent_name = session.username
        self.kb_pane.download = login.client.download_attachment  # articles' attachments
        self.seat.set_user(session.username)
        self.phone.set_role(session.role)
        self.phone.log_in()
        self._open_role_views(login)
        self._open_review_views(login)
        self.window.restore_layout(session.username)
        self.taskman.announce(Changes.USER)
        self._start_sync()

    def _open_role_views(self, login: Login) -> None:
        window, role, username = self.window, login.session.role, login.session.username
        if has_my_questions(role):
            view = MyQuestionsView()
            mine = self.my_questions = MyQuestionsController(
                self.taskman, view, username, parent=view
            )
            window.add_pane("my_questions", window.my_questions_title(0), view, mine.ROLE)
            mine.unread_changed.connect(
                lambda n: window.set_pane_title(view, window.my_questions_title(n))
            )
            window.view_shown.connect(mine.pane_shown)
            mine.article_found.connect(self.show_article)
            mine.message.connect(lambda m: window.statusBar().showMessage(m, 10000))
            mine.message.connect(lambda _m: self.sync.notify())
            if self.kb is not None and self.data is not None:
                mine.set_knowledge_base(self.kb, self.data.questions)
        if has_question_queue(role):
            queue_view = QuestionQueueView(self.settings.language.startswith("en"))
            article_view = self.kb_view.article_view
            self.queue = QueueController(
                self.taskman,
                login.client,
                username,
                role,
                queue_view,
                lambda: article_view.article,
                self.settings.pull_interval_s,
                parent=queue_view,
            )
            self.queue.session_expired.connect(self.session.session_ended)
            if self.kb is not None:
                self.queue.set_knowledge_base(self.kb)
            window.add_pane("question_queue", window.queue_title(), queue_view, PaneRole.WORKLIST)
        if has_campaign_admin(role):
            campaign_view = CampaignAdminView(self.settings.language.startswith("en"))
            self.campaigns = CampaignAdminController(
                self.taskman,
                login.client,
                role,
                campaign_view,
                self.settings.pull_interval_s,
                parent=campaign_view,
            )
            self.campaigns.session_expired.connect(self.session.session_ended)
            self.campaigns.message.connect(lambda m: window.statusBar().showMessage(m, 10000))
            if self.kb is not None and self.data is not None:
                self.campaigns.set_knowledge_base(self.kb)
                self.campaigns.set_code_lists(self.data.codes)
            window.add_pane("campaigns", campaign_view.title(), campaign_view, PaneRole.CAMPAIGNS)
        if has_worklist(role):
            desk = self.outbound = OutboundDesk(
                self.taskman,
                window,
                self.settings,
                login.client,
                username,
                self.phone,
                self.sync.round_done,
                parent=window,
            )
            desk.outbox_grew.connect(self._outbox_grew)
            desk.session_expired.connect(self.session.session_ended)
            desk.set_data(self.data)
        if has_authoring(role):
            authoring = self.authoring = AuthoringDesk(
                self.taskman,
                window,
                login.client,
                username,
                self.sync.round_done,
                self.settings.language.startswith("en"),
                parent=window,
            )
            authoring.outbox_grew.connect(self._outbox_grew)
            authoring.session_expired.connect(self.session.session_ended)
            authoring.set_data(self.data)

        supervision = self.supervision = SupervisionDesk(
            self.taskman,
            window,
            self.settings,
            login.client,
            username,
            role,
            self.phone,
            self.seat,
            parent=window,
        )
        supervision.outbox_grew.connect(self._outbox_grew)
        supervision.session_expired.connect(self.session.session_ended)
        supervision.set_data(self.data)

    def _open_review_views(self, login: Login) -> None:
        """The review queue (manager), the attention lists and the vocabulary (who writes)."""
        role = login.session.role
        if not (can_review(role) or has_attention(role)):
            return
        desk = self.review_desk = ReviewDesk(
            self.taskman,
            self.window,
            login.client,
            role,
            self.settings.pull_interval_s,
            self.settings.language.startswith("en"),
            parent=self.window,
        )
        desk.published.connect(self.sync.notify)  # this workstation sees the change at once
        desk.session_expired.connect(self.session.session_ended)
        desk.edit_requested.connect(self._edit_article)
        desk.set_knowledge_base(self.kb)

    def _edit_article(self, article_uuid: str) -> None:
        """An article the attention list points at, opened in the authoring editor."""
        if self.authoring is not None and self.authoring.editor is not None:
            self.authoring.editor.edit_article(article_uuid)

    def _close_role_views(self) -> None:
        if self.center_codes is not None:  # the last user's Center codes dialog
            self.center_codes.view.reject()
        if self.review_desk is not None:
            self.review_desk.close()
            self.review_desk.deleteLater()
            self.review_desk = None
        if self.my_questions is not None:
            self.my_questions.close()
            self.window.view_shown.disconnect(self.my_questions.pane_shown)
            self.window.remove_pane(self.my_questions.view)
            self.my_questions = None
        if self.queue is not None:
            self.queue.close()
            self.window.remove_pane(self.queue.view)
            self.queue = None
        if self.campaigns is not None:
            self.campaigns.close()
            self.window.remove_pane(self.campaigns.view)
            self.campaigns = None
        if self.outbound is not None:
            self.outbound.close()
            self.outbound.deleteLater()
            self.outbound = None
        if self.authoring is not None:
            self.authoring.close()
            self.authoring.deleteLater()
            self.authoring = None
        if self.teams is not None:  # the last user's Teams dialog
            self.teams.view.reject()
        if self.supervision is not None:
            self.supervision.close()
            self.supervision.deleteLater()
            self.supervision = None

    def open_center_codes(self) -> None:
        """The center's lists, for an admin or the manager; a change is synced at once."""
        login = self.login
        if login is None:
            return
        self.center_codes = open_center_codes(
            self.taskman,
            login.client,
            login.session.role,
            self.settings.language.startswith("en"),
            self.window,
        )
        if self.center_codes is not None:
            # Forgotten once closed (the dialog deletes itself then).
            self.center_codes.view.finished.connect(self._center_codes_closed)
            self.center_codes.changed.connect(self.sync.notify)
            self.center_codes.session_expired.connect(self.session.session_ended)

    def _center_codes_closed(self) -> None:
        self.center_codes = None

    def open_teams(self) -> None:
        """Teams and who is in them, for an admin (supervision)."""
        login = self.login
        if login is None:
            return
        self.teams = open_teams(
            self.taskman,
            login.client,
            login.session.role,
            self.settings.language.startswith("en"),
            self.window,
        )
        if self.teams is not None:
            self.teams.view.finished.connect(self._teams_closed)
            self.teams.session_expired.connect(self.session.session_ended)

    def _teams_closed(self) -> None:
        self.teams = None

    def show_article(self, article: Article) -> None:
        """Open `article` in the KB pane (e.g. the one an answer became)."""
        self.window.show_view(self.kb_view)
        self.kb_pane.show_article(article)

    def _retire(self, login: Login) -> None:
        """Another account logged in: stop the old worker, then close the old client."""
        worker = self.sync.detach()

        def retire() -> None:
            if worker is not None:
                worker.stop()
            login.client.close()

        op(retire).run(self.taskman, executor="net")

    def log_out(self) -> None:
        if self.login is not None:
            self.window.save_layout(self.login.session.username)
        worker = self.sync.detach()
        self.session.log_out(before=(lambda: worker.stop()) if worker is not None else None)

    def _logged_out(self) -> None:
        """Nothing of the last user stays: the phone unregisters, the role's panes close, the
        KB pane forgets the search and the article, the call history empties (the next user's
        views read their own records only)."""
        self.login = None
        self.sync.stop()
        self.phone.log_out()
        self._close_role_views()
        self.kb_pane.clear()
        self.window.statusBar().clearMessage()
        self.window.toast.hide()
        self.window.set_user("", "")
        self.kb_pane.agent_name = ""
        self.kb_pane.download = None
        self.seat.set_user("")
        self.phone.set_role("")
        self.taskman.announce(Changes.USER)
        self._outbox_grew()

    def _start_sync(self) -> None:
        data, login = self.data, self.login
        if data is not None and login is not None and not self.sync.running:
            self.sync.start(
                data,
                login.client,
                login.server_url,
                login.session.username,
                self.settings.pull_interval_s,
            )

    def _check_session(self, status: SyncStatus) -> None:
        if status.auth_required and self.sync.running:
            self.session.session_ended()

    def _outbox_grew(self) -> None:
        """Something was queued for the server: send it now, or count it while logged out."""
        if self.sync.running:
            self.sync.notify()
            return
        data = self.data
        if data is not None:
            op(data.outbox.count).success(self.sync.show_pending).run(self.taskman)

    def _answers_received(self, answers: list[dict[str, Any]]) -> None:
        self.window.notify_answers(len(answers))

    def shutdown(self) -> None:
        """Quick and clean: the phone hangs up and stops, the seat's records are written, the
        sync worker stops (bounded wait), local work finishes, network calls are abandoned,
        the built-in backend stops, the knowledge base closes."""
        if self._shut:
            return
        self._shut = True
        if self.login is not None:
            self.window.save_layout(self.login.session.username)
        # An index rebuild under way stops at its next batch instead of holding the window
        # until it ends (the executor shutdown below waits for it).
        if self.kb is not None:
            self.kb.cancel_rebuild()
        # The phone first (calls hung up, no network wait), then the seat's last records are
        # written while the database is still open.
        self.phone.shutdown()
        self.seat.shutdown()
        self._close_role_views()
        self.sync.stop(wait=True)
        self.taskman.shutdown()
        self.session.shutdown()
        if self.data is not None:
            self.data.close()
        for translator in self._translators:
            self._app.removeTranslator(translator)
        mark_stopped(self.data_dir)


def prepare_app(
    folder: Path, lang: str | None = None
) -> tuple[QApplication, GarbageCollector, AppController]:
    """Logging, settings, the QApplication, the GUI-thread garbage collector and the started
    controller: everything `run_app` does before the event loop (tests drive it from here)."""
    setup_logging(folder)
    settings = Settings.load(folder)
    if lang:
        settings.language = lang
    messages.set_language(settings.language)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("SeatDesk")
    app.setOrganizationName("SeatDesk")
    collector = GarbageCollector(app)
    collector.start()
    controller = AppController(folder, settings)
    controller.start()
    return app, collector, controller


def run_app(data_dir: str | None = None, lang: str | None = None) -> int:
    folder = resolve_data_dir(data_dir)
    app, collector, controller = prepare_app(folder, lang)
    if os.environ.get("SEATDESK_STARTUP_PROBE"):
        _probe_startup(controller, app, os.environ["SEATDESK_STARTUP_PROBE"])
    code = app.exec()
    controller.shutdown()
    collector.stop()
    return code


def _probe_startup(controller: AppController, app: QApplication, query: str) -> None:
    """For bench/startup.py: type `query` at once and quit when its results are on screen."""
    pane = controller.kb_view
    # Measured from the launcher's clock when it gives one (SEATDESK_LAUNCHED_AT, epoch seconds),
    # so interpreter start-up and imports count too.
    launched = float(os.environ.get("SEATDESK_LAUNCHED_AT", "0"))
    origin = launched if launched else time.time() - (time.perf_counter() - _STARTED)
    shown = time.time()

    def results(count: int) -> None:
        print(
            f"SEATDESK_READY window_ms={(shown - origin) * 1000:.1f} "
            f"results_ms={(time.time() - origin) * 1000:.1f} count={count}",
            flush=True,
        )
        QTimer.singleShot(0, app.quit)

    pane.results_shown.connect(results)
    pane.search.setText(query)
