"""The API describes itself at /openapi.json."""

from __future__ import annotations

import httpx

from tests.server.support import Backend

EXPECTED = {
    "/health": {"get"},
    "/auth/login": {"post"},
    "/auth/logout": {"post"},
    "/auth/me": {"get"},
    "/auth/password": {"post"},
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
    "/taxonomy": {"get"},
    "/taxonomy/business-lines": {"get", "post"},
    "/taxonomy/business-lines/{code}": {"patch"},
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


def test_openapi_documents_the_refusals_the_api_gives(server: Backend) -> None:
    """Issue 11 #20: the document listed only 200 and 422, while the API also answers 401,
    403, 404, 409, 413 and 429."""
    paths = httpx.get(server.base_url + "/openapi.json", timeout=30).json()["paths"]

    def codes(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert {"200", "401", "413", "422", "429"} <= codes("/auth/login", "post")
    assert {"204", "401", "403", "422"} <= codes("/auth/password", "post")
    assert {"200", "401", "403", "404", "409", "413", "422"} <= codes(
        "/questions/{uuid}/answer", "post"
    )
    assert {"200", "401", "403", "404", "422"} <= codes("/questions/{uuid}/link", "post")
    assert {"200", "401", "403", "413", "422"} <= codes("/questions/batch", "post")
    assert {"201", "401", "403", "409", "413", "422"} <= codes("/users", "post")
    assert {"200", "401", "403", "404", "409"} <= codes("/articles/{uuid}", "put")
    assert {"200", "401", "403"} <= codes("/changes", "get")
    # Every route behind a token documents 401 and 403; the refusals have a body schema.
    for path, operations in paths.items():
        for method, operation in operations.items():
            if path not in ("/health", "/auth/login"):
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
    assert "ErrorOut" in str(paths["/questions/{uuid}/answer"]["post"]["responses"]["409"])
