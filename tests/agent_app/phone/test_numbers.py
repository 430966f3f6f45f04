"""Dial strings as agents type and paste them (no SIP needed): the shared numbers module's
dialling rules, and the phone's one error type for what cannot be dialled."""

import pytest

from agent_app.phone.messages import PhoneError, dial_target
from common.numbers import NumberError, mask, normalize


@pytest.mark.parametrize(
    ("typed", "number", "extension"),
    [
        ("13800138000", "13800138000", ""),
        ("138 0013 8000", "13800138000", ""),
        ("138-0013-8000", "13800138000", ""),
        ("+86 138 0013 8000", "13800138000", ""),
        ("+86-138-0013-8000", "13800138000", ""),
        ("008613800138000", "13800138000", ""),
        ("１３８００１３８０００", "13800138000", ""),  # full-width digits from a Chinese IME
        ("(010) 8888-6666", "01088886666", ""),
        ("（０１０）８８８８－６６６６", "01088886666", ""),
        ("+86 10 8888 6666", "01088886666", ""),
        ("0086 21 5555 1234", "02155551234", ""),
        ("010-88886666转123", "01088886666", "123"),
        ("010-88886666 分机 8001", "01088886666", "8001"),
        ("021 5555 1234 ext. 55", "02155551234", "55"),
        ("95598", "95598", ""),
        ("12345", "12345", ""),
        ("*72", "*72", ""),
        ("+1 415 555 0100", "0014155550100", ""),
    ],
)
def test_chinese_number_formats(typed: str, number: str, extension: str) -> None:
    target = normalize(typed)
    assert (target.number, target.extension) == (number, extension)
    assert target.sip_uri("pbx.example:5060") == f"sip:{number}@pbx.example:5060"


def test_sip_addresses_are_kept() -> None:
    target = normalize("sip:echo@127.0.0.1:5070;transport=tcp")
    assert target.uri == "sip:echo@127.0.0.1:5070;transport=tcp"
    assert target.number == "echo"
    assert normalize("1001@pbx.local").uri == "sip:1001@pbx.local"


@pytest.mark.parametrize(
    "typed", ["", "   ", "138-0013-800a", "12+34", "1001 @host", "张三", "x 123", "转123"]
)
def test_rubbish_is_refused_with_a_message(typed: str) -> None:
    with pytest.raises(NumberError) as raised:
        normalize(typed)
    assert str(raised.value)  # a sentence for the agent, not a traceback
    with pytest.raises(PhoneError) as as_phone_error:
        dial_target(typed)  # what the engine calls: the phone's callers catch PhoneError
    assert str(as_phone_error.value) == str(raised.value)


def test_named_extensions_are_sip_users() -> None:
    assert normalize("agent1002").number == "agent1002"
    assert normalize("agent1002").sip_uri("pbx") == "sip:agent1002@pbx"
    assert normalize("agent1002 转 8001").extension == "8001"


def test_masking_keeps_head_and_tail() -> None:
    assert mask("13800138000") == "138****8000"
    assert mask("95598") == "9****"
