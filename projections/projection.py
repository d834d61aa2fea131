"""What every read model is: a name, its tables (per generation) and how events change them.

A projection is deterministic: it reads only the event, its position and its own tables
(through `Batch`) — no clock, no write model — so a rebuild from position 0 gives exactly
the rows the live run gave. Its tables are named `<name>_v<generation>_<table>`; a rebuild
builds the next generation beside the live one.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import ClassVar

from sqlalchemy import Connection, MetaData, Table

from projections.batch import Batch, Key
from projections.events import Recorded

Handler = Callable[[Batch, Recorded], None]


class ViewProjection(ABC):
    name: ClassVar[str]
    # What a rebuild of this projection costs, relative to the others (measured: tenths of a
    # second per 20,000 events of the benchmark log); a parallel rebuild balances its
    # worker processes by it.
    cost: ClassVar[float] = 1.0

    @classmethod
    @abstractmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        """The projection's tables, keyed by short name, named `<prefix>_<short name>`."""

    def handlers(self) -> Mapping[str, Handler]:
        """Event type (e.g. ``Settlement.Reversed``) → handler; other events are skipped."""
        return {}

    def apply(self, batch: Batch, recorded: Recorded) -> None:
        handler = self._handlers().get(recorded.event_type)
        if handler is not None:
            handler(batch, recorded)

    def known_keys(self, records: Sequence[Recorded]) -> Mapping[str, Iterable[Key]]:
        """Rows the batch of `records` will read, by table: read before its first pass
        (`Batch.run`) so that no pass guesses from their absence."""
        return {}

    def decodes(self, event_type: str) -> bool:
        """Whether applying an event of this type reads the decoded event. The runner decodes
        those before it opens the batch's transaction (decoding reads keys and decrypts)."""
        return event_type in self._handlers()

    @classmethod
    def evidence(
        cls, connection: Connection, tables: Mapping[str, Table], upto: int
    ) -> Iterator[tuple[int, str]] | None:
        """What a rebuild must not change silently: (position, hash of the stored bytes) in
        position order, up to `upto`. A rebuild whose new generation differs from the live
        one here is refused (the event store changed after the live one read it). None:
        the projection keeps no such evidence."""
        return None

    def _handlers(self) -> Mapping[str, Handler]:
        cached: Mapping[str, Handler] | None = self.__dict__.get("_handler_map")
        if cached is None:
            cached = self.__dict__["_handler_map"] = self.handlers()
        return cached


def table_prefix(name: str, generation: int) -> str:
    return f"{name}_v{generation}"


_generations: dict[tuple[str, int], dict[str, Table]] = {}
_lock = threading.Lock()


def tables_of(
    projection: type[ViewProjection] | ViewProjection, generation: int
) -> dict[str, Table]:
    """The Table objects of one generation (built once per process)."""
    slot = (projection.name, generation)
    with _lock:
        if slot not in _generations:
            _generations[slot] = projection.define(MetaData(), table_prefix(*slot))
        return _generations[slot]
