"""The house rules of the layout, checked on every source file's syntax tree (docs/architecture.md):

- Qt is imported only by `agent_app/shell/` and by each capability's `qt/` and `views/` folders;
- the Qt-free packages (`common/`, `kb/`, `localdb/`, `sync/`, `server/`) never import the desktop
  app, and the client never imports `server/`;
- a capability's Qt-free logic never imports its own (or anyone's) `qt/` or `views/`.

Imports inside functions and `importlib.import_module("...")` calls count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT = ("PySide6", "shiboken6")
PACKAGES = ("agent_app", "common", "kb", "localdb", "sync", "server")
QT_FREE_TOP = ("common", "kb", "localdb", "sync", "server")
# The one door from the client into server/: a workstation with no server configured runs the
# backend in-process (agent_app/shell/embedded_backend.py starts it on 127.0.0.1).
EMBEDDING = {("agent_app/shell/embedded_backend.py", "server.embedded")}


def imported_names(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def may_import_qt(parts: tuple[str, ...]) -> bool:
    """agent_app/shell/**, agent_app/<capability>/qt/** and agent_app/<capability>/views/**."""
    if parts[0] != "agent_app" or len(parts) < 3:
        return False
    return parts[1] == "shell" or (len(parts) >= 4 and parts[2] in ("qt", "views"))


def violations(path: Path, root: Path = ROOT) -> list[str]:
    parts = path.relative_to(root).with_suffix("").parts
    top = parts[0]
    qt_allowed = may_import_qt(parts)
    problems: dict[tuple[int, str], str] = {}
    for line, name in imported_names(ast.parse(path.read_text(encoding="utf-8"))):
        head = name.split(".")[0]
        where = f"{path.relative_to(root).as_posix()}:{line}: {name}"
        if head in QT and not qt_allowed:
            problems.setdefault((line, "qt"), f"{where} (Qt outside shell/, qt/ and views/)")
        elif head == "agent_app" and top in QT_FREE_TOP:
            problems.setdefault((line, "app"), f"{where} ({top}/ must not import the desktop app)")
        elif (
            head == "server"
            and top != "server"
            and (path.relative_to(root).as_posix(), name.removesuffix(".EmbeddedServer"))
            not in EMBEDDING
        ):
            problems.setdefault(
                (line, "server"), f"{where} (only server/ imports server/; share via common/)"
            )
        elif head in ("localdb", "sync") and top == "server":
            problems.setdefault(
                (line, "client"), f"{where} (the server uses not the client's database)"
            )
        elif (
            top == "agent_app"
            and not qt_allowed
            and any(p in ("qt", "views", "shell") for p in name.split(".")[1:3])
            and head == "agent_app"
        ):
            problems.setdefault(
                (line, "gui"), f"{where} (Qt-free logic imports no controller or view)"
            )
    return list(problems.values())


def source_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_the_tree_has_every_package_to_check() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in source_files()}
    for expected in (
        "agent_app/phone/engine.py",
        "agent_app/shell/app.py",
        "kb/store.py",
        "sync/worker.py",
        "server/app.py",
        "common/roles.py",
    ):
        assert expected in names


def test_every_module_keeps_the_layering_rules() -> None:
    problems = [p for path in source_files() for p in violations(path)]
    assert problems == []


@pytest.mark.parametrize(
    ("relative", "code", "expected"),
    [
        ("kb/x.py", "def f():\n    from PySide6.QtWidgets import QWidget\n", "Qt outside"),
        ("agent_app/phone/engine2.py", "import shiboken6\n", "Qt outside"),
        ("agent_app/seat/x.py", "importlib.import_module('PySide6.QtGui')\n", "Qt outside"),
        ("sync/x.py", "from agent_app.common import settings\n", "must not import the desktop"),
        ("agent_app/common/x.py", "from server.core import db\n", "only server/"),
        ("server/x.py", "import localdb.database\n", "client's database"),
        ("agent_app/seat/x.py", "from agent_app.seat.qt import seat\n", "no controller or view"),
    ],
)
def test_the_check_catches_each_kind_of_violation(
    tmp_path: Path, relative: str, code: str, expected: str
) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_text(code, encoding="utf-8")
    found = violations(path, root=tmp_path)
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize(
    "relative",
    ["agent_app/shell/app.py", "agent_app/phone/qt/phone_bar.py", "agent_app/seat/views/x.py"],
)
def test_qt_is_allowed_in_shell_controllers_and_views(tmp_path: Path, relative: str) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_text("from PySide6.QtWidgets import QWidget\n", encoding="utf-8")
    assert violations(path, root=tmp_path) == []
