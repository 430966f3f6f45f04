"""First start of an embedded backend: an admin and demo users, and how to log in."""

from __future__ import annotations

import secrets
from pathlib import Path

import sqlalchemy as sa

from common.demo_accounts import CREDENTIALS_FILE, DEMO_PASSWORD, DEMO_USERS
from server.core.db import Database
from server.tables import users
from server.users_service import create_user


def ensure_first_users(db: Database, data_dir: Path) -> str | None:
    """Create admin + demo users in an empty database; returns the login note (None if not new)."""
    with db.write() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one():
            return None
        admin_password = secrets.token_urlsafe(12)
        create_user(conn, "admin", admin_password, "admin", "管理员")
        for username, role, name in DEMO_USERS:
            create_user(conn, username, DEMO_PASSWORD, role, name)
    note = (
        "SeatDesk 内置服务首次启动 / first start of the built-in backend\n"
        f"管理员 admin 密码 / password: {admin_password}\n"
        f"演示账号 / demo users: {', '.join(u for u, _, _ in DEMO_USERS)}\n"
        f"演示密码 / demo password: {DEMO_PASSWORD}\n"
    )
    path = Path(data_dir) / CREDENTIALS_FILE
    path.write_text(note, encoding="utf-8")
    return note
