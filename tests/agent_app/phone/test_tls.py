"""SIP over TLS against the rig's real Kamailio: registration, certificate checks, a call.

The module's Kamailio (the `kamailio` fixture, overridden here) has a TLS listener with a
certificate for 127.0.0.1 made for this run by a throwaway CA (tests/rig/kamailio.py). The
agent's account uses transport "tls" with that listener as registrar, which the engine also
makes its outbound proxy, so everything the agent sends goes over TLS. Peers stay on UDP:
Kamailio bridges the two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_app.phone import events as ev
from agent_app.phone.messages import tr
from tests.agent_app.phone.conftest import AGENT_TONE, CUSTOMER_TONE, AgentPhone
from tests.agent_app.phone.test_registration import reachable_after_restart
from tests.rig import kamailio as rig_kamailio
from tests.rig.audio_check import describe, has_tone
from tests.rig.fixtures import RIG_USERS, register_peer, require_kamailio
from tests.rig.kamailio import Kamailio

AgentFactory = Callable[..., AgentPhone]


@pytest.fixture(scope="module")
def kamailio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kamailio]:
    """The rig's Kamailio with a TLS listener as well (skips without kamailio-tls-modules)."""
    require_kamailio()
    kam = Kamailio(tmp_path_factory.mktemp("kamailio-tls"), RIG_USERS, tls=True)
    kam.start()
    try:
        yield kam
    finally:
        kam.stop()


def tls_agent(
    make_agent: AgentFactory,
    kamailio: Kamailio,
    account_changes: dict[str, Any] | None = None,
    **changes: Any,
) -> AgentPhone:
    """The agent (agent1001) registering over TLS at the TLS listener; config `changes` apply."""
    account: dict[str, Any] = {
        "transport": "tls",
        "registrar": f"sip:{kamailio.domain}:{kamailio.tls_port}",
    }
    account.update(account_changes or {})
    changes.setdefault("tls_ca_file", kamailio.ca_file)
    return make_agent(account=account, **changes)


def registration_outcome(agent: AgentPhone, timeout: float = 5.0) -> ev.RegistrationEvent:
    """The first final registration state (registered or failed) of the agent's account."""

    def final() -> ev.RegistrationEvent | None:
        for event in agent.events:
            if isinstance(event, ev.RegistrationEvent) and event.state in ("registered", "failed"):
                return event
        return None

    agent.until(final, timeout, "a final registration state")
    outcome = final()
    assert outcome is not None
    return outcome


def test_registers_over_tls_with_the_rig_ca_trusted(
    make_agent: AgentFactory, kamailio: Kamailio
) -> None:
    agent = tls_agent(make_agent, kamailio)
    assert agent.engine.config.tls_verify_server  # the default: the certificate is checked
    reg = registration_outcome(agent)
    assert reg.state == "registered", reg
    kamailio.wait_registered("agent1001", timeout=5)
    contacts = kamailio.contacts("agent1001")
    assert len(contacts) == 1 and ";transport=tls" in contacts[0].lower(), contacts
    # Kamailio received the REGISTER on its TLS socket.
    lookup = kamailio.rpc("ul.lookup", "location", "s:agent1001").stdout
    assert f"tls:127.0.0.1:{kamailio.tls_port}" in lookup, lookup


def test_an_untrusted_certificate_fails_registration_with_a_clear_reason(
    make_agent: AgentFactory, kamailio: Kamailio
) -> None:
    # Verification on (the default) and no CA file: nothing trusts the rig's CA.
    agent = tls_agent(make_agent, kamailio, tls_ca_file="")
    reg = registration_outcome(agent)
    assert reg.state == "failed", reg
    assert "certificate verification" in reg.reason.lower(), reg
    assert reg.text, reg
    assert not agent.engine.is_registered()
    assert not kamailio.registered("agent1001")


