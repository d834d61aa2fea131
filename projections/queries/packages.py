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
from projections.queries.base import QueryBase
from projections.queries.package_lines import PACKAGE_COLUMNS, PackageLine, package_lines

BATCH = 2000


class PackageQueries(QueryBase):
    def package_records(
        self,
        positions: tuple[int, int],
        period: tuple[date, date],
        record_class: str | None = None,
        aggregate_ids: frozenset[UUID] | None = None,
    ) -> Iterator[list[PackageLine]]:
        """The catalogue's records of the events at these positions, and (unless the package
        is of some aggregates) the reports and chain heads formed in the period; in catalogue
        order, streamed a batch at a time (the caller must read them all), each laid out by
        the database as its CSV line and JSON object (`package_lines`)."""
        with self.engine.connect() as c:
            records = self._table(c, archive_catalogue.ArchiveCatalogue, "records")
            holds = {
                short: self._table(c, archive_holds.ArchiveHolds, short)
                for short in ("holds", "hold_aggregates", "owners")
            }
            events = records.c.position.between(*positions) & records.c.event_type.is_not(None)
            others = records.c.event_type.is_(None) & records.c.formed_date.between(*period)
            wanted = events if aggregate_ids else or_(events, others)
            held = catalogue.held_clause(records, holds).label("held")
            columns = (held if n == "held" else records.c[n] for n in PACKAGE_COLUMNS)
            query = select(records.c.record_no, *columns).where(wanted)
            if record_class is not None:
                query = query.where(records.c.record_class == record_class)
            if aggregate_ids:
                query = query.where(and_(records.c.aggregate_id.in_(sorted(aggregate_ids))))
            rows = query.subquery()
            lines = select(*package_lines(rows, c.dialect.name)).order_by(rows.c.record_no)
            stream = c.execution_options(stream_results=True, yield_per=BATCH)
            for batch in stream.execute(lines).partitions():
                yield [PackageLine(*row) for row in batch]

    def chain_hash_at(self, position: int) -> str | None:
        """The audit trail's chain hash of the event at `position` (None: not projected)."""

        def query(c: Any) -> str | None:
            found = self._one(c, audit_trail.AuditTrail, "events", position=position)
            return str(found["hash"]) if found else None

        return self._read(query)
