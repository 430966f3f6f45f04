"""Texts in Simplified Chinese first and English second, for code that has no Qt: the language
in use, and picking a table's text in it.

Qt widgets translate through Qt Linguist; the Qt-free parts (the knowledge base's import
reports, the phone's errors, the command line, the API client's error texts) keep both
languages in `{key: (Chinese, English)}` tables and choose at display time through here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANG_ENV = "SEATDESK_LANG"
DEFAULT_LANGUAGE = "zh_CN"

# The one language state of the process (the app sets it from its settings, main.py from
# --lang); the environment variable is the default so child processes inherit the choice.
_language = os.environ.get(LANG_ENV) or DEFAULT_LANGUAGE

Table = Mapping[str, tuple[str, str]]


def set_language(lang: str) -> None:
    """'zh_CN' (default) or 'en' (anything starting 'en')."""
    global _language
    _language = lang or DEFAULT_LANGUAGE


def language() -> str:
    return _language


def is_english(lang: str | None = None) -> bool:
    return (lang if lang is not None else _language).startswith("en")


def pick(chinese: str, english: str, lang: str | None = None) -> str:
    """The text for `lang` (the language in use by default)."""
    return english if is_english(lang) else chinese


def translate(table: Table, key: str, **kwargs: object) -> str:
    """`table[key]` is (Chinese, English): the one for the language in use, filled in."""
    zh, en = table[key]
    return pick(zh, en).format(**kwargs)
