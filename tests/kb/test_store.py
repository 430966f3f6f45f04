"""The local knowledge-base file: articles with revisions, tombstones, usage logs, questions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb.models import Article, SearchFilters
from kb.store import KnowledgeStore
from tests.conftest import KbFactory
from tests.helpers.kb_helpers import content, hit_ids, make_article


@pytest.fixture
def store(tmp_path: Path) -> Iterator[KnowledgeStore]:
    s = KnowledgeStore(tmp_path / "kb.db")
    yield s
    s.close()


# -- saving and revisions ------------------------------------------------------------------------
def test_save_creates_version_one_and_a_revision(store: KnowledgeStore) -> None:
    article = make_article(
        "宽带报装需要哪些材料",
        "身份证原件；租户另需租房合同。",
        type="flow",
        category="电信/宽带",
        tags=["报装"],
        aliases=["装宽带"],
        business_line="telecom",
        contact_point="AAA1102",
    )
    stored, action = store.save_article(article, author="trainer01", note="first")
    assert action == "created"
    assert stored.version == 1
    assert stored.created_at and stored.updated_at and stored.review_due
    assert stored.seq == store.max_seq() == 1

    again = store.get_article(article.uuid)
    assert again is not None
    assert content(again) == content(article)
    assert again.version == 1

    revisions = store.revisions(article.uuid)
    assert len(revisions) == 1
    rev = revisions[0]
    assert (rev["version"], rev["author"], rev["note"]) == (1, "trainer01", "first")
    assert rev["title"] == article.title and rev["body"] == article.body
    assert rev["category"] == "电信/宽带" and rev["contact_point"] == "AAA1102"


def test_changed_content_makes_version_two(store: KnowledgeStore) -> None:
    article = make_article("停机保号", "保号期间每月收取五元。")
    first, _ = store.save_article(article)
    article.body = "保号期间每月收取五元，最长保留一年。"
    second, action = store.save_article(article, note="longer")

    assert action == "updated"
    assert second.version == 2
    assert second.created_at == first.created_at
    assert second.seq > first.seq
    revisions = store.revisions(article.uuid)
    assert [r["version"] for r in revisions] == [1, 2]
    assert [r["body"] for r in revisions] == ["保号期间每月收取五元。", article.body]
    assert len(list(store.articles())) == 1, "an update is not a second article"


def test_identical_content_is_unchanged(store: KnowledgeStore) -> None:
    article = make_article("话费查询", "发送短信 CXHF 到 10001。", tags=["话费"])
    store.save_article(article)
    seq = store.max_seq()

    copy = Article(**article.to_dict())
    stored, action = store.save_article(copy)
    assert action == "unchanged"
    assert stored.version == 1
    assert len(store.revisions(article.uuid)) == 1
    assert store.max_seq() == seq, "nothing changed, so no change number is used"
    assert store.changed_since(seq) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "script"),
        ("title", "新标题"),
        ("body", "新正文"),
        ("category", "电信/账单"),
        ("tags", ["新标签"]),
        ("aliases", ["新别名"]),
        ("business_line", "finance"),
        ("contact_point", "AAA2201"),
        ("status", "draft"),
    ],
)
def test_every_content_field_makes_a_revision(
    store: KnowledgeStore, field: str, value: object
) -> None:
    article = make_article("原标题", "原正文")
    store.save_article(article)
    setattr(article, field, value)
    stored, action = store.save_article(article)
    assert action == "updated"
    assert getattr(stored, field) == value
    assert getattr(store.get_article(article.uuid), field) == value
    assert len(store.revisions(article.uuid)) == 2


def test_changed_since_lists_changes_in_order(store: KnowledgeStore) -> None:
    a = make_article("甲")
    b = make_article("乙")
    store.save_article(a)
    store.save_article(b)
    mark = store.max_seq()
    a.body = "甲的新正文"
    store.save_article(a)
    store.delete_article(b.uuid)
    changed = store.changed_since(mark)
    assert [(x.uuid, x.status) for x in changed] == [(a.uuid, "published"), (b.uuid, "deleted")]
    assert [x.seq for x in changed] == sorted(x.seq for x in changed)


# -- deletion ------------------------------------------------------------------------------------
def test_delete_is_a_tombstone(store: KnowledgeStore) -> None:
    article = make_article("旧套餐说明", "该套餐已下线。")
    store.save_article(article)
    before = store.count_searchable()

    tomb = store.delete_article(article.uuid, author="manager")
    assert tomb is not None
    assert tomb.status == "deleted"
    assert tomb.version == 2

    kept = store.get_article(article.uuid)
    assert kept is not None and kept.status == "deleted"
    assert kept.title == "旧套餐说明", "a tombstone keeps the article's last content"
    revisions = store.revisions(article.uuid)
    assert [(r["status"], r["author"]) for r in revisions] == [
        ("published", ""),
        ("deleted", "manager"),
    ]
    assert article.uuid not in [a.uuid for a in store.articles()]
    assert store.count_searchable() == before - 1

    # Deleting again changes nothing; deleting what never existed is not an error.
    store.delete_article(article.uuid)
    assert len(store.revisions(article.uuid)) == 2
    assert store.delete_article("00000000-0000-4000-8000-00000000dead") is None


def test_deleted_article_is_not_searchable(kb_factory: KbFactory) -> None:
    kb = kb_factory(index=True)
    article = make_article("琥珀鲸会员卡退订", "退订琥珀鲸会员卡请拨打热线。")
    kb.save_article(article)
    assert hit_ids(kb.search("琥珀鲸")) == [article.uuid]

    kb.delete_article(article.uuid)
    response = kb.search("琥珀鲸")
    assert not response.from_fallback
    assert article.uuid not in hit_ids(response)

    kb.state = "broken"  # the fallback must not find tombstones either
    response = kb.search("琥珀鲸")
    assert response.from_fallback
    assert article.uuid not in hit_ids(response)


# -- feedback and popularity ---------------------------------------------------------------------
def test_feedback_counts_and_popularity(store: KnowledgeStore) -> None:
    a = make_article("甲")
    b = make_article("乙")
    store.save_article(a)
    store.save_article(b)
    for kind in ["helpful", "helpful", "helpful", "not_helpful", "click", "click"]:
        store.record_feedback(a.uuid, kind, query="甲")
    store.record_feedback(b.uuid, "not_helpful")

    assert store.feedback_counts(a.uuid) == {"helpful": 3, "not_helpful": 1, "click": 2}
    assert store.feedback_counts(b.uuid) == {"not_helpful": 1}
    assert store.feedback_counts("nobody") == {}
    popularity = store.popularity()
    assert popularity[a.uuid] == pytest.approx(3 - 1 + 0.5)
    assert popularity[b.uuid] == pytest.approx(-1.0)


def test_unknown_feedback_kind_is_refused(store: KnowledgeStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.record_feedback("some-uuid", "love")
    assert store.popularity() == {}


# -- search log ----------------------------------------------------------------------------------
def test_searches_are_logged_and_empty_ones_ranked(kb_factory: KbFactory) -> None:
    kb = kb_factory(index=True)
    misses: list[str] = []
    kb.store.on_search_miss = lambda query, _at: misses.append(query)
    article = make_article("宽带报修流程", "先重启光猫，再登记报修工单。", business_line="telecom")
    kb.save_article(article)

    kb.search("宽带报修", log_source="cli")
    kb.search("宽带报修", SearchFilters(business_line="telecom"), log_source="gui")
    for _ in range(3):
        kb.search("量子纠缠套餐", log_source="gui")
    kb.search("火星漫游资费", log_source="gui")
    kb.search("宽带", log_source=None)  # not logged
    kb.search("   ", log_source="gui")  # blank: nothing to log

    rows = kb.store.database.query("SELECT * FROM search_log ORDER BY id")
    assert [r["query"] for r in rows] == ["宽带报修"] * 2 + ["量子纠缠套餐"] * 3 + ["火星漫游资费"]
    assert rows[0]["result_count"] >= 1 and rows[0]["top_uuid"] == article.uuid
    assert rows[0]["source"] == "cli"
    assert '"business_line": "telecom"' in rows[1]["filters"]
    assert rows[2]["result_count"] == 0 and rows[2]["top_uuid"] == ""

    empty = kb.store.empty_searches()
    assert [(r["query"], r["times"]) for r in empty] == [("量子纠缠套餐", 3), ("火星漫游资费", 1)]
    assert [r["query"] for r in kb.store.empty_searches(limit=1)] == ["量子纠缠套餐"]

    # Each search that found nothing goes to the hook (the app queues it for the server, in
    # the search's transaction: tests/localdb/test_local_data.py).
    assert sorted(misses) == sorted(["量子纠缠套餐"] * 3 + ["火星漫游资费"])


# -- concurrency ---------------------------------------------------------------------------------
def test_concurrent_saves_keep_store_and_index_consistent(kb_factory: KbFactory) -> None:
    kb = kb_factory(index=True)
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        try:
            for i in range(10):
                kb.save_article(make_article(f"{prefix}业务说明{i}", f"{prefix}的第{i}条说明。"))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("宽带", "物业", "养老")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []

    articles = kb.store.articles()
    assert len(articles) == 30
    assert sorted(a.seq for a in articles) == list(range(1, 31)), "change numbers are unique"
    assert kb.is_ready
    assert kb.index.doc_count() == 30
    assert kb.open_index(), "the index agrees with the store"
