"""`python main.py doctor`: a line check an agent or IT can run on a workstation.

Checks, in order: the backend answers; the SIP account registers; the sound devices; a test
call to an echo service, with a tone sent and its echo listened for, and the round-trip time.
Each check says in one sentence what it found. Exits non-zero when any check fails.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agent_app.phone import events as ev
from agent_app.phone.config import AccountConfig, PhoneConfig
from agent_app.phone.engine import PhoneEngine
from agent_app.phone.messages import PhoneError
from common.texts import translate

TONE_HZ = 1000
TEXT: dict[str, tuple[str, str]] = {
    "backend": ("后端服务", "backend"),
    "registration": ("SIP 注册", "SIP registration"),
    "audio": ("音频设备", "audio devices"),
    "echo_call": ("回声测试通话", "echo test call"),
    "rtt": ("往返时延", "round-trip time"),
    "backend_ok": ("{url} 可访问（{ms:.0f} 毫秒）", "{url} answers ({ms:.0f} ms)"),
    "backend_embedded": ("使用内置后端（本机），无需网络", "built-in backend on this computer"),
    "backend_down": ("{url} 无法访问：{reason}", "{url} cannot be reached: {reason}"),
    "no_account": (
        "没有话机账号：请在设置中添加，或使用 --registrar --user --password",
        "no phone account: add one in Settings or pass --registrar --user --password",
    ),
    "registered": (
        "{user}@{domain} 已注册（{ms:.0f} 毫秒，有效期 {expires} 秒）",
        "{user}@{domain} registered ({ms:.0f} ms, expires in {expires} s)",
    ),
    "reg_failed": ("{user}@{domain}：{text}", "{user}@{domain}: {text}"),
    "reg_no_reply": (
        "{user}@{domain}：{seconds:.0f} 秒内服务器无响应",
        "{user}@{domain}: no reply from the server in {seconds:.0f} s",
    ),
    "devices": ("找到 {n} 个声音设备：{names}", "{n} sound devices: {names}"),
    "no_devices": (
        "未找到声卡：通话将没有声音（使用空设备）",
        "no sound device: calls will have no sound (null device)",
    ),
    "echo_ok": (
        "{uri} 已接通（{setup:.0f} 毫秒），听到回声",
        "{uri} connected ({setup:.0f} ms) and the tone came back",
    ),
    "echo_silent": (
        "{uri} 已接通，但 {seconds:.0f} 秒内没有听到回声（单通或无声）",
        "{uri} connected but no echo within {seconds:.0f} s (one-way or no audio)",
    ),
    "echo_failed": ("{uri}：{text}", "{uri}: {text}"),
    "echo_no_answer": ("{uri}：{seconds:.0f} 秒内无人接听", "{uri}: no answer in {seconds:.0f} s"),
    "rtt_ok": (
        "信令 {sip:.0f} 毫秒；语音往返 {audio:.0f} 毫秒",
        "signalling {sip:.0f} ms; audio round trip {audio:.0f} ms",
    ),
    "skipped_no_reg": ("未检查：注册失败", "not checked: registration failed"),
    "summary_ok": ("全部正常", "all checks passed"),
    "summary_bad": ("{n} 项未通过", "{n} checks failed"),
}


def t(key: str, **kwargs: Any) -> str:
    return translate(TEXT, key, **kwargs)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False


def check_backend(url: str, timeout: float) -> Check:
    import httpx

    if not url:
        return Check("backend", True, t("backend_embedded"))
    started = time.monotonic()
    try:
        response = httpx.get(url.rstrip("/") + "/health", timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        return Check("backend", False, t("backend_down", url=url, reason=exc))
    return Check("backend", True, t("backend_ok", url=url, ms=(time.monotonic() - started) * 1000))


class LineCheck:
    """Registration, devices and the echo call, on one engine started for the check."""

    def __init__(self, account: AccountConfig | None, timeout: float, bind: str = "") -> None:
        self.account = account
        self.timeout = timeout
        config = PhoneConfig(accounts=[account] if account else [], bind_address=bind)
        config.log_level = 0
        self.workdir = tempfile.TemporaryDirectory(prefix="seatdesk-doctor-")
        self.ended: list[ev.CallEvent] = []
        self.engine = PhoneEngine(config, Path(self.workdir.name), self._collect)

    def __enter__(self) -> LineCheck:
        self.engine.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.engine.shutdown()
        self.workdir.cleanup()

    def registration(self) -> Check:
        account = self.account
        if account is None:
            return Check("registration", False, t("no_account"))
        names = {"user": account.user, "domain": account.domain}
        started = time.monotonic()
        state = self.engine.registration

        def settled() -> bool:
            return state.get(account.id, None) is not None and state[account.id].state in (
                "registered",
                "failed",
            )

        if not self.engine.run_until(settled, self.timeout):
            return Check("registration", False, t("reg_no_reply", seconds=self.timeout, **names))
        result = state[account.id]
        if result.state != "registered":
            return Check("registration", False, t("reg_failed", text=result.text, **names))
        ms = (time.monotonic() - started) * 1000
        return Check("registration", True, t("registered", ms=ms, expires=result.expires, **names))

    def audio(self) -> Check:
        devices = self.engine.audio_devices()
        if not devices:
            return Check("audio", True, t("no_devices"), warning=True)
        names = "、".join(d.name for d in devices[:6])
        return Check("audio", True, t("devices", n=len(devices), names=names))

    def echo(self, uri: str) -> list[Check]:
        from agent_app.phone.tone_meter import ToneMeter

        engine = self.engine
        if self.account is None:
            local = AccountConfig(id="doctor", user="doctor", domain="127.0.0.1", register=False)
            engine.add_account(local)
        started = time.monotonic()
        try:
            call_id = engine.dial(uri)
        except PhoneError as exc:
            return [Check("echo_call", False, t("echo_failed", uri=uri, text=exc))]
        snap = engine.snapshots

        def settled() -> bool:
            return call_id not in snap or snap[call_id].state in (ev.ACTIVE, ev.ENDED)

        answered = engine.run_until(settled, self.timeout)
        if call_id not in snap or snap[call_id].state == ev.ENDED:
            ended = self._ended_text(call_id)
            return [Check("echo_call", False, t("echo_failed", uri=uri, text=ended))]
        if not answered:
            engine.hangup(call_id)
            engine.run_until(lambda: call_id not in snap, 2)
            return [Check("echo_call", False, t("echo_no_answer", uri=uri, seconds=self.timeout))]
        setup_ms = (time.monotonic() - started) * 1000
        meter = ToneMeter(TONE_HZ)
        # Attached through the engine, the meter follows the call to each new port on the
        # bridge (a far end answering with two codecs gets a re-INVITE, and a new port).
        engine.listen_to_call(call_id, meter)
        tone_at = time.monotonic()
        engine.use_tone_as_microphone(TONE_HZ)
        first_heard: list[float] = []

        def heard() -> bool:
            if meter.tone_frames and not first_heard:
                first_heard.append(time.monotonic())
            return meter.heard

        got_echo = engine.run_until(heard, min(self.timeout, 5.0))
        engine.stop_listening(call_id, meter)
        engine.use_tone_as_microphone(None)
        engine.hangup(call_id)
        engine.run_until(lambda: call_id not in snap, 2)
        if not got_echo:
            seconds = min(self.timeout, 5.0)
            return [Check("echo_call", False, t("echo_silent", uri=uri, seconds=seconds))]
        audio_ms = (first_heard[0] - tone_at) * 1000 if first_heard else 0.0
        return [
            Check("echo_call", True, t("echo_ok", uri=uri, setup=setup_ms)),
            Check("rtt", True, t("rtt_ok", sip=setup_ms, audio=audio_ms)),
        ]

    def _ended_text(self, call_id: str) -> str:
        for event in self.ended:
            if event.call.id == call_id:
                return event.call.end_text or event.call.reason
        return ""

    def _collect(self, event: ev.Event) -> None:
        if isinstance(event, ev.CallEvent) and event.kind == "ended":
            self.ended.append(event)


def run_checks(args: argparse.Namespace) -> list[Check]:
    checks: list[Check] = []
    if not args.no_backend:
        checks.append(check_backend(args.server or _settings_value(args, "server_url"), 5.0))
    account = _account_from(args)
    with LineCheck(account, args.timeout, bind=args.bind) as line:
        registration = line.registration() if account else None
        if registration is not None:
            checks.append(registration)
        elif not args.echo_uri:
            checks.append(Check("registration", False, t("no_account")))
        checks.append(line.audio())
        if args.echo_uri:
            if registration is not None and not registration.ok:
                checks.append(Check("echo_call", False, t("skipped_no_reg")))
            else:
                checks.extend(line.echo(args.echo_uri))
    return checks


def _account_from(args: argparse.Namespace) -> AccountConfig | None:
    if args.registrar or args.user:
        registrar = args.registrar or ""
        domain = registrar.split(":", 1)[1] if registrar.startswith("sip") else registrar
        domain = domain.split(";", 1)[0]
        return AccountConfig(
            id="doctor",
            user=args.user or "",
            password=args.password or "",
            domain=args.domain or domain,
            registrar=registrar if registrar.startswith("sip") else "",
            transport=args.transport,
            default=True,
        )
    phone = _settings_value(args, "phone") or {}
    config = PhoneConfig.from_dict(phone)
    account = config.default_account()
    if account is not None and not account.password:
        account.password = _keyring_password(account)
    return account


def _settings_value(args: argparse.Namespace, name: str) -> Any:
    from agent_app.common.settings import Settings
    from kb.paths import resolve_data_dir

    settings = Settings.load(resolve_data_dir(getattr(args, "data_dir", None)))
    return getattr(settings, name, None)


def _keyring_password(account: AccountConfig) -> str:
    try:
        from agent_app.phone.credentials import load_password

        return load_password(account.id) or ""
    except Exception:  # no keyring backend: the check reports the refused login
        return ""


def report(checks: list[Check], as_json: bool) -> str:
    ok = all(c.ok for c in checks)
    if as_json:
        return json.dumps({"ok": ok, "checks": [asdict(c) for c in checks]}, ensure_ascii=False)
    lines = []
    for check in checks:
        mark = "!" if check.warning else ("✓" if check.ok else "✗")
        lines.append(f"{mark} {t(check.name)}: {check.detail}")
    failed = sum(1 for c in checks if not c.ok)
    lines.append(t("summary_ok") if ok else t("summary_bad", n=failed))
    return "\n".join(lines)


def command(args: argparse.Namespace) -> int:
    checks = run_checks(args)
    print(report(checks, args.json))
    return 0 if all(c.ok for c in checks) else 1
