"""The demo knowledge base is for the app's embedded first start only (issue 11, #14): a
workstation set up for a real server starts with an empty knowledge base, to be filled by the
server's feed, never with the 179 demo articles mixed in."""

from __future__ import annotations

from pathlib import Path

from agent_app.common.settings import Settings
from kb.demo import demo_ids, has_demo


def test_the_embedded_first_start_loads_the_demo(tmp_path: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    controller = start_app(tmp_path / "fresh")
    assert controller.kb is not None
    assert controller.kb.store.count_searchable() == len(demo_ids())


def test_a_client_of_a_real_server_starts_without_the_demo(tmp_path: Path, start_app) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(server_url="http://127.0.0.1:9", search_log_idle_ms=50)
    controller = start_app(tmp_path / "fresh", connect=True, settings=settings)
    assert controller.kb is not None
    assert controller.kb.store.count_searchable() == 0 and not has_demo(controller.kb)
