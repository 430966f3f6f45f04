"""Phone numbers, in one place: what the softphone dials, the key the call log finds a customer
by, and the rules a campaign's customer list is imported by.

Chinese numbers arrive in many shapes: full-width digits, spaces and dashes, "+86" or "0086"
prefixes, area codes in brackets, "转" for an extension. The softphone dials national numbers
the way a Chinese PBX expects them (mobile 11 digits, landlines with the leading 0), keeps short
service numbers (95598, 12345) and feature codes (*72) as typed, and leaves SIP addresses alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from common.texts import translate

TEXTS = {
    "empty_number": ("请输入号码", "enter a number"),
    "bad_number": (
        "“{value}”不是可拨打的号码（只能含数字、*、#、+ 或 SIP 地址）",
        "'{value}' is not a number that can be dialled (digits, *, #, + or a SIP address)",
    ),
}

FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９＊＃＋"}
FULLWIDTH.update({0x3000: 0x20, ord("（"): ord("("), ord("）"): ord(")"), ord("－"): ord("-")})
# An extension after the number: 转 / 分机 / ext / x / a comma or semicolon (a dialler's pause).
# 'x' counts only after a digit or a space, so a SIP user such as 'fax123' is not cut in two.
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|(?<=[0-9\s])x|[,;])\s*([0-9*#]+)\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-().\u2010-\u2015]")
_DIALABLE = re.compile(r"^\+?[0-9*#]+$")
_SIP_URI = re.compile(r"^(sips?):", re.IGNORECASE)
_USER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,63}$")  # a named extension: "agent1002"
_TIDY_DROP = re.compile(r"[\s\-()（）\u2010-\u2015]")
_KEEP = re.compile(r"[^0-9A-Za-z+*#_.\-]")
MAX_NUMBER = 64


class NumberError(ValueError):
    """Text that is not a number to dial; the message is for the agent, in their language."""


def _tr(key: str, **kwargs: object) -> str:
    return translate(TEXTS, key, **kwargs)


# -- dialling ---------------------------------------------------------------------------------
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
    """Parse `text` into a DialTarget; raises NumberError with a message for the agent."""
    raw = (text or "").strip().translate(FULLWIDTH)
    if not raw:
        raise NumberError(_tr("empty_number"))
    if _SIP_URI.match(raw):
        return DialTarget(number=user_part(raw), uri=raw)
    if "@" in raw:
        if " " in raw:
            raise NumberError(_tr("bad_number", value=text))
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
        raise NumberError(_tr("bad_number", value=text))
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


# -- the call log -----------------------------------------------------------------------------
def tidy(text: str) -> str:
    """A number for storing and showing: the user part of a SIP URI, without spaces, dashes and
    brackets (dots stay: SIP users may have them); only characters a number or SIP user may
    carry, at most 64 of them."""
    value = _TIDY_DROP.sub("", user_part(text).translate(FULLWIDTH))
    return _KEEP.sub("", value)[:MAX_NUMBER]


def match_key(text: str) -> str:
    """One key per customer number ('' when there are no digits, e.g. 'anonymous').

    The same customer arrives as 'sip:+8613800138000@pbx', '+86 138-0013-8000',
    '008613800138000' or '13800138000': all give '13800138000'. An extension is not part of
    the customer's key.
    """
    value = user_part(text).translate(FULLWIDTH)
    found = _EXTENSION.search(value)
    if found and found.start() > 0:
        value = value[: found.start()]
    plus = value.lstrip().startswith("+")
    digits = re.sub(r"\D", "", value)
    if not digits:
        return ""
    if not plus and digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        return digits[2:]  # a mobile with the country code but no '+'
    return national_form(("+" if plus else "") + digits)


# -- customer lists (outbound campaigns) ------------------------------------------------------
MOBILE = "mobile"
LANDLINE = "landline"
REJECT_REASONS = (
    "empty_phone",
    "invalid_chars",
    "too_short",
    "too_long",
    "invalid_prefix",
    "invalid_format",
)
# A character class body: ASCII hyphen-minus, the Unicode hyphens and dashes, minus sign.
_DASHES = r"\-\u2010-\u2015\u2212"
_SPACE_OR_DASH = re.compile(rf"[\s{_DASHES}]")
_SPACE = re.compile(r"\s")
_COUNTRY = re.compile(r"^(?:\+86|0086)")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(
    rf"(0[0-9]{{2,3}})[{_DASHES}]?([0-9]{{7,8}})(?:(?:转|[{_DASHES}]|ext)([0-9]+))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ListPhone:
    """A list row's phone as the import judges it: a key (mobile or landline), or a reason."""

    kind: str = ""  # MOBILE | LANDLINE | "" when rejected
    key: str = ""  # 11 digits; or area code + number [+ 'x' + extension]
    reason: str = ""  # one of REJECT_REASONS when rejected

    @property
    def ok(self) -> bool:
        return not self.reason


def list_phone(raw: str) -> ListPhone:
    """Judge one list row's phone, rules 2-5 of the list import, in their order.

    2. NFKC (full-width digits, ＋, －) and strip; nothing left: empty_phone.
    3. Without whitespace and dashes and a leading +86/0086: 1[3-9] + 9 digits is a mobile.
    4. Else, whitespace removed but dashes kept: 0 + 2-3 digit area code, an optional dash,
       7-8 digits, optionally an extension after 转, a dash or ext, is a landline.
    5. Anything else is rejected, judged on rule 3's text.
    """
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return ListPhone(reason="empty_phone")
    bare = _COUNTRY.sub("", _SPACE_OR_DASH.sub("", text))
    if _MOBILE.fullmatch(bare):
        return ListPhone(MOBILE, bare)
    landline = _LANDLINE.fullmatch(_SPACE.sub("", text))
    if landline:
        area, number, extension = landline.groups()
        return ListPhone(LANDLINE, area + number + (f"x{extension}" if extension else ""))
    return ListPhone(reason=_rejection(bare))


def _rejection(bare: str) -> str:
    # "Any non-digit": nothing left after rule 3 (a phone of only dashes, or only "+86") has
    # no non-digit, so it falls through to invalid_format, as the rules' order says.
    if any(not "0" <= ch <= "9" for ch in bare):
        return "invalid_chars"
    if bare.startswith("1") and len(bare) < 11:
        return "too_short"
    if bare.startswith("1") and len(bare) > 11:
        return "too_long"
    if len(bare) == 11 and bare[:2] in ("10", "11", "12"):
        return "invalid_prefix"
    return "invalid_format"
