"""How a live runner learns there is something new in the log.

PostgreSQL: the library NOTIFYs the channel named after the events table (`region_events`)
in every insert transaction; the runner LISTENs on its own connection and wakes at once,
with a poll every second in case a notification is lost (connection drop, restart).
SQLite has no notifications: the runner polls every 50 ms.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

import psycopg
from psycopg import sql

POLL_INTERVAL = 0.05
FALLBACK_INTERVAL = 1.0


class Wakeup(Protocol):
    def wait(self, stop: threading.Event) -> None: ...
    def close(self) -> None: ...


class Polling:
    def __init__(self, interval: float = POLL_INTERVAL) -> None:
        self.interval = interval

    def wait(self, stop: threading.Event) -> None:
        stop.wait(self.interval)

    def close(self) -> None:
        pass


class Listening:
    """LISTEN on the events channel; falls back to polling while the connection is down."""

    def __init__(self, conninfo: str, channel: str, fallback: float = FALLBACK_INTERVAL) -> None:
        self.conninfo = conninfo
        self.channel = channel
        self.fallback = fallback
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None
        self._connect()

    def _connect(self) -> None:
        try:
            connection = psycopg.connect(self.conninfo, autocommit=True)
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
        except psycopg.OperationalError:
            self._connection = None
            return
        self._connection = connection

    def wait(self, stop: threading.Event) -> None:
        if self._connection is None:
            stop.wait(self.fallback)
            self._connect()
            return
        deadline = time.monotonic() + self.fallback
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                # Short slices so that `stop` is honoured quickly.
                if any(True for _ in self._connection.notifies(timeout=0.1, stop_after=1)):
                    self._drain()
                    return
        except psycopg.OperationalError:
            self.close()

    def _drain(self) -> None:
        # Many commits may have notified while we were busy; one catch-up covers them all.
        # Only those already here: waiting for more would delay the one that woke us.
        assert self._connection is not None
        for _ in self._connection.notifies(timeout=0):
            pass

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
