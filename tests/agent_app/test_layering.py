"""The desktop app's capability logic is Qt-free, as ARCHITECTURE.md asks: only agent_app/ui/
and agent_app/qt* modules import Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_qt_free_modules_import_no_qt() -> None:
    modules = sorted(
        f"agent_app.{p.stem}"
        for p in (ROOT / "agent_app").glob("*.py")
        if not p.stem.startswith("qt") and p.stem != "__init__"
    )
    assert "agent_app.credentials" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "qt = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        + "assert not qt, qt\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
