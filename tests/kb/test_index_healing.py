"""The search index is derived data: missing, corrupt or outdated, it heals itself from SQLite."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import StructFile

from kb.knowledge_base import KnowledgeBase
from kb.paths import INDEX_DIRNAME
from kb.search_index import META_FILE
from kb.store import KnowledgeStore
from tests.conftest import KbFactory
from tests.helpers.kb_helpers import hit_ids, make_article

ARTICLES = [
    make_article("宽带报修流程", "重启光猫仍无法上网的，登记报修工单。", category="电信/宽带"),
    make_article("携号转网办理条件", "号码实名、无欠费、未停机。", category="电信/携号转网"),
    make_article("物业费缴费方式", "微信、支付宝或前台缴纳。", category="物业/缴费"),
    make_article("居家养老上门服务预约", "登记地址，预约护理员上门。", category="养老"),
    make_article("少儿英语体验课报名", "三到八岁儿童可报名。", category="社区教育"),
]
# query -> the article that must come first
EXPECTED = {
    "宽带报修": ARTICLES[0].uuid,
    "携号转网": ARTICLES[1].uuid,
    "物业费": ARTICLES[2].uuid,
    "养老上门": ARTICLES[3].uuid,
    "英语体验课": ARTICLES[4].uuid,
}


def assert_index_answers(kb: KnowledgeBase) -> None:
    """Every query is answered by the index (not the fallback) with the right article first."""
    assert kb.is_ready
    assert kb.index.doc_count() == len(ARTICLES)
    for query, uuid in EXPECTED.items():
        response = kb.search(query)
        assert not response.from_fallback, query
        assert hit_ids(response)[:1] == [uuid], query


@pytest.fixture
def built(kb_factory: KbFactory, tmp_path: Path) -> Path:
    """A closed data folder whose index was built and then updated live a few times."""
    folder = tmp_path / "seat"
    kb = kb_factory(folder)
    for article in ARTICLES[:3]:
        kb.store.save_article(article)
    assert kb.ensure_index() is True
    for article in ARTICLES[3:]:
        kb.save_article(article)  # applied live: more than one segment on disk
    kb.close()
    return folder


def index_dir(folder: Path) -> Path:
    return folder / INDEX_DIRNAME


def whoosh_files(folder: Path) -> list[Path]:
    return [p for p in index_dir(folder).iterdir() if p.is_file() and p.name != META_FILE]


def test_a_healthy_index_is_reused(built: Path, kb_factory: KbFactory) -> None:
    kb = kb_factory(built)
    assert kb.ensure_index() is False
    assert_index_answers(kb)


# -- (a) missing ---------------------------------------------------------------------------------
def test_missing_index_folder_is_rebuilt(built: Path, kb_factory: KbFactory) -> None:
    shutil.rmtree(index_dir(built))
    kb = kb_factory(built)
    assert kb.open_index() is False
    assert kb.ensure_index() is True
    assert_index_answers(kb)
    kb.close()
    assert kb_factory(built).ensure_index() is False, "the rebuilt index is kept"


def test_progress_is_reported_while_rebuilding(built: Path, kb_factory: KbFactory) -> None:
    shutil.rmtree(index_dir(built))
    kb = kb_factory(built)
    calls: list[tuple[int, int]] = []
    assert kb.ensure_index(progress=lambda done, total: calls.append((done, total))) is True
    assert calls and calls[-1] == (len(ARTICLES), len(ARTICLES))


# -- (b) corrupt ---------------------------------------------------------------------------------
def garble_everything(folder: Path) -> None:
    rng = random.Random(20240611)
    for path in index_dir(folder).iterdir():
        path.write_bytes(rng.randbytes(max(path.stat().st_size, 64)))


def garble_whoosh_files(folder: Path) -> None:
    """Garbage in Whoosh's own files while our meta file still says all is well."""
    rng = random.Random(7)
    for path in whoosh_files(folder):
        path.write_bytes(rng.randbytes(max(path.stat().st_size, 64)))


def truncate_segments(folder: Path) -> None:
    files = [p for p in whoosh_files(folder) if p.suffix in {".seg", ".trm"}]
    assert files, "the index has segment files"
    for path in files:
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 3)


