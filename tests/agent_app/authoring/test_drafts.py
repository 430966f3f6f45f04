"""The drafts store on a real SQLite file: drafts belong to one user, a submit writes the
proposal with its outbox entry or nothing, the start-up check queues a proposal that lost its
entry, the server's states are kept, attachments are kept by content."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from agent_app.authoring.drafts import OUTBOX_KIND, DraftError, DraftStore
from agent_app.shell.local_data import LocalData
from common.articles import Article

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def data(tmp_path: Path) -> LocalData:
    local = LocalData(tmp_path / "seat")
    yield local  # type: ignore[misc]
    local.close()


def faq(title: str = "宽带报装", body: str = "1. 核实身份\n2. 登记地址\n") -> dict[str, object]:
    return {"type": "faq", "title": title, "body": body}


def test_a_users_drafts_are_theirs_alone(data: LocalData) -> None:
    store = data.authoring
    mine = store.new_draft("trainer-a", faq())
    store.new_draft("trainer-b", faq("别人的草稿"))
    assert [d.uuid for d in store.for_user("trainer-a")] == [mine.uuid]
    assert store.get(mine.uuid, "trainer-b") is None
    with pytest.raises(DraftError):
        store.save(mine.uuid, "trainer-b", faq("改别人的"))
    with pytest.raises(DraftError):
        store.submit(mine.uuid, "trainer-b")
    store.discard(mine.uuid, "trainer-b")  # not theirs: nothing happens
    assert store.get(mine.uuid, "trainer-a") is not None


def test_saving_keeps_the_text_and_survives_reopening(tmp_path: Path) -> None:
    folder = tmp_path / "seat"
    first = LocalData(folder)
    draft = first.authoring.new_draft("t", faq())
    first.authoring.save(draft.uuid, "t", faq(body="改过的正文\n"), note="请审批")
    first.close()
    again = LocalData(folder)
    try:
        kept = again.authoring.get(draft.uuid, "t")
        assert kept is not None
        assert kept.content["body"] == "改过的正文\n" and kept.note == "请审批"
        assert kept.state == "draft" and kept.is_new
    finally:
        again.close()


def test_submit_writes_the_proposal_and_its_outbox_entry_together(data: LocalData) -> None:
    store = data.authoring
    draft = store.new_draft("t", faq())
    proposal = store.submit(draft.uuid, "t", note="新文章")
    [entry] = data.outbox.pending(OUTBOX_KIND, 10)
    assert entry.uuid == proposal
    assert entry.payload["article_uuid"] == draft.article_uuid
    assert entry.payload["base_version"] is None
    assert entry.payload["content"]["title"] == "宽带报装"
    assert entry.payload["note"] == "新文章"
    submitted = store.get(draft.uuid, "t")
    assert submitted is not None and submitted.state == "submitted"
    assert not submitted.editable
    with pytest.raises(DraftError):
        store.save(draft.uuid, "t", faq(body="提交后再改"))


def test_a_failing_outbox_write_leaves_no_proposal(data: LocalData) -> None:
    """One transaction: when the outbox insert fails (here: its uuid is taken), the proposal
    row and the draft's new state are rolled back too."""
    store = data.authoring
    draft = store.new_draft("t", faq())
    taken = "00000000-0000-4000-8000-000000000001"
    data.outbox.enqueue("search_miss", taken, {"query": "x", "created_at": ""})
    import agent_app.authoring.drafts as drafts_module

    real_uuid4 = drafts_module.uuidlib.uuid4
    drafts_module.uuidlib.uuid4 = lambda: taken  # type: ignore[assignment,return-value]
    try:
        with pytest.raises(sqlite3.IntegrityError):
            store.submit(draft.uuid, "t")
    finally:
        drafts_module.uuidlib.uuid4 = real_uuid4
    assert data.database.scalar("SELECT count(*) FROM authoring_proposals") == 0
    kept = store.get(draft.uuid, "t")
    assert kept is not None and kept.state == "draft" and kept.proposal_uuid == ""


