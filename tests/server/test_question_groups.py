"""The similarity index behind /questions/groups gives the groups that comparing every pair
gives (issue 11 #18), as questions come and go between calls."""

from __future__ import annotations

import random

from bench.synthetic_corpus import CorpusGenerator
from server.services.question_groups import SimilarityIndex, group
from tests.server.support import Actors, Backend, ask, new_uuid


def test_the_index_groups_exactly_as_comparing_every_pair() -> None:
    corpus = CorpusGenerator(seed=5)
    texts = [corpus.question_query().text for _ in range(700)]
    texts += ["？？？", "!!!", "", "宽带怎么开发票", "宽带能开发票吗", "A1", "a1 ", "好"]
    items = [(f"q{i}", text) for i, text in enumerate(texts)]
    index = SimilarityIndex()
    rng = random.Random(3)
    for _round in range(6):
        # Some questions are answered (they leave), new ones arrive, order is kept.
        open_now = [item for item in items if rng.random() < 0.6]
        expected = group(open_now)
        assert index.group(open_now) == expected
        # Asked again unchanged: the remembered answer, which a caller's edits do not touch.
        again = index.group(open_now)
        assert again == expected
        again[0].clear()
        assert index.group(open_now) == expected
    assert index.group(items) == group(items)


def test_the_index_starts_again_when_it_grows_too_big() -> None:
    index = SimilarityIndex(max_signatures=10)
    first = [(str(i), f"问题{i}号宽带怎么开发票") for i in range(30)]
    assert index.group(first) == group(first)
    later = [("x", "国际漫游怎么开通"), ("y", "怎么开通国际漫游"), ("z", "信用卡挂失")]
    assert index.group(later) == group(later) == [["x", "y"], ["z"]]
    assert index.signatures <= 3


def test_groups_follow_new_and_answered_questions_over_http(
    server: Backend, actors: Actors
) -> None:
    line = "g-" + new_uuid()[:8]
    agent, supervisor = actors("agent"), actors("supervisor")

    def groups() -> list[list[str]]:
        response = supervisor.http.get("/questions/groups", params={"business_line": line})
        assert response.status_code == 200, response.text
        return [g["members"] for g in response.json()]

    a = ask(agent, "宽带怎么开发票", business_line=line)
    assert groups() == []
    b = ask(agent, "宽带能开发票吗", business_line=line)
    assert groups() == [[a, b]]
    # A question that links the two topics joins them into one group...
    c = ask(agent, "国际漫游怎么开通", business_line=line)
    bridge = ask(agent, "宽带发票国际漫游怎么开通", business_line=line)
    d = ask(agent, "怎么开通国际漫游", business_line=line)
    assert groups() == [[a, b, c, bridge, d]]
    # ...and once it is answered, the groups are computed without it.
    supervisor.http.post(f"/questions/{bridge}/answer", json={"answer": "见文章"})
    assert groups() == [[a, b], [c, d]]
