"""The archive catalogue: every event as a record with its class, archive number (档号),
formed and due dates, filed into a monthly volume (一月一立卷) sealed by a hash.

Archive numbers are gap-free per scheme–region–year–retention–step: the sequence is the
count of earlier records with the same five parts, in log order, so a rebuild gives every
record the same number again. A month's volumes are sealed, and its monthly report and
(at a year's turn) the annual summary are filed, when the first event of a later month is
recorded; an event stamped in a closed month is filed into the open month.
"""

from __future__ import annotations

import hashlib
from calendar import monthrange
from datetime import date
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
)

from projections import statistics
from projections.archive_subjects import subject_of
from projections.audit_chain import GENESIS, canonical_bytes
from projections.batch import Batch, Row
from projections.events import Recorded
from projections.projection import ViewProjection
from projections.retention import (
    ANNUAL_SUMMARY,
    CLASSES,
    MONTHLY_REPORT,
    NO_SCHEME,
    RecordClass,
    archive_number,
    classify,
)

Month = tuple[int, int]


class ArchiveCatalogue(ViewProjection):
    name: ClassVar[str] = "archive_catalogue"

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
                Column("archive_number", String(64), nullable=False, unique=True),
                Column("record_class", String(32), nullable=False, index=True),
                Column("retention_code", String(8), nullable=False),
                Column("formed_date", Date, nullable=False),
                Column("due_date", Date, index=True),
                Column("volume_id", String(48), nullable=False, index=True),
                Column("position", BigInteger),
                Column("aggregate_id", Uuid),
                Column("event_type", String(200)),
                Column("period", String(7)),
                Column("digest", String(64), nullable=False),
                Column("held", Boolean, nullable=False),
            ),
            "sequences": Table(
                f"{prefix}_sequences",
                metadata,
                Column("prefix", String(48), primary_key=True),
                Column("last", Integer, nullable=False),
            ),
            "volumes": Table(
                f"{prefix}_volumes",
                metadata,
                Column("volume_id", String(48), primary_key=True),
                Column("year", Integer, nullable=False),
                Column("month", Integer, nullable=False),
                Column("record_class", String(32), nullable=False),
                Column("record_count", Integer, nullable=False),
                Column("seal_hash", String(64), nullable=False),
                Column("sealed", Boolean, nullable=False),
            ),
            "subjects": Table(
                f"{prefix}_subjects",
                metadata,
                Column("aggregate_id", Uuid, primary_key=True),
                Column("scheme_code", String(1), nullable=False),
                Column("region_code", String(6), nullable=False),
            ),
            "state": Table(
                f"{prefix}_state",
                metadata,
                Column("id", Integer, primary_key=True, autoincrement=False),
                Column("year", Integer, nullable=False),
                Column("month", Integer, nullable=False),
                Column("records", BigInteger, nullable=False),
            ),
            "statistics": statistics.statistics_table(metadata, prefix),
        }

    def apply(self, batch: Batch, r: Recorded) -> None:
        state = batch.get("state", 1) or {"id": 1, "year": 0, "month": 0, "records": 0}
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
        batch.put("state", state)

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
        """File the month's report (and the year's summary if it turned), seal its volumes."""
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
