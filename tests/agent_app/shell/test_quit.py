"""Quitting after many logins (issue 11 #6): the real app in its own process, its phone
registered at the rig's Kamailio, logged in and out 20 times as supervisor -> trainer ->
manager -> team leader -> agent against a real backend over HTTP, then 文件 -> 退出. It must end
with exit code 0: before the fix the pjsua2 binding's reference-count leak on None/True/False
aborted the interpreter ("Fatal Python error: none_dealloc", exit 134).

The app has to run in a process of its own: the abort is the interpreter's, and pjsua2 allows
one endpoint per process. This module is also the driver the child runs
(`python -m tests.agent_app.shell.test_quit ...`): it starts the app through
agent_app/shell/app.py prepare_app, as run_app does, and works the window from inside, through its own
widgets and actions, on Qt's event loop.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu

from agent_app.common.settings import Settings
from agent_app.phone import credentials as phone_credentials
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.shell.app import AppController, prepare_app
from common.demo_accounts import DEMO_PASSWORD
from tests.agent_app.conftest import make_data_dir
from tests.helpers.backend import TestBackend
from tests.helpers.corpus import SMALL_CORPUS
from tests.helpers.memory_keyring import MemoryKeyring
from tests.rig.fixtures import RIG_USERS, require_pjsua2
from tests.rig.kamailio import Kamailio
from tests.server.support import REPO_ROOT

CYCLES = 20
ROLES = ("supervisor", "trainer", "manager", "team_leader", "agent")
STEP_TIMEOUT_S = 30.0  # one login, registration or logout; a stuck step fails the run
CHILD_TIMEOUT_S = 600.0
# References left on None, True and False at the first registration, as a seat that has run
# for long has left (binding_guard.py): measured here without the guard, one login/logout
# cycle leaks about 110 on None and 40 on True, so an unguarded app aborts within the run.
HEADROOM = 1500


@pytest.mark.timeout(CHILD_TIMEOUT_S + 60)
def test_twenty_logins_with_the_phone_then_quit_exits_0(
    tmp_path: Path, backend: TestBackend, kamailio: Kamailio
) -> None:
    require_pjsua2()
    folder = make_data_dir(tmp_path / "data", SMALL_CORPUS, index=True)
    domain = f"{kamailio.domain}:{kamailio.port}"
    account = AccountConfig(id="default", user="agent1001", domain=domain, default=True)
    phone = PhoneConfig(accounts=[account], bind_address="127.0.0.1").to_dict()
    Settings(server_url=backend.url, language="zh_CN", phone=phone).save(folder)
    users = [backend.new_user(role) for role in ROLES]
    plan = {
        "server": backend.url,
        "users": [users[i % len(users)] for i in range(CYCLES)],
        "sip_password": RIG_USERS["agent1001"],
        "headroom": HEADROOM,
    }
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    out, err = tmp_path / "child.out", tmp_path / "child.err"  # readable while it runs
    with out.open("w") as stdout, err.open("w") as stderr:
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.agent_app.shell.test_quit",
                str(folder),
                json.dumps(plan),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
            timeout=CHILD_TIMEOUT_S,
        )
    child_out, child_err = out.read_text(), err.read_text()
    tail = f"stdout:\n{child_out[-3000:]}\nstderr:\n{child_err[-6000:]}"
    assert "Fatal Python error" not in child_err, tail
    assert child.returncode == 0, tail
    # The last logout's sync worker, stopped in the background, is waited for at quit: it
    # used to be mid-round when the local database closed ("the local database is closed").
    assert "sync round failed" not in child_err, tail
    # The driver got through every cycle and to the quit action (not an early exit).
    assert f"DRIVER cycles={CYCLES} registered={CYCLES} quit" in child_out, tail
    assert not kamailio.registered("agent1001")  # the last logout unregistered the phone


# -- the child: the app and its driver --------------------------------------------------------
def _run_child(folder: Path, plan: dict[str, Any]) -> int:
    """run_app's steps (agent_app/shell/app.py), with the driver on the event loop."""
    # The OS keyring of the machine is never touched: the SIP password is kept in memory.
    keyring.set_keyring(MemoryKeyring())
    phone_credentials.save_password("default", str(plan["sip_password"]))
    app, collector, controller = prepare_app(folder)
    driver = _Driver(controller, plan["server"], plan["users"], plan["headroom"])
    driver.begin()
    code = app.exec()
    controller.shutdown()
    collector.stop()
    if driver.failure:
        print(f"DRIVER failed: {driver.failure}", flush=True)
        return 3
    return code


