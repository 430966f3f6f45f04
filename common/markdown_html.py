"""Markdown to HTML for what the window shows: call scripts now, the authoring preview later.

markdown-it-py (CommonMark) with raw HTML switched off: an article or a customer's data can
never put markup of its own into the window; tables and strikethrough are on because trainers
write them.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )


def markdown_to_html(text: str) -> str:
    """HTML for `text`; raw HTML in it is shown as text, not interpreted."""
    return str(_parser().render(text))
