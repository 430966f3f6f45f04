"""Phone settings: accounts, codecs, auto-answer, recording, audio devices, timers.

Plain dataclasses that round-trip through dicts, so they live in the app's one settings file.
Passwords are never stored here: the app fills `password` from the OS keyring at start.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from common.settings_loading import load_lenient

log = logging.getLogger(__name__)
TRANSPORTS = ("udp", "tcp", "tls")
DEFAULT_CODECS = ["opus/48000", "G722/16000", "PCMA/8000", "PCMU/8000"]

T = TypeVar("T")


@dataclass
class AccountConfig:
    id: str = "default"
    label: str = ""
    user: str = ""  # SIP user / extension
    domain: str = ""  # SIP domain, host[:port]; the registrar unless `registrar` is set
    auth_user: str = ""  # when the digest user differs from `user`
    password: str = field(default="", repr=False)
    display_name: str = ""
    transport: str = "udp"
    registrar: str = ""  # sip:host[:port] (default: sip:<domain>)
    outbound_proxy: str = ""  # sip:host[:port];lr
    reg_expiry_s: int = 60  # also the longest a registrar restart leaves us unreachable (UDP)
    reg_retry_s: int = 15  # after a timeout or a 5xx; wrong passwords are never retried
    keepalive_s: int = 15  # UDP keep-alive towards the registrar (NAT bindings)
    stun_servers: list[str] = field(default_factory=list)
    ice: bool = False
    default: bool = False
    enabled: bool = True
    register: bool = True  # False: a local identity for direct calls (line checks)

    def registrar_uri(self) -> str:
        uri = self.registrar or f"sip:{self.domain}"
        return _with_transport(uri, self.transport)

    def id_uri(self) -> str:
        name = f'"{self.display_name}" ' if self.display_name else ""
        return f"{name}<sip:{self.user}@{self.domain.split(';')[0]}>"


@dataclass
class AutoAnswerConfig:
    enabled: bool = False  # off by default: a seat answers its own calls
    delay_s: float = 2.0
    honour_server_request: bool = True  # Call-Info answer-after / Alert-Info auto-answer


@dataclass
class RecordingConfig:
    policy: str = "button"  # "always": every call from answer; "button": when the agent asks
    folder: str = ""  # default: <data dir>/recordings


@dataclass
class AudioConfig:
    microphone: str = ""  # device names, as the OS lists them; "" = system default
    speaker: str = ""
    ringer: str = ""  # "" = the speaker
    ringtone: str = ""  # WAV path; "" = the built-in tone


@dataclass
class MonitorConfig:
    """Supervision (docs/supervision.md). `method` "bridge": the client-side bridge with the
    server's signed grants (monitoring.py); "pbx": the PBX monitors, the supervisor's phone
    dials its feature codes (pbx_monitor.py). `pbx` names a preset ("asterisk" ChanSpy,
    "freeswitch" eavesdrop) or "custom", which uses the templates and digits below
    ("{ext}" is the agent's extension, e.g. "*222{ext}")."""

    method: str = "bridge"
    pbx: str = "asterisk"
    listen_code: str = ""
    whisper_code: str = ""
    barge_code: str = ""
    listen_dtmf: str = ""
    whisper_dtmf: str = ""
    barge_dtmf: str = ""


@dataclass
class PhoneConfig:
    accounts: list[AccountConfig] = field(default_factory=list)
    codecs: list[str] = field(default_factory=lambda: list(DEFAULT_CODECS))
    auto_answer: AutoAnswerConfig = field(default_factory=AutoAnswerConfig)
    recording: RecordingConfig = field(default_factory=RecordingConfig)
    audio: AudioConfig = field(default_factory=AudioConfig)
    monitor: MonitorConfig = field(default_factory=MonitorConfig)
    sip_port: int = 0  # local SIP port; 0 = any free port
    dns_servers: list[str] = field(
        default_factory=list
    )  # IPs for pjsip's resolver (dns_servers.py)
    bind_address: str = ""  # "" = all interfaces; tests use 127.0.0.1
    # SIP over TLS (accounts with transport "tls"): the PEM file of the CAs to trust, and
    # whether a server whose certificate does not verify is refused. pjsip loads no system CAs:
    # with no file the engine trusts the public CAs of certifi's bundle.
    tls_ca_file: str = ""
    tls_verify_server: bool = True
    dtmf_method: str = "rfc2833"  # or "info"; rfc2833 falls back to INFO when not negotiated
    no_answer_timeout_s: int = 60  # outgoing calls give up after this
    max_calls: int = 4
    user_agent: str = "SeatDesk"
    log_level: int = 1

    def default_account(self) -> AccountConfig | None:
        enabled = [a for a in self.accounts if a.enabled]
        for account in enabled:
            if account.default:
                return account
        return enabled[0] if enabled else None

    def to_dict(self, with_passwords: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not with_passwords:
            for account in data["accounts"]:
                account.pop("password", None)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PhoneConfig:
        """Through the one validated loader: a wrongly typed value keeps its default, with a
        logged warning (the settings file may have been edited by hand)."""
        config = load_lenient(cls, data or {}, "settings.json: phone", log)
        for account in config.accounts:
            if account.transport not in TRANSPORTS:
                account.transport = "udp"
        return config


def _with_transport(uri: str, transport: str) -> str:
    if transport == "udp" or ";transport=" in uri:
        return uri
    if transport == "tls" and uri.startswith("sip:"):
        return uri + ";transport=tls"
    return f"{uri};transport={transport}"
