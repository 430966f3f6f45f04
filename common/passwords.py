"""The rules a new password must meet, in one place: the server enforces them (its input
schemas and `users` CLI), and the desktop app states them and checks them before it asks."""

from __future__ import annotations

MIN_LENGTH = 8  # characters, after outer spaces are dropped (the server drops them)
MAX_LENGTH = 256


def too_short(password: str) -> bool:
    """What the server will refuse for length: it counts the password without outer spaces."""
    return len(password.strip()) < MIN_LENGTH
