"""Who is logged in, to which backend: the built-in one started in the background when no
server is configured, the login dialog's behaviour, the new password a user must choose
before anything else (the first administrator's generated one), logging in again when a
session ends, and remembered passwords (in the OS's secure store only, never in a file)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from agent_app.common import credentials
from agent_app.common.settings import Settings
from agent_app.shell.change_password_dialog import ChangePasswordDialog
from agent_app.shell.embedded_backend import DEMO_USERNAMES, EmbeddedBackend
from agent_app.shell.error_text import error_text
from agent_app.shell.login_dialog import LoginDialog
from agent_app.shell.taskman import TaskManager, op
from sync.api_client import ApiClient, ApiError, AuthError, OfflineError, Session

log = logging.getLogger(__name__)


@dataclass
class Login:
    server_url: str  # as configured: '' = the built-in backend
    base_url: str  # where it actually answers
    client: ApiClient
    session: Session
    remembered: bool | None  # password kept (True), asked but no secure store (False), not asked

    def same_account(self, other: Login) -> bool:
        return (self.base_url, self.session.username) == (other.base_url, other.session.username)


class SessionController(QObject):
    logged_in = Signal(object)  # Login
    logged_out = Signal()
    message = Signal(str)  # for the status bar

    def __init__(
        self,
        taskman: TaskManager,
        settings: Settings,
        data_dir: Path,
        parent_widget: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.taskman = taskman
        self.settings = settings
        self.data_dir = data_dir
        self.parent_widget = parent_widget
        self.backend = EmbeddedBackend(data_dir)
        self.current: Login | None = None
        self.dialog: LoginDialog | None = None
        # A login whose password must be replaced first, and the dialog asking for the new one.
        self.pending: Login | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.busy = False
        self._attempt = 0

    # -- start --------------------------------------------------------------------------------
    def start(self) -> None:
        """At app start: the built-in backend if needed, then log in (automatically if the
        password is remembered, else through the dialog)."""
        if not self.settings.server_url:
            self.start_embedded()
        if self.settings.username and self.settings.remember_password:
            self.login_remembered()
        else:
            self.show_login()

    def start_embedded(self) -> None:
        op(self.backend.start).success(lambda _url: self._embedded_started()).failure(
            self._embedded_failed
        ).run(self.taskman, executor="net")

    def _embedded_started(self) -> None:
        if self.dialog is not None:
            self._offer_demo_note(self.dialog)

    def _embedded_failed(self, exc: BaseException) -> None:
        log.error("built-in backend did not start", exc_info=exc)
        text = self.tr("The built-in service could not start: %1").replace("%1", str(exc))
        self.message.emit(text)
        if self.dialog is not None and not self.dialog.server_edit.text().strip():
            self.dialog.show_error(text)

    def _offer_demo_note(self, dialog: LoginDialog) -> None:
        if self.backend.url and self.backend.first_start:
            dialog.show_demo_note(
                DEMO_USERNAMES, self.backend.demo_password, self.backend.credentials_file
            )

    # -- the dialog ---------------------------------------------------------------------------
    def show_login(self, error: str = "") -> None:
        """Show the login dialog (not modal: the knowledge base stays usable meanwhile)."""
        dialog = self.dialog
        if dialog is None:
            dialog = self.dialog = LoginDialog(self.parent_widget)
            dialog.login_requested.connect(self.log_in)
            dialog.set_values(
                self.settings.server_url, self.settings.username, self.settings.remember_password
            )
            op(credentials.secure_storage_available).success(dialog.set_secure_storage).run(
                self.taskman, executor="net"
            )
            self._offer_demo_note(dialog)
        if error:
            dialog.show_error(error)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def log_in(self, server_url: str, username: str, password: str, remember: bool) -> None:
        """Log in off the GUI thread; the dialog (if shown) waits, keeping what was typed."""
        self._attempt += 1
        attempt = self._attempt
        self._drop_pending()
        self.busy = True
        if self.dialog is not None:
            self.dialog.set_busy(True, self.tr("Logging in…"))
        backend = self.backend

        def work() -> Login:
            base_url = server_url.rstrip("/") or backend.start()
            client = ApiClient(base_url)
            try:
                session = client.login(username, password)
            except BaseException:
                client.close()
                raise
            remembered: bool | None = None
            if session.must_change_password:
                pass  # the keyring gets the password the user chooses next, not this one
            elif remember:
                remembered = credentials.save_password(server_url, username, password)
            else:
                credentials.forget_password(server_url, username)
            return Login(server_url.rstrip("/"), base_url, client, session, remembered)

        def done(login: Login) -> None:
            if login.session.must_change_password and attempt == self._attempt:
                self._ask_new_password(attempt, login, password, remember)
            else:
                self._logged_in(attempt, login)

        op(work).success(done).failure(
            lambda exc: self._login_failed(attempt, server_url, exc)
        ).dropped(lambda login: login.client.close()).run(self.taskman, executor="net")

    def login_remembered(self) -> None:
        """Log in with the password kept in the keyring; ask when there is none."""
        server_url, username = self.settings.server_url, self.settings.username
        self.busy = True
        self.message.emit(self.tr("Logging in as %1…").replace("%1", username))

        def found(password: str | None) -> None:
            if password:
                self.log_in(server_url, username, password, True)
            else:
                self.busy = False
                self.show_login()

        op(lambda: credentials.load_password(server_url, username)).success(found).run(
            self.taskman, executor="net"
        )

    def _logged_in(self, attempt: int, login: Login) -> None:
        if attempt != self._attempt:
            login.client.close()
            return
        self.busy = False
        settings = self.settings
        settings.server_url = login.server_url
        settings.username = login.session.username
        settings.remember_password = bool(login.remembered)
        data_dir = self.data_dir
        op(lambda: settings.save(data_dir)).run(self.taskman)
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self.dialog.password_edit.clear()
            self.dialog.accept()
        previous, self.current = self.current, login
        if previous is not None and previous.same_account(login):
            # The same account again (its session had ended): keep the client (the sync
            # worker uses it) with the new token.
            previous.client.token = login.session.token
            login.client.close()
            self.current = Login(
                login.server_url, login.base_url, previous.client, login.session, login.remembered
            )
        # Another account: the app retires the previous login (its worker, its client).
        self.logged_in.emit(self.current)
        if login.remembered is False:  # said after "logged in", so it is the one left showing
            self.message.emit(
                self.tr(
                    "No secure password store on this computer: only the user name is remembered."
                )
            )

    # -- a password that must be replaced first ---------------------------------------------
    def _ask_new_password(self, attempt: int, login: Login, password: str, remember: bool) -> None:
        """The server accepts nothing else from this session until the password is changed:
        ask for the new one; the login goes on once the server took it."""
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self.dialog.password_edit.clear()
            self.dialog.hide()
        self.pending = login
        dialog = self.password_dialog = ChangePasswordDialog(
            login.session.username, self.parent_widget
        )
        dialog.change_requested.connect(
            lambda new: self._change_password(attempt, password, new, remember)
        )
        dialog.rejected.connect(lambda: self._password_change_cancelled(attempt))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _change_password(self, attempt: int, old: str, new: str, remember: bool) -> None:
        login, dialog = self.pending, self.password_dialog
        if login is None or dialog is None or attempt != self._attempt:
            return
        dialog.set_busy(True, self.tr("Changing the password…"))

        def work() -> Login:
            login.client.change_password(old, new)
            # The server keeps the password without outer spaces, as it compares logins.
            chosen = new.strip()
            remembered: bool | None = None
            if remember:
                remembered = credentials.save_password(
                    login.server_url, login.session.username, chosen
                )
            else:
                credentials.forget_password(login.server_url, login.session.username)
            session = replace(login.session, must_change_password=False)
            return Login(login.server_url, login.base_url, login.client, session, remembered)

        op(work).success(lambda changed: self._password_changed(attempt, changed)).failure(
            lambda exc: self._password_change_failed(attempt, exc)
        ).run(self.taskman, executor="net")

    def _password_changed(self, attempt: int, login: Login) -> None:
        if attempt != self._attempt:
            return
        dialog, self.password_dialog, self.pending = self.password_dialog, None, None
        if dialog is not None:
            dialog.accept()  # accepted, not rejected: no logout
            dialog.deleteLater()
        self._logged_in(attempt, login)

    def _password_change_failed(self, attempt: int, exc: BaseException) -> None:
        if attempt != self._attempt or self.password_dialog is None:
            return
        log.info("password change failed: %s", exc)
        # The server's own words ('choose a new password / 新密码不能与当前密码相同'), in the
        # user's language; a network failure as everywhere else.
        text = exc.message if isinstance(exc, ApiError) else error_text(exc)
        self.password_dialog.show_error(text)

    def _password_change_cancelled(self, attempt: int) -> None:
        """Cancel (or the dialog closed): nothing may be done with this session, so end it."""
        if attempt != self._attempt:
            return
        self._attempt += 1
        self._drop_pending()
        self.busy = False
        self.show_login(self.tr("The password was not changed, so you were logged out."))

    def _drop_pending(self) -> None:
        """Forget a login still waiting for its new password: the dialog closes and the
        session ends on the server, in the background."""
        login, dialog = self.pending, self.password_dialog
        self.pending = self.password_dialog = None
        if dialog is not None:
            dialog.blockSignals(True)  # closing it here is not the user's cancel
            dialog.reject()
            dialog.deleteLater()
        if login is not None:
            op(lambda: self._end_session(login)).run(self.taskman, executor="net")

    @staticmethod
    def _end_session(login: Login) -> None:
        try:
            login.client.logout()
        except (ApiError, OfflineError) as exc:
            log.info("logout not confirmed by the server: %s", exc)
        finally:
            login.client.close()

    def _login_failed(self, attempt: int, server_url: str, exc: BaseException) -> None:
        if attempt != self._attempt:
            return
        self.busy = False
        log.info("login failed: %s", exc)
        self.show_login(self.describe(exc, server_url))

    def describe(self, exc: BaseException, server_url: str) -> str:
        if isinstance(exc, AuthError):
            return self.tr("Wrong user name or password.")
        if isinstance(exc, ApiError):  # too many attempts, account disabled: the server says
            return exc.message
        if isinstance(exc, OfflineError):
            where = server_url or self.tr("the built-in service")
            return self.tr(
                "Cannot reach %1. Check the address and the network, or leave the address "
                "empty to use the built-in service."
            ).replace("%1", where)
        if not server_url and isinstance(exc, RuntimeError):
            return self.tr("The built-in service could not start: %1").replace("%1", str(exc))
        return error_text(exc)

    # -- ending -------------------------------------------------------------------------------
    def session_ended(self) -> None:
        """The server no longer accepts the token: log in again, silently if we can."""
        if self.busy:
            return
        if self.settings.remember_password and self.settings.username:
            self.login_remembered()
        else:
            self.show_login(self.tr("Your session has ended; please log in again."))

    def log_out(self, before: Callable[[], None] | None = None) -> None:
        """End the session on the server and forget the remembered password; `before` runs
        first on the same background thread (stopping the sync worker that uses the client)."""
        login, self.current = self.current, None
        self._attempt += 1
        self._drop_pending()
        if login is None:
            return
        self.settings.remember_password = False
        settings, data_dir = self.settings, self.data_dir

        def end() -> None:
            if before is not None:
                before()
            credentials.forget_password(login.server_url, login.session.username)
            self._end_session(login)

        op(end).run(self.taskman, executor="net")
        op(lambda: settings.save(data_dir)).run(self.taskman)
        self.logged_out.emit()
        self.show_login()

    def shutdown(self) -> None:
        """Close the HTTP client and stop the built-in backend (a fraction of a second)."""
        if self.current is not None:
            self.current.client.close()
            self.current = None
        if self.pending is not None:
            self.pending.client.close()
            self.pending = None
        self.backend.stop()
