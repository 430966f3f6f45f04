"""Login, logout, slowed failures, disabled users, expiring tokens."""

from __future__ import annotations

import re

import httpx
import sqlalchemy as sa

from server.tables import tokens
from tests.server.support import PASSWORD, Actors, Backend, ServerFactory, wait_until

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


def bilingual(detail: str) -> bool:
    return bool(CJK.search(detail)) and bool(LATIN.search(detail))


def test_login_ok_gives_a_working_token(server: Backend, actors: Actors) -> None:
    agent = actors("agent", login=True)
    me = agent.http.get("/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == agent.username
    assert me.json()["role"] == "agent"


def test_login_response_shape_and_token_stored_hashed(server: Backend) -> None:
    user_id, name = server.add_user("supervisor")
    response = server.login(name)
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {
        "id": user_id,
        "username": name,
        "display_name": name,
        "role": "supervisor",
        "disabled": False,
    }
    assert body["expires_at"]
    token = body["token"]
    assert len(token) >= 32
    stored = server.scalar(
        sa.select(sa.func.count()).select_from(tokens).where(tokens.c.token_hash == token)
    )
    assert stored == 0, "the raw token must not be stored"


def test_wrong_password_is_401_in_chinese_and_english(server: Backend) -> None:
    _, name = server.add_user("agent")
    response = server.login(name, "not-the-password")
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert "用户名或密码错误" in detail
    assert bilingual(detail)
    assert "token" not in response.json()


def test_unknown_user_gets_the_same_401(server: Backend) -> None:
    _, name = server.add_user("agent")
    wrong = server.login(name, "not-the-password")
    unknown = server.login("nobody-" + name, "not-the-password")
    assert unknown.status_code == 401
    assert unknown.json() == wrong.json()


def test_repeated_failures_are_slowed_with_retry_after(server: Backend) -> None:
    _, name = server.add_user("agent")
    _, bystander = server.add_user("agent")
    # The first five failures are free: plain 401s.
    for attempt in range(5):
        response = server.login(name, f"wrong-{attempt}")
        assert response.status_code == 401, (attempt, response.text)
    # Then the user is slowed: 429 with Retry-After. (The first delay is short, so on a slow
    # machine it may pass before the next attempt: each further failure doubles it.)
    statuses = []
    for attempt in range(5):
        response = server.login(name, f"still-wrong-{attempt}")
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    assert int(response.headers["Retry-After"]) >= 1
    assert bilingual(response.json()["detail"])
    # While slowed, even the right password is refused.
    if int(response.headers["Retry-After"]) >= 2:
        assert server.login(name, PASSWORD).status_code == 429
    # Other users are not affected.
    assert server.login(bystander).status_code == 200

    # Once the delay has passed, the right password works again.
    def logged_in() -> httpx.Response | None:
        attempt = server.login(name, PASSWORD)
        return attempt if attempt.status_code == 200 else None

    ok = wait_until(logged_in, timeout=20, what="the login slow-down to pass", interval=0.5)
    assert ok.json()["user"]["username"] == name


def test_disabled_user_cannot_log_in_and_open_tokens_stop_working(
    server: Backend, actors: Actors
) -> None:
    admin = actors("admin")
    agent = actors("agent", login=True)
    assert agent.http.get("/auth/me").status_code == 200
    response = admin.http.patch(f"/users/{agent.id}", json={"disabled": True})
    assert response.status_code == 200
    assert response.json()["disabled"] is True
    assert agent.http.get("/auth/me").status_code == 401
    assert agent.http.get("/changes").status_code == 401
    login = server.login(agent.username)
    assert login.status_code in (401, 403)
    assert "token" not in login.json()
    assert bilingual(login.json()["detail"])
    # Re-enabled: logs in again, but the old token stays dead.
    assert admin.http.patch(f"/users/{agent.id}", json={"disabled": False}).status_code == 200
    assert server.login(agent.username).status_code == 200
    assert agent.http.get("/auth/me").status_code == 401


def test_logout_revokes_the_token_only(server: Backend, actors: Actors) -> None:
    agent = actors("agent", login=True)
    other = server.login(agent.username).json()["token"]
    assert agent.http.post("/auth/logout").status_code == 204
    assert agent.http.get("/auth/me").status_code == 401
    assert agent.http.post("/auth/logout").status_code == 401
    with server.client(other) as second:
        assert second.get("/auth/me").status_code == 200


def test_no_or_bad_token_is_401(server: Backend, actors: Actors) -> None:
    anonymous = actors.anonymous()
    for method, path in (
        ("GET", "/auth/me"),
        ("GET", "/changes"),
        ("GET", "/questions"),
        ("POST", "/questions/batch"),
        ("GET", "/users"),
        ("POST", "/articles"),
    ):
        response = anonymous.request(method, path, json={"items": []})
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers.get("WWW-Authenticate") == "Bearer"
        assert bilingual(response.json()["detail"])
    for header in ("Bearer nonsense", "Bearer", "Basic dXNlcjpwYXNz", "nonsense"):
        response = anonymous.get("/auth/me", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_expired_token_is_401(start_server: ServerFactory, backend_name: str) -> None:
    backend = start_server(backend_name, env={"SEATDESK_SERVER_TOKEN_TTL_S": "1"})
    _, name = backend.add_user("agent")
    login = backend.login(name)
    assert login.status_code == 200
    with backend.client(login.json()["token"]) as http:
        first = http.get("/auth/me").status_code
        wait_until(
            lambda: http.get("/auth/me").status_code == 401,
            timeout=15,
            what="the 1 s token to expire",
            interval=0.2,
        )
    assert first == 200


def test_login_rejects_malformed_bodies(server: Backend) -> None:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for body in (
            {},
            {"username": "x"},
            {"username": "", "password": "x"},
            {"username": "x", "password": "y", "extra": 1},
            {"username": ["x"], "password": "y"},
            {"username": "x" * 65, "password": "y"},
        ):
            assert http.post("/auth/login", json=body).status_code == 422, body
