"""Where the package data lives: demo knowledge base, lexicon lists and translations.

They ship inside the `common` package (`common/resources/`) and are found through
`importlib.resources`, so a source checkout, an installed wheel and a frozen bundle all have
them. Whoosh, rjieba and Qt's translator open files by path, so the folder must be a real
directory: it is in each of those three cases (a zipped import would not be, and says so).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


@functools.cache
def resources_dir() -> Path:
    """The folder holding `demo_kb/`, `kb/` and `translations/`."""
    root = resources.files("common").joinpath("resources")
    if not isinstance(root, Path) or not root.is_dir():
        raise RuntimeError(f"SeatDesk's resources are not a folder on disk: {root}")
    return root
