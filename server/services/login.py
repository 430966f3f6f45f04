"""Logging in and out, and changing one's own password.

Failed logins are slowed per (username, source address) and per address: an attacker guessing
from one address locks out only themselves, never the real user at their own PC. An attempt is
counted as a failure *before* its password is checked, in the same transaction that checks the
delay, so parallel guesses cannot all slip through while the first ones are being verified; a
correct password then takes its count back.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from server.core.config import ServerSettings
from server.core.db import Database
from server.core.identity import CurrentUser
from server.core.security import (
    expiry,
    hash_password,
    new_token,
    now,
    stamp,
    token_digest,
    verify_password,
)
from server.core.statements import insert_missing
from server.schemas import LoginOut, UserOut
from server.services.errors import BadRequest, TooManyRequests, Unauthorized
from server.tables import login_failures, tokens, users

log = logging.getLogger(__name__)
BAD_LOGIN = "wrong username or password / 用户名或密码错误"
ADDRESS_WIDE = ""  # the username of an address's own row (a login's username is never empty)


def delay_s(failures: int, free: int, first: int, cap: int) -> int:
    """Seconds to wait before the next attempt after `failures` in a row: none for the first
    `free`, then `first`, doubling, at most `cap`."""
    if failures == 0 or failures < free:
        return 0
    return int(min(cap, first * 2 ** min(failures - free, 32)))


def _retry_after(row: Any, free: int, settings: ServerSettings, moment: datetime) -> int:
    """Seconds this counter must still wait; 0 when an attempt may be made now."""
    wait = delay_s(row.failures, free, settings.login_first_delay_s, settings.login_max_delay_s)
    elapsed = (moment - datetime.fromisoformat(row.last_failure_at)).total_seconds()
    return 0 if elapsed >= wait else max(1, int(wait - elapsed + 0.999))


def _reserve(db: Database, settings: ServerSettings, username: str, address: str) -> None:
    """Count this attempt as a failure now, or refuse it (429) if its user or its address
    must still wait. One transaction: concurrent attempts queue on the counters' rows."""
    moment = now()
    counters = (
        ((ADDRESS_WIDE, address), settings.login_address_free_failures),
        ((username, address), settings.login_free_failures),
    )
    forget_before = stamp(
        moment - timedelta(seconds=max(settings.login_failure_ttl_s, settings.login_max_delay_s))
    )
    with db.write() as conn:
        # Keep the table small: counts nobody has added to for a while are forgotten.
        conn.execute(
            login_failures.delete().where(login_failures.c.last_failure_at < forget_before)
        )
        retry = 0
        for (name, addr), _free in counters:  # always the address row first: no deadlock
            insert_missing(
                conn,
                login_failures,
                {
                    "username": name,
                    "address": addr,
                    "failures": 0,
                    "last_failure_at": stamp(moment),
                },
                ("username", "address"),
            )
        for (name, addr), free in counters:
            row = conn.execute(
                sa.select(login_failures)
                .where(login_failures.c.username == name)
                .where(login_failures.c.address == addr)
                .with_for_update()
            ).one()
            retry = max(retry, _retry_after(row, free, settings, moment))
        if retry:
            raise TooManyRequests(
                f"too many failed logins; try again in {retry} s / 登录失败次数过多，请 {retry} 秒后再试",
                headers={"Retry-After": str(retry)},
            )
        for (name, addr), _free in counters:
            conn.execute(
                login_failures.update()
                .where(login_failures.c.username == name)
                .where(login_failures.c.address == addr)
                .values(failures=login_failures.c.failures + 1, last_failure_at=stamp(moment))
            )


def _succeeded(conn: sa.Connection, username: str, address: str) -> None:
    """A right password: the pair's count starts again, and the address gets its try back."""
    conn.execute(
        login_failures.delete()
        .where(login_failures.c.username == username)
        .where(login_failures.c.address == address)
    )
    conn.execute(
        login_failures.update()
        .where(login_failures.c.username == ADDRESS_WIDE)
        .where(login_failures.c.address == address)
        .where(login_failures.c.failures > 0)
        .values(failures=login_failures.c.failures - 1)
    )


def login(
    db: Database, settings: ServerSettings, username: str, password: str, address: str
) -> LoginOut:
    _reserve(db, settings, username, address)
    with db.read() as conn:
        user = conn.execute(sa.select(users).where(users.c.username == username)).first()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or user.disabled:
        # A disabled account answers exactly like a wrong password: the reply must not tell
        # a guesser that the password was right.
        raise Unauthorized(BAD_LOGIN)
    token = new_token()
    expires = expiry(settings.token_ttl_s)
    with db.write() as conn:
        _succeeded(conn, username, address)
        conn.execute(
            tokens.insert().values(
                token_hash=token_digest(token),
                user_id=user.id,
                created_at=stamp(),
                expires_at=expires,
            )
        )
    return LoginOut(
        token=token,
        expires_at=expires,
        user=UserOut(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            disabled=bool(user.disabled),
        ),
        must_change_password=bool(user.must_change_password),
    )


def logout(db: Database, user: CurrentUser, token: str) -> None:
    with db.write() as conn:
        conn.execute(
            tokens.update()
            .where(tokens.c.token_hash == token_digest(token))
            .where(tokens.c.user_id == user.id)
            .values(revoked_at=stamp())
        )


def change_password(
    db: Database,
    settings: ServerSettings,
    user: CurrentUser,
    token: str,
    old_password: str,
    new_password: str,
) -> None:
    """Replace the caller's password: their other sessions end, this one goes on. Once the
    first administrator has chosen their own, the note with the generated one is deleted."""
    with db.read() as conn:
        stored = conn.execute(
            sa.select(users.c.password_hash).where(users.c.id == user.id)
        ).scalar_one()
    if not verify_password(stored, old_password):
        raise Unauthorized("the current password is wrong / 当前密码不正确")
    if old_password == new_password:
        raise BadRequest("choose a new password / 新密码不能与当前密码相同")
    with db.write() as conn:
        conn.execute(
            users.update()
            .where(users.c.id == user.id)
            .values(password_hash=hash_password(new_password), must_change_password=False)
        )
        conn.execute(
            tokens.update()
            .where(tokens.c.user_id == user.id)
            .where(tokens.c.token_hash != token_digest(token))
            .where(tokens.c.revoked_at.is_(None))
            .values(revoked_at=stamp())
        )
    if user.must_change_password and settings.first_login_file:
        note = Path(settings.first_login_file)
        try:
            note.unlink(missing_ok=True)
        except OSError:
            log.warning("could not delete %s", note.name, exc_info=True)
