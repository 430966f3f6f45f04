"""The guard against the binding's extra releases of None keeps the interpreter alive."""

import sys

import pytest

from agent_app.phone import binding_guard


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_low_count_is_topped_up(monkeypatch: pytest.MonkeyPatch) -> None:
    before = {name: sys.getrefcount(obj) for name, obj in (("none", None), ("false", False))}
    monkeypatch.setattr(binding_guard, "LOW_WATER", max(before.values()) + 10)
    monkeypatch.setattr(binding_guard, "TOP_UP", 1000)
    assert binding_guard.keep_none_alive() is True
    assert sys.getrefcount(None) >= before["none"] + 1000 - 50  # others drop a few meanwhile
    assert sys.getrefcount(False) >= before["false"] + 1000 - 50
    monkeypatch.setattr(binding_guard, "LOW_WATER", 10)
    assert binding_guard.keep_none_alive() is False
