"""The FastAPI application: routers, body-size limit, error shape, health."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.timestamps import utc_now
from server.api.deps import TokenCache
from server.api.hand_out import HandOutBatcher, HandOutPath
from server.api.responses import INVALID, TOO_LARGE, Responses
from server.api.routes import (
    agent_states,
    articles,
    auth,
    authoring,
    calls,
    campaigns,
    changes,
    questions,
    search_misses,
    supervision,
    taxonomy,
    users,
)
from server.core.config import ServerSettings
from server.core.db import Database
from server.schemas import safe_errors
from server.services.changes_feed import ChangeSignal
from server.services.errors import ServiceError
from server.services.question_groups import SimilarityIndex
from server.services.supervision.hub import BoardHub
from server.services.supervision.keys import GrantKey

# Routes that take a file upload, with the larger limit (ServerSettings.max_upload_bytes).
UPLOAD_PATHS = re.compile(r"/campaigns/[0-9]+/import|/authoring/attachments")


class RequestGuard:
    """Refuse what must never reach the routers: bodies over `limit` bytes (413, whether or not
    Content-Length is sent: the body is read up to the limit before the app sees it) and NUL
    characters in the query string (422; the databases cannot store them)."""

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int = 0) -> None:
        self.app = app
        self.limit = limit
        # File uploads (a campaign's customer list: 100,000 rows are several MB) get their own
        # limit, and a message that names it.
        self.upload_limit = max(limit, upload_limit)

    def _limit(self, scope: Scope) -> tuple[int, str]:
        if UPLOAD_PATHS.fullmatch(scope.get("path", "")):
            mb = self.upload_limit // 1_000_000
            return self.upload_limit, (
                f"文件过大：上限为 {mb} MB / the file is too large: the limit is {mb} MB"
            )
        return self.limit, f"request body over {self.limit} bytes / 请求内容过大"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            # Shaped like FastAPI's own 422, which the schema documents for every route.
            error = {"loc": ["query"], "msg": "NUL character in the query / 查询参数包含空字符"}
            await _reply(send, 422, [{**error, "type": "value_error"}])
            return
        limit, too_large = self._limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _reply(send, 413, too_large)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app will see the disconnect
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await _reply(send, 413, too_large)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _is_json(scope) and not _utf8(body):
            # JSON is UTF-8; FastAPI would answer an undecodable body with a bare 400.
            error = {"loc": ["body"], "msg": "the body is not UTF-8 / 请求内容不是 UTF-8 编码"}
            await _reply(send, 422, [{**error, "type": "json_invalid"}])
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
    return b"json" in content_type.lower()


def _utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def _reply(send: Send, status_code: int, detail: Any) -> None:
    response = JSONResponse({"detail": detail}, status_code=status_code)
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def create_app(settings: ServerSettings, db: Database | None = None) -> FastAPI:
    """The API over `db` (created from settings.db_url and migrated when not given)."""
    if db is None:
        db = Database(settings.db_url, settings.db_pool_size)
        db.migrate()
    app = FastAPI(
        title="SeatDesk backend",
        version="1",
        openapi_url="/openapi.json",
        lifespan=_lifespan,
        # A path with a trailing slash is no resource of this API: 404, not a redirect to
        # another one ('PUT /campaigns/surveys/' from an empty survey uuid would otherwise land
        # on the survey list's path and get 405; a GET, the list instead of a survey).
        redirect_slashes=False,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.token_cache = TokenCache()
    app.state.similarity_index = SimilarityIndex()
    # The supervisors' board push (LISTEN/NOTIFY on PostgreSQL) and the grant signing key.
    app.state.board_hub = BoardHub(db, lambda: (getattr(app.state, "clock", None) or utc_now)())
    app.state.grant_key = GrantKey(db)
    # Wakes the changes feed's long-polls (GET /changes?wait=S) when a change commits.
    app.state.changes_signal = ChangeSignal(db)
    for router in (
        auth.router,
        users.router,
        questions.router,
        articles.router,
        changes.router,
        search_misses.router,
        calls.router,
        agent_states.router,
        taxonomy.router,
        campaigns.router,
        authoring.router,
        authoring.public_router,
        supervision.router,
        supervision.teams_router,
    ):
        app.include_router(router)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        with db.read() as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"ok": True, "db": "sqlite" if db.is_sqlite else "postgresql"}

    # Next-record requests in batches (server/api/hand_out.py); inside the guard, which has
    # read and checked the body by then.
    app.state.hand_out = HandOutBatcher(db, app.state.token_cache)
    app.add_middleware(HandOutPath)
    app.add_middleware(
        RequestGuard, limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes
    )
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Hosts that run the lifespan (`main.py serve`) listen for board changes from the start
    and stop the listener cleanly; without one (the embedded backend) the first board stream
    starts it."""
    app.state.grant_key.private_key()  # made at the first start of a database
    app.state.board_hub.start()
    app.state.changes_signal.start()
    yield
    await app.state.changes_signal.stop()
    await app.state.board_hub.stop()


async def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """422 that says where and what, never echoing the input: it may be a password, and text
    with a lone surrogate could not even be encoded (the reply used to fail with a 500 and
    write the submitted body into the server log)."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": safe_errors(exc.errors())}, 422)


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own answer, except that a 405 names every method the path has: each method
    is a route of its own, and Starlette's Allow header named only the first one's."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        allowed: set[str] = set()
        for route in request.app.router.routes:
            if isinstance(route, APIRoute) and route.path_regex.match(request.url.path):
                allowed |= route.methods or set()
        exc.headers = {**(exc.headers or {}), "Allow": ", ".join(sorted(allowed))}
    return await http_exception_handler(request, exc)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, plus what RequestGuard answers before any route runs: 413 for
    any request with a body, 422 for a NUL in any query string."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
        extra: Responses = {}
        for path in schema["paths"].values():
            for operation in path.values():
                wanted = INVALID | (TOO_LARGE if "requestBody" in operation else extra)
                for code, response in wanted.items():
                    if str(code) not in operation["responses"]:
                        operation["responses"][str(code)] = {
                            "description": response["description"],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        }
        schema["components"]["schemas"].setdefault(
            "ErrorOut", {"title": "ErrorOut", "type": "object", "properties": {"detail": {}}}
        )
        app.openapi_schema = schema
    return app.openapi_schema


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn worker processes (`serve --workers N`): settings from the environment."""
    return create_app(ServerSettings.from_env())
