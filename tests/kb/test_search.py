"""Searching a small fixed corpus: ranking, aliases, synonyms, pinyin, typos, filters, feedback."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from kb.knowledge_base import KnowledgeBase
from kb.models import Article, SearchFilters
from kb.paths import DB_FILENAME
from tests.conftest import KbFactory
from tests.helpers.kb_helpers import hit_ids, make_article

# key, type, business line, category, title, body, aliases, tags
CORPUS: list[tuple[str, str, str, str, str, str, list[str], list[str]]] = [
    ("np", "faq", "telecom", "电信/携号转网", "携号转网办理条件",
     "办理携号转网需满足：号码已实名登记、没有欠费、未处于停机状态。客户本人携带身份证到营业厅办理。",
     [], ["转网"]),
    ("bb_repair", "flow", "telecom", "电信/宽带/报修", "宽带报修流程",
     "客户反映无法上网时，先指导重启光猫和路由器；仍无法恢复的，登记报修工单，承诺24小时内上门。",
     ["网断了"], []),
    ("onu", "faq", "telecom", "电信/宽带", "光猫指示灯说明",
     "PON灯常亮表示线路正常，LOS灯闪红表示光信号中断，需要登记报修。", [], []),
    ("bb_fee", "faq", "telecom", "电信/宽带业务", "宽带业务资费",
     "宽带月租按带宽档位收取，新装赠送首月。", [], []),
    ("bill", "faq", "telecom", "电信/账单", "话费账单查询",
     "客户可通过短信、掌上营业厅或拨打热线查询当月话费账单。", [], []),
    ("complaint", "complaint_guide", "telecom", "电信/投诉", "投诉升级处理指引",
     "坐席无法当场解决的投诉，记录诉求后升级给现场主管，并在两小时内回访客户。", [], []),
    ("voicemail", "faq", "telecom", "电信/增值业务", "如何关闭语音信箱",
     "拨打客服热线，按语音提示关闭语音信箱功能。", [], []),
    ("prop_fee", "faq", "property", "物业/缴费", "物业费缴费方式",
     "物业费可通过微信公众号、支付宝生活缴费或物业前台缴纳，支持按季度或按年缴纳。", [], []),
    ("parking", "faq", "property", "物业/停车", "停车费标准",
     "地面停车每月一百五十元，地下车位每月三百元，临时停车首小时免费。", [], []),
    ("lift", "script", "property", "物业/报修", "电梯故障报修话术",
     "您好，请问电梯停在几楼？是否有人被困？我们马上通知维保单位到场。", [], []),
    ("care", "flow", "elderly_care", "养老/上门服务", "居家养老上门服务预约",
     "登记老人地址与需求，预约护理员上门时间，服务后回访满意度。", ["助老上门"], []),
    ("move_in", "faq", "home_upgrade", "房屋配套/拎包入住", "拎包入住套餐介绍",
     "套餐包含家具家电与软装，签约后四十五天交付。", [], []),
    ("rent", "flow", "real_estate", "不动产/出租", "房屋出租委托流程",
     "业主签署委托协议，提供房产证复印件，我们负责带看与签约。", [], []),
    ("english", "faq", "education", "社区教育/少儿", "少儿英语体验课报名",
     "三到八岁儿童可报名免费体验课，每周六上午开课。", [], []),
    ("risk", "script", "finance", "社区金融/理财", "理财产品风险提示话术",
     "理财非存款，产品有风险，投资须谨慎。请确认您的风险承受能力评估结果。", [], []),
]  # fmt: skip

_NS = uuid.UUID("0c6f7c1e-2f0a-4b57-9d0e-3a1d5a6b7c80")
ID = {key: str(uuid.uuid5(_NS, key)) for key, *_ in CORPUS}
KEY = {v: k for k, v in ID.items()}


def corpus_articles() -> list[Article]:
    return [
        Article(
            uuid=ID[key],
            type=kind,
            business_line=line,
            category=category,
            title=title,
            body=body,
            aliases=aliases,
            tags=tags,
        )  # fmt: skip
        for key, kind, line, category, title, body, aliases, tags in CORPUS
    ]


def fill(kb: KnowledgeBase) -> KnowledgeBase:
    for article in corpus_articles():
        kb.store.save_article(article)
    return kb


@pytest.fixture
def corpus_kb(kb_factory: KbFactory) -> KnowledgeBase:
    """The corpus with its index built and ready."""
    kb = fill(kb_factory())
    assert kb.ensure_index() is True
    return kb


@pytest.fixture
def fallback_kb(kb_factory: KbFactory) -> KnowledgeBase:
    """The corpus with no index opened: every search is answered from SQLite."""
    kb = fill(kb_factory())
    assert not kb.is_ready
    return kb


def keys(kb: KnowledgeBase, query: str, filters: SearchFilters | None = None) -> list[str]:
    response = kb.search(query, filters)
    return [KEY.get(u, u) for u in hit_ids(response)]


# -- ranking -------------------------------------------------------------------------------------
def test_results_come_from_the_index(corpus_kb: KnowledgeBase) -> None:
    response = corpus_kb.search("携号转网")
    assert not response.from_fallback
    assert hit_ids(response)[0] == ID["np"]
    assert response.hits[0].title == "携号转网办理条件"
    assert response.hits[0].type == "faq" and response.hits[0].business_line == "telecom"
    assert response.hits[0].category == "电信/携号转网"


def test_title_hit_outranks_body_only_hit(corpus_kb: KnowledgeBase) -> None:
    found = keys(corpus_kb, "光猫")
    assert found.index("onu") < found.index("bb_repair")  # 光猫 in the title vs in the body
    found = keys(corpus_kb, "报修")
    assert found.index("bb_repair") < found.index("onu")
    assert found.index("lift") < found.index("onu")


def test_scores_are_descending(corpus_kb: KnowledgeBase) -> None:
    scores = [h.score for h in corpus_kb.search("宽带报修").hits]
    assert scores == sorted(scores, reverse=True)
    assert all(s > 0 for s in scores)


def test_limit(corpus_kb: KnowledgeBase) -> None:
    assert len(corpus_kb.search("客户", limit=2).hits) == 2


@pytest.mark.parametrize(("query", "key"), [("网断了", "bb_repair"), ("助老上门", "care")])
def test_alias_finds_the_article(corpus_kb: KnowledgeBase, query: str, key: str) -> None:
    assert keys(corpus_kb, query)[0] == key


def test_synonym_group_expands_the_query_without_reindexing(corpus_kb: KnowledgeBase) -> None:
    if "缴费" not in corpus_kb.analyzer.synonyms("交钱"):  # not already a built-in group
        assert "prop_fee" not in keys(corpus_kb, "交钱")
    corpus_kb.store.add_synonym_group(["缴费", "交钱"])
    response = corpus_kb.search("交钱")
    assert not response.from_fallback, "synonyms expand at query time: the index stays usable"
    assert [KEY.get(u) for u in hit_ids(response)][:1] == ["prop_fee"]
    assert "<b>缴费</b>" in response.hits[0].snippet
    assert corpus_kb.open_index() is True


@pytest.mark.parametrize(
    ("query", "key"),
    [("xhzw", "np"), ("xiehaozhuanwang", "np"), ("XHZW", "np"), ("wuyefei", "prop_fee")],
)
def test_pinyin_and_initials(corpus_kb: KnowledgeBase, query: str, key: str) -> None:
    assert keys(corpus_kb, query)[:1] == [key]


def test_initials_of_a_lexicon_phrase_no_title_spells_out(kb: KnowledgeBase) -> None:
    """'gmhd' are the initials of 光猫红灯 (a domain phrase of the lexicon); the title holds
    光猫 and 红灯 apart, so its own pinyin phrases never spell 'gmhd'. A trainer's new word
    counts too."""
    lamp = make_article("光猫指示灯含义与红灯处理", "LOS 灯红灯闪烁：光纤信号中断。")
    other = make_article("光猫恢复出厂设置", "长按 reset 键十秒。")
    kb.save_article(lamp)
    kb.save_article(other)
    assert hit_ids(kb.search("gmhd"))[:1] == [lamp.uuid]
    assert hit_ids(kb.search("guangmaohongdeng"))[:1] == [lamp.uuid]
    assert kb.search("gmcc").hits == []  # not a phrase of the lexicon yet
    kb.store.add_user_word("光猫出厂")
    kb.ensure_index()
    assert hit_ids(kb.search("gmcc"))[:1] == [other.uuid]


def test_a_new_builtin_synonym_group_reaches_an_older_data_folder(tmp_path: Path) -> None:
    """Built-in groups used to be seeded once, into an empty table: a data folder made by an
    older release never got the groups (and the terms) later releases added."""
    folder = tmp_path / "seat"
    older = KnowledgeBase(folder)
    older.close()
    conn = sqlite3.connect(folder / DB_FILENAME)  # as an older release left it
    try:
        conn.execute("DELETE FROM synonym_groups WHERE terms LIKE '%宽带故障%'")
        conn.commit()
    finally:
        conn.close()
    kb = KnowledgeBase(folder)
    try:
        groups = kb.store.synonym_groups()
        assert ["宽带故障", "宽带报修", "宽带坏了", "宽带报障"] in groups
        assert len(groups) == len({tuple(g) for g in groups}), "nothing seeded twice"
        assert "宽带故障" in kb.analyzer.synonyms("宽带报修")
    finally:
        kb.close()


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("宽带报秀流程", "bb_repair"),  # homophone typo from a pinyin input method
        ("携号转往", "np"),
        ("停车废标准", "parking"),
        ("物业费缴贵方式", "prop_fee"),  # a wrong character that sounds different
        ("电梯故樟", "lift"),
    ],
)
def test_one_character_typo_still_finds_the_article(
    corpus_kb: KnowledgeBase, query: str, key: str
) -> None:
    assert key in keys(corpus_kb, query)[:3]


def test_natural_question_finds_the_article(corpus_kb: KnowledgeBase) -> None:
    assert keys(corpus_kb, "请问如何办理携号转网呢？")[0] == "np"
    assert keys(corpus_kb, "宽带断了怎么报修")[0] == "bb_repair"


def test_question_words_alone_do_not_match(corpus_kb: KnowledgeBase) -> None:
    """'如何' is a question word: sharing it is no reason to show 如何关闭语音信箱."""
    assert "如何" in corpus_kb.analyzer.stopwords, (
        "the question-word stoplist (common/resources/kb/stopwords.txt) lacks 如何"
    )
    found = keys(corpus_kb, "请问如何办理携号转网呢？")
    assert found[0] == "np"
    assert "voicemail" not in found


def test_query_of_only_question_words_still_searches(corpus_kb: KnowledgeBase) -> None:
    """QueryBuilder's promise: a query of nothing but question words searches them."""
    assert "voicemail" in keys(corpus_kb, "如何")


