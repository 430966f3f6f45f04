"""The demo campaign (server/services/outbound/demo.py): the app's built-in backend makes it on
its first start, once; a test's (or a center's) backend never has it; `main.py kb remove-demo`
takes it away with the rest of the demo, for good."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from agent_app.shell.embedded_backend import EmbeddedBackend
from common.demo_accounts import DEMO_PASSWORD
from common.numbers import list_phone
from common.scripts import DEMO_SCRIPT_UUID
from common.surveys import demo_survey
from main import main
from server.services.outbound.demo import DEMO_CAMPAIGN_NAME
from tests.helpers.backend import TestBackend


@contextmanager
def logged_in(url: str, username: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=10) as http:
        reply = http.post("/auth/login", json={"username": username, "password": DEMO_PASSWORD})
        reply.raise_for_status()
        http.headers["Authorization"] = f"Bearer {reply.json()['token']}"
        yield http


@contextmanager
def app_backend(data_dir: Path) -> Iterator[str]:
    """The backend as the app starts it with no server configured (./run)."""
    backend = EmbeddedBackend(data_dir)
    try:
        yield backend.start()
    finally:
        backend.stop()


def demo_campaigns(url: str) -> list[dict[str, Any]]:
    with logged_in(url, "supervisor") as http:
        reply = http.get("/campaigns")
        reply.raise_for_status()
        return [c for c in reply.json() if c["name"] == DEMO_CAMPAIGN_NAME]


def script_in_feed(url: str) -> str:
    """The demo script's last state on the changes feed an agent reads: article, tombstone or ''."""
    with logged_in(url, "agent") as http:
        changes = http.get("/changes", params={"since": 0, "limit": 5000}).json()["changes"]
    kinds = [c["kind"] for c in changes if c["uuid"] == DEMO_SCRIPT_UUID]
    return kinds[-1] if kinds else ""


def test_the_apps_first_start_has_the_demo_campaign_once(tmp_path: Path) -> None:
    with app_backend(tmp_path) as url:
        [campaign] = demo_campaigns(url)
        assert campaign["status"] == "active" and campaign["records_total"] == 20
        assert campaign["script_article_uuid"] == DEMO_SCRIPT_UUID
        assert campaign["survey_uuid"] == demo_survey().uuid
        assert campaign["calling_hours"]["days"] == [[["08:00", "21:00"]]] * 7
        # The worklist reads the script from the knowledge base the feed fills.
        assert script_in_feed(url) == "article"
        with logged_in(url, "agent") as http:
            assert [c["name"] for c in http.get("/campaigns").json()] == [DEMO_CAMPAIGN_NAME]
            survey = http.get(f"/campaigns/surveys/{demo_survey().uuid}").json()
            assert survey["definition"]["questions"]
    with app_backend(tmp_path) as url:  # the second start
        [again] = demo_campaigns(url)
        assert again["id"] == campaign["id"] and again["records_total"] == 20


def test_the_demo_customers_look_like_a_list_and_ring_nobody() -> None:
    from server.services.outbound.demo import demo_customers

    customers = demo_customers()
    assert len(customers) == 20 and len({phone for _n, phone, _f in customers}) == 20
    for _name, phone, fields in customers:
        judged = list_phone(phone)
        # 010 + a subscriber part starting with 0: no Chinese subscriber number does.
        assert judged.ok and judged.key.startswith("0100")
        assert set(fields) == {"楼盘", "房号"} and all(fields.values())


def test_a_real_servers_backend_has_no_demo_campaign(tmp_path: Path) -> None:
    backend = TestBackend(tmp_path)
    url = backend.start()
    try:
        with logged_in(url, "supervisor") as http:
            assert http.get("/campaigns").json() == []
            assert http.get("/campaigns/surveys").json() == []
        assert script_in_feed(url) == ""
    finally:
        backend.stop()


def test_removing_the_demo_removes_the_campaign_for_good(tmp_path: Path, capsys: Any) -> None:
    with app_backend(tmp_path) as url:
        assert demo_campaigns(url)
    assert main(["--data-dir", str(tmp_path), "kb", "remove-demo"]) == 0
    out = capsys.readouterr().out
    assert "已删除 1 个演示外呼活动" in out or "removed 1 demo campaigns" in out
    with app_backend(tmp_path) as url:
        assert demo_campaigns(url) == []
        assert script_in_feed(url) == "article_tombstone"  # gone from every knowledge base
        with logged_in(url, "supervisor") as http:
            assert http.get("/campaigns/surveys").json() == []
