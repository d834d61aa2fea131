"""Follow the region's log and apply it to the views in batches, exactly once.

A `Runner` reads the notification log once for all its projections, wraps each
notification as a `Recorded` (decoded lazily, once), and applies the events each projection
has not seen yet in one transaction per projection and batch: view rows, then the tracking
row. A crash anywhere before the commit leaves both as they were, so the next run resumes
from the tracked position. Live, it waits on LISTEN/NOTIFY (PostgreSQL) or polls (SQLite).

Events are decoded before the batch's transaction opens: on SQLite the transaction holds
the database's write lock, which commands need too. A batch that fails is applied up to the
event that failed, and the failure (error and position) is kept on the tracking row until
the projection moves past it: `status` shows it, `Views.wait_for` stops waiting for it.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from projections import tracking
from projections.batch import Batch, Seen
from projections.events import Recorded
from projections.log import EventLog
from projections.projection import ViewProjection, tables_of
from projections.tracking import Generation
from projections.wakeup import FALLBACK_INTERVAL, Wakeup

log = logging.getLogger("yibao.projections")

BATCH_SIZE = 2000
# Rows a runner remembers per projection between batches (reads it need not repeat).
SEEN_ROWS = 20_000
# Test hook for the crash-safety test: "N:marker" makes the runner, after N committed
# batches, touch `marker` and stall between its view writes and its commit.
STALL_HOOK = "YIBAO_TEST_STALL_BEFORE_COMMIT"
ERROR_BACKOFF = 2.0
LIVE_COST_WEIGHT = 0.2  # of the newest measurement in a projection's live cost
LIVE_REMEASURE = 10  # every so many live pages, one projection of a group alone (measured)


def utc_now() -> datetime:
    return datetime.now(UTC)


class EventFailed(Exception):
    """A projection could not apply the event at `position` (the cause is chained)."""

    def __init__(self, position: int, error: Exception) -> None:
        super().__init__(f"event {position}: {type(error).__name__}: {error}")
        self.position = position
        self.error = error

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.position, self.error))


class ProjectionFailed(RuntimeError):
    """A projection stopped at the event at `position`; recorded on its tracking row."""

    def __init__(self, projection: str, position: int, error: Exception) -> None:
        super().__init__(f"{projection} stopped at event {position}: {describe(error)}")
        self.projection = projection
        self.position = position
        self.error = error

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt as raised (a parallel rebuild hands it from a worker process to the CLI).
        return (type(self), (self.projection, self.position, self.error))


class _Moved(Exception):
    """Another runner moved a projection's tracking row first."""


def describe(error: Exception) -> str:
    cause = error.error if isinstance(error, EventFailed) else error
    return f"{type(cause).__name__}: {cause}"


