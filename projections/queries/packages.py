"""What a retention package reads of the read side: the catalogue of its window, streamed,
and the chain hash just before it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select

from projections import archive_catalogue, archive_holds, audit_trail
from projections.queries import catalogue
from projections.queries.base import QueryBase, Row

PACKAGE_FIELDS = (
    "archive_number",
    "record_class",
    "retention_code",
    "formed_date",
    "due_date",
    "volume_id",
    "position",
    "aggregate_id",
    "event_type",
    "period",
    "digest",
)


class PackageQueries(QueryBase):
    def package_records(
        self,
        positions: tuple[int, int],
        period: tuple[date, date],
        record_class: str | None = None,
        aggregate_ids: frozenset[UUID] | None = None,
    ) -> Iterator[Row]:
        """The catalogue's records of the events at these positions, and (unless the package
        is of some aggregates) the reports and chain heads formed in the period; in catalogue
        order, streamed (the caller must read them all)."""
        with self.engine.connect() as c:
            records = self._table(c, archive_catalogue.ArchiveCatalogue, "records")
            holds = {
                short: self._table(c, archive_holds.ArchiveHolds, short)
                for short in ("holds", "hold_aggregates", "owners")
            }
            events = records.c.position.between(*positions) & records.c.event_type.is_not(None)
            others = records.c.event_type.is_(None) & records.c.formed_date.between(*period)
            wanted = events if aggregate_ids else or_(events, others)
            query = select(
                *(records.c[f] for f in PACKAGE_FIELDS),
                catalogue.held_clause(records, holds).label("held"),
            ).where(wanted)
            if record_class is not None:
                query = query.where(records.c.record_class == record_class)
            if aggregate_ids:
                query = query.where(and_(records.c.aggregate_id.in_(sorted(aggregate_ids))))
            stream = c.execution_options(stream_results=True, yield_per=2000)
            for row in stream.execute(query.order_by(records.c.record_no)).mappings():
                yield dict(row)

    def chain_hash_at(self, position: int) -> str | None:
        """The audit trail's chain hash of the event at `position` (None: not projected)."""

        def query(c: Any) -> str | None:
            found = self._one(c, audit_trail.AuditTrail, "events", position=position)
            return str(found["hash"]) if found else None

        return self._read(query)
