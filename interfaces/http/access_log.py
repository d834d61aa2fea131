"""The access log: one JSON line per request on the `yibao.access` logger — time, request id,
actor id, role, method, route template, status, latency — and nothing a client wrote: no path
values, no query string, no body, no token. The route template (`/v1/persons/{person_id}`) says
what was asked without saying of whom.

The request id is fresh for each request; the audit envelope's correlation id of whatever the
request records is the same id, so an access line leads to its events.

`redact()` masks resident-ID-shaped digits for the one place that still logs a raw path (the
last resort's 500, when no route matched).
"""

from __future__ import annotations

import copy
import json
import logging
import re
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import LOGGING_CONFIG

ACCESS = logging.getLogger("yibao.access")
REQUEST_ID = "yibao.request_id"
ACTOR = "yibao.actor"
_RESIDENT_ID = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """`/v1/x/310101196101050014?q=…` → `/v1/x/3101**********0014`."""
    path = text.split("?", 1)[0]
    return _RESIDENT_ID.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", path)


class AccessLog:
    """ASGI middleware writing the line as the response starts (latency is to the first byte;
    the line is out before the client has its answer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[REQUEST_ID] = uuid4().hex
        started = time.perf_counter()
        logged = False

        def log(status: int) -> None:
            nonlocal logged
            logged = True
            if ACCESS.isEnabledFor(logging.INFO):
                ACCESS.info(line(scope, status, time.perf_counter() - started))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                log(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if not logged:  # nothing was answered (the connection went first)
                log(499)


def line(scope: Scope, status: int, seconds: float) -> str:
    actor = scope.get(ACTOR)
    route = getattr(scope.get("route"), "path", None)
    record: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": scope[REQUEST_ID],
        "actor_id": getattr(actor, "actor_id", None),
        "role": getattr(actor, "role", None),
        "method": scope["method"],
        "route": route or "(no route)",
        "status": status,
        "latency_ms": round(seconds * 1000, 1),
    }
    return json.dumps(record, ensure_ascii=False)


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, its own access log replaced by `yibao.access` lines
    (bare JSON on stdout)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["json_lines"] = {"format": "%(message)s"}
    config["handlers"]["yibao_access"] = {
        "formatter": "json_lines",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["yibao.access"] = {
        "handlers": ["yibao_access"],
        "level": "INFO",
        "propagate": False,
    }
    config["loggers"]["uvicorn.access"] = {"handlers": [], "level": "WARNING", "propagate": False}
    return config
