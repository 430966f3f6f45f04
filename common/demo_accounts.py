"""The demo users an embedded backend creates on first start (importable without the server)."""

from __future__ import annotations

DEMO_PASSWORD = "seatdesk-demo"
DEMO_USERS = (
    ("agent", "agent", "座席代表（演示）"),
    ("leader", "team_leader", "班长（演示）"),
    ("supervisor", "supervisor", "业务主管（演示）"),
    ("trainer", "trainer", "培训师（演示）"),
    ("manager", "manager", "呼叫中心经理（演示）"),
)
CREDENTIALS_FILE = "first-login.txt"
