"""POST /campaigns/{id}/next, the hottest request of a center, served in batches.

When a shift starts, every agent asks for a record within the same second. Served one by one,
each request paid FastAPI's routing and dependency solving, a thread hand-off, its own token
query and its own transaction, and 200 of them queued behind each other (bench/campaign.py,
bench/next_profile.py). Here:

- `HandOutPath`, an ASGI middleware in front of the routers, takes that one path. It reads the
  bearer token and the campaign id and hands the request to the batcher; it defers to the
  FastAPI route (which answers exactly as before: 401, 403, 422) whenever the request is not
  a plain, valid one.
- `HandOutBatcher` collects the requests that arrive while a batch is running and serves them
  together: one thread hand-off and one write transaction, one query for the tokens that are
  not in the token cache, then the same hand-out (server.services.outbound.handout) for each
  request in arrival order. Nothing waits on purpose: a lone request is a batch of one.

A service error (a campaign that does not exist) answers its own request only. Any other error
(the database went away) rolls the batch back and answers each of its requests with a 500;
the batcher goes on with the next batch.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from common.outbound import NextRecordReply
from server.api.deps import TokenCache, lookup_tokens
from server.core import security
from server.core.db import Database
from server.core.identity import CurrentUser
from server.schemas import MAX_ID
from server.services.errors import ServiceError
from server.services.outbound import handout

log = logging.getLogger(__name__)

PATH = re.compile(r"/campaigns/([1-9][0-9]{0,18})/next")
# At most this many requests in one transaction: the first of a burst does not wait for all.
BATCH_LIMIT = 50


class Defer:
    """The request is not a plain, valid one: the FastAPI route answers it."""


DEFER = Defer()


@dataclass
class _Ask:
    campaign_id: int
    digest: str
    user: CurrentUser | None  # from the token cache; None: looked up in the batch
    now: datetime
    future: asyncio.Future[Any] = field(repr=False)


class HandOutBatcher:
    """Serves next-record requests in batches (see the module's text). One per app process."""

    def __init__(self, db: Database, cache: TokenCache, limit: int = BATCH_LIMIT) -> None:
        self.db = db
        self.cache = cache
        self.limit = limit
        self.skip_locked = not db.is_sqlite
        self._waiting: list[_Ask] = []
        self._draining = False
        # What the tests read: batches run and the largest one.
        self.batches = 0
        self.largest = 0

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def ask(
        self, campaign_id: int, digest: str, user: CurrentUser | None, now: datetime
    ) -> NextRecordReply | ServiceError | Defer:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._waiting.append(_Ask(campaign_id, digest, user, now, future))
        if not self._draining:
            self._draining = True
            loop.create_task(self._drain())
        answer: NextRecordReply | ServiceError | Defer = await future
        return answer

    async def _drain(self) -> None:
        try:
            while self._waiting:
                # Requests already read by the server join this batch.
                await asyncio.sleep(0)
                batch, self._waiting = self._waiting[: self.limit], self._waiting[self.limit :]
                self.batches += 1
                self.largest = max(self.largest, len(batch))
                try:
                    answers = await run_in_threadpool(self._serve, batch)
                except Exception as exc:
                    log.error("next-record batch of %d failed", len(batch), exc_info=exc)
                    for ask in batch:
                        if not ask.future.done():
                            ask.future.set_exception(exc)
                    continue
                for ask, answer in zip(batch, answers, strict=True):
                    if not ask.future.done():  # its client may have gone (cancelled)
                        ask.future.set_result(answer)
        finally:
            self._draining = False
            for ask in self._waiting:  # only when the loop itself is being torn down
                if not ask.future.done():
                    ask.future.cancel()
            self._waiting = []

    def _serve(self, batch: list[_Ask]) -> list[NextRecordReply | ServiceError | Defer]:
        answers: dict[int, NextRecordReply | ServiceError | Defer] = {}
        by_campaign: dict[int, list[tuple[int, CurrentUser]]] = {}
        with self.db.write() as conn:
            unknown = {ask.digest for ask in batch if ask.user is None}
            found = lookup_tokens(conn, unknown) if unknown else {}
            for digest, (valid, expires_at) in found.items():
                self.cache.put(digest, valid, expires_at)
            for index, ask in enumerate(batch):
                user = ask.user
                if user is None and ask.digest in found:
                    user = found[ask.digest][0]
                if user is None or user.must_change_password:
                    answers[index] = DEFER
                else:
                    by_campaign.setdefault(ask.campaign_id, []).append((index, user))
            now = max(ask.now for ask in batch)
            for campaign_id, asking in by_campaign.items():
                people = [user for _index, user in asking]
                replies = handout.next_records(conn, campaign_id, people, now, self.skip_locked)
                for (index, _user), reply in zip(asking, replies, strict=True):
                    answers[index] = reply
        return [answers[index] for index in range(len(batch))]


class HandOutPath:
    """ASGI middleware: POST /campaigns/{id}/next through the batcher (app.state.hand_out)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        matched = PATH.fullmatch(scope["path"])
        token = _bearer(scope) if matched else ""
        if matched is None or not token or int(matched[1]) > MAX_ID:
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        batcher: HandOutBatcher = state.hand_out
        digest = security.token_digest(token)
        user = batcher.cache.get(digest)
        if user is not None and user.must_change_password:
            await self.app(scope, receive, send)
            return
        clock = getattr(state, "clock", None) or security.now
        answer = await batcher.ask(int(matched[1]), digest, user, clock())
        if isinstance(answer, Defer):
            await self.app(scope, receive, send)
            return
        if isinstance(answer, ServiceError):
            response = JSONResponse(
                {"detail": answer.detail}, answer.status_code, headers=answer.headers
            )
            await response(scope, receive, send)
            return
        body = answer.model_dump_json().encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _bearer(scope: Scope) -> str:
    """The bearer token of the Authorization header, or ''."""
    for name, value in scope.get("headers") or ():
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return ""
