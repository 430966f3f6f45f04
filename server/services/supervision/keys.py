"""The Ed25519 key that signs monitor grants: made at the first start of a database and kept
in it (table server_secrets), so every app server on one PostgreSQL signs with the same key and
a seat verifies any grant with the one public key. Never logged, never sent; only the public
half leaves the server (GET /supervision/public-key)."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common.monitor_grants import generate_private_key, private_key_from_pem, private_key_to_pem
from server.core.db import Database
from server.core.security import stamp
from server.core.statements import insert_missing
from server.tables import server_secrets

KEY_NAME = "monitor_grant_key"


class GrantKey:
    """The database's signing key, read (or made) once per process."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._key: Ed25519PrivateKey | None = None
        self._lock = threading.Lock()

    def private_key(self) -> Ed25519PrivateKey:
        with self._lock:
            if self._key is None:
                self._key = _load_or_make(self._db)
            return self._key


def _load_or_make(db: Database) -> Ed25519PrivateKey:
    with db.write() as conn:
        # First writer wins: two app servers starting together keep the same key.
        insert_missing(
            conn,
            server_secrets,
            {
                "name": KEY_NAME,
                "value": private_key_to_pem(generate_private_key()),
                "created_at": stamp(),
            },
            ("name",),
        )
        pem = conn.execute(
            sa.select(server_secrets.c.value).where(server_secrets.c.name == KEY_NAME)
        ).scalar_one()
    return private_key_from_pem(pem)
