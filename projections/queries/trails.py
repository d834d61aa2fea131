"""The auditors' and archivists' reads: the audit trail, the chain, the catalogue; and the
projections' own status."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Connection, Table

from projections import archive_catalogue, archive_holds, audit_trail, chain_check, tracking
from projections.catalog import PROJECTION_CLASSES
from projections.queries import catalogue
from projections.queries.base import QueryBase, page_limit
from projections.store import head
from projections.tracking import Generation

WAIT_INTERVAL = 0.005


@dataclass(frozen=True)
class ChainVerdict:
    """`yibao audit verify` and GET /v1/audit/verify: how many events were checked, the
    recomputed hash of the last, and the first position whose hash differs (None: ok)."""

    checked: int
    head_hash: str | None
    ok: bool
    first_mismatch_position: int | None
    trail_lag: int  # events in the range the trail has not reached (not compared)


@dataclass(frozen=True)
class ProjectionStatusRow:
    """`projection_status`: one projection's live generation against the log's head."""

    name: str
    position: int
    head: int
    lag: int
    last_progress_at: datetime | None
    error: str | None  # the failure it is stopped at (may quote the data: never shown on HTTP)
    error_position: int | None


class TrailQueries(QueryBase):
    # --- projections ---------------------------------------------------------------------

    def projection_status(self) -> list[ProjectionStatusRow]:
        """Each projection's live generation: position, head, lag, last progress, and the
        failure it is stopped at, if any (`error`, `error_position`)."""
        with self.engine.connect() as c:
            live = tracking.live(c)
            top = head(c)
        rows = []
        for p in PROJECTION_CLASSES:
            found = live.get(p.name)
            position = found.position if found else 0
            rows.append(
                ProjectionStatusRow(
                    name=p.name,
                    position=position,
                    head=top,
                    lag=top - position,
                    last_progress_at=found.last_progress_at if found else None,
                    error=found.error if found else None,
                    error_position=found.error_position if found else None,
                )
            )
        return rows

    def wait_for(
        self, position: int, timeout: float = 5.0, projections: Collection[str] | None = None
    ) -> bool:
        """True as soon as every built projection of `projections` (all when None) has
        reached `position`; False after `timeout`, or at once when one that has not reached it
        is stopped by a failure. Only the projections a query reads hold it back: a stopped
        archive catalogue does not delay a settlement read. (A projection the database has
        not built yet answers nothing, so it holds no reader back: `projections status`
        shows it.)"""
        deadline = time.monotonic() + timeout
        while True:
            reached = self.caught_up(position, projections)
            if reached is not None:
                return reached
            if time.monotonic() >= deadline:
                return False
            time.sleep(WAIT_INTERVAL)

    def caught_up(self, position: int, projections: Collection[str] | None = None) -> bool | None:
        """True when every built projection of `projections` (all when None) has reached
        `position`; False when one that has not is stopped by a failure (it will not get there
        by waiting); None meanwhile."""
        names = None if projections is None else list(projections)
        if names == []:
            return True
        with self.engine.connect() as c:
            live = tracking.live(c, names)
        return reached(live.values(), position)

    def progress(self) -> dict[str, Generation]:
        """The live generation of every built projection: one look that answers `reached`
        for any position and any projections (the HTTP readers share it)."""
        with self.engine.connect() as c:
            return tracking.live(c)

    def log_head(self) -> int:
        """The log's last position."""
        with self.engine.connect() as c:
            return head(c)

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
    ) -> tuple[list[audit_trail.AuditEventRow], int | None]:
        filters = {
            "aggregate_id": aggregate_id,
            "event_type": event_type,
            "actor": actor,
            "since": since,
            "until": until,
        }

        def query(c: Connection) -> tuple[list[audit_trail.AuditEventRow], int | None]:
            events = self._table(c, audit_trail.AuditTrail, "events")
            return audit_trail.list_events(c, events, filters, after or 0, page_limit(limit))

        return self._read(query)

    def verify_chain(self, from_: int | None, to: int | None) -> ChainVerdict:
        """Recompute the chain from the event store over [from, to] (to: default the store's
        head) and compare it with the trail, as far as the trail has projected. Events the
        trail has not reached yet are not a mismatch: they are its lag (`trail_lag`, the
        number of events in the range left uncompared). A position the trail has passed and
        does not hold, or holds with another hash, or holds beyond the store's end, is a
        mismatch. `head_hash` is the recomputed hash of the last event checked, None when
        none was."""

        def query(c: Connection) -> ChainVerdict:
            events = self._table(c, audit_trail.AuditTrail, "events")
            top, end = head(c), audit_trail.trail_end(c, events)
            reached = max(_trail_position(c), end)
            first = max(from_ or 1, 1)
            wanted = to if to is not None else max(top, end)
            last = min(wanted, reached)
            lag = max(0, min(wanted, top) - max(last, first - 1))
            if first > last:
                return _verified(0, None, None, lag)
            start = audit_trail.hash_before(c, events, first)
            verdict = chain_check.verify(self.engine, events, self.log, first, last, start)
            return _verified(
                verdict.checked, verdict.head_hash, verdict.first_mismatch_position, lag
            )

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
    ) -> tuple[list[catalogue.RecordRow], int | None]:
        filters = {"record_class": record_class, "due_before": due_before, "held": held}

        def query(c: Connection) -> tuple[list[catalogue.RecordRow], int | None]:
            records = self._table(c, archive_catalogue.ArchiveCatalogue, "records")
            holds = self._hold_tables(c)
            return catalogue.list_records(c, records, holds, filters, after or 0, page_limit(limit))

        return self._read(query)

    def archive_aggregates(self, criteria: dict[str, object]) -> list[object]:
        """The aggregates with a record matching a record query (class, since, until,
        person_id, institution_code)."""

        def query(c: Connection) -> list[object]:
            records = self._table(c, archive_catalogue.ArchiveCatalogue, "records")
            owners = self._hold_tables(c)["owners"]
            return catalogue.aggregates_in_scope(c, records, owners, criteria)

        return self._read(query)

    def _hold_tables(self, c: Connection) -> dict[str, Table]:
        return {
            short: self._table(c, archive_holds.ArchiveHolds, short)
            for short in ("holds", "hold_aggregates", "owners")
        }

    def archive_volumes(self, year: int | None, month: int | None) -> list[catalogue.VolumeRow]:
        def query(c: Connection) -> list[catalogue.VolumeRow]:
            volumes = self._table(c, archive_catalogue.ArchiveCatalogue, "volumes")
            return catalogue.list_volumes(c, volumes, year, month)

        return self._read(query)


def reached(live: Collection[Generation], position: int) -> bool | None:
    """`caught_up` over these live generations (those of the projections a read needs)."""
    behind = [g for g in live if g.position < position]
    if live and not behind:
        return True
    return False if any(g.failed for g in behind) else None


def _trail_position(c: Connection) -> int:
    found = tracking.live(c, [audit_trail.AuditTrail.name]).get(audit_trail.AuditTrail.name)
    return found.position if found else 0


def _verified(checked: int, head_hash: str | None, mismatch: int | None, lag: int) -> ChainVerdict:
    return ChainVerdict(checked, head_hash, mismatch is None, mismatch, lag)
