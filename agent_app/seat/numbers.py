"""Phone numbers as the call log keeps them: tidy for display, and one key per customer.

The same customer arrives as 'sip:+8613800138000@pbx', '+86 138-0013-8000', '008613800138000'
or '13800138000'; `match_key` turns all of them into '13800138000' (Chinese national form:
mobiles 11 digits, landlines with their leading 0), so past calls are found whatever the shape.
"""

from __future__ import annotations

import re

_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９＊＃＋"}
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|,)\s*[0-9*#]+\s*$", re.IGNORECASE)
_TIDY_DROP = re.compile(r"[\s\-()（）\u2010-\u2015]")
_KEEP = re.compile(r"[^0-9A-Za-z+*#_.\-]")
MAX_NUMBER = 64


def user_part(text: str) -> str:
    """'sip:1001@pbx.local;transport=tcp' -> '1001'; other text is returned stripped."""
    value = (text or "").strip().strip("<>")
    if value.lower().startswith(("sip:", "sips:", "tel:")):
        value = value.split(":", 1)[1]
    return value.split("@", 1)[0].split(";", 1)[0]


def tidy(text: str) -> str:
    """A number for storing and showing: the user part of a SIP URI, without spaces, dashes and
    brackets (dots stay: SIP users may have them); only characters a number or SIP user may carry, at most 64 of them."""
    value = _TIDY_DROP.sub("", user_part(text).translate(_FULLWIDTH))
    return _KEEP.sub("", value)[:MAX_NUMBER]


def match_key(text: str) -> str:
    """One key per customer number ('' when there are no digits, e.g. 'anonymous')."""
    value = user_part(text).translate(_FULLWIDTH)
    value = _EXTENSION.sub("", value)
    plus = value.lstrip().startswith("+")
    digits = re.sub(r"\D", "", value)
    if not digits:
        return ""
    if plus:
        digits = "00" + digits
    if digits.startswith("0086"):
        rest = digits[4:]
    elif digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        rest = digits[2:]  # a mobile with the country code but no '+'
    else:
        return digits
    if rest.startswith("1") and len(rest) == 11:
        return rest
    return "0" + rest.lstrip("0")