# -- filters -------------------------------------------------------------------------------------
@pytest.fixture(params=["index", "fallback"])
def any_kb(request: pytest.FixtureRequest) -> KnowledgeBase:
    kb: KnowledgeBase = request.getfixturevalue(
        f"{'corpus' if request.param == 'index' else 'fallback'}_kb"
    )
    return kb


def _line(key: str) -> str:
    return next(c[2] for c in CORPUS if c[0] == key)


def _category(key: str) -> str:
    return next(c[3] for c in CORPUS if c[0] == key)


def _type(key: str) -> str:
    return next(c[1] for c in CORPUS if c[0] == key)


def test_filter_by_type(any_kb: KnowledgeBase) -> None:
    found = keys(any_kb, "报修", SearchFilters(type="flow"))
    assert found and found[0] == "bb_repair"
    assert all(_type(k) == "flow" for k in found)
    script = keys(any_kb, "报修", SearchFilters(type="script"))
    assert script == ["lift"]


def test_filter_by_business_line(any_kb: KnowledgeBase) -> None:
    assert keys(any_kb, "报修", SearchFilters(business_line="property")) == ["lift"]
    found = keys(any_kb, "报修", SearchFilters(business_line="telecom"))
    assert {"bb_repair", "onu"} <= set(found)
    assert all(_line(k) == "telecom" for k in found)