def _use_up_references(left: int) -> None:
    """Set the reference counts of None, True and False to `left`, whatever is really held:
    the state a long-running seat reaches through the binding's leak, where `left` more
    releases reach zero and abort. From here the app lives only if its guard tops them up.
    Garbage is collected first, so a later collection frees nothing counted here."""
    gc.collect()
    for obj in (None, True, False):
        held = sys.getrefcount(obj) - 1  # less this call's own argument
        # ob_refcnt is the first field of every object in CPython, as binding_guard.py uses it.
        ctypes.c_ssize_t.from_address(id(obj)).value -= held - left


class _Driver:
    """Steps through the cycles on a QTimer: each step waits for a condition of the window,
    then acts as the user would (the login dialog's fields and button, Log out, Exit)."""

    def __init__(
        self, controller: AppController, server: str, users: list[str], headroom: int
    ) -> None:
        self.controller = controller
        self.headroom = headroom
        self.server = server
        self.users = users
        self.cycle = 0
        self.registered = 0
        self.failure = ""
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._tick)
        self._steps: list[tuple[str, Callable[[], bool], Callable[[], None]]] = []
        self._waited = 0.0

    def begin(self) -> None:
        for username in self.users:
            self._steps += [
                ("login dialog", self._dialog_shown, partial(self._log_in, username)),
                ("registered", self._registered, self._count_registration),
                ("logged out", self._logged_out, lambda: None),
            ]
        self._steps.append(("quit", lambda: True, self._quit))
        self._timer.start()

    def _tick(self) -> None:
        if not self._steps:
            return
        name, ready, act = self._steps[0]
        if not ready():
            self._waited += self._timer.interval() / 1000
            if self._waited > STEP_TIMEOUT_S:
                self.failure = f"cycle {self.cycle}: no '{name}' after {STEP_TIMEOUT_S} s"
                self._timer.stop()
                QApplication.quit()
            return
        self._steps.pop(0)
        self._waited = 0.0
        if not self._steps:
            self._timer.stop()
        act()

    def _dialog_shown(self) -> bool:
        session = self.controller.session
        return bool(session.dialog is not None and session.dialog.isVisible() and not session.busy)

    def _log_in(self, username: str) -> None:
        dialog = self.controller.session.dialog
        assert dialog is not None
        dialog.server_edit.setText(self.server)
        dialog.username_edit.setText(username)
        dialog.password_edit.setText(DEMO_PASSWORD)
        dialog.remember_check.setChecked(False)
        dialog.login_button.click()

    def _registered(self) -> bool:
        event = self.controller.phone.registration
        login = self.controller.login
        return bool(
            login is not None
            and login.session.username == self.users[self.cycle]
            and event is not None
            and event.state == "registered"
        )

    def _count_registration(self) -> None:
        self.registered += 1
        if self.registered == 1:
            _use_up_references(self.headroom)
        self.controller.window.logout_action.trigger()

    def _logged_out(self) -> bool:
        done = self.controller.login is None and self.controller.phone.phone is None
        if done:
            self.cycle += 1
        return done

    def _quit(self) -> None:
        window = self.controller.window
        file_menu = window.menuBar().actions()[0].menu()
        assert isinstance(file_menu, QMenu)
        # 文件 holds 登录…, 退出登录 and, after a separator, 退出.
        [exit_action] = [
            a
            for a in file_menu.actions()
            if not a.isSeparator() and a not in (window.login_action, window.logout_action)
        ]
        print(
            f"DRIVER cycles={self.cycle} registered={self.registered} quit ({exit_action.text()})",
            flush=True,
        )
        exit_action.trigger()


if __name__ == "__main__":
    sys.exit(_run_child(Path(sys.argv[1]), json.loads(sys.argv[2])))
