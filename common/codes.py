"""A code a center configures and people pick from a list, with its Chinese and English names:
a not-ready reason, a wrap-up category, later a campaign outcome or a complaint type.

The code is what is stored and sent; the names are what the window shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.texts import pick


@dataclass(frozen=True)
class Code:
    code: str
    zh: str
    en: str

    def name(self, language: str | None = None) -> str:
        """The name in `language` (the language in use by default)."""
        return pick(self.zh, self.en, language)


def code_name(code: str, codes: tuple[Code, ...], language: str | None = None) -> str:
    """The name of `code` among `codes`; the code itself when it is not (or no longer) listed."""
    for item in codes:
        if item.code == code:
            return item.name(language)
    return code
