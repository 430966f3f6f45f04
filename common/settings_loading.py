"""The one validated loader of settings: the desktop app's settings file, the phone's section
of it, and the server's SEATDESK_SERVER_* environment variables all go through here.

Types come from the settings class's annotations (a dataclass or a pydantic model) and are
checked by pydantic. Two ways to meet a wrong value:
- `load_strict` raises SettingsError naming the setting, what it must be and what it got
  (the server: a misconfigured service must not start on a guess);
- `load_lenient` drops each wrong value with a logged warning and keeps its default (the
  desktop: a hand-edited settings file must not stop an agent's workstation from starting).
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

T = TypeVar("T")
MAX_REPAIRS = 50  # each round drops at least one wrong value; a settings file has fewer


class SettingsError(ValueError):
    """Settings that cannot be used; the message names each wrong one (Chinese / English)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listing = "; ".join(problems)
        super().__init__(
            f"设置无效（{source}）：{listing} / invalid settings in {source}: {listing}"
        )


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _validate(cls: type[T], data: Any) -> T:
    adapter = _ADAPTERS.get(cls)
    if adapter is None:  # building one costs milliseconds: once per settings class
        adapter = _ADAPTERS[cls] = TypeAdapter(cls)
    return cast(T, adapter.validate_python(data))


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(root)"


def describe(exc: ValidationError, names: Mapping[str, str] | None = None) -> list[str]:
    """One line per wrong value: '<setting>: <what is wrong> (got <value>)'. `names` renames
    top-level settings (an environment variable for a field)."""
    lines = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        where = _where(loc)
        if names and loc and str(loc[0]) in names:
            where = names[str(loc[0])] + where[len(str(loc[0])) :]
        lines.append(f"{where}: {error['msg']} (got {error['input']!r})")
    return lines


def load_strict(cls: type[T], data: Mapping[str, Any], source: str) -> T:
    """`cls` built from `data` (unknown keys ignored); SettingsError for any wrong value."""
    try:
        return _validate(cls, dict(data))
    except ValidationError as exc:
        raise SettingsError(source, describe(exc)) from None


def load_lenient(cls: type[T], data: Mapping[str, Any], source: str, log: logging.Logger) -> T:
    """`cls` built from `data`, each wrong value replaced by its default (with a warning)."""
    values: Any = copy.deepcopy(dict(data))
    for _ in range(MAX_REPAIRS):
        try:
            return _validate(cls, values)
        except ValidationError as exc:
            for line in describe(exc):
                log.warning("%s: %s; the default is used", source, line)
            if not any(_drop(values, tuple(e["loc"])) for e in exc.errors()):
                break
    log.warning("%s: unusable; defaults are used", source)
    return _validate(cls, {})


def _drop(values: Any, loc: tuple[int | str, ...]) -> bool:
    """Remove the value at `loc`, or the value on its path that is not a container (a union's
    error adds the member type to the path); True when something was removed."""
    node = values
    for i, part in enumerate(loc):
        try:
            child = node[part]
        except (KeyError, IndexError, TypeError):
            return False
        if i == len(loc) - 1 or not isinstance(child, dict | list):
            del node[part]
            return True
        node = child
    return False


def field_names(cls: type[Any]) -> list[str]:
    if is_dataclass(cls):
        return [f.name for f in fields(cls)]
    if issubclass(cls, BaseModel):
        return list(cls.model_fields)
    raise TypeError(f"{cls!r} is neither a dataclass nor a pydantic model")


def load_env(cls: type[T], prefix: str, overrides: Mapping[str, object] | None = None) -> T:
    """Defaults, then `<prefix><FIELD>` environment variables, then `overrides` (None: unset);
    SettingsError naming the variable for any wrong value."""
    data: dict[str, Any] = {}
    names: dict[str, str] = {}
    for name in field_names(cls):
        variable = f"{prefix}{name.upper()}"
        value = os.environ.get(variable)
        if value:
            data[name] = value
            names[name] = variable
    for key, override in (overrides or {}).items():
        if override is not None:
            data[key] = override
            names.pop(key, None)
    try:
        return _validate(cls, data)
    except ValidationError as exc:
        raise SettingsError("environment", describe(exc, names)) from None
