"""The audit trail: one row per event in commit order, chained by hash.

The payload is the stored state as recorded (personal data stays sealed in it) and the
hash is computed from the stored bytes (`audit_chain`), so the trail can be checked against
the event store at any time (`verify`). Who, why, on which request and when are read from
the audit envelope in the stored JSON: the trail never decodes an event, so an event no
mapper can read any more is chained like every other.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Uuid,
    func,
    select,
)

from projections.audit_chain import GENESIS, canonical_bytes, chain
from projections.batch import Batch, Key
from projections.events import Recorded
from projections.projection import ViewProjection
from projections.sqltypes import LongText, Str, UtcDateTime


class AuditTrail(ViewProjection):
    name: ClassVar[str] = "audit_trail"
    cost = 13

    def decodes(self, event_type: str) -> bool:
        return False

    def known_keys(self, records: Sequence[Recorded]) -> Mapping[str, Iterable[Key]]:
        return {"head": [(1,)]}

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "events": Table(
                f"{prefix}_events",
                metadata,
                Column("position", BigInteger, primary_key=True, autoincrement=False),
                Column("aggregate_id", Uuid, nullable=False, index=True),
                Column("aggregate_type", Str(100), nullable=False),
                Column("version", BigInteger, nullable=False),
                Column("event_type", Str(200), nullable=False, index=True),
                # Null only for stored bytes that are not the JSON every event is written as.
                Column("recorded_at", UtcDateTime, index=True),
                Column("actor", Str(200), nullable=False, index=True),
                Column("role", Str(32), nullable=False),
                Column("request_id", Str(200), nullable=False),
                Column("correlation_id", Str(200), nullable=False),
                Column("reason", LongText, nullable=False),
                Column("payload", LongText, nullable=False),
                Column("hash", Str(64), nullable=False),
            ),
            # The last link of the chain, so each batch continues it without a scan.
            "head": Table(
                f"{prefix}_head",
                metadata,
                Column("id", Integer, primary_key=True, autoincrement=False),
                Column("position", BigInteger, nullable=False),
                Column("hash", Str(64), nullable=False),
            ),
        }

    def apply(self, batch: Batch, recorded: Recorded) -> None:
        head = batch.get("head", 1)
        previous = bytes.fromhex(head["hash"]) if head else GENESIS
        link = chain(previous, canonical_of(recorded)).hex()
        batch.append("events", trail_row(recorded, link))
        batch.put("head", {"id": 1, "position": recorded.position, "hash": link})

    @classmethod
    def evidence(
        cls, connection: Connection, tables: Mapping[str, Table], upto: int
    ) -> Iterator[tuple[int, str]]:
        """The chain as this generation holds it: (position, hash) up to `upto`."""
        return trail_hashes(connection, tables["events"], 1, upto)


def canonical_of(r: Recorded) -> bytes:
    return canonical_bytes(r.position, r.originator_id, r.originator_version, r.topic, r.state)


def trail_row(r: Recorded, link: str) -> dict[str, Any]:
    envelope = r.envelope  # from the stored JSON: never the decoded event
    return {
        "position": r.position,
        "aggregate_id": r.originator_id,
        "aggregate_type": r.aggregate_type,
        "version": r.originator_version,
        "event_type": r.event_type,
        "recorded_at": envelope.timestamp,
        "actor": envelope.actor_id,
        "role": envelope.role,
        "request_id": envelope.request_id,
        "correlation_id": envelope.correlation_id,
        "reason": envelope.reason,
        "payload": payload_text(r.state),
        "hash": link,
    }


def payload_text(state: bytes) -> str:
    """The stored JSON as text; bytes that are not UTF-8 (a cipher) as `base64:…`."""
    try:
        return state.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(state).decode("ascii")


def first_mismatch(
    store: Iterable[tuple[int, bytes]], trail: Iterable[tuple[int, str]], start: bytes
) -> tuple[int, str, int | None]:
    """Walk the store's (position, canonical bytes) and the trail's (position, hash) in
    order; returns (events checked, last recomputed hash, first differing position)."""
    checked, link = 0, start
    trail_rows = iter(trail)
    for position, canonical in store:
        link = chain(link, canonical)
        checked += 1
        row = next(trail_rows, None)
        if row is None or row[0] != position or row[1] != link.hex():
            return checked, link.hex(), position if row is None else min(position, row[0])
    extra = next(trail_rows, None)
    return checked, link.hex(), extra[0] if extra is not None else None


# --- queries ---------------------------------------------------------------------------

STORE_PAGE = 10000

PUBLIC_FIELDS = (
    "position",
    "aggregate_id",
    "aggregate_type",
    "version",
    "event_type",
    "recorded_at",
    "actor",
    "role",
    "request_id",
    "reason",
    "payload",
    "hash",
)


@dataclass(frozen=True)
class AuditEventRow:
    """One event of the trail as auditors read it (`PUBLIC_FIELDS`)."""

    position: int
    aggregate_id: UUID
    aggregate_type: str
    version: int
    event_type: str
    recorded_at: datetime | None  # None only for stored bytes that are not JSON at all
    actor: str
    role: str
    request_id: str
    reason: str
    payload: str  # the stored JSON as text (`payload_text`)
    hash: str


def list_events(
    connection: Connection, events: Table, filters: Mapping[str, Any], after: int, limit: int
) -> tuple[list[AuditEventRow], int | None]:
    """Events by ascending position after `after`; `next` is the cursor of the next page."""
    query = select(*(events.c[f] for f in PUBLIC_FIELDS)).where(events.c.position > after)
    for name in ("aggregate_id", "event_type", "actor"):
        if filters.get(name) is not None:
            query = query.where(events.c[name] == filters[name])
    if filters.get("since") is not None:
        query = query.where(events.c.recorded_at >= filters["since"])
    if filters.get("until") is not None:
        query = query.where(events.c.recorded_at < filters["until"])
    rows = [
        AuditEventRow(**r)
        for r in connection.execute(query.order_by(events.c.position).limit(limit + 1)).mappings()
    ]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].position if more and rows else None


def trail_hashes(
    connection: Connection, events: Table, first: int, last: int
) -> Iterator[tuple[int, str]]:
    """(position, hash) of the trail's rows in [first, last], read page by page."""
    after = first - 1
    while True:
        page = connection.execute(
            select(events.c.position, events.c.hash)
            .where((events.c.position > after) & (events.c.position <= last))
            .order_by(events.c.position)
            .limit(STORE_PAGE)
        ).all()
        yield from ((int(p), str(h)) for p, h in page)
        if len(page) < STORE_PAGE:
            return
        after = page[-1][0]


def trail_end(connection: Connection, events: Table) -> int:
    """The last position the trail holds (0 when empty)."""
    return int(connection.execute(select(func.max(events.c.position))).scalar() or 0)


def hash_before(connection: Connection, events: Table, position: int) -> bytes:
    """The chain hash just before `position` (hash_0 at the start of the log)."""
    found = connection.execute(
        select(events.c.hash)
        .where(events.c.position < position)
        .order_by(events.c.position.desc())
        .limit(1)
    ).scalar()
    return bytes.fromhex(found) if found else GENESIS