@pytest.mark.parametrize(
    ("category", "query", "expected"),
    [
        ("电信", "宽带", {"bb_repair", "bb_fee"}),
        ("电信/宽带", "报修", {"bb_repair", "onu"}),
        ("电信/宽带", "宽带", {"bb_repair"}),  # 电信/宽带业务 is a sibling, not a child
        ("电信/宽带/报修", "报修", {"bb_repair"}),
        ("物业", "报修", {"lift"}),
    ],
)
def test_filter_by_category_path_prefix(
    any_kb: KnowledgeBase, category: str, query: str, expected: set[str]
) -> None:
    found = keys(any_kb, query, SearchFilters(category=category))
    assert set(found) == expected
    for k in found:
        assert _category(k) == category or _category(k).startswith(category + "/")


def test_combined_filters(any_kb: KnowledgeBase) -> None:
    filters = SearchFilters(type="faq", business_line="telecom", category="电信/宽带")
    assert keys(any_kb, "报修", filters) == ["onu"]


# -- snippets ------------------------------------------------------------------------------------
def test_snippet_highlights_the_query_word(corpus_kb: KnowledgeBase) -> None:
    hits = {h.uuid: h for h in corpus_kb.search("光猫").hits}
    assert "<b>光猫</b>" in hits[ID["bb_repair"]].snippet
    assert "<b>" not in hits[ID["onu"]].snippet  # its body does not hold the word
    assert len(hits[ID["onu"]].snippet) > 0, "a snippet is shown even without a match"


