"""The API describes itself at /openapi.json."""

from __future__ import annotations

import httpx

from tests.server.support import Backend

EXPECTED = {
    "/health": {"get"},
    "/auth/login": {"post"},
    "/auth/logout": {"post"},
    "/auth/me": {"get"},
    "/users": {"get", "post"},
    "/users/{user_id}": {"patch"},
    "/questions/batch": {"post"},
    "/questions": {"get"},
    "/questions/groups": {"get"},
    "/questions/{uuid}": {"get"},
    "/questions/{uuid}/claim": {"post"},
    "/questions/{uuid}/answer": {"post"},
    "/questions/{uuid}/reject": {"post"},
    "/questions/{uuid}/merge": {"post"},
    "/questions/{uuid}/link": {"post"},
    "/articles": {"get", "post"},
    "/articles/{uuid}": {"get", "put", "delete"},
    "/articles/{uuid}/publish": {"post"},
    "/articles/{uuid}/revisions": {"get"},
    "/changes": {"get"},
    "/search-misses/batch": {"post"},
    "/search-misses": {"get"},
    "/calls/batch": {"post"},
    "/calls": {"get"},
    "/agent-states/batch": {"post"},
    "/agent-states": {"get"},
    "/agent-states/history": {"get"},
}


def test_openapi_lists_the_routes(server: Backend) -> None:
    response = httpx.get(server.base_url + "/openapi.json", timeout=30)
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "SeatDesk backend"
    paths = spec["paths"]
    for path, methods in EXPECTED.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    # Request and response bodies are typed.
    batch = paths["/questions/batch"]["post"]
    assert "requestBody" in batch
    assert "BatchOut" in str(batch["responses"]["200"])
    assert "ChangesOut" in str(paths["/changes"]["get"]["responses"]["200"])
