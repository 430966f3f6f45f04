"""Backend settings: one object, from arguments or SEATDESK_SERVER_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass
class ServerSettings:
    db_url: str = "sqlite:///seatdesk-server.db"
    token_ttl_s: int = 12 * 3600
    max_batch_items: int = 500
    max_body_bytes: int = 2_000_000
    max_text_chars: int = 20_000
    login_free_failures: int = 5  # failures allowed before logins for that user are slowed
    login_max_delay_s: int = 300
    changes_page_max: int = 1000

    @classmethod
    def from_env(cls, **overrides: object) -> ServerSettings:
        settings = cls()
        for name in ("db_url", "token_ttl_s"):
            value = os.environ.get(f"SEATDESK_SERVER_{name.upper()}")
            if value:
                setattr(settings, name, type(getattr(settings, name))(value))
        for key, override in overrides.items():
            if override is not None:
                setattr(settings, key, override)
        return settings
