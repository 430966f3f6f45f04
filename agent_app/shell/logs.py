"""The app's one logger setup: a rotating log file in the data folder (a windowed Windows build
has no console, so stderr alone loses everything) plus stderr; and a marker file that tells the
next start whether this run ended cleanly, so a crash's log can be offered then."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_DIRNAME = "logs"
LOG_FILENAME = "seatdesk.log"
RUNNING_MARKER = "seatdesk.running"  # present while the app runs; left behind by a crash
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
_OURS = "seatdesk_handler"  # marks the handlers this module added, so setup can run again


def log_folder(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIRNAME


def log_file(data_dir: Path) -> Path:
    return log_folder(data_dir) / LOG_FILENAME


def setup_logging(data_dir: Path, level: int = logging.INFO, stderr: bool = True) -> Path:
    """Log to `<data>/logs/seatdesk.log` (rotated at 2 MB, 5 kept) and to stderr; the file's path.
    Calling it again (a test, a second window) replaces the handlers it added before."""
    folder = log_folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(FORMAT)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            folder / LOG_FILENAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    ]
    if stderr:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(level)
    return folder / LOG_FILENAME


def stop_logging() -> None:
    """Close the handlers setup_logging added (the file is released)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()


def mark_running(data_dir: Path) -> bool:
    """Note that the app runs now; True when the last run did not end cleanly (its marker is
    still there: a crash, a kill, a power cut)."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    marker = Path(data_dir) / RUNNING_MARKER
    crashed = marker.exists()
    marker.write_text("running\n", encoding="utf-8")
    return crashed


def mark_stopped(data_dir: Path) -> None:
    """The app ends cleanly: the next start offers no crash log."""
    (Path(data_dir) / RUNNING_MARKER).unlink(missing_ok=True)


def log_tail(data_dir: Path, lines: int = 80) -> str:
    """The last `lines` lines of the log (the crash is at its end)."""
    path = log_file(data_dir)
    try:
        with path.open("rb") as stream:
            stream.seek(0, 2)
            size = stream.tell()
            stream.seek(max(0, size - 64 * 1024))
            text = stream.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
