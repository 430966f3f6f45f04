"""Folders and files only their owner may read: the data folder, the databases, the note with
the generated admin password.

On POSIX the modes say so (0700 folders, 0600 files), set when the file is created, never
loosened afterwards. On Windows the per-user data folder under AppData already inherits an ACL
that only the user (and administrators) can read, so nothing is changed there.
"""

from __future__ import annotations

import os
from pathlib import Path

_POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed; on POSIX make it 0700."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    if _POSIX:
        path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if missing, readable by its owner only; an existing file is made
    private too (on POSIX, 0600)."""
    path = Path(path)
    if _POSIX:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)  # the mode above applies to a new file only
        finally:
            os.close(fd)
    else:
        path.touch(exist_ok=True)
    return path


def write_private_text(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to a file that is private from the moment it exists: the content
    is never readable by others, not even between creation and a later chmod."""
    path = private_file(path)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def private_sqlite(db_file: Path) -> None:
    """A SQLite database and its journal files private; call before SQLite first opens it
    (SQLite gives the -wal and -shm files the database file's mode)."""
    private_file(db_file)
    for suffix in ("-wal", "-shm", "-journal"):
        side = db_file.with_name(db_file.name + suffix)
        if side.exists():
            private_file(side)
