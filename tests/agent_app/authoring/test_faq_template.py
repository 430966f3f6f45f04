"""The FAQ template as the trainer first sees it in the preview: every heading, 注意事项 /
Notes included, stands over a line to replace, never over an empty list."""

from __future__ import annotations

import re

import pytest

from agent_app.authoring import templates
from agent_app.authoring.preview import preview_html


@pytest.mark.parametrize(("lang", "notes"), [("zh_CN", "注意事项"), ("en", "Notes")])
def test_no_heading_of_the_faq_template_is_empty(lang: str, notes: str) -> None:
    page = preview_html("faq", templates.template("faq", lang))
    assert f"<h2>{notes}</h2>" in page
    assert "<li></li>" not in page
    # What follows each heading, up to the next one, has text of its own.
    sections = re.split(r"<h2>[^<]*</h2>", page)[1:]
    assert len(sections) == 3
    for section in sections:
        assert re.sub(r"<[^>]+>|\s", "", section), section
    notes_section = page.split(f"<h2>{notes}</h2>", 1)[1]
    assert re.search(r"<li>\S.*</li>", notes_section)
