"""Reading SIP messages: display names, numbers, auto-answer requests."""

from agent_app.phone.sip_headers import auto_answer_delay, headers_of, parse_name_addr
from common.numbers import user_part

INVITE = (
    "INVITE sip:1001@127.0.0.1 SIP/2.0\r\n"
    'From: "张三" <sip:13800138000@pbx>;tag=1\r\n'
    "Call-Info: <sip:pbx>;answer-after=3\r\n"
    "Alert-Info: <http://x/ring>\r\n"
    "X-Queue: 物业报修\r\n"
    "Subject: a\r\n"
    " folded\r\n"
    "\r\n"
    "v=0\r\nX-Queue: not-a-header\r\n"
)


def test_headers_are_read_from_the_head_only() -> None:
    headers = headers_of(INVITE)
    assert headers["x-queue"] == "物业报修"
    assert headers["subject"] == "a folded"
    assert "not-a-header" not in headers["x-queue"]


def test_auto_answer_requests() -> None:
    assert auto_answer_delay(headers_of(INVITE)) == 3.0
    assert auto_answer_delay({"alert-info": "<http://x>;info=alert-autoanswer"}) == 0.0
    assert auto_answer_delay({"alert-info": "Auto Answer"}) == 0.0
    assert auto_answer_delay({"alert-info": "Ring Answer"}) == 0.0  # Yealink's
    assert auto_answer_delay({"alert-info": "<sip:x>;info=Ring Answer"}) == 0.0
    assert auto_answer_delay({"alert-info": "<http://x/ring>"}) is None
    assert auto_answer_delay({}) is None


def test_name_addr() -> None:
    assert parse_name_addr('"张三" <sip:138@pbx>') == ("张三", "sip:138@pbx")
    assert parse_name_addr("Bob <sip:2001@pbx;transport=tcp>") == (
        "Bob",
        "sip:2001@pbx;transport=tcp",
    )
    assert parse_name_addr("<sip:2001@pbx>") == ("", "sip:2001@pbx")
    assert parse_name_addr("sip:2001@pbx") == ("", "sip:2001@pbx")
    assert user_part("sip:2001@pbx;transport=tcp") == "2001"
    assert user_part("sips:+8613800138000@pbx") == "+8613800138000"
