"""DNS servers for pjsip's own resolver (the phone setting `dns_servers`).

Without them pjsip resolves host names with the system's getaddrinfo(), on the thread that
polls it (the GUI thread): quick for IP addresses, names in the hosts file and names the OS has
cached (Windows' DNS Client caches), but a slow DNS server stalls the window. Given servers,
pjsip uses its own asynchronous resolver on its event loop and follows SRV records too; it
then ignores the hosts file, so this is a choice per center, not a default.
"""

from __future__ import annotations

import ipaddress
import logging

log = logging.getLogger(__name__)
MAX_SERVERS = 3  # pjsip's resolver keeps a few


def dns_servers(configured: list[str]) -> list[str]:
    """The usable entries of `configured`. pjsua takes bare IP addresses (it asks port 53)
    and refuses anything else at start-up, so anything else is dropped here, with a log line,
    rather than stopping the phone."""
    chosen = []
    for entry in configured:
        text = entry.strip()
        if text.endswith(":53"):
            text = text[:-3]
        if _is_ip(text):
            chosen.append(text)
        elif text:
            log.warning("DNS server %r ignored: an IP address is needed", entry)
    return chosen[:MAX_SERVERS]


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
