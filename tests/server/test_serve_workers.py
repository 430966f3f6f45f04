"""`python main.py serve --workers N`: several worker processes are for PostgreSQL; a SQLite
database is refused at once with a clear message (one writer, one process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.server.support import REPO_ROOT


def test_serve_refuses_workers_with_sqlite(tmp_path: Path) -> None:
    db_file = tmp_path / "server.db"
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "main.py"), "serve", "--host", "127.0.0.1"]
        + ["--port", "0", "--db", f"sqlite:///{db_file}", "--workers", "2"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "SQLite 数据库只能由一个服务进程使用" in done.stderr
    assert "drop --workers or use PostgreSQL" in done.stderr
