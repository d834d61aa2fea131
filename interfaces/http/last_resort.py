"""The last resort: an exception no handler knows becomes a plain problem+json 500
`INTERNAL_ERROR`, and is logged without anything a client sent."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interfaces.http.access_log import redact

log = logging.getLogger("yibao.http")


class CatchAll:
    """Answers 500 for whatever escapes the routes and the error handlers.

    Logged are the method, the path (no query string, ID-shaped parts masked), the exception
    types and the stack frames, never their messages: a database error quotes the row it
    failed on. The request body is never read here."""

    def __init__(self, app: ASGIApp, answer: Callable[[], Response]) -> None:
        self.app = app
        self.answer = answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as failure:
            path = redact(scope["path"])
            log.error("%s %s failed:\n%s", scope["method"], path, without_messages(failure))
            if started:
                raise
            await self.answer()(scope, receive, send)


def without_messages(failure: BaseException) -> str:
    """The chain of exception types and where each was raised, without their messages."""
    parts: list[str] = []
    current: BaseException | None = failure
    while current is not None and len(parts) < 10:
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.insert(0, f"{frames}{type(current).__module__}.{type(current).__qualname__}")
        current = current.__cause__ or current.__context__
    return "\n-- which led to --\n".join(parts)
