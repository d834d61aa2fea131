"""Riding out a database outage (API.md): while the database is unreachable every request
answers within 2 s with 503 `DATABASE_UNAVAILABLE` and `Retry-After`, and the service recovers
by itself when the database is back.

On PostgreSQL a watch thread asks the server whether it is there every `PROBE_S`: a `SELECT 1`
on a connection the watch keeps open, and when that fails, one new connection (2 s to connect).
Only a failure counts, never slowness: a busy machine or a long transaction must not pass for an
outage. (The embedded SQLite file has no server to lose: a file locked by another process is
answered 503 by the error mapping once `YIBAO_SQLITE_LOCK_TIMEOUT` has passed.) While the
server is away:

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
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy.engine import make_url
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("yibao.http")

PROBE_S = 0.25


class DatabaseWatch:
    """Whether the database answered the last probe."""

    def __init__(self, url: str) -> None:
        self._probe = _Probe(url)
        self.away = False
        self._stop = threading.Event()
        self._listeners: list[Callable[[], object]] = []
        self._thread = threading.Thread(target=self._run, name="yibao-db-watch", daemon=True)

    def start(self) -> DatabaseWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._probe.close()

    def on_outage(self, listener: Callable[[], object]) -> None:
        """Call `listener` (from the watch thread) whenever the database goes away."""
        self._listeners.append(listener)

    def _run(self) -> None:
        while not self._stop.wait(PROBE_S):
            answered = self._probe.answers()
            if answered == self.away:  # it changed
                self.away = not answered
                log.warning("the database is %s", "unreachable" if self.away else "back")
                if self.away:
                    for listener in self._listeners:
                        listener()


class _Probe:
    def __init__(self, url: str) -> None:
        parsed = make_url(url).set(drivername="postgresql")
        self._target = parsed.render_as_string(hide_password=False)
        self._connection: psycopg.Connection[Any] | None = None

    def answers(self) -> bool:
        try:
            self._ask()
        except (psycopg.Error, OSError):
            self.close()
            return False
        return True

    def _ask(self) -> None:
        if self._connection is None:
            self._connection = psycopg.connect(self._target, connect_timeout=2, autocommit=True)
        self._connection.execute("SELECT 1")

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):
                self._connection.close()
            self._connection = None


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
