"""kb/ and server/ never import Qt: the core must run where no GUI can (server, CLI, tests)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers.kb_helpers import REPO_ROOT, cli_env

QT_PACKAGES = ("PySide6", "shiboken6")
CORE_PACKAGES = ("kb", "server")


def test_importing_every_kb_module_loads_no_qt() -> None:
    script = textwrap.dedent(
        """
        import importlib, json, pkgutil, sys
        import kb
        names = ["kb"]
        for info in pkgutil.walk_packages(kb.__path__, prefix="kb."):
            importlib.import_module(info.name)
            names.append(info.name)
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
        print(json.dumps({"imported": names, "qt": qt}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"kb.store", "kb.search_index", "kb.cli", "kb.importer"} <= set(result["imported"])
    assert result["qt"] == []


def _python_files() -> list[Path]:
    files = []
    for package in CORE_PACKAGES:
        files += sorted((REPO_ROOT / package).rglob("*.py"))
    return files


def _qt_imports(path: Path, root: Path = REPO_ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        for name in names:
            if name.split(".")[0] in QT_PACKAGES:
                found.append(f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}: {name}")
    return sorted(found, key=lambda f: int(f.split(":")[1]))


def test_there_are_core_files_to_check() -> None:
    files = [p.relative_to(REPO_ROOT).as_posix() for p in _python_files()]
    assert "kb/store.py" in files and "kb/knowledge_base.py" in files


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_no_qt_import_in_source(path: Path) -> None:
    assert _qt_imports(path) == []


def test_the_static_check_catches_qt_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "import PySide6.QtCore\n"
        "from shiboken6 import isValid\n"
        "def f():\n"
        "    from PySide6.QtWidgets import QWidget\n"
        "    importlib.import_module('PySide6.QtGui')\n",
        encoding="utf-8",
    )
    found = _qt_imports(sample, root=tmp_path)
    assert [f.split(": ")[1] for f in found] == [
        "PySide6.QtCore",
        "shiboken6",
        "PySide6.QtWidgets",
        "PySide6.QtGui",
    ]
