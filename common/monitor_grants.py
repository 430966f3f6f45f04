"""Monitor grants: the server's signed permission for one supervisor to listen to, whisper to or
barge into one agent's call (issue 14, ARCHITECTURE.md "Softphone", supervision modes).

Qt-free; used by the server (signs), the supervisor's client (carries) and the agent's engine
(verifies). The contract other parts build on is also written up in docs/supervision.md.

Wire form (one SIP header value, ASCII, no padding, no spaces)::

    X-SeatDesk-Grant: <payload>.<signature>

    payload   = base64url(JSON, UTF-8, keys sorted, no spaces)
    signature = base64url(Ed25519 signature over the ASCII bytes of `payload`)

The JSON object (version 1)::

    {"v": 1, "grant_id": "<32 hex, random>", "supervisor": "<username>",
     "supervisor_id": "<user id>", "agent": "<username>", "agent_id": "<user id>",
     "call_id": "<the call record's uuid, as /calls and /agent-states know it>",
     "mode": "listen" | "whisper" | "barge", "issued_at": <epoch s>, "expires_at": <epoch s>}

`call_id` is the uuid the agent's client reports for its current call (agent states'
`call_uuid`, the call record's `uuid`): for a call of the engine it is `call_uuid(engine_id)`.
A grant lives at most `MAX_LIFETIME_S` (2 minutes); it only has to outlive the call set-up
and the mode switch it carries, because the monitor call itself goes on after it expires.

Checks `verify_grant` makes, in order, each failure a `GrantError` with a `reason` code:
missing, malformed, bad_signature, mode, expired (past `expires_at`, issued in the future
beyond `CLOCK_SKEW_S`, or a lifetime over 2 minutes), wrong_agent, wrong_call,
wrong_supervisor (a mode switch from someone else), replayed (its grant_id was used before).
The signature is checked before any field is trusted.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
import uuid as uuidlib
from collections.abc import Iterator, MutableSet
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

HEADER = "X-SeatDesk-Grant"
# The in-dialog MESSAGE that switches mode carries a new grant as its whole body.
MESSAGE_CONTENT_TYPE = "application/x-seatdesk-grant"
VERSION = 1
MODES = ("listen", "whisper", "barge")
MAX_LIFETIME_S = 120
# Clocks of the server and the seats differ a little: a grant "issued" this far in the
# future is still taken.
CLOCK_SKEW_S = 30

REASONS = (
    "missing",
    "malformed",
    "bad_signature",
    "mode",
    "expired",
    "wrong_agent",
    "wrong_call",
    "wrong_supervisor",
    "replayed",
)


class GrantError(Exception):
    """A grant that must be refused; `reason` is one of REASONS (audited as such)."""

    def __init__(self, reason: str, detail: str = "", grant: Grant | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.grant = grant  # the claimed content, when it could be read (for the audit)


@dataclass(frozen=True)
class Grant:
    grant_id: str
    supervisor: str
    supervisor_id: str
    agent: str
    agent_id: str
    call_id: str
    mode: str
    issued_at: int
    expires_at: int

    def to_json(self) -> dict[str, object]:
        return {"v": VERSION, **asdict(self)}


def new_grant(
    *,
    supervisor: str,
    supervisor_id: str,
    agent: str,
    agent_id: str,
    call_id: str,
    mode: str,
    lifetime_s: int = MAX_LIFETIME_S,
    now: float | None = None,
) -> Grant:
    """A grant with a fresh random id, valid from now for `lifetime_s` (at most 2 minutes)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if not 0 < lifetime_s <= MAX_LIFETIME_S:
        raise ValueError(f"a grant lives 1..{MAX_LIFETIME_S} s")
    issued = int(time.time() if now is None else now)
    return Grant(
        grant_id=secrets.token_hex(16),
        supervisor=supervisor,
        supervisor_id=str(supervisor_id),
        agent=agent,
        agent_id=str(agent_id),
        call_id=call_id,
        mode=mode,
        issued_at=issued,
        expires_at=issued + lifetime_s,
    )


def call_uuid(engine_call_id: str) -> str:
    """The call record's uuid for an engine call id: what grants name as `call_id`. The same
    mapping as the seat's call records (agent_app/seat/qt/seat.py `record_id`)."""
    try:
        return str(uuidlib.UUID(engine_call_id))
    except ValueError:
        return str(uuidlib.uuid5(uuidlib.NAMESPACE_OID, engine_call_id))


