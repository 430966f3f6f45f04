"""Not-ready reasons and wrap-up categories are one model: a code with its two names."""

from __future__ import annotations

from agent_app.seat.agent_state import DEFAULT_NOT_READY_REASONS, ReasonCode
from agent_app.seat.call_log import DEFAULT_WRAP_UP_CATEGORIES, WrapUpCategory
from common.codes import Code, code_name


def test_reason_codes_and_wrap_up_categories_share_the_model() -> None:
    assert ReasonCode is Code and WrapUpCategory is Code
    assert all(isinstance(c, Code) for c in DEFAULT_NOT_READY_REASONS)
    assert all(isinstance(c, Code) for c in DEFAULT_WRAP_UP_CATEGORIES)


def test_names_by_language_and_unknown_codes() -> None:
    codes = (Code("repair", "报修", "Repair request"),)
    assert codes[0].name("zh_CN") == "报修" and codes[0].name("en") == "Repair request"
    assert code_name("repair", codes, "en") == "Repair request"
    assert code_name("retired", codes, "zh_CN") == "retired"
