"""The auditors' and archivists' reads: the audit trail, the chain, the catalogue; and the
projections' own status."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from projections import archive_catalogue, audit_trail, tracking
from projections.catalog import PROJECTION_CLASSES
from projections.queries import catalogue
from projections.queries.base import QueryBase, Row, page_limit
from projections.store import head

WAIT_INTERVAL = 0.01


class TrailQueries(QueryBase):
    # --- projections ---------------------------------------------------------------------

    def projection_status(self) -> list[Row]:
        with self.engine.connect() as c:
            live = tracking.live(c)
            top = head(c)
        return [
            {
                "name": p.name,
                "position": live[p.name].position if p.name in live else 0,
                "head": top,
                "lag": top - live[p.name].position if p.name in live else top,
                "last_progress_at": live[p.name].last_progress_at if p.name in live else None,
            }
            for p in PROJECTION_CLASSES
        ]

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """True as soon as every built projection has reached `position`; False after
        `timeout`. (A projection the database has not built yet answers nothing, so it
        holds no reader back: `projections status` shows it.)"""
        deadline = time.monotonic() + timeout
        while True:
            with self.engine.connect() as c:
                live = tracking.live(c)
            if live and all(g.position >= position for g in live.values()):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(WAIT_INTERVAL)

    # --- auditors ------------------------------------------------------------------------

    def audit_events(
        self,
        *,
        aggregate_id: UUID | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: int | None = 0,
        limit: int = 100,
    ) -> tuple[list[Row], int | None]:
        filters = {
            "aggregate_id": aggregate_id,
            "event_type": event_type,
            "actor": actor,
            "since": since,
            "until": until,
        }

        def query(c: Connection) -> tuple[list[Row], int | None]:
            events = self._table(c, audit_trail.AuditTrail, "events")
            return audit_trail.list_events(c, events, filters, after or 0, page_limit(limit))

        return self._read(query)

    def verify_chain(self, region: Any, from_: int | None, to: int | None) -> Row:
        """Recompute the chain from the event store and compare it with the trail, up to
        the position the trail has reached."""

        def query(c: Connection) -> Row:
            events = self._table(c, audit_trail.AuditTrail, "events")
            reached = tracking.live(c, [audit_trail.AuditTrail.name])
            trail_end = reached[audit_trail.AuditTrail.name].position if reached else 0
            first = max(from_ or 1, 1)
            last = min(to, trail_end) if to is not None else trail_end
            start = audit_trail.hash_before(c, events, first)
            store = audit_trail.store_canonicals(region.recorder, first, last)
            trail = audit_trail.trail_hashes(c, events, first, last)
            checked, head_hash, mismatch = audit_trail.first_mismatch(store, trail, start)
            return {
                "checked": checked,
                "head_hash": head_hash,
                "ok": mismatch is None,
                "first_mismatch_position": mismatch,
            }

        return self._read(query)

    # --- archivists ----------------------------------------------------------------------

    def archive_records(
        self,
        *,
        record_class: str | None = None,
        due_before: date | None = None,
        held: bool | None = None,
        after: int | None = 0,
        limit: int = 100,
    ) -> tuple[list[Row], int | None]:
        filters = {"record_class": record_class, "due_before": due_before, "held": held}

        def query(c: Connection) -> tuple[list[Row], int | None]:
            records = self._table(c, archive_catalogue.ArchiveCatalogue, "records")
            return catalogue.list_records(c, records, filters, after or 0, page_limit(limit))

        return self._read(query)

    def archive_volumes(self, year: int | None, month: int | None) -> list[Row]:
        def query(c: Connection) -> list[Row]:
            volumes = self._table(c, archive_catalogue.ArchiveCatalogue, "volumes")
            return catalogue.list_volumes(c, volumes, year, month)

        return self._read(query)
