"""One language state and one way to pick a table's text; the phone's texts use it too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent_app.phone import messages as phone_messages
from common import texts
from kb import messages as kb_messages


@pytest.fixture(autouse=True)
def restore_language() -> Iterator[None]:
    before = texts.language()
    yield
    texts.set_language(before)


def test_translate_follows_the_one_language_state() -> None:
    table = {"hello": ("你好，{name}", "hello, {name}")}
    texts.set_language("zh_CN")
    assert texts.translate(table, "hello", name="张三") == "你好，张三"
    texts.set_language("en_US")
    assert texts.translate(table, "hello", name="Zhang") == "hello, Zhang"
    assert texts.pick("是", "yes", "zh_CN") == "是"


def test_kb_and_phone_texts_switch_together() -> None:
    kb_messages.set_language("en")
    assert phone_messages.tr("sip_busy") == "busy"
    assert kb_messages.tr("no_results") == "no results"
    kb_messages.set_language("zh_CN")
    assert phone_messages.tr("sip_busy") == "对方忙"


def test_the_phone_no_longer_reads_kb_messages() -> None:
    source = phone_messages.__file__
    with open(source, encoding="utf-8") as handle:
        assert "kb.messages" not in handle.read()
