"""Riding out a database outage (API.md): while the database is unreachable every request
answers within 2 s with 503 `DATABASE_UNAVAILABLE` and `Retry-After`, and the service recovers
by itself when the database is back.

A watch thread asks the database whether it answers (`_prober`) every `PROBE_S`; the
database counts as away when a probe fails or when none has succeeded for `STALE_S` (a probe
that hangs on a blocked network is as telling as one that fails). While it is away:

- a new request is answered 503 at once, without touching the database;
- a request already running (a command retrying its insert inside the event-store library, a
  read waiting on the pool) is answered 503 the moment the watch sees the outage. Its worker
  thread finishes or fails later on its own; whatever it sends then is dropped. Its outcome
  was never acknowledged, so nothing acknowledged is lost: the client retries (a settlement
  with the same `request_id`, a command with the same `Idempotency-Key`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy.engine import make_url
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("yibao.http")

PROBE_S = 0.25
STALE_S = 1.2
RETRY_AFTER_S = 2


class DatabaseWatch:
    """Whether the database answered lately; `down_since` is set while it does not."""

    def __init__(self, url: str) -> None:
        self._ask = _prober(url)
        self._last_ok = time.monotonic()
        self._failing = False
        self._stop = threading.Event()
        self._listeners: list[Callable[[], object]] = []
        self._thread = threading.Thread(target=self._run, name="yibao-db-watch", daemon=True)

    def start(self) -> DatabaseWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    @property
    def away(self) -> bool:
        return self._failing or time.monotonic() - self._last_ok > STALE_S

    def on_outage(self, listener: Callable[[], object]) -> None:
        """Call `listener` (from the watch thread) whenever the database goes away."""
        self._listeners.append(listener)

    def _run(self) -> None:
        while not self._stop.wait(PROBE_S):
            was_away = self.away
            self._failing = not self._probe()
            if self._failing:
                self._notify(was_away)
            else:
                self._last_ok = time.monotonic()
            if was_away != self.away:
                log.warning("the database is %s", "unreachable" if self.away else "back")

    def _notify(self, was_away: bool) -> None:
        if not was_away:
            for listener in self._listeners:
                listener()

    def _probe(self) -> bool:
        try:
            self._ask()
        except Exception:  # any failure to answer is an outage, whatever the driver says
            return False
        return True


def _prober(url: str) -> Callable[[], None]:
    """PostgreSQL: `SELECT 1` on a fresh connection (1 s to connect, 1 s to answer). SQLite:
    the write lock, taken and given back within 1 s — a file no command can write to is away
    for the clients as surely as a server that does not answer."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""

        def ask_sqlite() -> None:
            connection = sqlite3.connect(path, timeout=1.0, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
            finally:
                connection.close()

        return ask_sqlite
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)

    def ask_postgres() -> None:
        with psycopg.connect(
            conninfo, connect_timeout=1, options="-c statement_timeout=1000"
        ) as connection:
            connection.execute("SELECT 1")

    return ask_postgres


class OutageGuard:
    """The ASGI side: answer 503 while the watch says the database is away."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        watch: Callable[[], DatabaseWatch | None],
        answer: Callable[[], Response],
    ) -> None:
        self.app = app
        self.watch = watch
        self.answer = answer
        self._outage: asyncio.Event | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        watch = self.watch()
        if scope["type"] != "http" or watch is None:
            await self.app(scope, receive, send)
            return
        if watch.away:
            await self.answer()(scope, receive, send)
            return
        await self._unless_outage(watch, scope, receive, send)

    async def _unless_outage(
        self, watch: DatabaseWatch, scope: Scope, receive: Receive, send: Send
    ) -> None:
        outage = self._event(watch)
        started = abandoned = False

        async def sending(message: Message) -> None:
            nonlocal started
            if not abandoned:
                started = True
                await send(message)

        work = asyncio.ensure_future(self.app(scope, receive, sending))
        waiting = asyncio.ensure_future(outage.wait())
        try:
            await asyncio.wait({work, waiting}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()
        if work.done() or started:
            await work
            return
        abandoned = True
        work.add_done_callback(_forget)
        await self.answer()(scope, receive, send)

    def _event(self, watch: DatabaseWatch) -> asyncio.Event:
        """One event per app, set from the watch thread when the database goes away and
        cleared for the next outage once requests see it back."""
        if self._outage is None:
            outage = self._outage = asyncio.Event()
            loop = asyncio.get_running_loop()
            watch.on_outage(lambda: loop.call_soon_threadsafe(outage.set))
        elif self._outage.is_set() and not watch.away:
            self._outage.clear()
        return self._outage


def _forget(work: asyncio.Future[Any]) -> None:
    """An abandoned request's own failure (the database was away) was answered already."""
    with contextlib.suppress(BaseException):
        work.result()