# -- encoding -----------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_grant(private_key: Ed25519PrivateKey, grant: Grant) -> str:
    """The header value for `grant`, signed with the server's key."""
    body = json.dumps(grant.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    payload = _b64(body.encode("utf-8"))
    return f"{payload}.{_b64(private_key.sign(payload.encode('ascii')))}"


def read_grant(header_value: str) -> Grant:
    """The grant's claims WITHOUT checking the signature (for logs and audits only)."""
    payload, _, _ = (header_value or "").strip().partition(".")
    try:
        data = json.loads(_unb64(payload).decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise GrantError("malformed", "payload is not base64url JSON") from exc
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise GrantError("malformed", "not a version 1 grant")
    try:
        grant = Grant(
            grant_id=_text(data, "grant_id"),
            supervisor=_text(data, "supervisor"),
            supervisor_id=_text(data, "supervisor_id"),
            agent=_text(data, "agent"),
            agent_id=_text(data, "agent_id"),
            call_id=_text(data, "call_id"),
            mode=_text(data, "mode"),
            issued_at=_int(data, "issued_at"),
            expires_at=_int(data, "expires_at"),
        )
    except (KeyError, TypeError) as exc:
        raise GrantError("malformed", f"field {exc}") from exc
    if not grant.grant_id:
        raise GrantError("malformed", "no grant_id")
    return grant


def _text(data: dict[str, object], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise TypeError(key)
    return value


def _int(data: dict[str, object], key: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(key)
    return value


class SeenGrants(MutableSet[str]):
    """Grant ids already used, each remembered until its grant has expired (after that the
    expiry check refuses it anyway), so a long-running seat does not collect ids forever."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def remember(self, grant_id: str, expires_at: float, now: float) -> None:
        self._until = {g: t for g, t in self._until.items() if t + CLOCK_SKEW_S >= now}
        self._until[grant_id] = expires_at

    def __contains__(self, item: object) -> bool:
        return item in self._until

    def __iter__(self) -> Iterator[str]:
        return iter(self._until)

    def __len__(self) -> int:
        return len(self._until)

    def add(self, value: str) -> None:
        self._until[value] = float("inf")

    def discard(self, value: str) -> None:
        self._until.pop(value, None)


def verify_grant(
    public_key: Ed25519PublicKey,
    header_value: str | None,
    *,
    agent: str,
    call_id: str | None,
    now: float | None = None,
    seen_ids: MutableSet[str] | None = None,
    supervisor: str | None = None,
) -> Grant:
    """Check a grant as the agent's engine receives it; returns it, or raises GrantError.

    `agent` is this seat's username, `call_id` the uuid of the call it is for (None: the
    agent has no call up, so nothing can match: wrong_call). `supervisor`, when given, must
    be the grant's supervisor (a mode switch keeps the supervisor of the monitor call). On
    success the grant id is added to `seen_ids`, so the same grant is refused next time.
    """
    if not header_value or not header_value.strip():
        raise GrantError("missing")
    value = header_value.strip()
    payload, dot, signature = value.partition(".")
    if not dot or not payload or not signature:
        raise GrantError("malformed", "expected <payload>.<signature>")
    try:
        raw_signature = _unb64(signature)
    except (ValueError, binascii.Error) as exc:
        raise GrantError("malformed", "signature is not base64url") from exc
    claimed: Grant | None
    try:
        claimed = read_grant(value)
    except GrantError:
        claimed = None
    try:
        public_key.verify(raw_signature, payload.encode("ascii"))
    except (InvalidSignature, UnicodeEncodeError) as exc:
        raise GrantError("bad_signature", grant=claimed) from exc
    grant = read_grant(value)  # signed: now its fields can be trusted
    moment = time.time() if now is None else now
    if grant.mode not in MODES:
        raise GrantError("mode", grant.mode, grant)
    if grant.expires_at - grant.issued_at > MAX_LIFETIME_S:
        raise GrantError("expired", "lifetime over 2 minutes", grant)
    if moment >= grant.expires_at:
        raise GrantError("expired", "past expires_at", grant)
    if grant.issued_at > moment + CLOCK_SKEW_S:
        raise GrantError("expired", "issued in the future", grant)
    if grant.agent != agent:
        raise GrantError("wrong_agent", grant.agent, grant)
    if call_id is None or grant.call_id != call_id:
        raise GrantError("wrong_call", grant.call_id, grant)
    if supervisor is not None and grant.supervisor != supervisor:
        raise GrantError("wrong_supervisor", grant.supervisor, grant)
    if seen_ids is not None:
        if grant.grant_id in seen_ids:
            raise GrantError("replayed", grant.grant_id, grant)
        if isinstance(seen_ids, SeenGrants):
            seen_ids.remember(grant.grant_id, grant.expires_at, moment)
        else:
            seen_ids.add(grant.grant_id)
    return grant


# -- keys ---------------------------------------------------------------------------------
def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_to_pem(key: Ed25519PrivateKey) -> str:
    """PKCS#8 PEM, unencrypted (the server keeps it in its own protected settings)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def private_key_from_pem(text: str | bytes) -> Ed25519PrivateKey:
    data = text.encode("ascii") if isinstance(text, str) else text
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def public_key_to_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def public_key_to_text(key: Ed25519PublicKey) -> str:
    """The raw 32-byte key as base64url (what the server publishes for the seats)."""
    return _b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """A public key from PEM or from the raw base64url/base64 text of `public_key_to_text`."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    try:
        raw = _unb64(text.replace("+", "-").replace("/", "_").rstrip("="))
    except (ValueError, binascii.Error) as exc:
        raise ValueError("not a base64 public key") from exc
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)
