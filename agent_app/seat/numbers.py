"""Phone numbers as the call log keeps them: tidy for display, and one key per customer.

The same customer arrives as 'sip:+8613800138000@pbx', '+86 138-0013-8000', '008613800138000'
or '13800138000'; `match_key` turns all of them into '13800138000' (Chinese national form:
mobiles 11 digits, landlines with their leading 0), so past calls are found whatever the shape.
"""

from __future__ import annotations

import re

from agent_app.phone.numbers import FULLWIDTH, national_form, user_part

_EXTENSION = re.compile(r"(?:转|分机|ext\.?|,)\s*[0-9*#]+\s*$", re.IGNORECASE)
_TIDY_DROP = re.compile(r"[\s\-()（）\u2010-\u2015]")
_KEEP = re.compile(r"[^0-9A-Za-z+*#_.\-]")
MAX_NUMBER = 64


def tidy(text: str) -> str:
    """A number for storing and showing: the user part of a SIP URI, without spaces, dashes and
    brackets (dots stay: SIP users may have them); only characters a number or SIP user may carry, at most 64 of them."""
    value = _TIDY_DROP.sub("", user_part(text).translate(FULLWIDTH))
    return _KEEP.sub("", value)[:MAX_NUMBER]


def match_key(text: str) -> str:
    """One key per customer number ('' when there are no digits, e.g. 'anonymous')."""
    value = _EXTENSION.sub("", user_part(text).translate(FULLWIDTH))
    plus = value.lstrip().startswith("+")
    digits = re.sub(r"\D", "", value)
    if not digits:
        return ""
    if not plus and digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        return digits[2:]  # a mobile with the country code but no '+'
    return national_form(("+" if plus else "") + digits)
