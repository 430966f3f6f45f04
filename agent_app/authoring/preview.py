"""The editor's live preview as HTML (Qt-free): an article in Markdown as agents will read it
(common/markdown_html.py); a call script as the agent walks it, node by node, each with its
buttons and where they lead, customer fields shown as the names the list fills in.
"""

from __future__ import annotations

import html

from common.markdown_html import markdown_to_html
from common.scripts import parse_script, script_problems
from common.texts import pick

CSS = (
    "<style>body { font-size: 13px; } h1, h2, h3 { color: #1e3a8a; } "
    "table { border-collapse: collapse; } td, th { border: 1px solid #cbd5e1; padding: 2px 6px; } "
    "code { background: #f1f5f9; } .node { color: #6b7280; font-size: 12px; } "
    ".button { background: #dbeafe; color: #1e3a8a; } .field { color: #7c3aed; }</style>"
)


def preview_html(article_type: str, body: str) -> str:
    if article_type != "script" or script_problems(body):
        return CSS + markdown_to_html(body)  # a broken script: its text as written
    script = parse_script(body)
    parts = [CSS]
    for node in script.nodes:
        title = node.title or pick("开场", "Opening")
        parts.append(f"<p class='node'>▸ {html.escape(title)}</p>")
        page = markdown_to_html(node.text)
        for name in script.field_names():  # what the customer list fills in, marked
            page = page.replace(
                html.escape("{" + name + "}", quote=False),
                f"<span class='field'>〔{html.escape(name)}〕</span>",
            )
        parts.append(page)
        if node.choices:
            buttons = " ".join(
                f"<span class='button'>&nbsp;{html.escape(c.label)}&nbsp;</span>"
                f"→{html.escape(c.target)}"
                for c in node.choices
            )
            parts.append(f"<p>{buttons}</p>")
        else:
            parts.append(
                f"<p class='node'>{html.escape(pick('（话术结束）', '(end of script)'))}</p>"
            )
        parts.append("<hr>")
    return "".join(parts)
