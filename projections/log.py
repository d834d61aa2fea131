"""The read side's port to the region's log: read a page, the head, a wake-up channel.

The read side never holds the application object. `SqlEventLog` reads the event store's
table itself, in pages by position (one indexed range query a page, the stored bytes as
they are), and decodes an event only when a projection asks for its fields, with the
decoder the composition root hands it (`interfaces/bootstrap.py`: the region's mapper).
The auditors' chain check reads the same pages and never decodes at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Engine, text

from projections.events import Recorded
from projections.store import events_table
from projections.wakeup import FALLBACK_INTERVAL, Listening, Polling, Wakeup

StoredRow = tuple[int, UUID, int, str, bytes]
"""(position, originator id, originator version, topic, state) exactly as stored."""
Decoder = Callable[[UUID, int, str, bytes], Any]
"""(originator id, version, topic, state) → the domain event (the region's mapper)."""
KeyPreloader = Callable[[Iterable[UUID]], None]


class EventLog(Protocol):
    """What the read side needs of the log."""

    def read(self, after: int, limit: int) -> list[Recorded]:
        """The events after position `after`, at most `limit`, in position order."""
        ...

    def rows(self, first: int, last: int, page: int) -> Iterator[StoredRow]:
        """The stored rows in [first, last], read `page` at a time (never decoded)."""
        ...

    def head(self) -> int:
        """The last position recorded (0 for an empty log)."""
        ...

    def wakeup(self, fallback: float = FALLBACK_INTERVAL) -> Wakeup:
        """How a follower learns that something was recorded."""
        ...

    def prepare(self, records: Iterable[Recorded]) -> None:
        """Get ready to decode these records (reads the keys of their sealed data at once)."""
        ...


class SqlEventLog:
    """The log as the event store's table, on the views' engine (same database)."""

    def __init__(
        self,
        engine: Engine,
        decoder: Decoder,
        *,
        preload: KeyPreloader | None = None,
        channel: str = "region_events",
    ) -> None:
        self.engine = engine
        self.decoder = decoder
        self.preload = preload
        self.channel = channel
        table, position = events_table(engine.dialect.name)
        columns = f"{position}, originator_id, originator_version, topic, state"
        self._page = text(
            f"SELECT {columns} FROM {table} WHERE {position} > :after "
            f"ORDER BY {position} LIMIT :limit"
        )
        self._range = text(
            f"SELECT {columns} FROM {table} WHERE {position} > :after AND {position} <= :last "
            f"ORDER BY {position} LIMIT :limit"
        )
        self._head = text(f"SELECT MAX({position}) FROM {table}")

    def read(self, after: int, limit: int) -> list[Recorded]:
        with self.engine.connect() as connection:
            found = connection.execute(self._page, {"after": after, "limit": limit}).all()
        return [self._recorded(*row) for row in found]

    def rows(self, first: int, last: int, page: int) -> Iterator[StoredRow]:
        after = first - 1
        while after < last:
            with self.engine.connect() as connection:
                found = connection.execute(
                    self._range, {"after": after, "last": last, "limit": page}
                ).all()
            for position, originator, version, topic, state in found:
                yield int(position), _uuid(originator), int(version), str(topic), bytes(state)
            if len(found) < page:
                return
            after = int(found[-1][0])

    def head(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(self._head).scalar() or 0)

    def wakeup(self, fallback: float = FALLBACK_INTERVAL) -> Wakeup:
        if self.engine.dialect.name != "postgresql":
            return Polling()
        conninfo = self.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        return Listening(conninfo, self.channel, fallback=fallback)

    def prepare(self, records: Iterable[Recorded]) -> None:
        if self.preload is not None:
            self.preload({r.originator_id for r in records})

    def _recorded(
        self, position: Any, originator: Any, version: Any, topic: Any, state: Any
    ) -> Recorded:
        originator_id, originator_version = _uuid(originator), int(version)
        topic, state = str(topic), bytes(state)
        return Recorded(
            position=int(position),
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=state,
            decode=partial(self.decoder, originator_id, originator_version, topic, state),
        )


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
