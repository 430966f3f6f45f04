"""Turning what an agent types or pastes into something to dial.

Chinese numbers arrive in many shapes: full-width digits, spaces and dashes, "+86" or "0086"
prefixes, area codes in brackets, "转" for an extension. We dial national numbers the way a
Chinese PBX expects them (mobile 11 digits, landlines with the leading 0), keep short service
numbers (95598, 12345) and feature codes (*72) as typed, and leave SIP addresses alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent_app.phone.messages import PhoneError, tr

FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９＊＃＋"}
FULLWIDTH.update({0x3000: 0x20, ord("（"): ord("("), ord("）"): ord(")"), ord("－"): ord("-")})
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|,|;)\s*([0-9*#]+)\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-().\u2010-\u2015]")
_DIALABLE = re.compile(r"^\+?[0-9*#]+$")
_SIP_URI = re.compile(r"^(sips?):", re.IGNORECASE)
_USER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,63}$")  # a named extension: "agent1002"


@dataclass(frozen=True)
class DialTarget:
    """What to dial: `number` (digits or a user part) or a full `uri`; `extension` goes as DTMF."""

    number: str
    uri: str = ""
    extension: str = ""

    def sip_uri(self, domain: str) -> str:
        if self.uri:
            return self.uri
        return f"sip:{self.number}@{domain}"


def normalize(text: str) -> DialTarget:
    """Parse `text` into a DialTarget; raises PhoneError with a message for the agent."""
    raw = (text or "").strip().translate(FULLWIDTH)
    if not raw:
        raise PhoneError(tr("empty_number"))
    if _SIP_URI.match(raw):
        return DialTarget(number=user_part(raw), uri=raw)
    if "@" in raw:
        if " " in raw:
            raise PhoneError(tr("bad_number", value=text))
        return DialTarget(number=raw.split("@", 1)[0], uri="sip:" + raw)
    extension = ""
    found = _EXTENSION.search(raw)
    if found and found.start() > 0:
        extension = found.group(1)
        raw = raw[: found.start()].strip()
    if _USER_NAME.match(raw):
        return DialTarget(number=raw, extension=extension)
    digits = _SEPARATORS.sub("", raw)
    if not _DIALABLE.match(digits) or "+" in digits[1:]:
        raise PhoneError(tr("bad_number", value=text))
    return DialTarget(number=national_form(digits), extension=extension)


def national_form(digits: str) -> str:
    """Chinese national form: +86/0086 dropped, landline trunk 0 restored, others 00-prefixed."""
    if digits.startswith("+"):
        digits = "00" + digits[1:]
    if digits.startswith("0086"):
        rest = digits[4:]
        return rest if rest.startswith("1") and len(rest) == 11 else "0" + rest.lstrip("0")
    return digits


def user_part(text: str) -> str:
    """'sip:1001@pbx.local;transport=tcp' -> '1001'; other text is returned stripped."""
    value = (text or "").strip().strip("<>")
    if value.lower().startswith(("sip:", "sips:", "tel:")):
        value = value.split(":", 1)[1]
    return value.split("@", 1)[0].split(";", 1)[0]


def mask(number: str, keep_head: int = 3, keep_tail: int = 4) -> str:
    """138****8000: what a role without the right to see numbers is shown."""
    if len(number) <= keep_head + keep_tail:
        return number[:1] + "*" * max(0, len(number) - 1)
    return number[:keep_head] + "*" * (len(number) - keep_head - keep_tail) + number[-keep_tail:]
