"""Contact-point codes (接触点编码) as the center's service process map writes them (DOMAIN.md,
"Service process map"; seed 002): a channel letter (A 电话人工, B IVR 自助, C 互联网, D 短信),
a brand letter (A 全球通, B 动感地带, C 神州行, D 地方品牌, E TD) and a four-digit business code
(digits 1-2 the category and sub-category, 3-4 the item), e.g. ``AA1102``.

The center's own flow charts print the codes with one more letter between channel and brand
(``AAA1102/AAB1102/AAC1102/AAD1102`` for one flow across four brands), so that form is taken
too: the brand is always the letter just before the digits. Whether a code is valid is
common/authoring.py's rule (the server checks it too); this module says what is wrong with one,
as the trainer types, in the user's language (common.texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common import authoring
from common.texts import translate

CHANNELS = {
    "A": ("电话人工服务", "agent phone"),
    "B": ("IVR 自助", "IVR"),
    "C": ("互联网", "internet"),
    "D": ("短信", "SMS"),
}
BRANDS = {
    "A": ("全球通", "GoTone"),
    "B": ("动感地带", "M-Zone"),
    "C": ("神州行", "Easyown"),
    "D": ("地方品牌", "local brand"),
    "E": ("TD", "TD"),
}
_SHAPE = re.compile(r"^([A-Z])([A-Z]?)([A-Z])(\d{4})$")

TEXTS = {
    "shape": (
        "接触点编码的格式是：渠道字母 + 品牌字母 + 4 位业务编码，例如 AA1102",
        "A contact-point code is a channel letter, a brand letter and 4 digits, e.g. AA1102",
    ),
    "channel": (
        "渠道字母“{letter}”不存在：A 电话人工、B IVR、C 互联网、D 短信",
        "There is no channel '{letter}': A agent phone, B IVR, C internet, D SMS",
    ),
    "brand": (
        "品牌字母“{letter}”不存在：A 全球通、B 动感地带、C 神州行、D 地方品牌、E TD",
        "There is no brand '{letter}': A GoTone, B M-Zone, C Easyown, D local brand, E TD",
    ),
    "business": (
        "业务编码“{digits}”无效：第 1 位（大类）不能是 0，后两位（业务编号）不能是 00",
        "The business code '{digits}' is not valid: its first digit (the category) cannot be "
        "0, nor its last two (the item) 00",
    ),
    "required": (
        "服务流程要填写它所对应的接触点编码",
        "A service flow needs the contact-point code it is for",
    ),
}


@dataclass(frozen=True)
class ContactPoint:
    channel: str
    brand: str
    business: str  # the four digits


def normalize(code: str) -> str:
    """What the trainer typed, as it is stored: trimmed, upper case."""
    return code.strip().upper()


def parse(code: str) -> ContactPoint | None:
    """The parts of a valid code (None when it is not one)."""
    return None if contact_point_problem(code) else _parts(normalize(code))


def _parts(code: str) -> ContactPoint | None:
    match = _SHAPE.match(code)
    if match is None:
        return None
    return ContactPoint(match.group(1), match.group(3), match.group(4))


def contact_point_problem(code: str, required: bool = False) -> str:
    """'' when `code` is a valid contact-point code (or empty and not `required`), else what is
    wrong, in the user's language."""
    code = normalize(code)
    if not code:
        return translate(TEXTS, "required") if required else ""
    match = _SHAPE.match(code)
    if match is None:
        return translate(TEXTS, "shape")
    channel, _middle, brand, digits = match.groups()
    if channel not in CHANNELS:
        return translate(TEXTS, "channel", letter=channel)
    if brand not in BRANDS:
        return translate(TEXTS, "brand", letter=brand)
    if authoring.contact_point_problem(code):
        return translate(TEXTS, "business", digits=digits)
    return ""
