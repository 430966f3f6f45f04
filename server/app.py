"""The FastAPI application: routers, body-size limit, error shape, health."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.routes import articles, auth, changes, questions, search_misses, users
from server.core.config import ServerSettings
from server.core.db import Database


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        response = JSONResponse(
            {"detail": f"request body over {self.limit} bytes / 请求内容过大"}, status_code=413
        )
        await response({"type": "http"}, _no_receive, send)


class _TooLarge(Exception):
    pass


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def create_app(settings: ServerSettings, db: Database | None = None) -> FastAPI:
    """The API over `db` (created from settings.db_url and migrated when not given)."""
    if db is None:
        db = Database(settings.db_url)
        db.migrate()
    app = FastAPI(title="SeatDesk backend", version="1", openapi_url="/openapi.json")
    app.state.db = db
    app.state.settings = settings
    for router in (
        auth.router,
        users.router,
        questions.router,
        articles.router,
        changes.router,
        search_misses.router,
    ):
        app.include_router(router)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        with db.read() as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"ok": True, "db": "sqlite" if db.is_sqlite else "postgresql"}

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
