"""The DNS servers pjsip should ask, so that it resolves host names without blocking.

Without them pjsip falls back to the system's getaddrinfo(), which blocks the thread that polls
it, here the GUI thread, for as long as DNS takes (seconds when the DNS server is away).
Given servers, pjsip uses its own asynchronous resolver on the same event loop, and can follow
SRV records too. The servers come from the phone settings, else from the operating system
(dnspython reads /etc/resolv.conf on Linux and macOS and the registry on Windows).
"""

from __future__ import annotations

import ipaddress
import logging

log = logging.getLogger(__name__)
MAX_SERVERS = 3  # pjsip's resolver keeps a few


def system_dns_servers() -> list[str]:
    try:
        import dns.resolver

        servers = list(dns.resolver.Resolver().nameservers)
    except Exception as exc:  # no resolver configuration: pjsip falls back to getaddrinfo
        log.info("no system DNS servers (%s); host names resolve through the system", exc)
        return []
    return [str(s) for s in servers if _is_ip(str(s))][:MAX_SERVERS]


def dns_servers(configured: list[str]) -> list[str]:
    """The configured servers when any is usable, else the system's. pjsua takes bare IP
    addresses (port 53) and refuses anything else at start-up, so anything else is dropped
    here, with a log line, rather than stopping the phone."""
    chosen = []
    for entry in configured:
        text = entry.strip()
        if text.endswith(":53"):
            text = text[:-3]
        if _is_ip(text):
            chosen.append(text)
        elif text:
            log.warning("DNS server %r ignored: an IP address is needed", entry)
    return chosen[:MAX_SERVERS] if chosen else system_dns_servers()


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
