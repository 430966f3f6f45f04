"""Passwords (argon2), opaque expiring tokens, and roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from common.timestamps import iso, utc_now

_hasher = PasswordHasher()
# Verified against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


# The server's clock and stamps are the shared UTC helper's (common/timestamps.py).
now = utc_now
stamp = iso


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored hashed: a leaked database does not leak sessions."""
    return hashlib.sha256(token.encode()).hexdigest()


def expiry(ttl_s: int) -> str:
    return stamp(now() + timedelta(seconds=ttl_s))
