"""The archive catalogue: every event as a record with its class, archive number (档号),
formed and due dates, filed into a monthly volume (一月一立卷) sealed by a hash.

Archive numbers are gap-free per scheme–region–year–retention–step: the sequence is the
count of earlier records with the same five parts, in log order, so a rebuild gives every
record the same number again. A month's volumes are sealed, and its monthly report, (at a
year's turn) the annual summary and the audit-chain head are filed, when the first event of
a later month is recorded; an event stamped in a closed month is filed into the open month.

The catalogue follows the audit chain itself (docs/audit-chain.md; it reads the stored
bytes, as the audit trail does): at each month's close it files the head — the position and
hash of the last event recorded — in the archive register (permanent, DOMAIN.md §8).
"""

from __future__ import annotations

import hashlib
from calendar import monthrange
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    Table,
    Uuid,
    select,
)

from projections import statistics
from projections.archive_subjects import SUBJECT_EVENTS, subject_of
from projections.audit_chain import GENESIS, canonical_bytes, chain
from projections.batch import Batch, Key, Row
from projections.events import Recorded
from projections.projection import ViewProjection
from projections.retention import (
    ANNUAL_SUMMARY,
    ARCHIVE_REGISTER,
    CLASSES,
    MONTHLY_REPORT,
    NO_SCHEME,
    RecordClass,
    archive_number,
    classify,
)
from projections.sqltypes import Str

Month = tuple[int, int]