def empty_segments(folder: Path) -> None:
    for path in whoosh_files(folder):
        if path.suffix in {".seg", ".trm"}:
            path.write_bytes(b"")


def delete_toc(folder: Path) -> None:
    tocs = [p for p in whoosh_files(folder) if p.suffix == ".toc"]
    assert tocs, "the index has a table of contents"
    for path in tocs:
        path.unlink()


def delete_a_segment(folder: Path) -> None:
    next(p for p in whoosh_files(folder) if p.suffix == ".seg").unlink()


def garble_meta(folder: Path) -> None:
    (index_dir(folder) / META_FILE).write_text("{not json", encoding="utf-8")


def garble_postings(folder: Path) -> None:
    """Overwrite only the postings inside each segment: the index opens, reading terms fails."""
    for path in whoosh_files(folder):
        if path.suffix == ".seg":
            for offset, length in _sub_files(path, ".pst"):
                with path.open("r+b") as handle:
                    handle.seek(offset)
                    handle.write(b"\xff" * length)


def _sub_files(segment: Path, suffix: str) -> list[tuple[int, int]]:
    """(offset, length) of the files of this kind inside a Whoosh compound segment file."""
    with segment.open("rb") as raw:
        storage = CompoundStorage(StructFile(raw), use_mmap=False)
        try:
            return [storage.range(name) for name in storage.list() if name.endswith(suffix)]
        finally:
            storage.close()


@pytest.mark.parametrize(
    "damage",
    [
        garble_everything,
        garble_whoosh_files,
        truncate_segments,
        empty_segments,
        delete_toc,
        delete_a_segment,
        garble_meta,
        garble_postings,
    ],
)
def test_corrupt_index_is_rebuilt(
    built: Path, kb_factory: KbFactory, damage: Callable[[Path], None]
) -> None:
    damage(built)
    kb = kb_factory(built)
    assert kb.ensure_index() is True
    assert_index_answers(kb)


# -- (c) outdated --------------------------------------------------------------------------------
@pytest.mark.parametrize("change", [{"schema": 0}, {"lexicon": "0000000000000000"}])
def test_index_from_an_older_schema_or_lexicon_is_rebuilt(
    built: Path, kb_factory: KbFactory, change: dict[str, object]
) -> None:
    meta_path = index_dir(built) / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(change)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    kb = kb_factory(built)
    assert kb.open_index() is False
    assert kb.ensure_index() is True
    assert_index_answers(kb)
    stored = json.loads(meta_path.read_text(encoding="utf-8"))
    assert stored["schema"] != 0 and stored["lexicon"] == kb.analyzer.fingerprint


def test_index_with_a_different_document_count_is_rebuilt(
    built: Path, kb_factory: KbFactory
) -> None:
    """The store gained articles the index's change number claims it has seen."""
    store = KnowledgeStore(built / "seatdesk.db")
    extra = make_article("停车月卡续费", "物业前台或公众号续费。")
    store.save_article(extra)
    store.close()
    meta_path = index_dir(built) / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["seq"] = meta["seq"] + 1  # lies: says the new article is already in
    meta_path.write_text(json.dumps(meta), encoding="utf-8")

    kb = kb_factory(built)
    assert kb.ensure_index() is True
    assert hit_ids(kb.search("停车月卡"))[:1] == [extra.uuid]


# -- (d) not ready: the fallback -----------------------------------------------------------------
def test_search_before_the_index_is_open_uses_the_fallback(
    built: Path, kb_factory: KbFactory
) -> None:
    kb = kb_factory(built)
    assert kb.state == "closed"
    response = kb.search("携号转网")
    assert response.from_fallback
    assert hit_ids(response)[:1] == [ARTICLES[1].uuid]