def test_snippet_is_html_escaped_and_windowed(kb: KnowledgeBase) -> None:
    body = "前言" * 60 + "先检查光猫<电源&插头是否松动。" + "后记" * 60
    article = make_article("光猫电源检查", body)
    kb.save_article(article)
    snippet = kb.search("光猫").hits[0].snippet
    assert "<b>光猫</b>&lt;电源&amp;插头" in snippet
    assert snippet.replace("<b>", "").replace("</b>", "").count("<") == 0
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < len(body) // 2, "a window around the match, not the whole body"


# -- feedback ------------------------------------------------------------------------------------
def _twins(kb: KnowledgeBase) -> tuple[str, str]:
    """Two articles whose text scores identically for '门禁卡补办'; returns (first, second)."""
    body = "携带身份证和房产证明到物业服务中心补办门禁卡，工本费二十元，当场可取。"
    for district in ("东区", "西区"):
        kb.save_article(make_article(f"门禁卡补办（{district}）", body))
    hits = kb.search("门禁卡补办").hits
    assert len(hits) == 2
    assert hits[0].score == pytest.approx(hits[1].score), "the twins must tie before feedback"
    return hits[0].uuid, hits[1].uuid


def test_helpful_feedback_raises_an_article(kb: KnowledgeBase) -> None:
    first, second = _twins(kb)
    for _ in range(3):
        kb.record_feedback(second, "helpful", query="门禁卡补办")
    hits = kb.search("门禁卡补办").hits
    assert [h.uuid for h in hits] == [second, first]
    assert hits[0].score > hits[1].score


def test_not_helpful_feedback_lowers_an_article(kb: KnowledgeBase) -> None:
    first, second = _twins(kb)
    for _ in range(3):
        kb.record_feedback(first, "not_helpful", query="门禁卡补办")
    assert hit_ids(kb.search("门禁卡补办")) == [second, first]


def test_feedback_does_not_outweigh_a_much_better_match(corpus_kb: KnowledgeBase) -> None:
    for _ in range(20):
        corpus_kb.record_feedback(ID["bb_repair"], "helpful")
    assert keys(corpus_kb, "光猫")[0] == "onu"


# -- live updates --------------------------------------------------------------------------------
def test_saved_article_is_searchable_at_once(corpus_kb: KnowledgeBase) -> None:
    article = make_article(
        "琥珀鲸会员卡退订", "退订琥珀鲸会员卡请拨打热线。", business_line="telecom"
    )
    _, action = corpus_kb.save_article(article)
    assert action == "created"
    response = corpus_kb.search("琥珀鲸")
    assert not response.from_fallback
    assert hit_ids(response) == [article.uuid]
    assert corpus_kb.is_ready
    assert corpus_kb.open_index() is True, "caught up without a rebuild"


