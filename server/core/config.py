"""Backend settings: one object, from arguments or SEATDESK_SERVER_* environment variables."""

from __future__ import annotations

from dataclasses import dataclass

from common.settings_loading import load_env
from server.core.db import PG_POOL_SIZE

ENV_PREFIX = "SEATDESK_SERVER_"


@dataclass
class ServerSettings:
    db_url: str = "sqlite:///seatdesk-server.db"
    token_ttl_s: int = 12 * 3600
    max_batch_items: int = 500
    max_body_bytes: int = 2_000_000
    # A file upload (POST /campaigns/{id}/import): 100,000 list rows are 5-10 MB of CSV.
    max_upload_bytes: int = 30_000_000
    max_text_chars: int = 20_000
    # Failed logins: each (user, address) pair gets this many free failures in a row, then
    # waits login_first_delay_s, twice that, four times ... up to login_max_delay_s between
    # attempts; each address as a whole gets login_address_free_failures, whatever the
    # usernames it tries.
    login_free_failures: int = 5
    login_address_free_failures: int = 100
    login_first_delay_s: int = 1
    login_max_delay_s: int = 300
    # Failure counts untouched this long are forgotten (and their rows deleted).
    login_failure_ttl_s: int = 3600
    changes_page_max: int = 1000
    # PostgreSQL connections each app process keeps open (readers and writers together). Keep
    # (processes of all app servers) x this under the database's max_connections.
    db_pool_size: int = PG_POOL_SIZE
    # The embedded backend's note with the generated admin password: deleted once the admin
    # has chosen a password of their own.
    first_login_file: str = ""

    @classmethod
    def from_env(cls, **overrides: object) -> ServerSettings:
        """Defaults, then SEATDESK_SERVER_<FIELD> variables, then `overrides` (None: unset).
        A wrongly typed value raises SettingsError naming the variable (the one validated
        loader, common/settings_loading.py)."""
        return load_env(cls, ENV_PREFIX, overrides)
