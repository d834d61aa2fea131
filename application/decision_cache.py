"""What a settlement decides on without reading the store: the committed state of the hot
aggregates, kept in this process, bounded.

Two guarantees keep it exact with several processes writing (see docs/performance.md):

- An aggregate the decision *saves* (the person) may be stale: the store's unique
  (aggregate id, version) refuses the save, the commit forgets what it decided on and decides
  again on fresh state. A stale person can never produce a wrong accumulator, only a retry.
- An aggregate the decision only *reads* (institution, agreement, API token) is watched: at most
  every `LogWatch.interval` seconds, one query for new events of the watched kinds evicts each
  changed aggregate, so another process's suspension or revocation takes effect within that
  interval (this process's own changes at once).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from copy import deepcopy
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import get_topic

PAGE = 500


class DecisionCache:
    """A bounded, thread-safe LRU of committed aggregates; readers get their own copy."""

    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._entries: OrderedDict[UUID, Aggregate] = OrderedDict()
        # The newest version the log showed for a watched aggregate: a state read before it
        # was recorded (and put after the watch looked) is never kept.
        self._floors: dict[UUID, int] = {}
        self._lock = threading.Lock()

    def copy_of(self, aggregate_id: UUID) -> Aggregate | None:
        with self._lock:
            entry = self._entries.get(aggregate_id)
            if entry is None:
                return None
            self._entries.move_to_end(aggregate_id)
        return deepcopy(entry)

    def peek(self, aggregate_id: UUID) -> Aggregate | None:
        """The cached state itself, not a copy: for readers that never change it."""
        with self._lock:
            return self._entries.get(aggregate_id)

    def remember(self, aggregate: Aggregate) -> None:
        """Keep a committed state (never replacing a newer one another thread put)."""
        with self._lock:
            known = self._entries.get(aggregate.id)
            if known is not None and known.version > aggregate.version:
                return
            if aggregate.version < self._floors.get(aggregate.id, 0):
                return
            self._entries[aggregate.id] = aggregate
            self._entries.move_to_end(aggregate.id)
            while len(self._entries) > self._maxsize:
                self._entries.popitem(last=False)

    def forget(self, aggregate_ids: Iterable[UUID]) -> None:
        with self._lock:
            for aggregate_id in aggregate_ids:
                self._entries.pop(aggregate_id, None)

    def outdated(self, aggregate_id: UUID, version: int) -> None:
        """The log shows `version` of the aggregate: drop any older state, now and later."""
        with self._lock:
            self._floors[aggregate_id] = max(version, self._floors.get(aggregate_id, 0))
            known = self._entries.get(aggregate_id)
            if known is not None and known.version < version:
                del self._entries[aggregate_id]

    def __len__(self) -> int:
        return len(self._entries)


def topics_of(*kinds: type[Aggregate]) -> list[str]:
    """Every event topic of the aggregate classes, as the library names them."""
    found: set[str] = set()
    for kind in kinds:
        for name in dir(kind):
            value = getattr(kind, name)
            if isinstance(value, type) and issubclass(value, CanMutateAggregate):
                found.add(get_topic(value))
    return sorted(found)


class LogWatch:
    """Evicts watched aggregates that changed in the log since the last look (any process).

    `refresh()` is cheap when called often: it queries at most once per `interval`, and a
    thread that finds another one querying goes on without waiting."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        cache: DecisionCache,
        topics: Sequence[str],
        interval: float = 0.25,
    ) -> None:
        self.interval = interval
        self._recorder = recorder
        self._cache = cache
        self._topics = list(topics)
        self._cursor: int | None = None
        self._looked_at = -float("inf")
        self._lock = threading.Lock()

    def is_due(self) -> bool:
        """Whether the next `refresh()` would look at the log (or the first look is pending)."""
        return self._cursor is None or time.monotonic() >= self._looked_at + self.interval

    def refresh(self) -> None:
        if time.monotonic() < self._looked_at + self.interval:
            return
        # The first look sets where the watch starts: every loader waits for it.
        if not self._lock.acquire(blocking=self._cursor is None):
            return
        try:
            started = time.monotonic()
            self._look()
            self._looked_at = started
        finally:
            self._lock.release()

    def _look(self) -> None:
        # The head first: every id up to it is committed (inserts take the table lock in
        # id order), so the cursor may move to it even when no watched event was found.
        head = self._recorder.max_notification_id() or 0
        if self._cursor is None:
            self._cursor = head  # nothing was cached before the first look
            return
        while self._cursor < head:
            page = self._recorder.select_notifications(
                self._cursor, PAGE, stop=head, topics=self._topics, inclusive_of_start=False
            )
            for notification in page:
                changed = UUID(str(notification.originator_id))
                self._cache.outdated(changed, notification.originator_version)
            if len(page) < PAGE:
                self._cursor = head
            else:
                self._cursor = page[-1].id


def saved_ids(aggregates: Sequence[Any]) -> list[UUID]:
    return [a.id for a in aggregates if isinstance(a, Aggregate)]