class Runner:
    """Applies the log to its projections; `log` is the read side's port to the region's log
    (`projections.log.EventLog`, built by `interfaces.bootstrap.event_log`)."""

    def __init__(
        self,
        log: EventLog,
        engine: Engine,
        projections: Sequence[ViewProjection],
        *,
        batch_size: int = BATCH_SIZE,
        clock: Callable[[], datetime] = utc_now,
        poll_fallback: float = FALLBACK_INTERVAL,
    ) -> None:
        self.log = log
        self.engine = engine
        self.projections = {p.name: p for p in projections}
        self.batch_size = batch_size
        self.clock = clock
        self.poll_fallback = poll_fallback
        self.failures: dict[str, tuple[float, Exception]] = {}
        self._committed = 0
        # Per generation: (position, rows as the database holds them there), bounded.
        self._seen: dict[tuple[str, int], tuple[int, Seen]] = {}
        self._stall = _stall_hook()
        # Live: what applying a few events recently took each projection (`follow`), in s.
        self._live_cost: dict[str, float] = {}
        self._live_pages = 0

    # --- catching up ---------------------------------------------------------------------

    def catch_up(self, *, raise_errors: bool = True, upto: int | None = None) -> int:
        """Apply every event recorded so far (up to position `upto`, if given) to every live
        generation; returns how many notifications were read."""
        read = 0
        while True:
            targets = self._live_targets()
            if not targets:
                return read
            after = min(t.position for t in targets)
            room = self.batch_size if upto is None else min(self.batch_size, upto - after)
            records = self.read(after, room) if room > 0 else []
            if not records:
                return read
            if not self._apply_together(targets, records):
                for target in targets:
                    self._apply_safely(target, records, raise_errors)
            read += len(records)

    def read(self, after: int, limit: int | None = None) -> list[Recorded]:
        return self.log.read(after, limit or self.batch_size)

    def apply(self, target: Generation, records: Sequence[Recorded]) -> Generation | None:
        """Apply the records after `target.position` and move the tracking row to the last
        record read, in one transaction. None when another runner had moved it first."""
        projection = self.projections[target.projection]
        todo = [r for r in records if r.position > target.position]
        if not todo:
            return target
        last = records[-1].position
        _decode(self.log, projection, todo)
        with self.engine.begin() as connection:
            _unhurried_commit(connection)
            batch = self._write(connection, target, projection, todo)
            if batch is None:
                return None
            self._maybe_stall()
            tracking.advance(connection, target, last, self.clock())
        self._committed += 1
        self._remember(target, last, batch)
        return replace(target, position=last)

    def advance(
        self, targets: Sequence[Generation], records: Sequence[Recorded]
    ) -> list[Generation]:
        """Apply the records to each target — in one transaction when all of them can, else
        one at a time (`step`, which raises `ProjectionFailed`) — and return the targets as
        moved. A target another runner moved meanwhile is an error here (a rebuild owns the
        generations it builds)."""
        if self._apply_together(targets, records):
            last = records[-1].position
            return [replace(t, position=max(t.position, last)) for t in targets]
        moved = []
        for target in targets:
            stepped = self.step(target, records)
            if stepped is None:
                raise RuntimeError(
                    f"another process is building {target.projection} "
                    f"generation {target.generation}"
                )
            moved.append(stepped)
        return moved

    def _apply_together(self, targets: Sequence[Generation], records: Sequence[Recorded]) -> bool:
        """Apply the records to every target in one transaction (one commit, not one per
        projection: what a read-your-writes waits for). False — nothing applied — when any of
        them fails or was moved by another runner: then each goes on its own (`step`), so
        that one failing projection never holds the others back."""
        work = [
            (t, self.projections[t.projection], [r for r in records if r.position > t.position])
            for t in targets
        ]
        work = [w for w in work if w[2]]
        if len(work) < 2 or any(t.failed for t in targets):
            return False  # a stopped projection is retried on its own, never with the others
        for _, projection, todo in work:
            _decode(self.log, projection, todo)
        last, done = records[-1].position, []
        try:
            with self.engine.begin() as connection:
                _unhurried_commit(connection)
                claimed = [t for t, _, _ in work]
                if not tracking.claim_all(connection, claimed):
                    raise _Moved(", ".join(t.projection for t in claimed))
                for target, projection, todo in work:
                    batch = self._write(connection, target, projection, todo, claimed=True)
                    assert batch is not None
                    done.append((target, batch))
                self._maybe_stall()
                tracking.advance_all(connection, claimed, last, self.clock())
        except Exception:
            log.debug("applying together failed; one projection at a time", exc_info=True)
            return False
        self._committed += 1
        for target, batch in done:
            self._remember(target, last, batch)
            self.failures.pop(target.projection, None)
        return True

    def _write(
        self,
        connection: Connection,
        target: Generation,
        projection: ViewProjection,
        todo: Sequence[Recorded],
        *,
        claimed: bool = False,
    ) -> Batch | None:
        """Claim the target (unless `claimed` already) and write what `todo` changes in its
        views (not committed); None when another runner had moved it."""
        seen = self._seen.pop((target.projection, target.generation), None)
        if not claimed and not tracking.claim(connection, target):
            return None
        # The claim held at the position we left: nobody has written these tables since,
        # so the rows our last batch read and wrote are still the database's.
        known = seen[1] if seen is not None and seen[0] == target.position else None
        batch = Batch(connection, tables_of(projection, target.generation), known)
        batch.run(
            lambda: _apply_each(projection, batch, todo),
            events=len(todo),
            known=projection.known_keys(todo),
        )
        batch.flush()
        return batch

    def _remember(self, target: Generation, position: int, batch: Batch) -> None:
        if len(batch.seen) <= SEEN_ROWS:
            self._seen[(target.projection, target.generation)] = (position, batch.seen)

    def step(self, target: Generation, records: Sequence[Recorded]) -> Generation | None:
        """`apply`; when it fails, apply what precedes the failing event, record the failure
        on the tracking row and raise `ProjectionFailed`."""
        try:
            return self.apply(target, records)
        except Exception as error:
            moved, failed = self._locate(target, records, error)
            if failed is None:
                return moved
            if moved is not None:
                with self.engine.begin() as connection:
                    tracking.fail(connection, moved, failed.position, describe(failed.error))
            raise failed from error

    def _locate(
        self, target: Generation, records: Sequence[Recorded], error: Exception
    ) -> tuple[Generation | None, ProjectionFailed | None]:
        """Where the batch failed: (the generation moved up to the failing event, the
        failure); no failure when its events went through one by one."""
        todo = [r for r in records if r.position > target.position]
        moved: Generation | None = target
        if isinstance(error, EventFailed):
            before = [r for r in todo if r.position < error.position]
            try:
                moved = self.apply(target, before) if before else target
            except Exception:
                log.exception("%s failed before its failing event", target.projection)
                moved = None
            return moved, ProjectionFailed(target.projection, error.position, error)
        # The batch failed as a whole (writing it, say): find the event one at a time.
        for recorded in todo:
            if moved is None:
                break
            try:
                moved = self.apply(moved, [recorded])
            except Exception as single:
                return moved, ProjectionFailed(target.projection, recorded.position, single)
        return moved, None

    def _live_targets(self) -> list[Generation]:
        now = time.monotonic()
        with self.engine.connect() as connection:
            live = tracking.live(connection, list(self.projections))
        # In the runner's own order, so that batches are applied the same way every time.
        ready = [live[name] for name in self.projections if name in live]
        return [g for g in ready if self.failures.get(g.projection, (0.0,))[0] <= now]

    def _apply_safely(
        self, target: Generation, records: Sequence[Recorded], raise_errors: bool
    ) -> None:
        try:
            self.step(target, records)
            self.failures.pop(target.projection, None)
        except Exception as error:
            if raise_errors:
                raise
            # One failing projection must not stop the others; it is retried after a pause.
            log.error("%s", error, exc_info=error.__cause__ or error)
            self.failures[target.projection] = (time.monotonic() + ERROR_BACKOFF, error)

    def _maybe_stall(self) -> None:
        if self._stall is not None and self._committed >= self._stall[0]:
            self._stall[1].touch()
            time.sleep(3600)

    # --- live ----------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Follow the log until `stop` is set."""
        wakeup = self._wakeup()
        try:
            while not stop.is_set():
                try:
                    self.follow()
                except Exception:
                    # The log or the database is unreachable: keep trying, never give up.
                    log.exception("catching up failed; retrying in %s s", ERROR_BACKOFF)
                    stop.wait(ERROR_BACKOFF)
                wakeup.wait(stop)
        finally:
            wakeup.close()

    def _wakeup(self) -> Wakeup:
        return self.log.wakeup(self.poll_fallback)

    def follow(self) -> int:
        """Apply what is new (live). A page that fills the batch is applied as catching up
        does. A shorter one — the last few events, which readers are waiting for — goes to
        the projections in groups, a transaction each (`live_groups`): a read of the
        settlements does not wait for the archive catalogue's filing. Returns how many
        notifications were read."""
        read = 0
        while True:
            targets = self._live_targets()
            if not targets:
                return read
            records = self.read(min(t.position for t in targets), self.batch_size)
            if not records:
                return read
            if len(records) >= self.batch_size:
                self._apply_all(targets, records)
            else:
                groups = live_groups(targets, self._live_cost)
                self._live_pages += 1
                if self._live_pages % LIVE_REMEASURE == 0:
                    groups = one_alone_first(groups, self._live_pages // LIVE_REMEASURE)
                for group in groups:
                    started = time.monotonic()
                    self._apply_all(group, records)
                    if len(group) == 1:
                        self._learn(group[0].projection, time.monotonic() - started)
            read += len(records)

    def _apply_all(self, targets: Sequence[Generation], records: Sequence[Recorded]) -> None:
        if len(targets) > 1 and self._apply_together(targets, records):
            return
        for target in targets:
            self._apply_safely(target, records, False)

    def _learn(self, projection: str, took: float) -> None:
        before = self._live_cost.get(projection, took)
        self._live_cost[projection] = before + (took - before) * LIVE_COST_WEIGHT


def live_groups(
    targets: Sequence[Generation], costs: Mapping[str, float]
) -> list[list[Generation]]:
    """The targets in groups, one transaction each, so that the projections are up to date
    as early as they can be on average: each group costs one transaction's own time (about
    that of the cheapest projection, whose events change nothing) plus what its projections
    cost beyond it. Quickest first; the grouping minimises the sum of the times at which
    each projection is done (shortest job first, with a set-up time per group). A
    projection with no cost known yet goes alone, so that it is measured."""
    ordered = sorted(targets, key=lambda t: costs.get(t.projection, 0.0))
    overhead = min((costs[t.projection] for t in ordered if t.projection in costs), default=0.0)
    beyond = [max(costs.get(t.projection, 0.0) - overhead, 0.0) for t in ordered]
    unknown = [t.projection not in costs for t in ordered]
    n = len(ordered)
    best, cut = [0.0] * (n + 1), [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i] = math.inf
        for j in range(i + 1, n + 1):
            if j > i + 1 and (unknown[i] or unknown[j - 1]):
                break
            total = (overhead + sum(beyond[i:j])) * (n - i) + best[j]
            if total < best[i]:
                best[i], cut[i] = total, j
    groups, i = [], 0
    while i < n:
        groups.append(ordered[i : cut[i]])
        i = cut[i]
    return groups


def one_alone_first(groups: list[list[Generation]], turn: int) -> list[list[Generation]]:
    """The groups with one projection of a shared group (each in its turn) taken out and
    applied alone before them: what it costs is measured on its own, at the price of one
    transaction's own time for the others now and then."""
    shared = [t for group in groups if len(group) > 1 for t in group]
    if not shared:
        return groups
    chosen = shared[turn % len(shared)]
    rest = [[t for t in group if t is not chosen] for group in groups]
    return [[chosen], *(group for group in rest if group)]


def _decode(source: EventLog, projection: ViewProjection, records: Sequence[Recorded]) -> None:
    """Decode (once, cached on the record) what the projection will read. An event that
    cannot be decoded fails later, inside the batch, where its position is reported."""
    wanted = [r for r in records if "event" not in r.__dict__ and projection.decodes(r.event_type)]
    if wanted:
        # Decoding reads the keys of persons' sealed data: read them at once.
        source.prepare(wanted)
    for recorded in wanted:
        try:
            recorded.event  # noqa: B018 (decodes and caches)
        except Exception:
            log.debug("event %s does not decode", recorded.position, exc_info=True)


def _unhurried_commit(connection: Connection) -> None:
    """A view batch need not wait for its WAL to reach the disk (PostgreSQL): the commit stays
    atomic and in order — view rows with their tracking row — and a crash can only lose the
    last batches' progress, which the next run derives again from the log. The events
    themselves are always committed synchronously (the application's connections)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit = off")


def _apply_each(projection: ViewProjection, batch: Batch, records: Sequence[Recorded]) -> None:
    for recorded in records:
        try:
            projection.apply(batch, recorded)
        except Exception as error:
            raise EventFailed(recorded.position, error) from error


def _stall_hook() -> tuple[int, Path] | None:
    value = os.environ.get(STALL_HOOK)
    if not value:
        return None
    count, _, marker = value.partition(":")
    return int(count), Path(marker)


class Background:
    """A runner following the log in a daemon thread (for `yibao serve`)."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="yibao-projections", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.runner.run(self._stop)
        except Exception:
            log.exception("the projection runner stopped")

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
