"""Reading what a SIP request carries beyond pjsua2's API: headers, numbers, auto-answer hints."""

from __future__ import annotations

import re

_NAME_ADDR = re.compile(r'^\s*(?:"(?P<q>(?:[^"\\]|\\.)*)"|(?P<t>[^<"]*?))\s*<(?P<uri>[^>]*)>')
_ANSWER_AFTER = re.compile(r"answer-after\s*=\s*(\d+(?:\.\d+)?)", re.IGNORECASE)
# Alert-Info values that ask for auto-answer: "info=alert-autoanswer" (Polycom, Cisco),
# "Auto Answer", "intercom", and Yealink's "Ring Answer".
_ALERT_AUTO = re.compile(
    r"auto[-_ ]?answer|alert-autoanswer|intercom|\bring[-_ ]?answer\b", re.IGNORECASE
)

INTERESTING = ("call-info", "alert-info", "x-queue", "x-campaign", "x-customer-id", "subject")


def headers_of(message: str, names: tuple[str, ...] = INTERESTING) -> dict[str, str]:
    """Header values (lower-case names, folded lines joined) from a whole SIP message."""
    head = message.split("\r\n\r\n", 1)[0].replace("\r\n ", " ").replace("\r\n\t", " ")
    found: dict[str, str] = {}
    for line in head.split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        key = name.strip().lower()
        if sep and key in names:
            found[key] = f"{found[key]}, {value.strip()}" if key in found else value.strip()
    return found


def auto_answer_delay(headers: dict[str, str]) -> float | None:
    """Seconds after which the server asks us to answer, or None when it does not ask."""
    match = _ANSWER_AFTER.search(headers.get("call-info", ""))
    if match:
        return float(match.group(1))
    if _ALERT_AUTO.search(headers.get("alert-info", "")):
        return 0.0
    return None


def parse_name_addr(value: str) -> tuple[str, str]:
    """('display name', 'sip:uri') from '"Name" <sip:uri>' or a bare URI."""
    match = _NAME_ADDR.match(value or "")
    if not match:
        return "", (value or "").strip()
    display = match.group("q") if match.group("q") is not None else (match.group("t") or "")
    return display.replace('\\"', '"').strip(), match.group("uri").strip()
