"""Relevance over the demo knowledge base: each case's expected article is in the top 3.

Cases live in tests/kb/relevance_cases.jsonl, one per line: {"query", "expected": [ids], "kind"}.
The corpus is common/resources/demo_kb/*.jsonl. Both are required: if either is missing this module
fails (it never skips), because a relevance suite that silently runs nothing proves nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kb.demo import DEMO_DIR
from kb.importer import import_path
from kb.knowledge_base import KnowledgeBase
from tests.helpers.kb_helpers import hit_ids

CASES_FILE = Path(__file__).with_name("relevance_cases.jsonl")
TOP_N = 3


def _load_cases() -> list[Any]:
    if not CASES_FILE.is_file():
        return [pytest.param(None, f"{CASES_FILE} does not exist", id="cases-file-missing")]
    params = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            query, kind = case["query"], case.get("kind", "case")
            if not isinstance(case["expected"], list):
                raise TypeError("expected must be a list of ids")
        except (ValueError, KeyError, TypeError) as exc:
            problem = f"{CASES_FILE.name} line {number} is not a valid case: {exc!r}"
            params.append(pytest.param(None, problem, id=f"bad-line-{number}"))
            continue
        params.append(pytest.param(case, "", id=f"{kind}:{query}"))
    if not params:
        return [pytest.param(None, f"{CASES_FILE} holds no cases", id="cases-file-empty")]
    return params


@pytest.fixture(scope="module")
def demo_kb(tmp_path_factory: pytest.TempPathFactory) -> Any:
    files = sorted(DEMO_DIR.glob("*.jsonl"))
    if not files:
        pytest.fail(f"the demo knowledge base is missing: no {DEMO_DIR}/*.jsonl", pytrace=False)
    kb = KnowledgeBase(tmp_path_factory.mktemp("demo_kb"))
    try:
        errors = []
        for path in files:
            errors += [str(e) for e in import_path(kb, path).errors]
        kb.ensure_index()
        yield kb, errors
    finally:
        kb.close()


def test_demo_corpus_imports_cleanly(demo_kb: tuple[KnowledgeBase, list[str]]) -> None:
    kb, errors = demo_kb
    assert errors == []
    assert kb.store.count_searchable() > 0


@pytest.mark.parametrize(("case", "problem"), _load_cases())
def test_expected_article_in_top_3(
    demo_kb: tuple[KnowledgeBase, list[str]], case: dict[str, Any] | None, problem: str
) -> None:
    if case is None:
        pytest.fail(problem, pytrace=False)
    kb, _ = demo_kb
    expected = case["expected"]
    assert isinstance(expected, list) and expected, "a case needs at least one expected id"
    unknown = [e for e in expected if kb.store.get_article(e) is None]
    assert not unknown, f"expected ids not in the demo corpus: {unknown}"

    response = kb.search(case["query"], limit=10)
    assert not response.from_fallback
    top = hit_ids(response)[:TOP_N]
    if not set(expected) & set(top):
        ranked = [f"{h.title} ({h.uuid[:8]}, {h.score:.2f})" for h in response.hits[:5]]
        titles = [a.title for e in expected if (a := kb.store.get_article(e)) is not None]
        pytest.fail(
            f"query {case['query']!r} ({case.get('kind')}): expected one of {titles} "
            f"in the top {TOP_N}, got {ranked}",
            pytrace=False,
        )
