"""Looking up the registrar's host name off the polling thread.

pjsip, with no DNS servers of its own (see dns_servers.py), resolves every request's target
with getaddrinfo() on the thread that polls it: the GUI thread. So when an account names its
registrar by host name, the engine looks the name up on a worker thread first (the system's
resolver: hosts file, DNS, the OS cache) and sends the account's requests to the address it
found, as an outbound proxy; the SIP domain in the URIs stays the name. TLS keeps the name,
because the server's certificate is checked against it: there the lookup only finds out early
whether the name resolves, and fills the OS's DNS cache (Windows keeps one) for pjsip's own
lookup. With DNS servers configured, pjsip's resolver is asynchronous and does the work.
"""

from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import Future, ThreadPoolExecutor

from agent_app.phone.config import AccountConfig

DEFAULT_PORTS = {"udp": 5060, "tcp": 5060, "tls": 5061}


def registrar_host(config: AccountConfig) -> tuple[str, int]:
    """(host, port) of the account's registrar URI."""
    uri = config.registrar or f"sip:{config.domain}"
    rest = uri.split(":", 1)[1] if uri.lower().startswith(("sip:", "sips:")) else uri
    rest = rest.split(";", 1)[0].split("@")[-1]
    if rest.startswith("["):  # [IPv6]:port
        host, _, tail = rest[1:].partition("]")
        port = tail.lstrip(":")
    else:
        host, _, port = rest.partition(":")
    return host, int(port) if port.isdigit() else DEFAULT_PORTS.get(config.transport, 5060)


def needs_lookup(config: AccountConfig) -> bool:
    if not config.register or config.outbound_proxy:
        return False
    host, _ = registrar_host(config)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(host)
    return False


def proxy_for(address: str, port: int, transport: str) -> str:
    host = f"[{address}]" if ":" in address else address
    suffix = "" if transport == "udp" else f";transport={transport}"
    return f"sip:{host}:{port}{suffix};lr"


class HostLookup:
    """One worker thread for name lookups; results are picked up by the polling thread."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, host: str, port: int, transport: str) -> Future[str]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sip-lookup")
        kind = socket.SOCK_DGRAM if transport == "udp" else socket.SOCK_STREAM
        return self._pool.submit(_first_address, host, port, kind)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _first_address(host: str, port: int, kind: int) -> str:
    infos = socket.getaddrinfo(host, port, type=kind)
    ipv4 = [i for i in infos if i[0] == socket.AF_INET]
    return str((ipv4 or infos)[0][4][0])
