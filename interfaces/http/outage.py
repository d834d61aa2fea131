"""Riding out a database outage (API.md): while the database is unreachable every request
answers within 2 s with 503 `DATABASE_UNAVAILABLE` and `Retry-After`, and the service recovers
by itself when the database is back.

On PostgreSQL a watch thread asks the server whether it is there every `PROBE_S`: a `SELECT 1`
on a connection the watch keeps open, and when that fails, one new connection (2 s to connect).
Only a failure counts, never slowness: a busy machine or a long transaction must not pass for an
outage.

While the server is away:

- a new request is answered 503 at once, without touching the database;
- a request already running (a command retrying its insert inside the event-store library, a
  read waiting on the pool) is answered 503 the moment the watch sees the outage. Its worker
  thread finishes or fails later on its own; whatever it sends then is dropped. Its outcome
  was never acknowledged, so nothing acknowledged is lost: the client retries (a settlement
  with the same `request_id`, a command with the same `Idempotency-Key`).

The embedded SQLite file has no server to lose, but another process can keep its write lock (a
held `BEGIN EXCLUSIVE`), or the file can go (moved, unreadable). Every `PROBE_S` the watch
tries to take the write lock without waiting and gives it back at once. Taken: the file is
there. Not taken, the watch asks whether anyone committed since its last look (`PRAGMA
data_version`): writers that take turns commit all the time — contention, however heavy, is
never an outage (the service's own writers wait the lock timeout as before) — while a lock
another process holds with no commit for `STUCK_S` is one (a lock this process holds is its
own writer, however slow). A file that cannot be opened or read is one at once.
A lock held still cannot be told from a writer stalled in a slow fsync, so on SQLite an outage
refuses only what it holds up: reads go on (WAL readers never wait for the lock), and a request
still running after `SQLITE_GRACE_S` is answered 503 while the watch sees the outage — a
command waiting for the lock, within API.md's 2 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import psycopg
from sqlalchemy.engine import make_url
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("yibao.http")

PROBE_S = 0.25
# SQLite: how long the write lock may be held with no commit before it is an outage (seen
# within STUCK_S + 2 × PROBE_S), and how long a request runs before such an outage refuses it.
STUCK_S = 0.75
SQLITE_GRACE_S = 1.25
WAL_WRITE_BYTE = 120
POLL_S = 0.05


class Probe(Protocol):
    # Seconds a request runs before an outage refuses it (0: at once, new requests too).
    grace: float

    def answers(self) -> bool: ...

    def close(self) -> None: ...


def probe_for(url: str) -> Probe:
    """The probe for the database `url` names (a SQLAlchemy URL)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _SqliteProbe(Path(parsed.database or ""))
    return _Probe(url)


class DatabaseWatch:
    """Whether the database answered the last probe."""

    def __init__(self, url: str) -> None:
        self._probe = probe_for(url)
        self.grace = self._probe.grace
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
    grace = 0.0

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


class _SqliteProbe:
    """The embedded file: there, readable, and its write lock not held still by another."""

    grace = SQLITE_GRACE_S

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None
        self._stuck_since: float | None = None

    def answers(self) -> bool:
        try:
            return self._ask()
        except (sqlite3.Error, OSError):
            self.close()
            return False

    def _ask(self) -> bool:
        if not os.access(self._path, os.R_OK | os.W_OK):
            raise OSError(f"cannot read and write {self._path.name}")
        if self._connection is None:
            # mode=rw: a file that went away is an outage, not a new empty database.
            self._connection = sqlite3.connect(
                f"file:{self._path}?mode=rw", uri=True, timeout=0, isolation_level=None
            )
        version = self._version
        try:
            # (A file not in WAL mode blocks even this read while a writer commits.)
            version = self._connection.execute("PRAGMA data_version").fetchone()[0]
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as busy:
            if busy.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            return self._still_moving(version)
        self._connection.execute("ROLLBACK")
        self._version, self._stuck_since = version, None
        return True

    def _still_moving(self, version: int | None) -> bool:
        """The lock is held: an outage once nobody committed for STUCK_S, unless it is this
        process that holds it (its own writer, slow on a starved machine, is no outage)."""
        now = time.monotonic()
        if version != self._version or self._stuck_since is None or self._held_here():
            self._version, self._stuck_since = version, now
            return True
        return now - self._stuck_since < STUCK_S

    def _held_here(self) -> bool:
        """Whether this process holds the WAL write lock: on Linux, /proc/locks lists the
        POSIX lock SQLite takes on byte 120 of the `-shm` file (the WAL index's write lock,
        sqlite.org/walformat.html) with its owner's pid. Read from /proc, never by opening the
        `-shm` file here: closing any descriptor of a file drops every POSIX lock the process
        holds on it, SQLite's own included."""
        try:
            inode = os.stat(f"{self._path}-shm").st_ino
            table = Path("/proc/locks").read_text()
        except OSError:
            return False
        for line in table.splitlines():
            fields = line.split()
            if len(fields) < 8 or fields[1] != "POSIX" or fields[3] != "WRITE":
                continue  # ("->" lines are waiters)
            if fields[5].rsplit(":", 1)[-1] != str(inode) or fields[6] != str(WAL_WRITE_BYTE):
                continue
            return fields[4] == str(os.getpid())
        return False

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None
        self._version = self._stuck_since = None


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
        if watch.away and not watch.grace:
            await self.answer()(scope, receive, send)
            return
        if watch.grace:
            await self._unless_held_up(watch, scope, receive, send)
            return
        await self._unless_outage(watch, scope, receive, send)

    async def _unless_held_up(
        self, watch: DatabaseWatch, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """SQLite: run the request; answer 503 if it is still running (nothing sent yet) after
        the grace while the watch sees the outage."""
        started = abandoned = False

        async def sending(message: Message) -> None:
            nonlocal started
            if not abandoned:
                started = True
                await send(message)

        work = asyncio.ensure_future(self.app(scope, receive, sending))
        await asyncio.wait({work}, timeout=watch.grace)
        while not (work.done() or started or watch.away):
            await asyncio.wait({work}, timeout=POLL_S)
        if work.done() or started:
            await work
            return
        abandoned = True
        work.add_done_callback(_forget)
        await self.answer()(scope, receive, send)

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
