"""Refresh the Qt Linguist files: lupdate the sources into every .ts, lrelease them into .qm.

Run after changing user-visible strings, then translate new entries in Qt Linguist
(`pyside6-linguist common/resources/translations/seatdesk_zh_CN.ts`) and run this again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "common" / "resources" / "translations"


def sources() -> list[str]:
    """The modules that may use Qt (agent_app/shell/ and each capability's qt/ and views/, as
    the layering rule says); Qt-free modules word their texts themselves (e.g.
    agent_app/phone/messages.py, whose `tr(key)` lupdate would otherwise take for Qt's)."""
    app = ROOT / "agent_app"
    files = [
        *(app / "shell").rglob("*.py"),
        *app.glob("*/qt/*.py"),
        *app.glob("*/views/*.py"),
    ]
    return sorted(p.relative_to(ROOT).as_posix() for p in files)


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(f"pyside6-{name}"))


def lupdate(ts: Path) -> None:
    subprocess.run(
        [tool("lupdate"), *sources(), "-ts", str(ts), "-no-obsolete", "-locations", "none"],
        cwd=ROOT,
        check=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], cwd=ROOT, check=True)


def main() -> None:
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        lupdate(ts)
        lrelease(ts, ts.with_suffix(".qm"))


if __name__ == "__main__":
    main()
