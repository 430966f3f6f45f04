"""The `doctor` subcommand's arguments; pjsua2 is imported only when the check runs."""

from __future__ import annotations

import argparse
from typing import Any


def command(args: argparse.Namespace) -> int:
    from agent_app.phone.doctor import command as run

    return run(args)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "doctor", parents=[common], help="check the backend, SIP line and audio"
    )
    parser.add_argument("--registrar", help="sip:host[:port] (default: the configured account)")
    parser.add_argument("--user", help="SIP user for --registrar")
    parser.add_argument("--password", help="SIP password for --registrar")
    parser.add_argument("--domain", help="SIP domain when it differs from the registrar")
    parser.add_argument("--transport", choices=["udp", "tcp", "tls"], default="udp")
    parser.add_argument("--echo-uri", help="call this echo service and listen for the tone")
    parser.add_argument("--server", help="backend URL (default: the configured one)")
    parser.add_argument("--no-backend", action="store_true", help="check the line only")
    parser.add_argument("--bind", default="", help="local address for SIP and RTP")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per step")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.set_defaults(func=command)