def test_a_proposal_without_its_outbox_entry_is_queued_again_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "seat"
    first = LocalData(folder)
    draft = first.authoring.new_draft("t", faq())
    proposal = first.authoring.submit(draft.uuid, "t")
    first.database.execute("DELETE FROM outbox WHERE uuid = ?", [proposal])
    first.close()
    again = LocalData(folder)  # the start-up check
    try:
        [entry] = again.outbox.pending(OUTBOX_KIND, 10)
        assert entry.uuid == proposal and entry.payload["content"]["title"] == "宽带报装"
    finally:
        again.close()


def test_an_invalid_draft_is_not_submitted(data: LocalData) -> None:
    store = data.authoring
    draft = store.new_draft("t", {**faq(), "contact_point": "ZZ1102"})
    with pytest.raises(DraftError) as refused:
        store.submit(draft.uuid, "t")
    assert "接触点" in str(refused.value)
    assert data.outbox.count() == 0


def test_server_states_are_kept_for_the_drafts_latest_proposal(data: LocalData) -> None:
    store = data.authoring
    article = Article(
        uuid="7f1d3f2a-0000-4000-8000-000000000002", type="faq", title="旧", body="a\n"
    )
    article.version = 3
    draft = store.new_draft("t", {**faq(), "body": "b\n"}, article)
    assert draft.base_version == 3 and draft.base["body"] == "a\n"
    proposal = store.submit(draft.uuid, "t")
    assert store.waiting("t") == [proposal]
    assert store.put_state("t", {"uuid": proposal, "state": "rejected", "comment": "再具体些"})
    assert not store.put_state("t", {"uuid": proposal, "state": "rejected", "comment": "再具体些"})
    rejected = store.get(draft.uuid, "t")
    assert rejected is not None and rejected.state == "rejected" and rejected.comment == "再具体些"
    # Changing a rejected draft makes it a draft again; submitting sends a new proposal.
    store.save(draft.uuid, "t", {**faq(), "body": "c\n"})
    second = store.submit(draft.uuid, "t")
    current = {**article.model_dump(), "body": "z\n", "version": 4}
    assert store.put_state("t", {"uuid": second, "state": "conflict", "current": current})
    conflict = store.get(draft.uuid, "t")
    assert conflict is not None and conflict.state == "conflict"
    assert conflict.theirs["body"] == "z\n" and conflict.theirs_version == 4
    # A late answer about the first proposal does not speak for the draft any more.
    store.put_state("t", {"uuid": proposal, "state": "approved"})
    assert store.get(draft.uuid, "t").state == "conflict"  # type: ignore[union-attr]
    # Settled: the merged text on top of version 4, ready to send again.
    store.resolve(draft.uuid, "t", {**faq(), "body": "c\nz\n"}, current, 4)
    resolved = store.get(draft.uuid, "t")
    assert resolved is not None and resolved.state == "draft" and resolved.base_version == 4
    assert resolved.base["body"] == "z\n" and resolved.content["body"] == "c\nz\n"
    # Another user's answer never touches this user's drafts.
    assert not store.put_state("other", {"uuid": second, "state": "published"})


def test_attachments_are_kept_by_content(data: LocalData, tmp_path: Path) -> None:
    store: DraftStore = data.authoring
    picture = tmp_path / "网点地图.png"
    picture.write_bytes(PNG)
    ref = store.add_attachment("t", picture)
    assert ref["mime"] == "image/png" and ref["size"] == len(PNG)
    assert store.attachment_path(ref["sha256"]).read_bytes() == PNG
    assert [p["sha256"] for p in store.pending_uploads("t")] == [ref["sha256"]]
    assert store.pending_uploads("someone-else") == []
    store.mark_uploaded("t", ref["sha256"])
    assert store.pending_uploads("t") == []
    fake = tmp_path / "病毒.png"
    fake.write_bytes(b"MZ\x90\x00 not a picture")
    with pytest.raises(DraftError):
        store.add_attachment("t", fake)
