"""Writing a retention package: the log's window streamed into a BagIt 1.0 bag.

Nothing is held in memory but two pages of events (one being read ahead), a batch of
catalogue rows and the summary's counters: the events go a page at a time into
`events.jsonl`, the catalogue a batch at a time into CSV and JSON (on a second thread), and the
`bagit` library then checksums the files on disk (manifest-sha256, tagmanifest-sha256,
Payload-Oxum) and writes `bag-info.txt`.
"""

from __future__ import annotations

import threading
from binascii import hexlify
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from hashlib import sha256
from pathlib import Path

import bagit
from sqlalchemy import Engine, text

from interfaces.archive_package.catalogue import CatalogueWriter
from interfaces.archive_package.rows import stored_pages
from interfaces.archive_package.spec import PackageError, PackageSpec
from projections.audit_chain import GENESIS
from projections.events import REGION_TZ, envelope_of
from projections.queries import Views
from projections.store import events_table, head

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Exported:
    path: Path
    events: int
    records: int
    first_position: int
    last_position: int
    head_hash: str


def export_package(
    engine: Engine,
    views: Views,
    spec: PackageSpec,
    out: Path,
    *,
    source_organisation: str,
    progress: Progress | None = None,
) -> Exported:
    """Write the bag into `out` (a new or empty directory)."""
    if spec.until < spec.since:
        raise PackageError("until is before since")
    window = window_positions(engine, spec.since, spec.until)
    if window is None:
        raise PackageError("no event was recorded in the period")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise PackageError(f"{out} is not empty")
    start = _hash_before(views, window[0])  # refused before anything is written
    catalogue = CatalogueWriter(out)
    records = views.package_records(
        window, (spec.since, spec.until), spec.record_class, spec.aggregate_ids or None
    )
    # The catalogue is laid out by the database and only written here: it is written on a
    # thread while this one hashes the events (the two wait for the database in turn).
    with ThreadPoolExecutor(1, thread_name_prefix="yibao-catalogue") as side:
        written = side.submit(catalogue.write, records)
        lines = _write_events(engine, start, spec, window, out / "events.jsonl", progress)
        written.result()
    if lines.count == 0:
        raise PackageError("no event of the period matches the package's scope")
    catalogue.write_summary(spec, lines.first, lines.last, lines.head.hex(), lines.count)
    bag_info = {
        "Source-Organization": source_organisation,
        "External-Description": "yibao retention package: events, catalogue, summary",
        "Period-Covered": f"{spec.since.isoformat()}/{spec.until.isoformat()}",
        "Position-Range": f"{lines.first}-{lines.last}",
        "Audit-Chain-Start": lines.start.hex(),
        "Audit-Chain-Head": f"{lines.last} {lines.head.hex()}",
        "Record-Class": spec.record_class or "all",
        "Aggregate-Count": str(len(spec.aggregate_ids)) if spec.aggregate_ids else "all",
        "BagIt-Profile-Identifier": "urn:yibao:retention-package:1",
    }
    with _BAGIT:
        bagit.make_bag(str(out.resolve()), bag_info, checksums=["sha256"])
        _declare_version_1_0(out.resolve())
    return Exported(out, lines.count, catalogue.count, lines.first, lines.last, lines.head.hex())


# The bagit library changes the process's working directory while it writes a bag: one bag at
# a time in a process (a server exports on worker threads; every other path is absolute).
_BAGIT = threading.Lock()


def _declare_version_1_0(bag: Path) -> None:
    """The library writes BagIt 0.97's declaration; the bag is laid out as RFC 8493 (1.0)
    asks, so declare 1.0 and let the library rewrite the tag manifest over it."""
    declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    (bag / "bagit.txt").write_text(declaration, encoding="utf-8")
    bagit.Bag(str(bag)).save()


@dataclass
class _Lines:
    count: int = 0
    first: int = 0
    last: int = 0
    start: bytes = GENESIS
    head: bytes = GENESIS


def _write_events(
    engine: Engine,
    previous: bytes,
    spec: PackageSpec,
    window: tuple[int, int],
    path: Path,
    progress: Progress | None,
) -> _Lines:
    """Link every stored row of the window (the chain runs through rows the package leaves
    out) and write the wanted ones, a page at a time in one write."""
    written = _Lines()
    total = window[1] - window[0] + 1
    wanted_ids = {str(i) for i in spec.aggregate_ids}
    with path.open("wb") as out:
        for page in stored_pages(engine, *window):
            parts: list[bytes] = []
            for position, aggregate_id, topic, canonical, head, middle, tail in page:
                hashed = sha256(previous + canonical).digest()
                if (not wanted_ids or aggregate_id in wanted_ids) and spec.wants_topic(topic):
                    parts += (head, hexlify(hashed), middle, hexlify(previous), tail)
                    if not written.count:
                        written.start, written.first = previous, position
                    written.count, written.last, written.head = written.count + 1, position, hashed
                previous = hashed
            out.write(b"".join(parts))
            if progress:
                progress(page[-1][0] - window[0] + 1, total)
    return written


def _hash_before(views: Views, first: int) -> bytes:
    if first <= 1:
        return GENESIS
    found = views.chain_hash_at(first - 1)
    if found is None:
        raise PackageError(f"the audit trail has not reached position {first - 1} yet")
    return bytes.fromhex(found)


def window_positions(engine: Engine, since: date, until: date) -> tuple[int, int] | None:
    """The first and last positions recorded on the region's days `since`..`until`, by
    binary search over the log (recorded-at never goes back along the log)."""
    with engine.connect() as connection:
        top = head(connection)
        table, column = events_table(engine.dialect.name)
        # The first event at or after a position: PostgreSQL may skip an id (a refused
        # insert still takes its number), and a skipped one reads as the next event's.
        query = text(f"SELECT state FROM {table} WHERE {column} >= :p ORDER BY {column} LIMIT 1")

        def day(position: int) -> date:
            state = connection.execute(query, {"p": position}).scalar_one()
            stamp = envelope_of(bytes(state)).timestamp
            return stamp.astimezone(REGION_TZ).date() if stamp else date.min

        first = _first(1, top, lambda p: day(p) >= since)
        last = _first(1, top, lambda p: day(p) > until) - 1
        bounds = text(
            f"SELECT MIN({column}), MAX({column}) FROM {table} "
            f"WHERE {column} >= :first AND {column} <= :last"
        )
        low, high = connection.execute(bounds, {"first": first, "last": last}).one()
    return None if low is None else (int(low), int(high))


def _first(low: int, high: int, reached: Callable[[int], bool]) -> int:
    """The lowest position in low..high where `reached` holds (high + 1 if none)."""
    high += 1
    while low < high:
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle + 1
    return low
