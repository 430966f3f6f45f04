"""An agent client sees the approved version in search after one sync, and no longer finds a
retired article: the client's real local data and sync worker against the real backend over
HTTP (Qt-free)."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent_app.shell.local_data import LocalData
from common.authoring import ProposalContent, ProposalIn
from sync.api_client import ApiClient
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.helpers.backend import TestBackend


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def propose(trainer: ApiClient, article_uuid: str, base: int | None, title: str) -> str:
    content = ProposalContent(type="faq", title=title, body=f"{title}：先核实身份，再办理。")
    proposal = ProposalIn(
        uuid=new_uuid(), article_uuid=article_uuid, base_version=base, content=content
    )
    return trainer.submit_proposal(proposal).uuid


@pytest.fixture
def agent(
    tmp_path: Path, backend: TestBackend, api: Callable[..., ApiClient]
) -> Iterator[tuple[LocalData, SyncWorker]]:
    username = backend.new_user("agent")
    data = LocalData(tmp_path / "agent")
    client = api(backend.url, username)
    worker = SyncWorker(data.database, data.registry, client, SyncKey(backend.url, username))
    worker.sync_once()
    data.kb.ensure_index()
    yield data, worker
    data.close()


def titles_for(data: LocalData, query: str) -> dict[str, str]:
    return {h.uuid: h.title for h in data.kb.search(query).hits}


def test_approved_versions_reach_search_in_one_sync_and_retired_ones_leave(
    agent: tuple[LocalData, SyncWorker], backend: TestBackend, api: Callable[..., ApiClient]
) -> None:
    data, worker = agent
    trainer = api(backend.url, backend.new_user("trainer"))
    manager = api(backend.url, backend.new_user("manager"))
    article = new_uuid()

    # A new article: a proposal is nothing an agent sees; its approval is, after one sync.
    first = propose(trainer, article, None, "宽带提速包办理")
    worker.sync_once()
    assert article not in titles_for(data, "提速包")
    manager.approve_proposal(first)
    worker.sync_once()
    assert titles_for(data, "提速包").get(article) == "宽带提速包办理"

    # An edit: submitted, the agent still finds the published text; approved, the new one.
    second = propose(trainer, article, 1, "宽带提速包办理（2025新版）")
    worker.sync_once()
    assert titles_for(data, "提速包").get(article) == "宽带提速包办理"
    manager.approve_proposal(second)
    worker.sync_once()
    assert titles_for(data, "提速包").get(article) == "宽带提速包办理（2025新版）"
    stored = data.kb.store.get_article(article)
    assert stored is not None and stored.version == 2

    # A rejected proposal changes nothing the agent sees.
    third = propose(trainer, article, 2, "宽带提速包（不该出现）")
    manager.reject_proposal(third, "标题不对")
    worker.sync_once()
    assert titles_for(data, "提速包").get(article) == "宽带提速包办理（2025新版）"

    # Retired: gone from the agent's search after one sync, and stays gone.
    manager.retire_article(article)
    worker.sync_once()
    assert article not in titles_for(data, "提速包")
    assert article not in titles_for(data, "宽带提速包办理（2025新版）")
    retired = data.kb.store.get_article(article)
    assert retired is not None and retired.status == "deleted"
    worker.sync_once()
    assert article not in titles_for(data, "提速包")
