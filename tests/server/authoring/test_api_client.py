"""The desktop's ApiClient methods for authoring against the real app over HTTP (SQLite and
PostgreSQL): every reply parses into its common/authoring.py model, and refusals arrive as the
client's errors."""

from __future__ import annotations

import pytest

from common.authoring import ProposalContent, ProposalIn, VocabularyIn
from sync.api_client import ApiClient, ApiError, ConflictError
from tests.server.authoring.support import new_uuid
from tests.server.authoring.test_attachments import PDF
from tests.server.support import Actors, Backend


def _client(server: Backend, actors: Actors, role: str) -> ApiClient:
    return ApiClient(server.base_url, actors(role).token)


def _proposal(article_uuid: str, base: int | None, body: str) -> ProposalIn:
    return ProposalIn(
        uuid=new_uuid(),
        article_uuid=article_uuid,
        base_version=base,
        content=ProposalContent(type="faq", title="宽带报装", body=body, review_due="2020-02-02"),
    )


def test_the_api_client_covers_the_authoring_routes(server: Backend, actors: Actors) -> None:
    trainer = _client(server, actors, "trainer")
    manager = _client(server, actors, "manager")
    agent = _client(server, actors, "agent")
    try:
        article_uuid = new_uuid()
        first = trainer.submit_proposal(_proposal(article_uuid, None, "第一版\n"))
        assert first.state == "submitted" and first.content.body == "第一版\n"
        assert first.uuid in {p.uuid for p in manager.proposals(state="submitted")}
        assert [p.uuid for p in trainer.proposals(mine=True, article_uuid=article_uuid)] == [
            first.uuid
        ]
        assert manager.approve_proposal(first.uuid).state == "published"
        second = trainer.submit_proposal(_proposal(article_uuid, 1, "第二版\n"))
        assert manager.approve_proposal(second.uuid, publish=False).state == "approved"
        assert manager.publish_proposal(second.uuid).published_version == 2
        with pytest.raises(ConflictError) as stale:
            trainer.submit_proposal(_proposal(article_uuid, 1, "旧底稿\n"))
        assert stale.value.detail["article"]["version"] == 2
        third = trainer.submit_proposal(_proposal(article_uuid, 2, "第三版\n"))
        rejected = manager.reject_proposal(third.uuid, "请补充办理时限")
        assert rejected.state == "rejected" and trainer.proposal(third.uuid).comment
        history = trainer.revisions(article_uuid)
        assert [r.version for r in history] == [1, 2] and history[1].article.body == "第二版\n"
        assert history[0].approver and history[0].author

        ref = trainer.upload_attachment("说明.pdf", PDF)
        assert ref.mime == "application/pdf" and agent.download_attachment(ref.sha256) == PDF
        with pytest.raises(ApiError) as refused:
            trainer.upload_attachment("x.png", b"MZ" + b"\x00" * 100)
        assert refused.value.status == 415

        attention = trainer.attention()
        assert article_uuid in {a.uuid for a in attention.review_overdue}
        saved = trainer.put_vocabulary(VocabularyIn(synonym_groups=[["宽带", "光纤"]]))
        assert agent.vocabulary().version == saved.version

        with pytest.raises(ApiError) as forbidden:
            agent.retire_article(article_uuid)
        assert forbidden.value.status == 403
        assert manager.retire_article(article_uuid).status == "archived"
    finally:
        for client in (trainer, manager, agent):
            client.close()
