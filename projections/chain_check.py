"""`yibao audit verify`: recompute the audit chain from the event store and compare it with
the trail, at the speed the store can be read.

The store is read in pages of canonical bytes (`EventLog.canonical_pages`: the stored rows
as they are, never decoded) and chained. The trail is not read row by row: per page, the
database digests the trail's (position, hash) rows over the page's range, and the same digest
of the recomputed chain must equal it. Only a page whose digests differ is read row by row,
to name the first position that differs (`audit_trail.first_mismatch`). A trail row at a
position the store no longer holds falls in some page's range, or in the tail after the last
page, and is found the same way.
"""

from __future__ import annotations

import hashlib
import struct
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, select, text

from projections.audit_chain import chain
from projections.audit_trail import first_mismatch, trail_hashes
from projections.log import Canonical, EventLog

PAGE = 10_000
_ENTRY = struct.Struct(">QI")


@dataclass(frozen=True)
class Verdict:
    checked: int
    head_hash: str | None
    first_mismatch_position: int | None

    @property
    def ok(self) -> bool:
        return self.first_mismatch_position is None


def verify(
    engine: Engine, events: Table, log: EventLog, first: int, last: int, start: bytes
) -> Verdict:
    """Chain the store's events in [first, last] from `start` (the hash before `first`) and
    compare with the trail's rows in that range."""
    checked, link, after = 0, start, first - 1
    with ThreadPoolExecutor(1, thread_name_prefix="yibao-trail") as trail:
        for page in log.canonical_pages(first, last, PAGE):
            # The database digests the trail's range while the page is chained here.
            expected = trail.submit(_trail_digest, engine, events, after, page[-1][0])
            links, digest = _chained(page, link)
            if digest != expected.result():
                with engine.connect() as connection:
                    rows = list(trail_hashes(connection, events, after + 1, page[-1][0]))
                found, head, position = first_mismatch(page, rows, link)
                return Verdict(checked + found, head, position)
            checked, link, after = checked + len(page), links, page[-1][0]
    with engine.connect() as connection:
        extra = connection.execute(
            select(func.min(events.c.position)).where(
                (events.c.position > after) & (events.c.position <= last)
            )
        ).scalar()
    head_hash = link.hex() if checked else None
    return Verdict(checked, head_hash, int(extra) if extra is not None else None)


def _trail_digest(engine: Engine, events: Table, after: int, last: int) -> bytes:
    with engine.connect() as connection:
        return trail_digest(connection, events, after, last)


def _chained(page: list[Canonical], link: bytes) -> tuple[bytes, bytes]:
    """(the last link, the digest of the page's (position, hash) entries)."""
    digest = hashlib.sha256()
    for position, canonical in page:
        link = chain(link, canonical)
        digest.update(_entry(position, link.hex()))
    return link, digest.digest()


def _entry(position: int, hash_hex: str) -> bytes:
    encoded = hash_hex.encode("utf-8")
    return _ENTRY.pack(position, len(encoded)) + encoded


def trail_digest(connection: Connection, events: Table, after: int, last: int) -> bytes:
    """The digest of the trail's (position, hash) entries in (after, last]."""
    if connection.dialect.name == "postgresql":
        found = connection.execute(
            text(
                "SELECT sha256(string_agg(int8send(position) || int4send(octet_length(hash)) "
                f"|| convert_to(hash, 'UTF8'), ''::bytea ORDER BY position)) FROM {events.name} "
                "WHERE position > :after AND position <= :last"
            ),
            {"after": after, "last": last},
        ).scalar()
        return bytes(found) if found is not None else hashlib.sha256().digest()
    digest = hashlib.sha256()
    for position, hash_hex in trail_hashes(connection, events, after + 1, last):
        digest.update(_entry(position, hash_hex))
    return digest.digest()
