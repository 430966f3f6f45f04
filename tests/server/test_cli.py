"""`python main.py users ...` against the real database of a running server, and what it
prints; names with control and bidi characters through the API (issue 11 #20)."""

from __future__ import annotations

import subprocess
import sys
import uuid as uuidlib

import sqlalchemy as sa

from server.core.security import hash_password, stamp
from server.tables import users
from tests.server.support import REPO_ROOT, Actors, Backend

BIDI = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "坏人" + it + "txt.exe" reads differently on screen


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), *args],
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_users_add_takes_db_after_the_subcommand_and_strips_the_password(
    server: Backend,
) -> None:
    """The README's `users add NAME --role ... --db URL` failed: --db had to come first. And a
    password set with outer spaces could never be typed in, as the API strips them."""
    name = "cli-" + uuidlib.uuid4().hex[:8]
    done = _cli(
        "users",
        "add",
        name,
        "--role",
        "agent",
        "--password",
        "  pass-word-9  ",
        "--db",
        server.db_url,
    )
    assert done.returncode == 0, done.stderr
    assert server.login(name, "pass-word-9").status_code == 200
    # --db before the subcommand still works; too short a password is refused there too.
    short = _cli(
        "users",
        "--db",
        server.db_url,
        "add",
        name + "x",
        "--role",
        "agent",
        "--password",
        " 1234567 ",
    )
    assert short.returncode == 2 and "8" in short.stderr
    passwd = _cli("users", "passwd", name, "--password", " other-pass-9 ", "--db", server.db_url)
    assert passwd.returncode == 0, passwd.stderr
    assert server.login(name, "other-pass-9").status_code == 200


def test_users_list_never_prints_control_or_bidi_characters_raw(server: Backend) -> None:
    name = "raw-" + uuidlib.uuid4().hex[:8]
    with server.db.write() as conn:  # as an older version may have stored it
        conn.execute(
            users.insert().values(
                username=name,
                display_name=f"坏人{BIDI}txt.exe\x1b[2J\r",
                role="agent",
                password_hash=hash_password("not-used-here"),
                disabled=False,
                created_at=stamp(),
            )
        )
    listed = _cli("users", "list", "--db", server.db_url)
    assert listed.returncode == 0, listed.stderr
    line = next(row for row in listed.stdout.splitlines() if name in row)
    assert BIDI not in listed.stdout and "\x1b" not in listed.stdout and "\r" not in listed.stdout
    assert "\\u202e" in line and "\\x1b" in line


def test_names_lose_control_and_bidi_characters_on_the_way_in(
    server: Backend, actors: Actors
) -> None:
    admin = actors("admin")
    name = "bidi-" + uuidlib.uuid4().hex[:8]
    created = admin.http.post(
        "/users",
        json={
            "username": name,
            "password": "pass-word-9",
            "role": "agent",
            "display_name": "张\u202e三\x07\u2066",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["display_name"] == "张三"
    patched = admin.http.patch(
        f"/users/{created.json()['id']}", json={"display_name": "李\u200f四\x1b[31m"}
    )
    assert patched.status_code == 200 and patched.json()["display_name"] == "李四[31m"
    stored = server.scalar(sa.select(users.c.display_name).where(users.c.username == name))
    assert stored == "李四[31m"
