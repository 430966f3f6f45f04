"""Registration against a real Kamailio: wrong passwords, restarts, a registrar that is away."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig
from tests.agent_app.phone.conftest import AgentPhone
from tests.rig import free_port
from tests.rig.fixtures import RIG_USERS, register_peer
from tests.rig.kamailio import Kamailio


def registrations(agent: AgentPhone, state: str | None = None) -> list[ev.RegistrationEvent]:
    return [
        e
        for e in agent.events
        if isinstance(e, ev.RegistrationEvent) and (state is None or e.state == state)
    ]


def test_registers_over_udp_and_tcp(make_agent: Callable[..., AgentPhone], kamailio) -> None:
    for transport in ("udp", "tcp"):
        agent = make_agent(account={"transport": transport})
        agent.until(agent.engine.is_registered, 5, f"registered over {transport}")
        kamailio.wait_registered("agent1001", timeout=5)
        event = registrations(agent, "registered")[-1]
        assert event.code == 200 and event.expires > 0 and event.text == "已注册"
        agent.engine.shutdown()  # unregisters; the next engine may start in this process


def test_wrong_password_is_reported_once_without_retrying(
    make_agent: Callable[..., AgentPhone], kamailio: Kamailio
) -> None:
    agent = make_agent(account={"password": "not-the-password", "reg_retry_s": 1})
    agent.until(lambda: registrations(agent, "failed"), 5, "registration refused")
    failed = registrations(agent, "failed")[0]
    assert failed.code in (401, 403)
    assert "密码" in failed.text
    agent.settle(3.0)  # three retry intervals: a retrying phone would have tried again
    assert len(registrations(agent, "failed")) == 1
    assert len(registrations(agent, "registering")) <= 1
    assert not kamailio.registered("agent1001")


def test_registrar_restart_shows_the_gap_and_registers_again(
    make_agent: Callable[..., AgentPhone], kamailio: Kamailio
) -> None:
    agent = make_agent(account={"reg_expiry_s": 10, "reg_retry_s": 3})
    agent.until(agent.engine.is_registered, 5)
    kamailio.stop()
    agent.until(lambda: not agent.engine.is_registered(), 15, "the gap to show")
    gap = registrations(agent)[-1]
    assert gap.state in ("failed", "registering") and gap.text != "已注册"
    kamailio.start()
    agent.until(agent.engine.is_registered, 30, "registered again")
    kamailio.wait_registered("agent1001", timeout=5)


def reachable_after_restart(
    agent: AgentPhone, kamailio: Kamailio, make_peer, within: float
) -> list[ev.RegistrationEvent]:
    """Restart the registrar (its location table starts empty) and call the agent until the
    call rings here; returns the agent's registration events since the restart. The peer
    calls again every few seconds: a call made before the agent is back gets 480."""
    mark = len(agent.events)
    kamailio.restart()
    restarted = time.monotonic()
    caller = register_peer(make_peer, kamailio, "customer2001")
    last_call = [0.0]

    def rings() -> bool:
        if agent.call_events("incoming"):
            return True
        if time.monotonic() - last_call[0] > 3:
            last_call[0] = time.monotonic()
            caller.call(kamailio.uri("agent1001"))
        return False

    agent.until(rings, within - (time.monotonic() - restarted), "a call to reach the agent")
    return [e for e in agent.events[mark:] if isinstance(e, ev.RegistrationEvent)]


def test_over_tcp_a_registrar_restart_shows_and_calls_come_back_within_30_s(
    make_agent: Callable[..., AgentPhone], make_peer, kamailio: Kamailio
) -> None:
    """Kamailio restarting closes the TCP connection: the phone stops showing 已注册 at once
    and registers on a new connection, with the default retry interval."""
    agent = make_agent(account={"transport": "tcp", "reg_retry_s": 15})
    agent.until(agent.engine.is_registered, 5, "registered over tcp")
    since = reachable_after_restart(agent, kamailio, make_peer, within=30)
    assert since and since[0].state != "registered" and since[0].text != "已注册", since
    assert since[-1].state == "registered"


def test_over_udp_calls_come_back_within_the_registration_expiry(
    make_agent: Callable[..., AgentPhone], make_peer, kamailio: Kamailio
) -> None:
    """UDP has no connection to lose: the next refresh, due before the expiry, is what puts
    the agent back in the registrar's table."""
    agent = make_agent(account={"reg_expiry_s": 12})
    agent.until(agent.engine.is_registered, 5, "registered over udp")
    reachable_after_restart(agent, kamailio, make_peer, within=12 + 5)


def test_the_default_expiry_is_short_enough_for_a_center() -> None:
    assert AccountConfig().reg_expiry_s <= 60  # a registrar restart costs a minute at most


def test_unreachable_registrar_means_offline_until_it_comes(
    make_agent: Callable[..., AgentPhone], tmp_path: Path
) -> None:
    port = free_port()
    away = Kamailio(tmp_path / "late-kamailio", RIG_USERS, port=port)
    agent = make_agent(account={"domain": f"127.0.0.1:{port}", "reg_retry_s": 2})
    try:
        agent.until(lambda: registrations(agent, "failed"), 8, "offline to show")
        assert not agent.engine.is_registered()
        assert registrations(agent, "failed")[-1].text
        away.start()
        agent.until(agent.engine.is_registered, 30, "registered once the registrar is up")
    finally:
        away.stop()


def test_a_registrar_named_by_host_is_looked_up_off_the_polling_thread(
    make_agent: Callable[..., AgentPhone], kamailio: Kamailio
) -> None:
    """`localhost` comes from the hosts file, through the system resolver, on the engine's
    lookup thread; pjsip then talks to the address found, as an outbound proxy."""
    agent = make_agent(account={"domain": f"localhost:{kamailio.port}"})
    agent.until(agent.engine.is_registered, 5, "registered by host name")
    assert registrations(agent)[0].state == "registering"
    kamailio.wait_registered("agent1001", timeout=5)


def test_a_name_that_does_not_resolve_is_reported_and_retried(
    make_agent: Callable[..., AgentPhone], kamailio: Kamailio, monkeypatch
) -> None:
    """The lookup fails like a missing DNS name would; the tests never ask a real DNS server
    (their traffic stays on 127.0.0.1), so socket.getaddrinfo stands in for one here."""
    import socket

    real = socket.getaddrinfo
    answers = {"count": 0}

    def lookup(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "pbx.center.example":
            answers["count"] += 1
            if answers["count"] == 1:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    agent = make_agent(account={"domain": f"pbx.center.example:{kamailio.port}", "reg_retry_s": 1})
    agent.until(lambda: registrations(agent, "failed"), 5, "the lookup failure")
    assert "pbx.center.example" in registrations(agent, "failed")[0].text
    with __import__("pytest").raises(Exception, match="未注册|not registered"):
        agent.engine.dial("1001")
    agent.until(agent.engine.is_registered, 5, "registered once the name resolves")
