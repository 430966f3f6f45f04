"""agent_app/seat is capability logic: it imports no Qt (ARCHITECTURE.md), so it runs in the
command line, the tests and any thread."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_seat_modules_import_no_qt() -> None:
    modules = sorted(
        f"agent_app.seat.{p.stem}"
        for p in (ROOT / "agent_app" / "seat").glob("*.py")
        if p.stem != "__init__"
    )
    assert {"agent_app.seat.agent_state", "agent_app.seat.call_log"} <= set(modules)
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        + "assert not qt, qt\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
