"""Accounts and their registration, part of the engine (see engine.py).

pjsip refreshes registrations on its own and says nothing until the refresh is answered, which
over UDP, with the registrar gone, is a 32 s transaction timeout. A watchdog turns a refresh
left unanswered for a few seconds into a visible gap ("failed"), and the next answer ends it.
Wrong passwords (401/403) are final: pjsua does not retry them, and neither do we.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pjsua2 as pj

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.dns_servers import dns_servers
from agent_app.phone.host_lookup import HostLookup, needs_lookup, proxy_for, registrar_host
from agent_app.phone.messages import PhoneError, tr
from agent_app.phone.sip_objects import SipAccount

if TYPE_CHECKING:
    import weakref
    from concurrent.futures import Future
    from typing import Any

UNREGISTER_WAIT_S = 0.5
REFRESH_AHEAD_S = 5  # pjsua's default delayBeforeRefreshSec
REG_WATCHDOG_S = 4.0  # a REGISTER unanswered this long shows as a gap


class RegistrationMixin:
    config: PhoneConfig
    accounts: dict[str, SipAccount]
    account_configs: dict[str, AccountConfig]
    registration: dict[str, ev.RegistrationEvent]
    _reg_answer: dict[str, int]
    _graveyard: list[Any]
    _sip_objects: weakref.WeakSet[Any]
    _transports: dict[str, int]
    _host_lookup: HostLookup
    _lookups: dict[str, tuple[AccountConfig, Future[str]]]

    if TYPE_CHECKING:  # provided by PhoneEngine

        def later(self, seconds: float, action: Callable[[], None]) -> None: ...
        def run_until(
            self, done: Callable[[], bool], timeout: float, step_ms: int = 10
        ) -> bool: ...
        def _emit(self, event: ev.Event) -> None: ...
        def _next_token(self) -> int: ...

    def _unregister_all(self, wait_s: float) -> None:
        """Remove our contacts from the registrar (the challenge needs a round trip or two),
        waiting at most `wait_s`: a registrar that is away must not hold up closing."""
        registered = [k for k, r in self.registration.items() if r.state == "registered"]
        for key in registered:
            with contextlib.suppress(pj.Error):
                self.accounts[key].setRegistration(False)
        self.run_until(
            lambda: all(
                self.registration[k].state in ("unregistered", "failed") for k in registered
            ),
            wait_s,
            step_ms=5,
        )

    def add_account(self, config: AccountConfig) -> None:
        if config.id in self.accounts or config.id in self._lookups:
            self.remove_account(config.id)
        self.account_configs[config.id] = config
        if needs_lookup(config) and not dns_servers(self.config.dns_servers):
            self._start_lookup(config)
            return
        self._create_account(config, config.outbound_proxy)

    def _start_lookup(self, config: AccountConfig) -> None:
        host, port = registrar_host(config)
        future = self._host_lookup.submit(host, port, config.transport)
        self._lookups[config.id] = (config, future)
        event = ev.RegistrationEvent(config.id, "registering", 0, "", "")
        self.registration[config.id] = event
        self._emit(event)

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
                event = ev.RegistrationEvent(key, "failed", 0, str(exc), text)
                self.registration[key] = event
                self._emit(event)
                retry = max(1, config.reg_retry_s)
                self.later(retry, partial(self._retry_lookup, config))
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
        account = SipAccount(self, config.id)  # type: ignore[arg-type]  # self is the engine
        self._sip_objects.add(account)
        self.accounts[config.id] = account
        if config.register:
            self.registration[config.id] = ev.RegistrationEvent(config.id, "registering", 0, "", "")
        account.create(acfg, config.default or len(self.accounts) == 1)

    def remove_account(self, account_id: str) -> None:
        self._lookups.pop(account_id, None)
        account = self.accounts.pop(account_id, None)
        self.account_configs.pop(account_id, None)
        self.registration.pop(account_id, None)
        if account is not None:
            account.shutdown()
            self._graveyard.append(account)

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
        state = self.registration.get(key)
        return bool(state and state.state == "registered")

    def _on_reg_started(self, account: SipAccount, renew: bool) -> None:
        key = account.account_id
        answer = self._reg_answer.get(key, -1)
        self.later(REG_WATCHDOG_S, lambda: self._reg_overdue(key, answer))
        current = self.registration.get(key)
        if renew and current and current.state == "registered":
            return  # a refresh: stay "registered" until it fails
        event = ev.RegistrationEvent(account.account_id, "registering", 0, "", "")
        self.registration[account.account_id] = event
        self._emit(event)

    def _reg_overdue(self, key: str, answer: int) -> None:
        if self._reg_answer.get(key, -1) != answer or key not in self.accounts:
            return  # the refresh was answered
        event = ev.RegistrationEvent(key, "failed", 408, "no reply", tr("reg_timeout", code=408))
        self.registration[key] = event
        self._emit(event)

    def _on_reg_state(
        self, account: SipAccount, code: int, reason: str, expires: int, status: int
    ) -> None:
        if account.account_id not in self.accounts:
            return
        key = account.account_id
        answer = self._next_token()
        self._reg_answer[key] = answer
        if 200 <= code < 300 and expires > 0:
            # pjsip refreshes on its own, `REFRESH_AHEAD_S` before expiry, without telling us.
            # Over UDP a registrar that went away shows only when that REGISTER times out
            # (32 s later): if no answer has come a few seconds after the refresh, say so.
            due = max(1.0, expires - REFRESH_AHEAD_S) + REG_WATCHDOG_S
            self.later(due, lambda: self._reg_overdue(key, answer))
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
        event = ev.RegistrationEvent(account.account_id, state, code, reason, text, expires)
        self.registration[account.account_id] = event
        self._emit(event)
