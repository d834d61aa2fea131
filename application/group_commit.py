"""Group commit: the events of concurrent commands written in one transaction.

A command thread hands its decided aggregates to `GroupCommitter.save` and waits. If no batch
is being written, it becomes the writer: it takes everything queued (at most `max_batch`
commands), writes it in one `insert_events` transaction (one table lock, one fsync) and wakes
the others; commands that arrive meanwhile form the next batch. Nothing waits on a timer: at
low load a batch is one command, under load batches grow by themselves.

Exactness is the store's, unchanged: every event still carries its (aggregate id, version).
- Two commands of one batch touching the same aggregate (two claims of one person, the same
  request id twice): the later one is refused before writing (`IntegrityError`, as the store
  would) and retried by its thread after the batch committed, on fresh state; order per
  aggregate is the order of arrival.
- A batch the store refuses (another process moved an aggregate on, a request id used
  before): one query finds the commands decided on a version the store already holds; they
  are refused (their threads decide again) and the others are written together at once.
- A command is answered only after its transaction committed: nothing acknowledged is lost.
- A batch that fails because the database did not answer (unreachable, or an SQLite file
  another process keeps locked past the lock timeout) fails the commands queued behind it with
  the same error: each would otherwise wait for the same database again, one lock timeout per
  batch, and the last of a queue would be answered long after API.md's 2 s. They were not
  written; their callers retry (the same request id finds what was done).

`new_keys` sees a batch's events before they are encoded: the region reserves the keys of the
batch's new settlements there, written in the events' own transaction (`new_keys=` to the
recorder, `interfaces/recorders.py`), kept once it committed and forgotten if it did not.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import (
    ConnectionUnavailableError,
    IntegrityError,
    InterfaceError,
    Notification,
    OperationalError,
    Recording,
    StoredEvent,
)

from application.personal_data import KeyStore

log = logging.getLogger(__name__)


# The database did not answer: what the batch's failure passes on to the commands queued.
UNAVAILABLE = (OperationalError, InterfaceError, ConnectionUnavailableError)


class BatchConflict(IntegrityError):
    """An earlier command of the same batch changed an aggregate this one decided on: decide
    again at once (the cache already holds what the earlier one committed)."""


class _Command:
    __slots__ = ("aggregates", "done", "error", "ids", "processing", "recordings", "stored")

    def __init__(self, aggregates: Sequence[Any]) -> None:
        self.aggregates = aggregates
        self.processing: ProcessingEvent[Any] = ProcessingEvent()
        self.processing.collect_events(*aggregates)
        self.ids = {event.originator_id for event in self.processing.events}
        self.stored: list[StoredEvent] = []  # encoded once, kept for a second attempt
        self.recordings: list[Recording[Any]] = []
        self.error: Exception | None = None
        self.done = False


class GroupCommitter:
    def __init__(
        self,
        app: Application[Any],
        committed: Callable[[Sequence[Any]], None],
        max_batch: int = 128,
        new_keys: Callable[[Sequence[Any]], Mapping[Any, bytes]] = lambda events: {},
        keys: KeyStore | None = None,
    ) -> None:
        self._new_keys = new_keys
        self._keys = keys
        self._versions: Callable[[set[Any]], dict[Any, int]] = getattr(
            app.recorder, "stored_versions", None
        ) or (lambda ids: _one_by_one(app.recorder, ids))
        self._app = app
        self._committed = committed
        self._max_batch = max_batch
        self._queue: list[_Command] = []
        self._writing = False
        self._changed = threading.Condition()

    def save(self, *aggregates: Any) -> list[Recording[Any]]:
        """Like `Application.save`, in a shared transaction; raises `IntegrityError` on a
        conflict (the caller decides again)."""
        command = _Command(aggregates)
        with self._changed:
            self._queue.append(command)
        while True:
            with self._changed:
                while not command.done and self._writing:
                    self._changed.wait()
                if command.done:
                    break
                self._writing = True
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
            unavailable: Exception | None = None
            try:
                unavailable = self._write(batch)
            finally:
                with self._changed:
                    self._writing = False
                    if unavailable is not None:
                        batch += self._queue
                        self._queue.clear()
                        for queued in batch:
                            if queued.error is None and not queued.recordings:
                                queued.error = unavailable
                    for written in batch:
                        if written.error is None and not written.recordings:
                            written.error = RuntimeError("the batch was not written")
                        written.done = True
                    self._changed.notify_all()
        if command.error is not None:
            raise command.error
        return command.recordings

    def _write(self, batch: list[_Command]) -> Exception | None:
        """Write the batch; the failure when the database did not answer."""
        accepted: list[_Command] = []
        touched: set[Any] = set()
        for command in batch:
            if command.ids & touched:
                command.error = BatchConflict("an earlier command of the batch changed it")
                continue
            touched |= command.ids
            accepted.append(command)
        new_keys: Mapping[Any, bytes] = {}
        unavailable: Exception | None = None
        try:
            new_keys = self._new_keys([e for c in accepted for e in c.processing.events])
            self._encode(accepted)
            try:
                self._put(accepted, new_keys)
            except IntegrityError:
                rest = self._refuse_stale(accepted)
                try:
                    self._put(rest, new_keys)
                except IntegrityError:  # moved on again meanwhile: one by one
                    for command in rest:
                        self._put([command], new_keys)
        except Exception as failure:  # the database is unreachable, …: not acknowledged
            for command in accepted:
                if command.error is None and not command.recordings:
                    command.error = failure
            if isinstance(failure, UNAVAILABLE):
                unavailable = failure
        finally:
            self._settle_keys(accepted, new_keys)
        for command in accepted:  # those written before a failure too
            if command.error is None:
                self._after_commit(command)
        return unavailable

    def _refuse_stale(self, commands: list[_Command]) -> list[_Command]:
        """After the store refused a batch: refuse the commands whose events the store
        already holds a version of (found with one query), and return the others."""
        ids = {event.originator_id for command in commands for event in command.processing.events}
        stored = self._versions(ids)
        fresh: list[_Command] = []
        for command in commands:
            if any(
                event.originator_version <= stored.get(event.originator_id, 0)
                for event in command.processing.events
            ):
                command.error = IntegrityError("the store moved on since this was decided")
            else:
                fresh.append(command)
        return fresh

    def _encode(self, commands: list[_Command]) -> None:
        to_stored = self._app.mapper.to_stored_event
        for command in commands:
            command.stored = [to_stored(event) for event in command.processing.events]

    def _put(self, commands: list[_Command], new_keys: Mapping[Any, bytes]) -> None:
        """Insert the commands' events in one transaction with the new keys they seal with
        (what `EventStore.put` does, with the events encoded once for every attempt)."""
        stored = [event for command in commands for event in command.stored]
        if not stored:
            return
        ids_here = set().union(*(c.ids for c in commands))
        theirs = {s: key for s, key in new_keys.items() if s in ids_here}
        try:
            if theirs:
                ids = self._app.recorder.insert_events(stored, new_keys=theirs)
            else:
                ids = self._app.recorder.insert_events(stored)
        except IntegrityError as conflict:
            if len(commands) > 1:
                raise
            commands[0].error = conflict
            return
        if not ids or len(ids) != len(stored):
            raise RuntimeError("the recorder did not return a position for every event")
        positions = iter(ids)
        for command in commands:
            command.recordings = [
                Recording(event, Notification(*_fields(s), id=next(positions)))
                for event, s in zip(command.processing.events, command.stored, strict=True)
            ]

    def _settle_keys(self, commands: list[_Command], new_keys: Mapping[Any, bytes]) -> None:
        """Keep the reserved keys whose events were written; forget the others."""
        if not new_keys or self._keys is None:
            return
        written = {i for c in commands if c.recordings for i in c.ids}
        self._keys.confirm({s: k for s, k in new_keys.items() if s in written})
        self._keys.release({s: k for s, k in new_keys.items() if s not in written})

    def _after_commit(self, command: _Command) -> None:
        """What `Application.save` does after recording: snapshots, then its hooks. The
        command is committed: a failed snapshot (an optimisation) does not fail it."""
        self._committed(command.aggregates)
        try:
            self._app._take_snapshots(command.processing)
        except Exception:
            log.warning("snapshot not taken after a group commit", exc_info=True)
        self._app._notify(command.recordings)


def _fields(stored: StoredEvent) -> tuple[Any, int, str, bytes]:
    return stored.originator_id, stored.originator_version, stored.topic, stored.state


def _one_by_one(recorder: Any, ids: set[Any]) -> dict[Any, int]:
    """The newest stored version of each aggregate, asked one by one (a recorder without a
    `stored_versions` query of its own, e.g. the library's in-memory one)."""
    found: dict[Any, int] = {}
    for aggregate_id in ids:
        newest = recorder.select_events(aggregate_id, desc=True, limit=1)
        if newest:
            found[aggregate_id] = newest[0].originator_version
    return found
