"""SIP account passwords in the OS's secure store (credentials.py), keyed by the account's id,
so editing the user or domain keeps the password. Never in settings.json.

Every call may block on the keyring: call from a background operation.
"""

from __future__ import annotations

import copy

from agent_app.common import credentials
from agent_app.phone.config import PhoneConfig

_SERVICE_PREFIX = "sip"  # keys read 'sip/<account id>', apart from the backend's URLs


def save_password(account_id: str, password: str) -> bool:
    return credentials.save_password(_SERVICE_PREFIX, account_id, password)


def load_password(account_id: str) -> str | None:
    return credentials.load_password(_SERVICE_PREFIX, account_id)


def forget_password(account_id: str) -> None:
    credentials.forget_password(_SERVICE_PREFIX, account_id)


def with_passwords(config: PhoneConfig) -> PhoneConfig:
    """A copy of `config` whose accounts carry their kept passwords ('' when none is kept)."""
    filled = copy.deepcopy(config)
    for account in filled.accounts:
        if not account.password:
            account.password = load_password(account.id) or ""
    return filled
