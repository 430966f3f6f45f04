"""PostgreSQL for tests: the server's URL from SEATDESK_TEST_PG_URL, and fresh empty databases.

`./test` starts a private cluster (tools/postgres.sh) and sets SEATDESK_TEST_PG_URL when run as
root. Without it the PostgreSQL tests are skipped on a developer's machine and fail in CI
(CI=true): CI must never silently skip them.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from tests.helpers.waiting import wait_until

ENV_VAR = "SEATDESK_TEST_PG_URL"


def pg_url() -> str:
    """The PostgreSQL URL the tests may use; skip (or fail under CI) when none is configured."""
    url = os.environ.get(ENV_VAR, "").strip()
    if url:
        return url
    reason = (
        f"{ENV_VAR} is not set: run ./test as root (it starts a private PostgreSQL), or "
        f"start one with tools/postgres.sh start DIR PORT and export {ENV_VAR}=<its URL>"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def _psycopg_url(url: str) -> str:
    """psycopg wants postgresql://; SQLAlchemy URLs may say postgresql+psycopg://."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


@contextlib.contextmanager
def fresh_database(base_url: str | None = None, prefix: str = "seatdesk_t") -> Iterator[str]:
    """A new, empty database for the duration of the block; yields its URL, drops it after.

    Creates a uniquely named database when the role may (CREATEDB, as tools/postgres.sh sets
    up); otherwise falls back to a fresh schema in the given database, selected through the
    URL's `options=-csearch_path=...`.
    """
    import psycopg
    from psycopg import sql

    url = _psycopg_url(base_url or pg_url())
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            use_schema = False
        except psycopg.errors.InsufficientPrivilege:
            admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
            use_schema = True
    try:
        if use_schema:
            sep = "&" if "?" in url else "?"
            yield f"{url}{sep}options={quote(f'-csearch_path={name}')}"
        else:
            yield _with_database(url, name)
    finally:
        if use_schema:
            drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
        else:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")

        # FORCE may only end our own role's sessions: a session of another role (a superuser
        # looking at the shared cluster while parallel runs go on) makes the drop fail with
        # InsufficientPrivilege until it leaves, so try again for a while before failing.
        def dropped() -> bool:
            try:
                with psycopg.connect(url, autocommit=True) as admin:
                    admin.execute(drop.format(sql.Identifier(name)))
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
                return False
            return True

        wait_until(dropped, 30, f"database {name} dropped", interval=0.5)


def backend_url(backend: str, sqlite_file: Path) -> contextlib.AbstractContextManager[str]:
    """The URL of an empty database of `backend` ("sqlite" or "postgresql") for the block: the
    SQLite file `sqlite_file` (left to the test's folder), or a fresh PostgreSQL database that
    is dropped after it."""
    if backend == "sqlite":
        return contextlib.nullcontext(f"sqlite:///{sqlite_file}")
    return fresh_database()
