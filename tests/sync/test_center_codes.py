"""The center's code lists reach the client through the real sync worker (issue 11 #13): the
first round after a login reads the whole lists (the seeded codes never went through the feed),
then an admin's changes on the real backend arrive through the feed into the local mirror, and
the mirror's listener is told once per round that changed any."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_app.shell.local_data import LocalData
from server.services.users import create_user
from sync.api_client import ApiError
from sync.state import SyncKey
from sync.worker import SyncWorker
from tests.sync.test_sync import PASSWORD, Rig


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(tmp_path / "server")
    with rig.db.write() as conn:
        create_user(conn, "root_admin", PASSWORD, "admin")
    yield rig
    rig.close()


def codes(local: LocalData, kind: str, inactive: bool = False) -> list[str]:
    return [c.code for c in local.codes.codes(kind, include_inactive=inactive)]


def test_an_admins_change_reaches_an_agents_mirror(rig: Rig, tmp_path: Path) -> None:
    local = LocalData(tmp_path / "client")
    try:
        told: list[int] = []
        local.codes_changed = lambda: told.append(1)
        agent = rig.client("agent1")
        worker = SyncWorker(
            local.database, local.registry, agent, SyncKey(agent.base_url, "agent1")
        )
        assert codes(local, "not_ready") == []
        worker.sync_once()
        # The seeded lists, read whole after the login.
        assert codes(local, "not_ready") == ["training", "meeting", "paperwork", "other"]
        assert codes(local, "wrap_up")[0] == "enquiry"
        assert local.codes.meanings()["no_answer"] == "no_answer"
        assert told == [1]

        admin = rig.client("root_admin")
        made = admin.create_center_code("not_ready", "coaching", "辅导", "Coaching")
        assert made.active and not made.builtin
        outcome = admin.create_center_code("outcome", "refused", "拒访", meaning="not_successful")
        assert outcome.meaning == "not_successful"
        with pytest.raises(ApiError) as refused:
            agent.create_center_code("not_ready", "nap", "小睡")
        assert refused.value.status == 403
        result = worker.sync_once()
        assert sorted(c.data["code"] for c in result.news["center_code"]) == [
            "coaching",
            "refused",
        ]
        assert told == [1, 1], "one round that brought codes: told once"
        assert codes(local, "not_ready")[-1] == "coaching"
        assert local.codes.meanings()["refused"] == "not_successful"

        admin.change_center_code("not_ready", "coaching", name_zh="辅导员辅导", sort_order=0)
        admin.change_center_code("not_ready", "meeting", active=False)
        worker.sync_once()
        assert told == [1, 1, 1]
        assert codes(local, "not_ready") == ["coaching", "training", "paperwork", "other"]
        assert "meeting" in codes(local, "not_ready", inactive=True), "still names old records"
        named = {c.code: c.zh for c in local.codes.codes("not_ready", include_inactive=True)}
        assert named["coaching"] == "辅导员辅导"
        # A category path travels with its '/' (the client quotes it into the URL).
        admin.create_center_code("category", "电信/宽带", "电信/宽带")
        admin.change_center_code("category", "电信/宽带", name_en="Telecom/Broadband")
        worker.sync_once()
        assert codes(local, "category") == ["电信/宽带"]
        worker.sync_once()
        assert told == [1, 1, 1, 1], "a round without code changes tells nobody"
    finally:
        local.close()
