"""Where SeatDesk keeps its data: the one place that knows about per-OS folders."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from common.resource_files import resources_dir

APP_NAME = "SeatDesk"
DATA_DIR_ENV = "SEATDESK_DATA_DIR"
DB_FILENAME = "seatdesk.db"
INDEX_DIRNAME = "index"

# Package data (common/resources/), found through importlib.resources.
RESOURCES_DIR = resources_dir()


def default_data_dir() -> Path:
    """The per-user data folder of the OS (%LOCALAPPDATA%\\SeatDesk on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins, then $SEATDESK_DATA_DIR, then the OS default. The folder is created."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV) or default_data_dir()
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
