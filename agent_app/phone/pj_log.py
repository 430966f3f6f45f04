"""pjsip's log, routed into Python logging (logger "pjsip") from its very first line.

pjlib prints to the console by default, and it does so from `libCreate` on, before pjsua2's
`LogConfig.writer` exists: the first lines ("pjlib 2.15 for POSIX initialized", ...) would land
on the console of `main.py doctor` and of the app. So, before `libCreate`, pjlib's own level
and log function are set through its C API (the Linux wheel exports them); from `libInit` on
the writer below takes over. Where the C API is not exported (another wheel), the first lines
are only limited by the level, and everything after libInit still goes to the writer.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

import pjsua2 as pj

log = logging.getLogger("pjsip")

_LOG_FUNC = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
_early_func: Any = None  # kept referenced: pjlib holds a pointer to it


def python_level(pj_level: int) -> int:
    """pjlib's 0 (fatal) .. 6 (trace) on logging's scale."""
    if pj_level <= 1:
        return logging.ERROR
    if pj_level == 2:
        return logging.WARNING
    if pj_level == 3:
        return logging.INFO
    return logging.DEBUG


class PythonLogWriter(pj.LogWriter):
    """pjsua2's writer: each line becomes a record of the "pjsip" logger."""

    def write(self, entry: pj.LogEntry) -> None:
        _emit(entry.level, entry.msg)


def _emit(level: int, text: str) -> None:
    text = text.rstrip()
    if text:
        log.log(python_level(level), "%s", text)


def _early(level: int, data: bytes | None, length: int) -> None:
    if data:
        _emit(level, data[:length].decode("utf-8", "replace"))


def route_before_create(level: int) -> bool:
    """Before `libCreate`: pjlib logs at `level` at most, into Python logging. False when the
    binding does not export pjlib's log API (its first lines then use pjlib's default)."""
    global _early_func
    try:
        lib = ctypes.CDLL(pj._pjsua2.__file__)
        set_level = lib.pj_log_set_level
        set_func = lib.pj_log_set_log_func
    except (AttributeError, OSError):
        return False
    set_level.argtypes, set_level.restype = [ctypes.c_int], None
    set_func.argtypes, set_func.restype = [_LOG_FUNC], None
    if _early_func is None:
        _early_func = _LOG_FUNC(_early)
    set_level(level)
    set_func(_early_func)
    return True


def configure(cfg: pj.EpConfig, level: int, writer: PythonLogWriter) -> None:
    """From `libInit` on: every line up to `level` goes to `writer` and none to the console.
    (pjsua passes a line to the writer only up to `consoleLevel`, hence the same level.)"""
    cfg.logConfig.level = level
    cfg.logConfig.consoleLevel = level
    cfg.logConfig.writer = writer
    cfg.logConfig.decor = pj.PJ_LOG_HAS_SENDER | pj.PJ_LOG_HAS_INDENT
