"""Business lines reach the client through the real sync worker (issue 11 #13): a manager adds
one on the real backend over HTTP, the worker pulls the feed into the local mirror, and the
lines' listener (the sync controller's hook) is told once per page that brought any."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.shell.local_data import LocalData
from kb.business_lines import business_lines, line_list
from server.services.users import create_user
from sync.api_client import ApiError
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.sync.test_sync import PASSWORD, Rig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path / "server")
    with rig.db.write() as conn:
        create_user(conn, "boss_of_all", PASSWORD, "manager")
    yield rig
    rig.close()


def test_a_line_made_on_the_server_is_mirrored_and_announced(rig: Rig, tmp_path: Path) -> None:
    local = LocalData(tmp_path / "client")
    try:
        told: list[int] = []
        local.lines_changed = lambda: told.append(1)
        agent = rig.client("agent1")
        worker = SyncWorker(
            local.database, local.registry, agent, SyncKey(agent.base_url, "agent1")
        )
        worker.sync_once()
        assert told == [] and "canteen" not in business_lines(local.kb.store)

        manager = rig.client("boss_of_all")
        made = manager.create_business_line("canteen", "社区食堂", "Community canteen")
        assert made.active and not made.builtin
        with pytest.raises(ApiError) as refused:
            agent.create_business_line("canteen2", "别的业务线")
        assert refused.value.status == 403
        result = worker.sync_once()
        assert [c.uuid for c in result.news["business_line"]] == ["canteen"]
        assert told == [1]
        assert business_lines(local.kb.store)["canteen"] == ("社区食堂", "Community canteen")

        assert manager.change_business_line("canteen", active=False).active is False
        worker.sync_once()
        assert told == [1, 1]
        listed = {line.code: line for line in agent.taxonomy().business_lines}
        assert listed["canteen"].active is False and "canteen2" not in listed
        assert "canteen" not in business_lines(local.kb.store)
        assert [x.code for x in line_list(local.kb.store, include_inactive=True)][-1] == "canteen"
        worker.sync_once()
        assert told == [1, 1], "a round without line changes tells nobody"
    finally:
        local.close()
