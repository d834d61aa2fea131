"""What a request body may be, checked before anything else looks at it (API.md, "Input is
strict").

- `BodyGuard` (ASGI middleware, outermost): a body over 1 MiB is refused with 413
  `PAYLOAD_TOO_LARGE` before it is read whole — at once when `Content-Length` says so, else as
  soon as the bytes received pass the limit — whoever sends it, authenticated or not.
- `StrictRoute`: the route class of every router; its request parses JSON strictly *instead
  of* the usual `json.loads` (one parse, not two): UTF-8 only, no duplicated key, no integer
  literal over 18 digits, no NaN/Infinity, at most 32 levels deep. Each refusal is a
  `json.JSONDecodeError`, which FastAPI answers as 422 `VALIDATION_ERROR` naming `body`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_INTEGER_DIGITS = 18
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"


class BodyTooLarge(HTTPException):
    """Raised from `receive` once the body passes the limit (an HTTPException, so FastAPI's
    body reader lets it through to the one error mapping)."""

    def __init__(self) -> None:
        super().__init__(413, f"the request body is over {MAX_BODY_BYTES} bytes")


class BodyGuard:
    def __init__(
        self, app: ASGIApp, *, answer: Callable[[], Response], limit: int = MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.answer = answer
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.limit:
            await self.answer()(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge()
            return message

        return counted


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


class _Refused(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Refused("a key appears twice in one object")
    return found


def _bounded_integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _Refused(f"an integer has more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not JSON")


def _depth_within(document: Any, limit: int) -> bool:
    """Walks containers only; a settlement body has a handful, so this costs microseconds."""
    level: list[Any] = [document]
    for _ in range(limit + 1):
        children: list[Any] = []
        for node in level:
            if isinstance(node, dict):
                children.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                children.extend(v for v in node if isinstance(v, dict | list))
        if not children:
            return True
        level = children
    return False


def strict_loads(body: bytes) -> Any:
    """The document in `body`, or `json.JSONDecodeError` saying what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise json.JSONDecodeError("the body is not UTF-8", "", bad.start) from None
    try:
        document = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_int=_bounded_integer,
            parse_constant=_no_constant,
        )
    except _Refused as refused:
        raise json.JSONDecodeError(str(refused), "", 0) from None
    except RecursionError:
        raise json.JSONDecodeError(TOO_DEEP, "", 0) from None
    if not _depth_within(document, MAX_DEPTH):
        raise json.JSONDecodeError(TOO_DEEP, "", 0)
    return document


class StrictRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_loads(await self.body())
        return self._json


class StrictRoute(APIRoute):
    """Every route's request parses its body with `strict_loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(StrictRequest(request.scope, request.receive))

        return strict
