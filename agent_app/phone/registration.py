"""Accounts and their registration: one `Registration`, owned by the engine (see engine.py).

pjsip refreshes registrations on its own and says nothing until the refresh is answered, which
over UDP, with the registrar gone, is a 32 s transaction timeout. A watchdog turns a refresh
left unanswered for a few seconds into a visible gap ("failed"), and the next answer ends it.
Over TCP and TLS a registrar that restarts closes the connection: that is a gap at once, and
the account registers again on a new connection within seconds (`transport_lost`).
Wrong passwords (401/403) are final: pjsua does not retry them, and neither do we.

The engine hands it what it needs and nothing more: the settings, a way to report events, a
timer, and what to do with an incoming call; it hands the engine its accounts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Any

import pjsua2 as pj

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.dns_servers import dns_servers
from agent_app.phone.host_lookup import HostLookup, needs_lookup, proxy_for, registrar_host
from agent_app.phone.messages import PhoneError, tr
from agent_app.phone.sip_objects import SipAccount

UNREGISTER_WAIT_S = 0.5
REFRESH_AHEAD_S = 5  # pjsua's default delayBeforeRefreshSec
REG_WATCHDOG_S = 4.0  # a REGISTER unanswered this long shows as a gap
# After a TCP/TLS connection to the registrar drops, pjsua registers again on its own after
# firstRetryIntervalSec (at most 5 s here, plus up to 2 s at random); if by then nothing has
# been sent (the account's REGISTER had not used the dropped connection), we ask for it.
RECONNECT_NUDGE_S = 8.0


@dataclass
class RegistrationHooks:
    """What Registration may do to its owner: report, schedule, and hand over objects."""

    emit: Callable[[ev.Event], None]
    later: Callable[[float, Callable[[], None]], None]
    run_until: Callable[[Callable[[], bool], float], bool]
    incoming_call: Callable[[SipAccount, int, str], None]
    track: Callable[[Any], None]  # a pjsua2 object to disown at shutdown if still referenced
    discard: Callable[[Any], None]  # a pjsua2 object to free after this poll


class Registration:
    """The accounts, their registration states, and registrar name look-ups."""

    def __init__(self, config: PhoneConfig, hooks: RegistrationHooks) -> None:
        self.config = config
        self.hooks = hooks
        self.accounts: dict[str, SipAccount] = {}
        self.account_configs: dict[str, AccountConfig] = {}
        self.states: dict[str, ev.RegistrationEvent] = {}
        self._answers: dict[str, int] = {}  # account -> token of its last REGISTER answer
        self._tokens = 0
        self._in_flight: set[str] = set()  # accounts with a REGISTER sent and not answered
        self._host_lookup = HostLookup()
        self._lookups: dict[str, tuple[AccountConfig, Future[str]]] = {}

    # -- the engine's side -----------------------------------------------------------------
    def poll(self) -> None:
        if self._lookups:
            self._finish_lookups()

    def unregister_all(self, wait_s: float) -> None:
        """Remove our contacts from the registrar (the challenge needs a round trip or two),
        waiting at most `wait_s`: a registrar that is away must not hold up closing."""
        registered = [k for k, r in self.states.items() if r.state == "registered"]
        for key in registered:
            with contextlib.suppress(pj.Error):
                self.accounts[key].setRegistration(False)
        self.hooks.run_until(
            lambda: all(self.states[k].state in ("unregistered", "failed") for k in registered),
            wait_s,
        )

    def shutdown(self) -> None:
        self._host_lookup.shutdown()
        self._lookups.clear()
        self.unregister_all(UNREGISTER_WAIT_S)
        for account in self.accounts.values():
            with contextlib.suppress(pj.Error):
                account.shutdown()
        self.accounts.clear()

    def add_account(self, config: AccountConfig) -> None:
        if config.id in self.accounts or config.id in self._lookups:
            self.remove_account(config.id)
        self.account_configs[config.id] = config
        if needs_lookup(config) and not dns_servers(self.config.dns_servers):
            self._start_lookup(config)
            return
        self._create_account(config, config.outbound_proxy)

    def remove_account(self, account_id: str) -> None:
        self._lookups.pop(account_id, None)
        account = self.accounts.pop(account_id, None)
        self.account_configs.pop(account_id, None)
        self.states.pop(account_id, None)
        self._in_flight.discard(account_id)
        if account is not None:
            account.shutdown()
            self.hooks.discard(account)

    def reregister(self, account_id: str | None = None) -> None:
        for key, account in self.accounts.items():
            if account_id in (None, key):
                account.setRegistration(True)

    def default_account_id(self) -> str:
        for key, config in self.account_configs.items():
            if config.default:
                return key
        if not self.account_configs:
            raise PhoneError(tr("no_account"))
        return next(iter(self.account_configs))

    def is_registered(self, account_id: str | None = None) -> bool:
        key = account_id or (self.default_account_id() if self.accounts else "")
        state = self.states.get(key)
        return bool(state and state.state == "registered")

    def account(self, account_id: str | None) -> SipAccount:
        """The account to call from; PhoneError when it is not there (yet)."""
        key = account_id or self.default_account_id()
        account = self.accounts.get(key)
        if account is None:  # its registrar's name is still being looked up
            state = self.states.get(key)
            raise PhoneError(tr("not_registered", reason=state.text if state else ""))
        return account

    def transport_lost(self, transport_type: str) -> None:
        """A TCP or TLS connection went down: accounts registered over that kind of transport
        are not reachable until they register again, so they stop showing "registered"."""
        kind = transport_type.lower()
        for key, config in self.account_configs.items():
            state = self.states.get(key)
            if config.transport != kind or key not in self.accounts:
                continue
            if state is None or state.state != "registered":
                continue
            self._set(ev.RegistrationEvent(key, "registering", 0, "", tr("reg_reconnecting")))
            self.hooks.later(RECONNECT_NUDGE_S, partial(self._nudge, key))

    def _nudge(self, key: str) -> None:
        state = self.states.get(key)
        account = self.accounts.get(key)
        if account is None or key in self._in_flight or state is None:
            return
        if state.state in ("registered", "unregistered"):
            return
        with contextlib.suppress(pj.Error):  # one is under way already: pjsua refuses a second
            account.setRegistration(True)

    # -- accounts --------------------------------------------------------------------------
    def _start_lookup(self, config: AccountConfig) -> None:
        host, port = registrar_host(config)
        future = self._host_lookup.submit(host, port, config.transport)
        self._lookups[config.id] = (config, future)
        self._set(ev.RegistrationEvent(config.id, "registering", 0, "", ""))

    def _finish_lookups(self) -> None:
        """On the polling thread: create the accounts whose registrar name was looked up."""
        for key, (config, future) in list(self._lookups.items()):
            if not future.done():
                continue
            del self._lookups[key]
            host, port = registrar_host(config)
            try:
                address = future.result()
            except (OSError, UnicodeError) as exc:
                text = tr("reg_unresolved", host=host)
                self._set(ev.RegistrationEvent(key, "failed", 0, str(exc), text))
                retry = max(1, config.reg_retry_s)
                self.hooks.later(retry, partial(self._retry_lookup, config))
                continue
            if config.transport == "tls":  # the certificate is checked against the name
                self._create_account(config, config.outbound_proxy)
            else:
                self._create_account(config, proxy_for(address, port, config.transport))

    def _retry_lookup(self, config: AccountConfig) -> None:
        if self.account_configs.get(config.id) is config and config.id not in self.accounts:
            self._start_lookup(config)

    def _create_account(self, config: AccountConfig, proxy: str) -> None:
        acfg = pj.AccountConfig()
        acfg.idUri = config.id_uri()
        if config.register:
            acfg.regConfig.registrarUri = config.registrar_uri()
        acfg.regConfig.timeoutSec = config.reg_expiry_s
        acfg.regConfig.retryIntervalSec = config.reg_retry_s
        acfg.regConfig.firstRetryIntervalSec = min(config.reg_retry_s, 5)
        acfg.regConfig.randomRetryIntervalSec = 2
        acfg.regConfig.dropCallsOnFail = False
        acfg.sipConfig.authCreds.append(
            pj.AuthCredInfo("digest", "*", config.auth_user or config.user, 0, config.password)
        )
        if proxy:
            acfg.sipConfig.proxies.append(proxy)
        elif config.transport != "udp":
            # Everything goes over the chosen transport through the registrar. The account is
            # not bound to one transport: a dialog whose route needs another must still be able
            # to send its ACK (pjsip asserts otherwise).
            acfg.sipConfig.proxies.append(config.registrar_uri() + ";lr")
        acfg.natConfig.udpKaIntervalSec = config.keepalive_s
        acfg.natConfig.iceEnabled = config.ice
        acfg.natConfig.sipStunUse = pj.PJSUA_STUN_USE_DEFAULT if config.stun_servers else 1
        acfg.natConfig.mediaStunUse = pj.PJSUA_STUN_USE_DEFAULT if config.stun_servers else 1
        if self.config.bind_address and not config.ice:
            # (pjsua cannot gather ICE candidates on a bound address: PJ_EINVAL per call.)
            acfg.mediaConfig.transportConfig.boundAddress = self.config.bind_address
        account = SipAccount(self, config.id)
        self.hooks.track(account)
        self.accounts[config.id] = account
        if config.register:
            self.states[config.id] = ev.RegistrationEvent(config.id, "registering", 0, "", "")
        account.create(acfg, config.default or len(self.accounts) == 1)

    # -- callbacks (inside libHandleEvents; SipAccount's handler) ----------------------------
    def on_incoming_call(self, account: SipAccount, pj_call_id: int, message: str) -> None:
        self.hooks.incoming_call(account, pj_call_id, message)

    def on_reg_started(self, account: SipAccount, renew: bool) -> None:
        key = account.account_id
        self._in_flight.add(key)
        answer = self._answers.get(key, -1)
        self.hooks.later(REG_WATCHDOG_S, lambda: self._reg_overdue(key, answer))
        current = self.states.get(key)
        if renew and current and current.state == "registered":
            return  # a refresh: stay "registered" until it fails
        self._set(ev.RegistrationEvent(key, "registering", 0, "", ""))

    def _reg_overdue(self, key: str, answer: int) -> None:
        if self._answers.get(key, -1) != answer or key not in self.accounts:
            return  # the refresh was answered
        self._set(ev.RegistrationEvent(key, "failed", 408, "no reply", tr("reg_timeout", code=408)))

    def on_reg_state(
        self, account: SipAccount, code: int, reason: str, expires: int, status: int
    ) -> None:
        key = account.account_id
        if key not in self.accounts:
            return
        self._in_flight.discard(key)
        self._tokens += 1
        answer = self._answers[key] = self._tokens
        if 200 <= code < 300 and expires > 0:
            # pjsip refreshes on its own, `REFRESH_AHEAD_S` before expiry, without telling us.
            # Over UDP a registrar that went away shows only when that REGISTER times out
            # (32 s later): if no answer has come a few seconds after the refresh, say so.
            due = max(1.0, expires - REFRESH_AHEAD_S) + REG_WATCHDOG_S
            self.hooks.later(due, lambda: self._reg_overdue(key, answer))
        if 200 <= code < 300 and expires > 0:
            state, text = "registered", tr("reg_ok")
        elif 200 <= code < 300:
            state, text = "unregistered", ""
        elif code in (401, 403, 407):
            state, text = "failed", tr("reg_auth", code=code)
        elif code in (408, 504) or code == 0:
            state, text = "failed", tr("reg_timeout", code=code or reason)
        elif "PJSIP_TLS_ECERTVERIF" in reason:  # a TLS server we do not trust (503, status 0)
            state, text = "failed", tr("reg_tls_certificate")
        elif code in (502, 503):
            state, text = "failed", tr("reg_unreachable", reason=f"{code} {reason}")
        else:
            state, text = "failed", tr("reg_other", code=code, reason=reason)
        self._set(ev.RegistrationEvent(key, state, code, reason, text, expires))

    def _set(self, event: ev.RegistrationEvent) -> None:
        self.states[event.account_id] = event
        self.hooks.emit(event)
