"""`python main.py doctor`, run as a user would, against the rig's Kamailio and SIPp."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.rig import free_port
from tests.rig.fixtures import RIG_USERS
from tests.rig.kamailio import Kamailio
from tests.server.support import ServerProcess

ROOT = Path(__file__).resolve().parents[3]


# What pjlib prints on its own: "07:33:11.295   os_core_unix.c !pjlib 2.15.1 for POSIX ..."
PJLIB_LINE = re.compile(r"\w+\.c\s+[ !.]|pjlib|PJSUA state")


def run_doctor(tmp_path: Path, *args: str, lang: str = "zh_CN") -> subprocess.CompletedProcess:
    env = dict(os.environ, SEATDESK_DATA_DIR=str(tmp_path / "data"), SEATDESK_LANG=lang)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "doctor", "--json", "--bind", "127.0.0.1", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )


def doctor(tmp_path: Path, *args: str, lang: str = "zh_CN") -> tuple[int, dict]:
    proc = run_doctor(tmp_path, *args, lang=lang)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, proc.stdout + proc.stderr
    return proc.returncode, json.loads(lines[-1])


def line_args(kamailio: Kamailio, user: str = "agent1001", password: str | None = None) -> list:
    return [
        "--registrar", kamailio.registrar_uri,
        "--user", user,
        "--password", RIG_USERS[user] if password is None else password,
    ]  # fmt: skip


def check(report: dict, name: str) -> dict:
    return next(c for c in report["checks"] if c["name"] == name)


def test_a_good_line_passes_every_check(kamailio: Kamailio, sipp, tmp_path: Path) -> None:
    echo = sipp("uas_echo", calls=None, timeout=None)
    echo.wait_ready()
    kamailio.set_route("9196", echo.address)
    code, report = doctor(
        tmp_path, "--no-backend", *line_args(kamailio), "--echo-uri", kamailio.uri("9196")
    )
    assert code == 0 and report["ok"] is True, report
    assert [c["name"] for c in report["checks"]] == ["registration", "audio", "echo_call", "rtt"]
    assert "已注册" in check(report, "registration")["detail"]
    assert "听到回声" in check(report, "echo_call")["detail"]
    assert "毫秒" in check(report, "rtt")["detail"]


def test_an_echo_that_moves_to_a_new_bridge_port_is_still_heard(
    kamailio: Kamailio, sipp, tmp_path: Path
) -> None:
    """The far end answers with two codecs (PCMU and PCMA): pjsua re-INVITEs to keep one, and
    the call's audio moves to a new port on the bridge. The tone meter must move with it."""
    echo = sipp("uas_echo_two_codecs", calls=None, timeout=None)
    echo.wait_ready()
    kamailio.set_route("9196", echo.address)
    code, report = doctor(
        tmp_path, "--no-backend", *line_args(kamailio), "--echo-uri", kamailio.uri("9196")
    )
    assert code == 0 and report["ok"] is True, report
    assert "听到回声" in check(report, "echo_call")["detail"]
    # ... and it was the codec-locking re-INVITE that the meter lived through.
    messages = echo.message_path.read_text(encoding="utf-8", errors="replace")
    assert messages.count("INVITE sip:") >= 2, messages[-3000:]


def test_pjlib_prints_nothing_on_the_console(kamailio: Kamailio, sipp, tmp_path: Path) -> None:
    """pjsip's log goes to the app's logger from its first line (pjlib's start-up banner
    included): the doctor's output is its own report only."""
    echo = sipp("uas_echo", calls=None, timeout=None)
    echo.wait_ready()
    kamailio.set_route("9196", echo.address)
    proc = run_doctor(
        tmp_path, "--no-backend", *line_args(kamailio), "--echo-uri", kamailio.uri("9196")
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not PJLIB_LINE.search(proc.stderr), proc.stderr
    assert not PJLIB_LINE.search(proc.stdout), proc.stdout


def test_wrong_password_fails_with_the_reason(kamailio: Kamailio, tmp_path: Path) -> None:
    code, report = doctor(
        tmp_path, "--no-backend", *line_args(kamailio, password="wrong"), "--echo-uri", "sip:x@h"
    )
    assert code == 1 and report["ok"] is False
    assert "密码" in check(report, "registration")["detail"]
    assert check(report, "echo_call")["ok"] is False  # not attempted without a registration


@pytest.mark.parametrize(
    ("scenario", "extra", "expected"),
    [
        ("uas_busy", {}, "对方忙"),
        ("uas_no_answer", {}, "无人接听"),
        ("uas_echo", {"rtp_echo": False}, "没有听到回声"),
    ],
)
def test_echo_failures_say_what_went_wrong(
    kamailio: Kamailio, sipp, tmp_path: Path, scenario: str, extra: dict, expected: str
) -> None:
    far_end = sipp(scenario, calls=None, timeout=None, **extra)
    far_end.wait_ready()
    kamailio.set_route("9196", far_end.address)
    code, report = doctor(
        tmp_path,
        "--no-backend",
        "--timeout", "3",
        *line_args(kamailio),
        "--echo-uri", kamailio.uri("9196"),
    )  # fmt: skip
    assert code == 1
    assert check(report, "registration")["ok"] is True
    echo = check(report, "echo_call")
    assert echo["ok"] is False and expected in echo["detail"], echo


def test_backend_reachable_or_not(kamailio: Kamailio, tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    code, report = doctor(tmp_path, "--server", closed, *line_args(kamailio), lang="en")
    assert code == 1 and "cannot be reached" in check(report, "backend")["detail"]
    server = ServerProcess(f"sqlite:///{tmp_path / 'server.db'}", tmp_path / "server").start()
    try:
        code, report = doctor(tmp_path, "--server", server.base_url, *line_args(kamailio))
    finally:
        server.stop()
    assert code == 0, report
    assert check(report, "backend")["ok"] and check(report, "registration")["ok"]


def test_no_account_configured_is_a_clear_failure(tmp_path: Path) -> None:
    code, report = doctor(tmp_path, "--no-backend", lang="en")
    assert code == 1
    assert "no phone account" in check(report, "registration")["detail"]
