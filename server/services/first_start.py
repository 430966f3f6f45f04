"""First start of an embedded backend: an admin and demo users, and how to log in.

The admin's password is generated and written to a note only its owner can read; the admin
must replace it at first login, and the note is deleted then (server/services/login.py).
The app's own built-in backend also gets the demo campaign (server/services/outbound/demo.py),
in the same transaction: made once, never for a center's server nor a test's backend.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import sqlalchemy as sa

from common.demo_accounts import CREDENTIALS_FILE, DEMO_PASSWORD, DEMO_USERS
from server.core.db import Database
from server.core.private_files import write_private_text
from server.services.outbound.demo import create_demo_campaign
from server.services.users import create_user
from server.tables import users


def ensure_first_users(db: Database, data_dir: Path, demo: bool = False) -> str | None:
    """Create admin + demo users in an empty database, and with `demo` the demo campaign;
    returns the login note (None if not new)."""
    with db.write() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one():
            return None
        admin_password = secrets.token_urlsafe(12)
        admin_id = create_user(
            conn, "admin", admin_password, "admin", "管理员", must_change_password=True
        )
        for username, role, name in DEMO_USERS:
            create_user(conn, username, DEMO_PASSWORD, role, name)
        if demo:
            create_demo_campaign(conn, admin_id)
    note = (
        "SeatDesk 内置服务首次启动 / first start of the built-in backend\n"
        f"管理员 admin 密码 / password: {admin_password}\n"
        f"演示账号 / demo users: {', '.join(u for u, _, _ in DEMO_USERS)}\n"
        f"演示密码 / demo password: {DEMO_PASSWORD}\n"
    )
    write_private_text(credentials_note(data_dir), note)
    return note


def credentials_note(data_dir: Path) -> Path:
    """Where the first start writes how to log in."""
    return Path(data_dir) / CREDENTIALS_FILE
