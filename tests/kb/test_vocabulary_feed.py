"""The feed kind `vocabulary` on a real local database and a real Whoosh index: the center's
synonym groups and user words are applied as the puller applies any page, and the agent's
search finds through them (a new synonym at once, a new word after the index rebuild)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.shell.local_data import LocalData
from common.wire import Change
from kb.vocabulary import Vocabulary, split_terms, split_words
from kb.vocabulary_feed import FEED_KIND
from sync.puller import apply_page
from sync.state import SyncKey, SyncState
from tests.helpers.kb_helpers import hit_ids, make_article

KEY = SyncKey("http://127.0.0.1:1", "agent1")


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalData]:
    data = LocalData(tmp_path / "data")
    with data.kb.store.transaction():
        for article in (
            make_article("光猫指示灯含义", "光猫的红灯表示光信号中断，请检查光纤。"),
            make_article("翼支付账户冻结处理", "翼支付账户被冻结时先核实身份。"),
            make_article("宽带报装材料", "身份证原件。"),
        ):
            data.kb.store.save_article(article)
    data.kb.ensure_index()
    yield data
    data.close()


def apply_vocabulary(local: LocalData, seq: int, groups: list[list[str]], words: list[str]) -> bool:
    change = Change(
        seq=seq,
        kind=FEED_KIND,
        uuid="vocabulary",
        data={"synonym_groups": groups, "user_words": words, "version": seq},
    )
    result = apply_page(
        local.database, local.registry, SyncState(local.database), KEY, [change], seq
    )
    return bool(result.news.get(FEED_KIND))


def test_a_new_synonym_group_is_found_through_after_one_page(local: LocalData) -> None:
    kb = local.kb
    target = next(a.uuid for a in kb.store.articles() if a.title.startswith("光猫"))
    assert target not in hit_ids(kb.search("小白盒"))

    assert apply_vocabulary(local, 1, [["光猫", "小白盒"]], [])

    response = kb.search("小白盒")
    assert not response.from_fallback
    assert hit_ids(response)[0] == target
    assert ["光猫", "小白盒"] in kb.store.synonym_groups()
    # The built-in groups stay beside the center's.
    assert (
        kb.store.database.scalar("SELECT count(*) FROM synonym_groups WHERE source = 'builtin'") > 0
    )


def test_the_same_vocabulary_again_is_no_news(local: LocalData) -> None:
    assert apply_vocabulary(local, 1, [["光猫", "小白盒"]], ["翼支付"])
    version = local.kb.store.lexicon_version()
    assert not apply_vocabulary(local, 2, [["光猫", "小白盒"]], ["翼支付"])
    assert local.kb.store.lexicon_version() == version


def test_a_new_user_word_rebuilds_the_index_and_segments_whole(local: LocalData) -> None:
    kb = local.kb
    asked: list[str] = []
    # The app's hook: it runs the existing cancellable rebuild on its index executor.
    local.index_outdated = lambda: asked.append("rebuild")
    assert "翼支付" not in kb.analyzer.words("翼支付账户冻结")

    assert apply_vocabulary(local, 1, [], ["翼支付"])

    assert asked == ["rebuild"], "segmentation changed: a rebuild is asked for"
    assert kb.state == "broken"
    assert kb.search("翼支付").from_fallback, "meanwhile the store answers"
    kb.rebuild_index()
    assert kb.state == "ready"
    assert "翼支付" in kb.analyzer.words("翼支付账户冻结")
    response = kb.search("翼支付")
    assert not response.from_fallback
    assert response.hits[0].title == "翼支付账户冻结处理"


def test_without_a_window_the_rebuild_runs_where_the_page_was_applied(local: LocalData) -> None:
    assert local.index_outdated is None
    assert apply_vocabulary(local, 1, [], ["翼支付"])
    assert local.kb.state == "ready"
    assert not local.kb.search("翼支付").from_fallback


def test_a_later_vocabulary_replaces_the_center_s_earlier_one(local: LocalData) -> None:
    kb = local.kb
    apply_vocabulary(local, 1, [["光猫", "小白盒"]], ["翼支付"])
    apply_vocabulary(local, 2, [["宽带", "网线"]], [])
    assert kb.store.center_vocabulary() == ([["宽带", "网线"]], [])
    assert "小白盒" not in kb.analyzer.synonyms("光猫")


def test_an_older_version_never_comes_back(local: LocalData) -> None:
    apply_vocabulary(local, 5, [["宽带", "网线"]], [])
    assert not apply_vocabulary(local, 4, [["光猫", "小白盒"]], [])
    assert local.kb.store.center_vocabulary() == ([["宽带", "网线"]], [])


def test_terms_and_words_as_trainers_type_them() -> None:
    assert split_terms("宽带、光纤, 网线，宽带 ;ADSL") == ["宽带", "光纤", "网线", "ADSL"]
    assert split_words(" 翼支付\n\n 携号转网 \n翼支付") == ["翼支付", "携号转网"]
    vocabulary = Vocabulary.from_payload(
        {"synonym_groups": [["甲"], ["乙", "丙"]], "user_words": ["丁", {"word": "戊"}, " "]}
    )
    assert vocabulary == Vocabulary([["乙", "丙"]], ["丁", "戊"])
