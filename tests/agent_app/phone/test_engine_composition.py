"""The engine is composed of collaborators that know nothing of it: Registration, AudioRouting
and the pjsua2 subclasses get what they need through their constructors and never import the
engine, not even for type checking (the cycle that mixins used to hide)."""

from __future__ import annotations

import ast
from pathlib import Path

PHONE = Path(__file__).resolve().parents[3] / "agent_app" / "phone"
COLLABORATORS = ("registration.py", "audio_routing.py", "sip_objects.py")


def imported_modules(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_collaborators_never_import_the_engine() -> None:
    for name in COLLABORATORS:
        tree = ast.parse((PHONE / name).read_text(encoding="utf-8"))
        modules = imported_modules(tree)
        assert "agent_app.phone.engine" not in modules, name
        assert "typing.TYPE_CHECKING" not in modules, f"{name} hides an import cycle"


def test_collaborators_call_nothing_private_on_their_owner() -> None:
    """No `self.engine._x(...)` or `owner._x`: what they may do is their hooks' public names."""
    for name in COLLABORATORS:
        tree = ast.parse((PHONE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
                owner = node.value.attr
                assert not (
                    owner in ("engine", "handler", "hooks") and node.attr.startswith("_")
                ), f"{name}:{node.lineno} reaches into {owner}.{node.attr}"
