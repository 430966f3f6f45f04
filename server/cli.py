"""`python main.py serve` and `python main.py users ...`: the standalone backend and its users."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import socket
import sys

import sqlalchemy as sa
from uvicorn.protocols.http.auto import AutoHTTPProtocol

from common.roles import ROLES
from server.core.config import ServerSettings
from server.core.db import PG_POOL_SIZE, Database
from server.core.private_files import private_dir, private_sqlite
from server.core.text_rules import printable
from server.services.users import UserExists, create_user, update_user, user_id_by_name
from server.tables import users


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    db_help = "database URL: sqlite:///path.db or postgresql://user:pass@host/db"
    p = subparsers.add_parser("serve", parents=[common], help="run the backend / 运行后端服务")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--db", default=None, help=db_help)
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (PostgreSQL only: SQLite has one writer, one process) / 工作进程数",
    )
    p.set_defaults(func=cmd_serve)

    # --db works before or after the users subcommand (`users add NAME --db URL`, as the
    # README shows): SUPPRESS keeps a later default from overwriting an earlier value.
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    u = subparsers.add_parser("users", parents=[common, db_option], help="manage users / 用户管理")
    us = u.add_subparsers(dest="users_command", required=True)
    add = us.add_parser("add", parents=[common, db_option])
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", default="")
    add.add_argument("--password", help="prompted when not given")
    add.set_defaults(func=cmd_add)
    for name, func in (("disable", cmd_disable), ("enable", cmd_enable), ("passwd", cmd_passwd)):
        p = us.add_parser(name, parents=[common, db_option])
        p.add_argument("username")
        if name == "passwd":
            p.add_argument("--password")
        p.set_defaults(func=func)
    ls = us.add_parser("list", parents=[common, db_option])
    ls.set_defaults(func=cmd_list)

    from server.services.outbound import cli as campaign_cli  # `campaign import`

    campaign_cli.register(subparsers, [common, db_option])

    from kb import cli as kb_cli
    from server.services.outbound.demo import remove_demo_campaign_in

    # `kb remove-demo` removes the built-in backend's demo campaign too (issue 11, #14).
    if remove_demo_campaign_in not in kb_cli.DEMO_PARTS:
        kb_cli.DEMO_PARTS.append(remove_demo_campaign_in)


def _db(args: argparse.Namespace, pool_size: int = PG_POOL_SIZE) -> Database:
    url = getattr(args, "db", None)
    if not url:
        from kb.paths import resolve_data_dir
        from server.embedded import SERVER_DB_FILE

        url = str(private_dir(resolve_data_dir(getattr(args, "data_dir", None))) / SERVER_DB_FILE)
    db = Database(url, pool_size)
    if db.sqlite_file is not None:
        db.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        private_sqlite(db.sqlite_file)
    db.migrate()
    return db


class NoDelayHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's HTTP protocol with Nagle's algorithm off on every connection.

    With --workers, uvicorn binds the listening socket itself with protocol number 0, and
    asyncio then leaves TCP_NODELAY unset on the connections it accepts: a response written
    in two parts waited for the client's delayed ACK, ~40 ms (GET /changes p50 48 ms with 2
    workers, 10 ms with 1; issue 11, point 19). One worker listens through asyncio, which
    sets it; setting it here too costs nothing.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def _check_connection_budget(db: Database, connections: int) -> None:
    """Warn when this server's pools alone could take more connections than PostgreSQL
    allows: the last requests would fail with "too many clients" under load."""
    if db.is_sqlite:
        return
    with db.read() as conn:
        allowed = int(conn.execute(sa.text("SHOW max_connections")).scalar_one())
        reserved = int(conn.execute(sa.text("SHOW superuser_reserved_connections")).scalar_one())
    if connections > allowed - reserved:
        print(
            f"警告：本服务最多会打开 {connections} 个数据库连接（进程数 × "
            f"SEATDESK_SERVER_DB_POOL_SIZE），而 PostgreSQL 只允许 {allowed - reserved} 个；"
            "请减少 --workers 或连接池大小，或提高 max_connections。 / "
            f"warning: this server may open {connections} database connections (processes x "
            f"SEATDESK_SERVER_DB_POOL_SIZE) but PostgreSQL allows {allowed - reserved}; use "
            "fewer --workers or a smaller pool, or raise max_connections.",
            file=sys.stderr,
            flush=True,
        )


# On stop, requests still running after this are cancelled: the supervisors' board streams
# never end by themselves (server/api/routes/supervision.py), and uvicorn would wait for them.
GRACEFUL_SHUTDOWN_S = 5


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app

    pool_size = ServerSettings.from_env().db_pool_size
    db = _db(args, pool_size)  # migrated once here, before any worker starts
    if args.workers > 1 and db.is_sqlite:
        # Each process would keep its own write lock and caches over one file: writers would
        # wait on SQLite's busy timeout instead of queueing, and nothing would run faster.
        db.dispose()
        print(
            "错误：SQLite 数据库只能由一个服务进程使用，请去掉 --workers，或改用 PostgreSQL。 / "
            "error: a SQLite database is served by one process; drop --workers or use "
            "PostgreSQL.",
            file=sys.stderr,
            flush=True,
        )
        return 2
    _check_connection_budget(db, max(1, args.workers) * pool_size)
    if args.workers > 1:
        # Worker processes build their own app from the environment (see create_app_from_env).
        os.environ["SEATDESK_SERVER_DB_URL"] = db.url
        db.dispose()
        uvicorn.run(
            "server.app:create_app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="info",
            http=NoDelayHTTPProtocol,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        )
        return 0
    settings = ServerSettings.from_env(db_url=db.url)
    uvicorn.run(
        create_app(settings, db),
        host=args.host,
        port=args.port,
        log_level="info",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    return 0


def _password(given: str | None) -> str:
    if given:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("密码 / password: ")


def cmd_add(args: argparse.Namespace) -> int:
    db = _db(args)
    password = _password(args.password)
    try:
        with db.write() as conn:
            create_user(conn, args.username, password, args.role, args.name)
    except UserExists:
        print(f"用户已存在 / user exists: {printable(args.username)}", file=sys.stderr)
        return 1
    except ValueError as exc:  # the same rules as the API: username, password length
        print(exc, file=sys.stderr)
        return 2
    print(f"已创建 / created: {printable(args.username)} ({args.role})")
    return 0


def _change(args: argparse.Namespace, **values: object) -> int:
    db = _db(args)
    try:
        with db.write() as conn:
            user_id = user_id_by_name(conn, args.username)
            if user_id is None:
                print(f"用户不存在 / no such user: {printable(args.username)}", file=sys.stderr)
                return 1
            update_user(conn, user_id, **values)  # type: ignore[arg-type]
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已更新 / updated: {printable(args.username)}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    return _change(args, disabled=True)


def cmd_enable(args: argparse.Namespace) -> int:
    return _change(args, disabled=False)


def cmd_passwd(args: argparse.Namespace) -> int:
    return _change(args, password=_password(args.password))


def cmd_list(args: argparse.Namespace) -> int:
    db = _db(args)
    with db.read() as conn:
        for row in conn.execute(sa.select(users).order_by(users.c.id)):
            state = "停用 disabled" if row.disabled else "启用 active"
            # Names are shown escaped: a stored control or bidi character must not rewrite
            # the terminal line (or the lines around it).
            name, display = printable(row.username), printable(row.display_name)
            print(f"{row.id:4}  {name:20} {row.role:12} {state}  {display}")
    return 0
