"""Remembered passwords, kept only in the OS's secure store (Windows Credential Manager, macOS
Keychain, Secret Service) through `keyring`; never in settings or any file of ours.

Every call may block (D-Bus, a locked keychain): call from a background operation.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)
SERVICE = "SeatDesk"
# Backends that store nothing, or store it in plain files: not a safe place for a password.
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def credential_key(server_url: str, username: str) -> str:
    """'<server or embedded>/<username>': one entry per user and backend."""
    return f"{server_url.strip().rstrip('/') or 'embedded'}/{username}"


def _backend() -> KeyringBackend | None:
    backend = keyring.get_keyring()
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return None
    return backend


def secure_storage_available() -> bool:
    try:
        return _backend() is not None
    except Exception:  # a broken backend is no backend
        log.warning("keyring backend unusable", exc_info=True)
        return False


def save_password(server_url: str, username: str, password: str) -> bool:
    """Keep the password in the secure store; False (nothing kept) when there is none."""
    try:
        backend = _backend()
        if backend is None:
            return False
        backend.set_password(SERVICE, credential_key(server_url, username), password)
        return True
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        log.warning("the password could not be kept in the keyring", exc_info=True)
        return False


def load_password(server_url: str, username: str) -> str | None:
    try:
        backend = _backend()
        if backend is None:
            return None
        return backend.get_password(SERVICE, credential_key(server_url, username))
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        log.warning("the keyring could not be read", exc_info=True)
        return None


def forget_password(server_url: str, username: str) -> None:
    try:
        backend = _backend()
        if backend is not None:
            backend.delete_password(SERVICE, credential_key(server_url, username))
    except keyring.errors.PasswordDeleteError:
        pass  # nothing was kept
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        log.warning("the keyring entry could not be removed", exc_info=True)
