"""Login, logout, slowed failures, disabled users, expiring tokens."""

from __future__ import annotations

import json
import os
import re
import stat
import time
import uuid as uuidlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import sqlalchemy as sa

from common.demo_accounts import CREDENTIALS_FILE
from server.embedded import SERVER_DB_FILE, EmbeddedServer
from server.tables import login_failures, tokens
from tests.helpers.backend import admin_password
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


# -- issue 11 #20: throttling per (user, address) and per address, counted atomically -------------
def _from(backend: Backend, address: str) -> httpx.Client:
    """A client whose connections come from `address` (any 127.x.y.z is this machine)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=backend.base_url, transport=transport, timeout=60)


def _login_from(http: httpx.Client, username: str, password: str) -> httpx.Response:
    return http.post("/auth/login", json={"username": username, "password": password})


# The first delay after the free failures is a minute here (1 s by default), so however slowly
# a loaded machine gets through the guesses, none beyond the free ones may reach a password check.
SLOW = {"SEATDESK_SERVER_LOGIN_FIRST_DELAY_S": "60"}


def test_parallel_wrong_guesses_get_only_the_free_password_checks(
    start_server: ServerFactory, backend_name: str
) -> None:
    """200 guesses at once: only the 5 free failures reach the password check (401); every
    other one is refused before it (429). Parallel guesses used to get about 29 checks."""
    server = start_server(backend_name, env=SLOW)
    _, name = server.add_user("agent")
    with _from(server, "127.0.0.11") as http, ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(
            pool.map(lambda i: _login_from(http, name, f"guess-{i}").status_code, range(200))
        )
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= 5, statuses.count(401)
    assert statuses.count(429) >= 195


def test_a_lockout_from_one_address_does_not_lock_the_user_out_elsewhere(
    start_server: ServerFactory,
) -> None:
    server = start_server("sqlite", env=SLOW)
    _, name = server.add_user("agent")
    with _from(server, "127.0.0.12") as attacker, _from(server, "127.0.0.13") as own_pc:
        for attempt in range(5):
            assert _login_from(attacker, name, f"guess-{attempt}").status_code == 401
        assert _login_from(attacker, name, "guess-again").status_code == 429
        # The attacker's address stays slowed, even with the right password...
        assert _login_from(attacker, name, PASSWORD).status_code == 429
        # ...while the user logs in from their own PC at once.
        assert _login_from(own_pc, name, PASSWORD).status_code == 200


def test_one_address_guessing_many_usernames_is_slowed(start_server: ServerFactory) -> None:
    backend = start_server(
        "sqlite", env={**SLOW, "SEATDESK_SERVER_LOGIN_ADDRESS_FREE_FAILURES": "3"}
    )
    names = [backend.add_user("agent")[1] for _ in range(5)]
    with _from(backend, "127.0.0.14") as sprayer, _from(backend, "127.0.0.15") as other:
        for name in names[:3]:
            assert _login_from(sprayer, name, "spray-1").status_code == 401
        refused = _login_from(sprayer, names[3], "spray-1")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        # Other addresses are not affected.
        assert _login_from(other, names[4], PASSWORD).status_code == 200


def test_login_failures_are_forgotten_and_their_rows_pruned(start_server: ServerFactory) -> None:
    backend = start_server(
        "sqlite",
        env={"SEATDESK_SERVER_LOGIN_FAILURE_TTL_S": "1", "SEATDESK_SERVER_LOGIN_MAX_DELAY_S": "1"},
    )
    with backend.client() as http:
        for i in range(30):
            assert http.post(
                "/auth/login", json={"username": f"nobody-{i}", "password": "x"}
            ).status_code in (401, 429)
        time.sleep(2.1)  # past the 1 s memory of the counts
        assert (
            http.post("/auth/login", json={"username": "nobody-last", "password": "x"}).status_code
            == 401
        )
    # Only this last failure is left: its pair and its address.
    assert backend.scalar(sa.select(sa.func.count()).select_from(login_failures)) == 2


def test_a_disabled_account_answers_like_a_wrong_password(server: Backend, actors: Actors) -> None:
    admin = actors("admin")
    user_id, name = server.add_user("agent")
    assert admin.http.patch(f"/users/{user_id}", json={"disabled": True}).status_code == 200
    with _from(server, "127.0.0.16") as http:
        right = _login_from(http, name, PASSWORD)
        wrong = _login_from(http, name, "not-the-password")
    assert right.status_code == wrong.status_code == 401
    assert right.json() == wrong.json()


def test_lone_surrogates_in_a_login_are_a_422_that_echoes_nothing(server: Backend) -> None:
    secret = "hunter2-" + uuidlib.uuid4().hex
    _, name = server.add_user("agent")
    with _from(server, "127.0.0.17") as http:
        for fields in (
            {"username": name, "password": secret + "\ud800"},
            {"username": "\udfff" + name, "password": secret},
            {"username": name, "password": secret, "\ud800": 1},
        ):
            body = json.dumps(fields)  # ASCII: the surrogate goes as the escape \ud800
            response = http.post(
                "/auth/login", content=body, headers={"Content-Type": "application/json"}
            )
            assert response.status_code == 422, response.text
            assert secret not in response.text
    # Nothing the user typed reaches the server's log, either.
    assert secret not in server.proc.log_path.read_text(errors="replace")


# -- issue 11 #20: the embedded backend's first admin -----------------------------------------------
def test_first_admin_must_replace_the_generated_password_then_the_note_goes(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    embedded = EmbeddedServer(data_dir)
    embedded.start()
    try:
        note = data_dir / CREDENTIALS_FILE
        if os.name == "posix":  # on Windows the per-user AppData folder is private already
            assert stat.S_IMODE(note.stat().st_mode) == 0o600
            assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
            for db_file in data_dir.glob(SERVER_DB_FILE + "*"):
                assert stat.S_IMODE(db_file.stat().st_mode) == 0o600, db_file
        generated = admin_password(data_dir)
        with httpx.Client(base_url=embedded.url, timeout=30) as http:
            login = http.post("/auth/login", json={"username": "admin", "password": generated})
            assert login.status_code == 200 and login.json()["must_change_password"] is True
            http.headers["Authorization"] = f"Bearer {login.json()['token']}"
            assert http.get("/auth/me").status_code == 200
            refused = http.get("/users")
            assert refused.status_code == 403 and bilingual(refused.json()["detail"])
            assert note.exists()
            wrong_old = {"old_password": "not-it", "new_password": "my-own-password-1"}
            assert http.post("/auth/password", json=wrong_old).status_code == 401
            change = {"old_password": generated, "new_password": "my-own-password-1"}
            assert http.post("/auth/password", json=change).status_code == 204
            assert not note.exists()
            assert http.get("/users").status_code == 200  # the same session goes on
            again = http.post(
                "/auth/login", json={"username": "admin", "password": "my-own-password-1"}
            )
            assert again.status_code == 200 and again.json()["must_change_password"] is False
            old = http.post("/auth/login", json={"username": "admin", "password": generated})
            assert old.status_code == 401
    finally:
        embedded.stop()