def test_edited_article_is_found_once_with_its_new_text(corpus_kb: KnowledgeBase) -> None:
    article = make_article("琥珀鲸会员卡退订", "退订请拨打热线。")
    corpus_kb.save_article(article)
    assert hit_ids(corpus_kb.search("琥珀鲸")) == [article.uuid]

    article.title = "琥珀鲸会员卡退订与退款"
    article.body = "退订请拨打热线，退款三个工作日到账。"
    corpus_kb.save_article(article)
    hits = corpus_kb.search("琥珀鲸").hits
    assert [(h.uuid, h.title) for h in hits] == [(article.uuid, "琥珀鲸会员卡退订与退款")]
    assert [h.uuid for h in corpus_kb.search("退款").hits] == [article.uuid]
    assert corpus_kb.index.doc_count() == corpus_kb.store.count_searchable()


def test_deleted_article_leaves_the_results(corpus_kb: KnowledgeBase) -> None:
    corpus_kb.delete_article(ID["parking"])
    assert "parking" not in keys(corpus_kb, "停车费标准")
    assert corpus_kb.index.doc_count() == corpus_kb.store.count_searchable() == len(CORPUS) - 1


def test_many_edits_keep_the_index_in_step(corpus_kb: KnowledgeBase) -> None:
    """Enough small commits for Whoosh to merge segments: counts and results stay right."""
    article = make_article("琥珀鲸套餐", "第0版")
    for version in range(12):
        article.body = f"第{version}版说明，琥珀鲸套餐。"
        corpus_kb.save_article(article)
    assert hit_ids(corpus_kb.search("琥珀鲸")) == [article.uuid]
    assert corpus_kb.index.doc_count() == len(CORPUS) + 1


def test_draft_and_archived_articles_are_not_searchable(kb: KnowledgeBase) -> None:
    draft = make_article("琥珀鲸草稿", status="draft")
    archived = make_article("琥珀鲸归档", status="archived")
    live = make_article("琥珀鲸正式")
    for a in (draft, archived, live):
        kb.save_article(a)
    assert hit_ids(kb.search("琥珀鲸")) == [live.uuid]
    draft.status = "published"
    kb.save_article(draft)
    assert set(hit_ids(kb.search("琥珀鲸"))) == {live.uuid, draft.uuid}


# -- the lexicon ---------------------------------------------------------------------------------
def test_user_word_changes_fingerprint_and_forces_a_rebuild(corpus_kb: KnowledgeBase) -> None:
    word = "智慧养老床垫"
    article = make_article(
        "智慧养老床垫租赁", "床垫可监测心率与离床，按月租赁。", business_line="elderly_care"
    )
    corpus_kb.save_article(article)
    assert word not in corpus_kb.analyzer.words(word), "choose a word the segmenter splits"
    before = corpus_kb.analyzer.fingerprint

    corpus_kb.store.add_user_word(word, added_by="trainer01")
    assert corpus_kb.analyzer.fingerprint != before
    assert word in corpus_kb.analyzer.words(f"{word}怎么租")
    assert corpus_kb.search(word).from_fallback, "searches keep working until the rebuild"
    assert corpus_kb.open_index() is False
    assert corpus_kb.ensure_index() is True

    response = corpus_kb.search(word)
    assert not response.from_fallback
    assert hit_ids(response)[0] == article.uuid
    assert corpus_kb.open_index() is True, "after the rebuild the index matches the lexicon"
    assert corpus_kb.ensure_index() is False


def test_user_word_added_by_another_process_is_noticed(
    kb_factory: KbFactory, corpus_kb: KnowledgeBase
) -> None:
    """The CLI (`kb add-word`) may change the lexicon while the app has the base open."""
    other = kb_factory(corpus_kb.data_dir)
    other.store.add_user_word("智慧养老床垫")
    assert corpus_kb.open_index() is False
    assert corpus_kb.ensure_index() is True
    assert keys(corpus_kb, "携号转网")[0] == "np"
