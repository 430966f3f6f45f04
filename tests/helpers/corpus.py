"""Small fixed corpora for the desktop tests."""

from __future__ import annotations

import random
import uuid

from kb.models import Article


def article(n: int, title: str, body: str, **kw: object) -> Article:
    return Article(
        uuid=str(uuid.UUID(int=n)),
        type=str(kw.get("type", "faq")),
        title=title,
        body=body,
        category=str(kw.get("category", "电信/宽带")),
        business_line=str(kw.get("business_line", "telecom")),
        tags=list(kw.get("tags", [])),  # type: ignore[call-overload]
        aliases=list(kw.get("aliases", [])),  # type: ignore[call-overload]
    )


SMALL_CORPUS = [
    article(
        1,
        "宽带报装需要准备哪些材料",
        "办理**宽带报装**需带身份证原件和房产证或租房合同。",
        aliases=["装宽带"],
    ),
    article(
        2, "宽带断网怎么排查", "先看光猫指示灯：LOS 红灯说明光纤断了，需报障。", aliases=["网断了"]
    ),
    article(3, "宽带提速升级办理", "老用户可升级到千兆宽带，月费增加 30 元。"),
    article(
        4,
        "物业费缴费方式",
        "物业费可在前台、微信公众号或银行代扣缴纳。",
        category="物业服务/缴费",
        business_line="property",
    ),
    article(
        5,
        "携号转网办理条件",
        "在网满 120 天、无欠费、无合约即可办理携号转网。",
        category="电信/号码",
    ),
    article(
        6,
        "电梯故障报修流程",
        "电梯困人立即拨打 24 小时维修电话，安抚业主。",
        type="flow",
        category="物业服务/报修",
        business_line="property",
    ),
]

_WORDS = [
    "宽带",
    "光猫",
    "套餐",
    "话费",
    "充值",
    "物业费",
    "门禁",
    "停车",
    "装修",
    "报修",
    "电梯",
    "漏水",
    "养老",
    "助餐",
    "保险",
    "理赔",
    "早教",
    "课程",
    "租房",
    "合同",
]


def synthetic_corpus(count: int, seed: int = 7) -> list[Article]:
    """`count` plausible articles: enough that an index rebuild takes a noticeable while."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        words = rnd.sample(_WORDS, 4)
        body = "；".join(
            f"{rnd.choice(_WORDS)}相关问题请按{rnd.choice(_WORDS)}流程处理" for _ in range(12)
        )
        out.append(article(10_000 + i, f"{words[0]}{words[1]}问题第{i}号", body, tags=words[2:]))
    return out


def type_text(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a Chinese input method does: each character committed by an input-method event.

    (QTest's key clicks only know ASCII.)
    """
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QApplication.sendEvent(widget, event)
        QApplication.processEvents()
