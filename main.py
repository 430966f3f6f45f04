"""SeatDesk entry point: no arguments starts the desktop app; subcommands do the rest."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    from agent_app.phone import doctor_cli
    from kb import cli as kb_cli
    from server import cli as server_cli

    # --data-dir works before or after the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="data folder (default: the per-user data folder; env SEATDESK_DATA_DIR)",
    )
    common.add_argument("--lang", default=argparse.SUPPRESS, choices=["zh_CN", "en"])
    parser = argparse.ArgumentParser(
        prog="seatdesk", description="SeatDesk 坐席台", parents=[common]
    )
    sub = parser.add_subparsers(dest="command")
    app = sub.add_parser("app", parents=[common], help="start the desktop app (default)")
    app.set_defaults(func=None)
    kb_cli.register(sub, common)
    server_cli.register(sub, common)
    doctor_cli.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if getattr(args, "lang", None):
        from common.texts import set_language

        set_language(args.lang)
    func = getattr(args, "func", None)
    if func is None:
        from agent_app.shell.app import run_app

        return run_app(data_dir=getattr(args, "data_dir", None), lang=getattr(args, "lang", None))
    return int(func(args))


if __name__ == "__main__":
    sys.exit(main())
