"""The one numbers module: one extension rule for dialling and for the call log's customer key,
and the customer-list import rules of the outbound campaigns (issue 12, "List import" 2-5)."""

from __future__ import annotations

import pytest

from common.numbers import (
    LANDLINE,
    MOBILE,
    REJECT_REASONS,
    list_phone,
    match_key,
    normalize,
    tidy,
)


# -- one extension rule ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "number", "extension"),
    [
        ("010-88886666转123", "01088886666", "123"),
        ("010-88886666 分机 8001", "01088886666", "8001"),
        ("021 5555 1234 ext. 55", "02155551234", "55"),
        ("021 5555 1234 x55", "02155551234", "55"),
        ("021-5555-1234x55", "02155551234", "55"),
        ("02155551234,55", "02155551234", "55"),
        ("02155551234;55", "02155551234", "55"),
    ],
)
def test_dialling_and_the_call_log_agree_on_extensions(
    typed: str, number: str, extension: str
) -> None:
    """The phone used to accept 'x' and ';' while the call log's key did not, so a customer
    dialled as '… x55' was filed under another key than the same customer calling in."""
    target = normalize(typed)
    assert (target.number, target.extension) == (number, extension)
    assert match_key(typed) == number


def test_x_inside_a_sip_user_is_not_an_extension() -> None:
    assert normalize("fax123").number == "fax123"
    assert match_key("sip:fax123@pbx") == "123"


@pytest.mark.parametrize(
    "shape",
    ["sip:+8613800138000@pbx", "+86 138-0013-8000", "008613800138000", "8613800138000"],
)
def test_one_key_per_customer(shape: str) -> None:
    assert match_key(shape) == "13800138000"


def test_tidy_keeps_what_a_number_may_hold() -> None:
    assert tidy("sip:+86 138-0013-8000@pbx") == "+8613800138000"
    assert match_key("anonymous") == ""


# -- customer list import -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "kind", "key"),
    [
        ("13800138000", MOBILE, "13800138000"),
        (" 138 0013 8000 ", MOBILE, "13800138000"),
        ("138-0013-8000", MOBILE, "13800138000"),
        ("+86 138 0013 8000", MOBILE, "13800138000"),
        ("0086-13800138000", MOBILE, "13800138000"),
        ("１３８００１３８０００", MOBILE, "13800138000"),  # full-width digits (NFKC)
        ("＋８６１９９１２３４５６７８", MOBILE, "19912345678"),
        ("010-88886666", LANDLINE, "01088886666"),
        ("01088886666", LANDLINE, "01088886666"),
        ("0755 8888 666", LANDLINE, "07558888666"),
        ("０１０－８８８８６６６６", LANDLINE, "01088886666"),
        ("010-88886666转123", LANDLINE, "01088886666x123"),
        ("010-88886666-123", LANDLINE, "01088886666x123"),
        ("010-88886666ext55", LANDLINE, "01088886666x55"),
        ("010 8888 6666 EXT 55", LANDLINE, "01088886666x55"),
    ],
)
def test_list_phones_that_are_imported(raw: str, kind: str, key: str) -> None:
    judged = list_phone(raw)
    assert judged.ok and (judged.kind, judged.key) == (kind, key)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty_phone"),
        ("   ", "empty_phone"),
        ("\u3000", "empty_phone"),  # an ideographic space is whitespace after NFKC
        ("138001380a0", "invalid_chars"),
        ("电话 13800138000", "invalid_chars"),
        ("010-8888666６转", "invalid_chars"),
        ("1380013800", "too_short"),
        ("+86 1380013800", "too_short"),
        ("138001380001", "too_long"),
        ("10012345678", "invalid_prefix"),
        ("12345678901", "invalid_prefix"),
        ("23456789", "invalid_format"),
        ("95598", "invalid_format"),
        ("010888866", "invalid_format"),  # too short for any area code and number
    ],
)
def test_list_phones_that_are_rejected(raw: str, reason: str) -> None:
    judged = list_phone(raw)
    assert not judged.ok and judged.reason == reason and judged.key == ""
    assert reason in REJECT_REASONS


def test_mobile_is_tried_before_landline() -> None:
    """Rule 3 before rule 4: eleven digits starting 1[3-9] are a mobile even with dashes."""
    assert list_phone("139-1234-5678").kind == MOBILE