class ArchiveCatalogue(ViewProjection):
    name: ClassVar[str] = "archive_catalogue"
    cost = 23

    def __init__(self, region_code: str) -> None:
        # The deployment's region files records whose events name no region (the register
        # of institution codes, access records); it is configuration, fixed per deployment.
        self.region_code = region_code

    @classmethod
    def define(cls, metadata: MetaData, prefix: str) -> dict[str, Table]:
        return {
            "records": Table(
                f"{prefix}_records",
                metadata,
                Column("record_no", BigInteger, primary_key=True, autoincrement=False),
                Column("archive_number", Str(64), nullable=False, unique=True),
                Column("record_class", Str(32), nullable=False, index=True),
                Column("retention_code", Str(8), nullable=False),
                Column("formed_date", Date, nullable=False),
                Column("due_date", Date, index=True),
                Column("volume_id", Str(48), nullable=False, index=True),
                Column("position", BigInteger),
                Column("aggregate_id", Uuid),
                Column("event_type", Str(200)),
                Column("period", Str(7)),
                Column("digest", Str(64), nullable=False),
                Column("held", Boolean, nullable=False),
            ),
            "sequences": Table(
                f"{prefix}_sequences",
                metadata,
                Column("prefix", Str(48), primary_key=True),
                Column("last", Integer, nullable=False),
            ),
            "volumes": Table(
                f"{prefix}_volumes",
                metadata,
                Column("volume_id", Str(48), primary_key=True),
                Column("year", Integer, nullable=False),
                Column("month", Integer, nullable=False),
                Column("record_class", Str(32), nullable=False),
                Column("record_count", Integer, nullable=False),
                Column("seal_hash", Str(64), nullable=False),
                Column("sealed", Boolean, nullable=False),
            ),
            "subjects": Table(
                f"{prefix}_subjects",
                metadata,
                Column("aggregate_id", Uuid, primary_key=True),
                Column("scheme_code", Str(1), nullable=False),
                Column("region_code", Str(6), nullable=False),
            ),
            "state": Table(
                f"{prefix}_state",
                metadata,
                Column("id", Integer, primary_key=True, autoincrement=False),
                Column("year", Integer, nullable=False),
                Column("month", Integer, nullable=False),
                Column("records", BigInteger, nullable=False),
                # The audit chain's head: the last event chained and its hash.
                Column("chain_position", BigInteger, nullable=False),
                Column("chain_hash", Str(64), nullable=False),
            ),
            "statistics": statistics.statistics_table(metadata, prefix),
        }

    def decodes(self, event_type: str) -> bool:
        return event_type in SUBJECT_EVENTS or event_type in statistics.FIGURE_EVENTS

    def known_keys(self, records: Sequence[Recorded]) -> Mapping[str, Iterable[Key]]:
        # The filing state first: every other key (month, sequence, period) follows from it.
        return {"state": [(1,)], "subjects": [(r.originator_id,) for r in records]}

    @classmethod
    def evidence(
        cls, connection: Connection, tables: Mapping[str, Table], upto: int
    ) -> Iterator[tuple[int, str]]:
        """(position, digest of the stored bytes) of every event record up to `upto`."""
        records = tables["records"]
        query = (
            select(records.c.position, records.c.digest)
            .where(records.c.event_type.is_not(None) & (records.c.position <= upto))
            .order_by(records.c.position)
        )
        for position, digest in connection.execute(query):
            yield int(position), str(digest)

    def apply(self, batch: Batch, r: Recorded) -> None:
        state = batch.get("state", 1) or {
            "id": 1,
            "year": 0,
            "month": 0,
            "records": 0,
            "chain_position": 0,
            "chain_hash": GENESIS.hex(),
        }
        event_month = (r.recorded_on.year, r.recorded_on.month)
        open_month = (state["year"], state["month"])
        if state["records"] and event_month > open_month:
            state = self._close_month(batch, state, open_month, next_year=event_month[0])
        filed = max(event_month, open_month)
        state |= {"year": filed[0], "month": filed[1]}
        record_class, step = classify(r.event_type)
        scheme, region = subject_of(batch, r, self.region_code)
        canonical = canonical_bytes(
            r.position, r.originator_id, r.originator_version, r.topic, r.state
        )
        record = {
            "position": r.position,
            "aggregate_id": r.originator_id,
            "event_type": r.event_type,
            "period": None,
            "digest": hashlib.sha256(canonical).hexdigest(),
        }
        formed = r.recorded_on
        state = self._file(
            batch, state, record_class, (scheme, region, step), formed, filed, record
        )
        figures = statistics.figures_of(r)
        statistics.add(batch, f"{filed[0]:04d}-{filed[1]:02d}", figures)
        statistics.add(batch, f"{filed[0]:04d}", figures)
        link = chain(bytes.fromhex(state["chain_hash"]), canonical)
        batch.put("state", state | {"chain_position": r.position, "chain_hash": link.hex()})

    # --- filing --------------------------------------------------------------------------

    def _file(
        self,
        batch: Batch,
        state: Row,
        record_class: RecordClass,
        parts: tuple[str, str, str],
        formed: date,
        month: Month,
        record: Row,
    ) -> Row:
        scheme, region, step = parts
        prefix = "-".join((scheme, region, str(formed.year), record_class.retention_code, step))
        sequence = (batch.get("sequences", prefix) or {"last": 0})["last"] + 1
        batch.put("sequences", {"prefix": prefix, "last": sequence})
        number = archive_number(scheme, region, formed.year, record_class, step, sequence)
        volume = self._volume(batch, month, record_class)
        link = hashlib.sha256(
            bytes.fromhex(volume["seal_hash"])
            + _length_prefixed(number)
            + bytes.fromhex(record["digest"])
        )
        volume |= {"record_count": volume["record_count"] + 1, "seal_hash": link.hexdigest()}
        batch.put("volumes", volume)
        records = state["records"] + 1
        batch.append(
            "records",
            {
                **record,
                "record_no": records,
                "archive_number": number,
                "record_class": record_class.name,
                "retention_code": record_class.retention_code,
                "formed_date": formed,
                "due_date": record_class.due_date(formed),
                "volume_id": volume["volume_id"],
                "held": False,
            },
        )
        return {**state, "records": records}

    @staticmethod
    def _volume(batch: Batch, month: Month, record_class: RecordClass) -> Row:
        volume_id = f"{month[0]:04d}-{month[1]:02d}-{record_class.name}"
        return batch.get("volumes", volume_id) or {
            "volume_id": volume_id,
            "year": month[0],
            "month": month[1],
            "record_class": record_class.name,
            "record_count": 0,
            "seal_hash": GENESIS.hex(),
            "sealed": False,
        }

    def _close_month(self, batch: Batch, state: Row, month: Month, next_year: int) -> Row:
        """File the month's report (and the year's summary if it turned) and the chain head,
        seal its volumes."""
        year, number = month
        period = f"{year:04d}-{number:02d}"
        last_day = date(year, number, monthrange(year, number)[1])
        state = self._file_statistics(
            batch, state, MONTHLY_REPORT, "MONTHLY", period, last_day, month
        )
        sealed = [month]
        if next_year > year:
            december = (year, 12)
            state = self._file_statistics(
                batch, state, ANNUAL_SUMMARY, "ANNUAL", f"{year:04d}", date(year, 12, 31), december
            )
            sealed.append(december)
        head = {
            "position": state["chain_position"],
            "aggregate_id": None,
            "event_type": None,
            "period": period,
            "digest": state["chain_hash"],  # the chain hash itself, of the event at `position`
        }
        parts = (NO_SCHEME, self.region_code, "CHAIN")
        state = self._file(batch, state, ARCHIVE_REGISTER, parts, last_day, month, head)
        for closed in sealed:
            for record_class in CLASSES:
                volume_id = f"{closed[0]:04d}-{closed[1]:02d}-{record_class.name}"
                volume = batch.get("volumes", volume_id)
                if volume is not None and not volume["sealed"]:
                    batch.put("volumes", {**volume, "sealed": True})
        return state

    def _file_statistics(
        self,
        batch: Batch,
        state: Row,
        record_class: RecordClass,
        step: str,
        period: str,
        formed: date,
        month: Month,
    ) -> Row:
        figures = batch.get("statistics", period) or statistics.empty(period)
        record = {
            "position": None,
            "aggregate_id": None,
            "event_type": None,
            "period": period,
            "digest": statistics.digest(figures),
        }
        parts = (NO_SCHEME, self.region_code, step)
        return self._file(batch, state, record_class, parts, formed, month, record)


def _length_prefixed(text: str) -> bytes:
    encoded = text.encode("utf-8")
    return len(encoded).to_bytes(4, "big") + encoded