def test_a_trusted_certificate_for_another_name_is_refused(
    make_agent: AgentFactory, kamailio: Kamailio
) -> None:
    # The rig's CA is trusted, but its certificate names 127.0.0.1 and we ask for "localhost".
    agent = make_agent(
        account={"transport": "tls", "registrar": f"sip:localhost:{kamailio.tls_port}"},
        tls_ca_file=kamailio.ca_file,
    )
    reg = registration_outcome(agent)
    assert reg.state == "failed", reg
    assert "certificate verification" in reg.reason.lower(), reg
    assert not kamailio.registered("agent1001")


def test_an_untrusted_certificate_has_its_own_message(
    make_agent: AgentFactory, kamailio: Kamailio
) -> None:
    agent = tls_agent(make_agent, kamailio, tls_ca_file="")
    reg = registration_outcome(agent)
    assert reg.text == tr("reg_tls_certificate")


def test_verification_off_registers_without_a_ca(
    make_agent: AgentFactory, kamailio: Kamailio
) -> None:
    agent = tls_agent(make_agent, kamailio, tls_ca_file="", tls_verify_server=False)
    reg = registration_outcome(agent)
    assert reg.state == "registered", reg
    kamailio.wait_registered("agent1001", timeout=5)


def test_a_call_over_tls_to_a_udp_peer_carries_audio(
    make_agent: AgentFactory, make_peer, kamailio: Kamailio, tmp_path: Path
) -> None:
    agent = tls_agent(make_agent, kamailio)
    agent.until(agent.engine.is_registered, 5, "agent registered over TLS")
    agent.engine.use_tone_as_microphone(AGENT_TONE)
    customer = register_peer(make_peer, kamailio, "customer2001")  # over UDP
    customer.play_tone(CUSTOMER_TONE)

    call_id = agent.engine.dial(kamailio.uri("customer2001"))
    incoming = agent.peer_event(customer, "incoming_call")
    # The INVITE left the agent on its TLS transport: its Contact says so.
    assert "transport=tls" in incoming["headers"].get("Contact", "").lower(), incoming
    customer.answer(call_id=incoming["call_id"])
    agent.wait_state(call_id, ev.ACTIVE)
    agent.peer_event(customer, "media_state", status="ACTIVE")
    agent.settle(0.3)

    heard = tmp_path / "customer-heard.wav"
    ours = agent.record_phase(call_id, [(customer, heard)])
    assert has_tone(heard, AGENT_TONE), describe(heard, AGENT_TONE)
    assert has_tone(ours, CUSTOMER_TONE, min_ratio=0.2), describe(ours, CUSTOMER_TONE)

    # The customer's BYE reaches the agent through Kamailio, back over TLS.
    customer.hangup()
    ended = agent.ended(call_id)
    assert ended.end_reason == "answered" and ended.talk_seconds > 0


def test_without_the_tls_module_a_tls_kamailio_skips_or_fails_in_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = tmp_path / "modules"  # Kamailio's modules, but no tls.so
    modules.mkdir()
    (modules / "tm.so").touch()
    monkeypatch.setattr(rig_kamailio, "modules_dir", lambda: str(modules))
    monkeypatch.setattr(rig_kamailio, "kamailio_binary", lambda: "/usr/sbin/kamailio")
    monkeypatch.setattr(rig_kamailio, "kamcmd_binary", lambda: "/usr/sbin/kamcmd")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="kamailio-tls-modules"):
        Kamailio(tmp_path / "kam", {}, tls=True)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="kamailio-tls-modules"):
        Kamailio(tmp_path / "kam", {}, tls=True)
    Kamailio(tmp_path / "kam", {})  # without TLS nothing is required up front


def test_a_registrar_restart_over_tls_shows_and_calls_come_back_within_30_s(
    make_agent: AgentFactory, make_peer, kamailio: Kamailio
) -> None:
    """Kamailio restarting (same certificate, same port) closes the TLS connection: the phone
    stops showing 已注册 at once and registers again over a new connection."""
    agent = tls_agent(make_agent, kamailio, account_changes={"reg_retry_s": 15})
    assert registration_outcome(agent).state == "registered"
    since = reachable_after_restart(agent, kamailio, make_peer, within=30)
    assert since and since[0].state != "registered" and since[0].text != "已注册", since
    assert since[-1].state == "registered"
