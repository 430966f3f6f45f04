"""A guard against a reference-count bug in the pjsua2 Python binding.

Measured here with pjsua2-python 2.15.1 on CPython 3.11: wrapped calls that return nothing or
a bool (`AudioMedia.startTransmit`/`stopTransmit`, `Endpoint.codecEnum2`, ...) release
references to `None`, `True` and `False` that they never took. Those are ordinary objects
before Python 3.12, so their counts fall with every call until one reaches zero and the
interpreter aborts ("Fatal Python error: none_dealloc" / "bool_dealloc"); the call-set-up
benchmark hit both within a few hundred calls. From 3.12 on they are immortal and the bug is
harmless.

The guard tops a count up when it runs low. It is checked on every engine poll (three
`sys.getrefcount`), and before and after every other engine entry point that calls the binding
(`guarded`): start, shutdown, re-login and settings changes run outside polls, and a process
that logs in and out without a poll in between would otherwise never be topped up. It does
nothing on interpreters where these objects are immortal.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

LOW_WATER = 1 << 20
TOP_UP = 1 << 24
_MORTAL_NONE = sys.version_info < (3, 12)


_SINGLETONS = (None, True, False)
P = ParamSpec("P")
R = TypeVar("R")


def keep_none_alive() -> bool:
    """Raise the reference counts the leaky binding has run low; True when it did."""
    if not _MORTAL_NONE:
        return False
    topped = False
    for obj in _SINGLETONS:
        if sys.getrefcount(obj) <= LOW_WATER:
            # ob_refcnt is the first field of every object in CPython (Include/object.h).
            ctypes.c_ssize_t.from_address(id(obj)).value += TOP_UP
            topped = True
    return topped


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap an entry point that calls the binding: the counts are made good on the way in and
    on the way out (also when it raises), whatever it called in between."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        keep_none_alive()
        try:
            return func(*args, **kwargs)
        finally:
            keep_none_alive()

    return wrapper
