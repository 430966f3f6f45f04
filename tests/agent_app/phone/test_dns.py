"""With DNS servers configured, host names are resolved by pjsip's own asynchronous resolver,
not by a blocking getaddrinfo() on the thread that polls the engine.

A small DNS server on 127.0.0.1 knows a name nobody else does; the phone registers to
Kamailio by that name, which only works if pjsip asked our server.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import dns.message
import dns.rrset
import pytest

from agent_app.phone.dns_servers import dns_servers
from tests.agent_app.phone.conftest import AgentPhone
from tests.rig.fixtures import missing
from tests.rig.kamailio import Kamailio

NAME = "pbx.seatdesk.test."
ADDRESSES = ("127.0.0.1", "127.0.53.1")  # loopback only


class StubDns:
    """Answers A queries for NAME with 127.0.0.1 and everything else with NXDOMAIN. On port
    53, the only port pjsua's resolver asks: binding it needs root, as ./test runs in CI."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.address = ""
        for address in ADDRESSES:  # a local resolver may hold 127.0.0.1:53 already
            try:
                self.sock.bind((address, 53))
            except OSError:
                continue
            self.address = address
            break
        else:
            self.sock.close()
            raise OSError(f"port 53 is taken or not ours on {', '.join(ADDRESSES)}")
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.asked: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                continue
            query = dns.message.from_wire(data)
            reply = dns.message.make_response(query)
            question = query.question[0]
            self.asked.append(f"{question.name} {dns.rdatatype.to_text(question.rdtype)}")
            if str(question.name) == NAME and question.rdtype == dns.rdatatype.A:
                reply.answer.append(dns.rrset.from_text(NAME, 60, "IN", "A", "127.0.0.1"))
            else:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(reply.to_wire(), peer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def stub_dns() -> Iterator[StubDns]:
    try:
        server = StubDns()
    except OSError as exc:
        missing(f"cannot serve DNS on port 53 ({exc}); run as root")
    try:
        yield server
    finally:
        server.close()


def test_registers_to_a_registrar_known_only_to_our_dns(
    stub_dns: StubDns, make_agent: Callable[..., AgentPhone], kamailio: Kamailio
) -> None:
    agent = make_agent(
        dns_servers=[stub_dns.address],
        account={"domain": f"{NAME.rstrip('.')}:{kamailio.port}"},
    )
    agent.until(agent.engine.is_registered, 5, "registered by name")
    assert any(q.startswith(NAME) for q in stub_dns.asked)


def test_only_usable_servers_reach_pjsua() -> None:
    assert dns_servers([" 10.0.0.53 ", "", "10.0.0.54:53"]) == ["10.0.0.53", "10.0.0.54"]
    assert dns_servers(["dns.example", "10.0.0.1:5353"]) == []  # pjsua would refuse to start
