"""`yibao audit verify`: recompute the audit chain from the event store and compare it with
the trail, at the speed the store can be read.

The store is read in pages of canonical bytes (`EventLog.canonical_pages`: the stored rows
as they are, never decoded) and chained. The trail is not read row by row: per page, the
database digests the trail's (position, hash) rows over the page's range, and the same digest
of the recomputed chain must equal it. Only a page whose digests differ is read row by row,
to name the first position that differs (`audit_trail.first_mismatch`). A trail row at a
position the store no longer holds falls in some page's range, or in the tail after the last
page, and is found the same way.

The page digest is laid out so that neither side works per row beyond the chain itself:
SHA-256 of the positions (8 bytes big-endian each, in order) followed by the hashes (their
64 lowercase hex digits each, in order). The chain's side hexes a page's links in one call;
the database aggregates two columns. Every trail hash must be 64 characters long (else the
page differs), so no character can move from one row's hash to the next's unseen.
"""

from __future__ import annotations

import binascii
import hashlib
import struct
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, Table, func, select, text

from projections.audit_chain import links
from projections.audit_trail import first_mismatch, trail_hashes
from projections.log import Canonical, EventLog

PAGE = 10_000
HEX_DIGITS = 64  # a SHA-256 in lowercase hex


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
            head, digest = _chained(page, link)
            if digest != expected.result():
                with engine.connect() as connection:
                    rows = list(trail_hashes(connection, events, after + 1, page[-1][0]))
                found, mismatch_head, position = first_mismatch(page, rows, link)
                if position is not None:
                    return Verdict(checked + found, mismatch_head, position)
            checked, link, after = checked + len(page), head, page[-1][0]
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
    """(the last link, the page digest of its (position, link) entries)."""
    chained = links(link, [canonical for _, canonical in page])
    hashes = binascii.hexlify(b"".join(chained))
    return chained[-1], _digest([position for position, _ in page], hashes)


def _digest(positions: list[int], hashes: bytes) -> bytes:
    return hashlib.sha256(struct.pack(f">{len(positions)}Q", *positions) + hashes).digest()


def trail_digest(connection: Connection, events: Table, after: int, last: int) -> bytes:
    """The page digest of the trail's (position, hash) entries in (after, last]; empty (it
    matches no page) when the range holds no row or a hash that is not 64 characters long."""
    if connection.dialect.name == "postgresql":
        found = connection.execute(
            text(
                "SELECT sha256(string_agg(int8send(position), ''::bytea ORDER BY position) "
                "|| convert_to(string_agg(hash, '' ORDER BY position), 'UTF8')), "
                f"bool_and(octet_length(hash) = {HEX_DIGITS}) FROM {events.name} "
                "WHERE position > :after AND position <= :last"
            ),
            {"after": after, "last": last},
        ).one()
        return bytes(found[0]) if found[0] is not None and found[1] else b""
    rows = list(trail_hashes(connection, events, after + 1, last))
    if not rows or any(len(hash_hex) != HEX_DIGITS for _, hash_hex in rows):
        return b""
    hashes = "".join(hash_hex for _, hash_hex in rows).encode("utf-8")
    return _digest([position for position, _ in rows], hashes)