def test_search_while_rebuilding_uses_the_fallback(built: Path, kb_factory: KbFactory) -> None:
    shutil.rmtree(index_dir(built))
    kb = kb_factory(built)
    seen: list[tuple[str, bool, list[str]]] = []

    def progress(done: int, total: int) -> None:
        response = kb.search("宽带报修")
        seen.append((kb.state, response.from_fallback, hit_ids(response)))

    assert kb.ensure_index(progress=progress) is True
    assert seen, "progress was reported"
    for state, from_fallback, ids in seen:
        assert state == "rebuilding"
        assert from_fallback
        assert ids[:1] == [ARTICLES[0].uuid]
    assert_index_answers(kb)


def test_fallback_finds_title_words_and_respects_limits(built: Path, kb_factory: KbFactory) -> None:
    kb = kb_factory(built)
    kb.state = "broken"
    for query, uuid in EXPECTED.items():
        response = kb.search(query)
        assert response.from_fallback
        assert hit_ids(response)[:1] == [uuid], query
    assert len(kb.search("报", limit=1).hits) <= 1
    assert kb.search("zzzzqqqq").hits == []


# -- (e) catching up -----------------------------------------------------------------------------
def test_article_saved_behind_the_index_is_caught_up(built: Path, kb_factory: KbFactory) -> None:
    kb = kb_factory(built)
    assert kb.ensure_index() is False
    extra = make_article("停车月卡续费", "物业前台或公众号续费。")
    kb.store.save_article(extra)  # straight to SQLite, the index does not know
    ARTICLES[1].body = "号码实名、无欠费、未停机，且在网满一百二十天。"
    try:
        kb.store.save_article(ARTICLES[1])
    finally:
        ARTICLES[1].body = "号码实名、无欠费、未停机。"
    assert kb.open_index() is True, "caught up, no rebuild"
    assert hit_ids(kb.search("停车月卡"))[:1] == [extra.uuid]
    assert hit_ids(kb.search("一百二十天"))[:1] == [ARTICLES[1].uuid]
    assert kb.index.doc_count() == len(ARTICLES) + 1


def test_changes_made_while_closed_are_caught_up(built: Path, kb_factory: KbFactory) -> None:
    """Another process (the sync worker, the CLI) wrote to the store while we were closed."""
    store = KnowledgeStore(built / "seatdesk.db")
    extra = make_article("停车月卡续费", "物业前台或公众号续费。")
    store.save_article(extra)
    store.delete_article(ARTICLES[4].uuid)
    store.close()

    kb = kb_factory(built)
    assert kb.open_index() is True
    assert hit_ids(kb.search("停车月卡"))[:1] == [extra.uuid]
    assert ARTICLES[4].uuid not in hit_ids(kb.search("英语体验课"))
    assert kb.index.doc_count() == len(ARTICLES)


# -- (f) failing at search time ------------------------------------------------------------------
def test_search_that_fails_inside_whoosh_falls_back(built: Path, kb_factory: KbFactory) -> None:
    kb = kb_factory(built)
    assert kb.ensure_index() is False
    garble_postings(built)  # same size in place: the open index maps these very bytes
    response = kb.search("携号转网")
    assert response.from_fallback
    assert hit_ids(response)[:1] == [ARTICLES[1].uuid]
    assert not kb.is_ready
    assert kb.search("物业费").from_fallback, "later searches go straight to the fallback"


def test_index_that_failed_at_search_time_is_rebuilt(built: Path, kb_factory: KbFactory) -> None:
    kb = kb_factory(built)
    assert kb.ensure_index() is False
    garble_postings(built)
    assert kb.search("携号转网").from_fallback
    assert kb.ensure_index() is True, "an index known to be broken is rebuilt, not reopened"
    assert_index_answers(kb)


def test_saving_while_the_index_is_broken_keeps_working(built: Path, kb_factory: KbFactory) -> None:
    kb = kb_factory(built)
    kb.ensure_index()
    kb.state = "broken"
    extra = make_article("停车月卡续费", "物业前台或公众号续费。")
    _, action = kb.save_article(extra)
    assert action == "created"
    response = kb.search("停车月卡")
    assert response.from_fallback and hit_ids(response)[:1] == [extra.uuid]
    kb.ensure_index()
    response = kb.search("停车月卡")
    assert not response.from_fallback
    assert hit_ids(response)[:1] == [extra.uuid]
    assert kb.index.doc_count() == len(ARTICLES) + 1
