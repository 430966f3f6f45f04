"""The softphone's seat policies, Qt-free: call-action shortcuts and who sees customers' numbers.

Shortcuts are Ctrl+Shift+letter so they never meet the knowledge-base pane's Ctrl+K / Ctrl+N
or an input method's own keys, and work while the agent types in any field of the window.
"""

from __future__ import annotations

from common.numbers import mask, match_key, tidy

# Every call action, its default key sequence (Qt's portable text form).
DEFAULT_SHORTCUTS: dict[str, str] = {
    "answer": "Ctrl+Shift+A",
    "hangup": "Ctrl+Shift+H",
    "reject": "Ctrl+Shift+B",  # busy
    "hold": "Ctrl+Shift+O",
    "mute": "Ctrl+Shift+M",
    "transfer": "Ctrl+Shift+T",
    "consult": "Ctrl+Shift+C",  # attended transfer: consult, then complete
    "conference": "Ctrl+Shift+F",
    "record": "Ctrl+Shift+R",
    "dial": "Ctrl+Shift+D",  # focus the number field; Enter dials
    "keypad": "Ctrl+Shift+P",
    "ready": "Ctrl+Shift+Y",  # toggles Ready / Not ready
}
# The ones the settings dialog offers to change (the rest keep their defaults).
CONFIGURABLE = ("answer", "hangup", "hold", "mute", "transfer", "consult", "reject")


def shortcuts(overrides: dict[str, str]) -> dict[str, str]:
    """The defaults with the agent's changes; an empty override removes that shortcut."""
    merged = dict(DEFAULT_SHORTCUTS)
    for action, keys in overrides.items():
        if action in merged:
            merged[action] = keys
    return merged


def conflicts(mapping: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of actions given the same keys (compared case-insensitively), and clashes with
    the window's own shortcuts."""
    reserved = {"ctrl+k": "search", "ctrl+n": "not_answered", "ctrl+q": "quit"}
    seen: dict[str, str] = {}
    found: list[tuple[str, str]] = []
    for action, keys in mapping.items():
        key = keys.replace(" ", "").lower()
        if not key:
            continue
        if key in reserved:
            found.append((action, reserved[key]))
        elif key in seen:
            found.append((seen[key], action))
        else:
            seen[key] = action
    return found


def masks_numbers(role: str, masked_roles: list[str]) -> bool:
    """Whether this role sees numbers masked. Nobody logged in (role '') is masked too: the
    seat does not know yet whether its user may see them."""
    return not role or role in masked_roles


def shown_number(number: str, masked: bool) -> str:
    """The number as the agent sees it. Masked, it is first brought to its national form
    (+86 138-0013-8000 -> 138****8000), so every shape of one number masks the same way."""
    if not masked or not number:
        return number
    return mask(match_key(number) or tidy(number))
