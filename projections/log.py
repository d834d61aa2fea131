"""The read side's port to the region's log: read a page, the head, a wake-up channel.

The read side never holds the application object. `SqlEventLog` reads the event store's
table itself, in pages by position (one indexed range query a page, the stored bytes as
they are), and decodes an event only when a projection asks for its fields, with the
decoder the composition root hands it (`interfaces/bootstrap.py`: the region's mapper).
The auditors' chain check reads the same pages and never decodes at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Protocol
from uuid import UUID

import psycopg
from sqlalchemy import Engine, text

from projections.audit_chain import canonical_bytes
from projections.events import Recorded
from projections.store import events_table
from projections.wakeup import FALLBACK_INTERVAL, Listening, Polling, Wakeup

Canonical = tuple[int, bytes]
"""(position, the audit chain's canonical bytes of the stored row)."""
# `audit_chain.canonical_bytes`, laid out by PostgreSQL (`*send` functions are big-endian);
# a test compares the two on every kind of stored event.
CANONICAL_SQL = (
    "int8send({position}) || uuid_send(originator_id) || int8send(originator_version) "
    "|| int4send(octet_length(topic)) || convert_to(topic, 'UTF8') "
    "|| int4send(length(state)) || state"
)
Decoder = Callable[[UUID, int, str, bytes], Any]
"""(originator id, version, topic, state) → the domain event (the region's mapper)."""
KeyPreloader = Callable[[Iterable[UUID]], None]
PRELOAD_FROM = 8


class EventLog(Protocol):
    """What the read side needs of the log."""

    def read(self, after: int, limit: int) -> list[Recorded]:
        """The events after position `after`, at most `limit`, in position order."""
        ...

    def canonical_pages(self, first: int, last: int, page: int) -> Iterator[list[Canonical]]:
        """(position, canonical bytes of the audit chain) of the stored rows in [first,
        last], `page` rows at a time, in position order (never decoded)."""
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
        self._page = (
            f"SELECT {columns} FROM {table} WHERE {position} > %(after)s "
            f"ORDER BY {position} LIMIT %(limit)s"
        )
        # No upper bound in SQL: an open range with ORDER BY … LIMIT is read along the
        # index, where a closed one may be planned as a scan of the range and a sort.
        self._canonical = (
            f"SELECT {position}, {CANONICAL_SQL.format(position=position)} FROM {table} "
            f"WHERE {position} > %(after)s ORDER BY {position} LIMIT %(limit)s"
        )
        self._head = text(f"SELECT MAX({position}) FROM {table}")

    def read(self, after: int, limit: int) -> list[Recorded]:
        found = self._fetch(self._page, {"after": after, "limit": limit})
        return [self._recorded(*row) for row in found]

    def canonical_pages(self, first: int, last: int, page: int) -> Iterator[list[Canonical]]:
        # The next page is read while the caller works on this one (the server's time and
        # ours overlap; the driver waits without the GIL).
        with ThreadPoolExecutor(1, thread_name_prefix="yibao-log") as reader:
            pending = reader.submit(self._canonical_page, first - 1, last, page)
            while True:
                found = pending.result()
                if len(found) == page and found[-1][0] < last:
                    pending = reader.submit(self._canonical_page, found[-1][0], last, page)
                if found:
                    yield found
                if len(found) < page or found[-1][0] >= last:
                    return

    def _canonical_page(self, after: int, last: int, page: int) -> list[Canonical]:
        values = {"after": after, "limit": page}
        if self.engine.dialect.name == "postgresql":
            # The server lays the fields out (docs/audit-chain.md): one column to transfer.
            found: list[Canonical] = list(self._fetch(self._canonical, values))
        else:
            found = [
                (int(p), canonical_bytes(int(p), _uuid(o), int(v), str(t), bytes(s)))
                for p, o, v, t, s in self._fetch(self._page, values)
            ]
        return found if not found or found[-1][0] <= last else [c for c in found if c[0] <= last]

    def _fetch(self, query: str, values: dict[str, int]) -> Sequence[Any]:
        with self.engine.connect() as connection:
            if self.engine.dialect.name != "postgresql":
                named = query.replace("%(", ":").replace(")s", "")
                return connection.execute(text(named), values).all()
            # Binary results: the stored bytes arrive as they are, not hex-escaped.
            raw = connection.connection.driver_connection
            assert isinstance(raw, psycopg.Connection)
            with raw.cursor(binary=True) as cursor:
                cursor.execute(query, values)
                return cursor.fetchall()

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
        # For a few events (live), the keys a decoding needs are read as it needs them.
        wanted = {r.originator_id for r in records}
        if self.preload is not None and len(wanted) >= PRELOAD_FROM:
            self.preload(wanted)

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
