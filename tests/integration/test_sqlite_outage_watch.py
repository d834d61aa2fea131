"""The SQLite side of the database watch (interfaces/http/outage.py): a write lock another
process holds with nothing committed is an outage once it has lasted `STUCK_S`; writers of
another process that keep the lock busy but commit are contention, and a lock this process
holds is its own writer — never an outage; a file that went away is an outage at once; each
ends by itself."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
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
    """Another process's writers hold the lock nearly all the time, 20 ms a transaction."""
    writers = subprocess.Popen(
        [sys.executable, "-c", _BUSY_WRITERS, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writers.stdin is not None and writers.stdout is not None
    try:
        assert writers.stdout.readline().strip() == "writing"
        deadline = time.monotonic() + 4 * STUCK_S
        while time.monotonic() < deadline:
            assert not watch.away
            time.sleep(0.01)
    finally:
        writers.stdin.close()
        writers.wait(10)
    assert writers.stdout.read().strip() != ""
    with closing(sqlite3.connect(database)) as connection:
        (commits,) = connection.execute("SELECT count(*) FROM t").fetchone()
    assert commits > 4 * STUCK_S / 0.02 / 2  # they did keep it busy


_BUSY_WRITERS = """
import sqlite3, sys, threading, time
stop = threading.Event()

def write():
    connection = sqlite3.connect(sys.argv[1], timeout=15, isolation_level=None)
    while not stop.is_set():
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t VALUES (1)")
        time.sleep(0.02)
        connection.execute("COMMIT")

threads = [threading.Thread(target=write) for _ in range(3)]
for thread in threads:
    thread.start()
print("writing", flush=True)
sys.stdin.read()
stop.set()
for thread in threads:
    thread.join()
print("stopped", flush=True)
"""


def test_a_lock_this_process_holds_is_its_own_writer_never_an_outage(
    database: Path, watch: DatabaseWatch
) -> None:
    """However long it holds it without committing (a writer of the service starved of CPU on
    a loaded machine): only another process keeping the file is an outage."""
    with closing(sqlite3.connect(database, isolation_level=None)) as connection:
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("INSERT INTO t VALUES (1)")
        deadline = time.monotonic() + 3 * STUCK_S
        while time.monotonic() < deadline:
            assert not watch.away
            time.sleep(0.01)
        connection.execute("ROLLBACK")


def test_a_file_that_went_away_is_an_outage_at_once(database: Path, watch: DatabaseWatch) -> None:
    moved = database.with_name("moved.sqlite")
    database.rename(moved)
    try:
        assert becomes(watch, True, within=1) < 2 * PROBE_S + 0.2
    finally:
        moved.rename(database)
    becomes(watch, False, within=1)
