"""The SQLite side of the database watch (interfaces/http/outage.py): a write lock another
process holds with nothing committed is an outage once it has lasted `STUCK_S`; writers that
keep the lock busy but commit are contention, never an outage; a file that went away is an
outage at once; each ends by itself."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from interfaces.http.outage import PROBE_S, STUCK_S, DatabaseWatch
from tests.faults import sqlite_locked


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "yibao.sqlite"
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (n INTEGER)")
    return path


@pytest.fixture
def watch(database: Path) -> Iterator[DatabaseWatch]:
    watch = DatabaseWatch(f"sqlite:///{database}").start()
    try:
        yield watch
    finally:
        watch.stop()


def becomes(watch: DatabaseWatch, away: bool, within: float) -> float:
    started = time.monotonic()
    while watch.away != away:
        assert time.monotonic() - started < within, f"away stayed {watch.away}"
        time.sleep(0.01)
    return time.monotonic() - started


def test_a_lock_held_with_nothing_committed_is_an_outage_until_it_is_released(
    database: Path, watch: DatabaseWatch
) -> None:
    with sqlite_locked(database):
        seen_after = becomes(watch, True, within=3)
    becomes(watch, False, within=1)
    # Answered within API.md's 2 s, with room for the request itself.
    assert STUCK_S - PROBE_S <= seen_after < STUCK_S + 2 * PROBE_S + 0.2


def test_writers_that_keep_the_lock_busy_but_commit_are_never_an_outage(
    database: Path, watch: DatabaseWatch
) -> None:
    stop = threading.Event()
    commits = [0]

    def write() -> None:  # the lock is held nearly all the time, 20 ms per transaction
        with closing(sqlite3.connect(database, timeout=15, isolation_level=None)) as connection:
            while not stop.is_set():
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("INSERT INTO t VALUES (1)")
                time.sleep(0.02)
                connection.execute("COMMIT")
                commits[0] += 1

    writers = [threading.Thread(target=write) for _ in range(3)]
    for writer in writers:
        writer.start()
    try:
        deadline = time.monotonic() + 4 * STUCK_S
        while time.monotonic() < deadline:
            assert not watch.away
            time.sleep(0.01)
    finally:
        stop.set()
        for writer in writers:
            writer.join(5)
    assert commits[0] > 4 * STUCK_S / 0.02 / 2  # they did keep it busy


def test_a_file_that_went_away_is_an_outage_at_once(database: Path, watch: DatabaseWatch) -> None:
    moved = database.with_name("moved.sqlite")
    database.rename(moved)
    try:
        assert becomes(watch, True, within=1) < 2 * PROBE_S + 0.2
    finally:
        moved.rename(database)
    becomes(watch, False, within=1)
